"""Issue 10 benchmark, printed figures (not a pass/fail test): /handover of 1,000 clients with
their history vs 100 clients, in the same run and the same database.

Each client carries one contact, 10 touches (one with an open next step), 2 sales, 2 notes (one
shared, one private 🔒 with a reminder) and 1 pending follow-up reminder. Three members hand
over: a 10-client warm-up, then 100, then 1,000 clients, each a different source member so the
bases do not overlap. For each: the preview (what the confirm screen counts) and the handover
itself (bot/services/teams/handover.hand_over: checks, the move, the audit record, the commit),
wall time and the number of SQL statements; the statements must not grow with the clients; the
five slowest statements of the big one say where the time goes. On PostgreSQL the tables are
ANALYZEd after the bulk load (as autovacuum would). Then the result is checked: everything
shared is the target's, private notes and their reminders stay with their author.

Run: .venv/bin/python -m bench.bench_handover [--pg]
     --pg: PostgreSQL database kambot_h2 at 127.0.0.1, its public schema recreated and migrated.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.common import fresh_database
from bot.services.teams import handover
from storage import teams as team_store
from storage.db import create_session_pool
from storage.enums import Channel, ReminderKind, ReminderState, TeamRole
from storage.models import (
    Client,
    Contact,
    Interaction,
    Manager,
    Note,
    Reminder,
    Sale,
    Team,
)
from storage.transfer import insert_returning, insert_rows

PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/kambot_h2"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
TOUCHES, SALES = 10, 2
SIZES = (10, 100, 1_000)  # the first is a warm-up


class Statements:
    """Counts the SQL statements the engine sends while ``on``, and times each one."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        self.on = False
        self.timings: list[tuple[float, str]] = []
        self._started = 0.0
        event.listen(engine.sync_engine, "before_cursor_execute", self._before)
        event.listen(engine.sync_engine, "after_cursor_execute", self._after)

    def _before(self, *_: Any) -> None:
        self._started = time.perf_counter()
        if self.on:
            self.count += 1

    def _after(self, conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if self.on:
            self.timings.append((time.perf_counter() - self._started, " ".join(statement.split())))

    async def measure(self, fn: Callable[[], Awaitable[Any]]) -> tuple[float, int, Any]:
        self.count, self.on, self.timings = 0, True, []
        start = time.perf_counter()
        try:
            result = await fn()
        finally:
            self.on = False
        return time.perf_counter() - start, self.count, result

    def slowest(self, n: int) -> str:
        top = sorted(self.timings, reverse=True)[:n]
        return "; ".join(f"{t * 1000:.0f} ms {sql[:48]}…" for t, sql in top)


async def _team(session: AsyncSession) -> tuple[Manager, Manager, list[Manager]]:
    team = Team(name="Bench", created_at=NOW)
    session.add(team)
    await session.flush()

    def member(telegram_id: int, name: str, role: TeamRole) -> Manager:
        return Manager(telegram_id=telegram_id, full_name=name, team_id=team.id, role=role)

    head = member(1, "Head", TeamRole.HEAD)
    target = member(2, "Target", TeamRole.MANAGER)
    sources = [member(10 + i, f"Source {n}", TeamRole.MANAGER) for i, n in enumerate(SIZES)]
    session.add_all([head, target, *sources])
    await session.commit()
    return head, target, sources


def _client_rows(owner: Manager, n: int) -> list[dict[str, Any]]:
    return [
        {
            "owner_id": owner.id,
            "team_id": owner.team_id,
            "name": f"{owner.full_name} client {i:05}",
            "name_norm": f"{owner.full_name} client {i:05}".casefold(),
            "created_at": NOW - timedelta(days=400),
            "updated_at": NOW,
            "last_touch_at": NOW - timedelta(days=1),
        }
        for i in range(n)
    ]


def _touch_rows(owner: Manager, client_ids: list[int]) -> list[dict[str, Any]]:
    rows = []
    for cid in client_ids:
        for k in range(TOUCHES):
            open_step = k == TOUCHES - 1
            rows.append(
                {
                    "client_id": cid,
                    "manager_id": owner.id,
                    "kind": Channel.CALL,
                    "occurred_at": NOW - timedelta(days=30 * k + 1),
                    "summary": f"touch {k}",
                    "next_step": "send the offer" if open_step else None,
                    "next_step_due_at": NOW + timedelta(days=3) if open_step else None,
                    "created_at": NOW,
                }
            )
    return rows


def _note_rows(owner: Manager, client_ids: list[int]) -> list[dict[str, Any]]:
    return [
        {
            "manager_id": owner.id,
            "client_id": c,
            "text": "private" if private else "shared",
            "is_private": private,
            "created_at": NOW,
        }
        for c in client_ids
        for private in (False, True)
    ]


def _reminder_rows(
    owner: Manager, promises: list[Any], notes: list[dict[str, Any]], note_ids: list[int]
) -> list[dict[str, Any]]:
    """A follow-up per open promise, and a ping per private note (it must stay the author's)."""
    followups = [
        {
            "manager_id": owner.id,
            "kind": ReminderKind.FOLLOWUP,
            "client_id": client_id,
            "interaction_id": touch_id,
            "due_at": NOW + timedelta(days=3),
            "state": ReminderState.PENDING,
            "dedupe_key": f"followup:{touch_id}",
            "created_at": NOW,
            "updated_at": NOW,
        }
        for touch_id, client_id in promises
    ]
    private_pings = [
        {
            "manager_id": owner.id,
            "kind": ReminderKind.NOTE,
            "client_id": notes[i]["client_id"],
            "note_id": note_id,
            "due_at": NOW + timedelta(days=1),
            "state": ReminderState.PENDING,
            "dedupe_key": f"note:{note_id}",
            "payload": {"text": "private"},
            "created_at": NOW,
            "updated_at": NOW,
        }
        for i, note_id in enumerate(note_ids)
        if notes[i]["is_private"]
    ]
    return followups + private_pings


async def _history(session: AsyncSession, owner: Manager, n: int) -> None:
    """n clients of ``owner`` with the history the module docstring lists, by bulk INSERTs."""
    client_ids = await insert_returning(session, Client, _client_rows(owner, n))
    await insert_rows(
        session,
        Contact,
        [
            {"client_id": c, "name": "Ivan", "name_norm": "ivan", "created_at": NOW}
            for c in client_ids
        ],
    )
    await insert_returning(session, Interaction, _touch_rows(owner, client_ids))
    promises = await session.execute(
        select(Interaction.id, Interaction.client_id).where(
            Interaction.client_id.in_(client_ids), Interaction.next_step.is_not(None)
        )
    )
    sales = [
        {
            "client_id": c,
            "manager_id": owner.id,
            "amount_minor": 100_000 * (s + 1),
            "sold_at": NOW - timedelta(days=10 * s + 2),
            "created_at": NOW,
        }
        for c in client_ids
        for s in range(SALES)
    ]
    await insert_rows(session, Sale, sales)
    notes = _note_rows(owner, client_ids)
    note_ids = await insert_returning(session, Note, notes)
    reminders = _reminder_rows(owner, list(promises), notes, note_ids)
    await insert_rows(session, Reminder, reminders)
    await session.commit()


async def _check(session: AsyncSession, source: Manager, target: Manager, n: int) -> None:
    """Everything shared is the target's; private notes and their pings stayed the source's."""

    async def count(model: Any, manager_id: int, *where: Any) -> int:
        found = await session.scalar(
            select(func.count()).select_from(model).where(model.manager_id == manager_id, *where)
        )
        return int(found or 0)

    assert (
        await session.scalar(
            select(func.count()).select_from(Client).where(Client.owner_id == source.id)
        )
        == 0
    )
    assert await count(Interaction, source.id) == 0
    assert await count(Sale, source.id) == 0
    assert await count(Note, source.id, Note.is_private.is_(False)) == 0
    assert await count(Note, source.id, Note.is_private.is_(True)) == n
    assert await count(Reminder, source.id, Reminder.kind == ReminderKind.NOTE) == n
    assert await count(Reminder, source.id, Reminder.kind == ReminderKind.FOLLOWUP) == 0


async def _one(
    pool: async_sessionmaker[AsyncSession],
    counter: Statements,
    head: Manager,
    target: Manager,
    source: Manager,
    n: int,
) -> tuple[float, int, float, int, dict[str, int]]:
    async with pool() as session:
        await _history(session, source, n)
        if session.bind.dialect.name == "postgresql":
            # Statistics as autovacuum would have them after a bulk load: without them the
            # planner guesses empty tables and the preview's counts take 10x longer.
            await session.execute(text("ANALYZE"))
            await session.commit()
    async with pool() as session:
        me = await session.get(Manager, head.id)
        assert me is not None
        p_time, p_statements, preview = await counter.measure(
            lambda: handover.preview(session, me, source.id, target.id, None)
        )
        assert preview.counts["clients"] == n
    async with pool() as session:
        me = await session.get(Manager, head.id)
        assert me is not None
        h_time, h_statements, outcome = await counter.measure(
            lambda: handover.hand_over(session, me, source.id, target.id, None, NOW)
        )
        assert outcome.moved.client_count == n
        if n == SIZES[-1]:
            print(f"where the {n:,}-client handover's time goes: {counter.slowest(5)}")
    async with pool() as session:
        await _check(session, source, target, n)
    return p_time, p_statements, h_time, h_statements, outcome.moved.counts


async def bench(pg: bool) -> None:
    name = "PostgreSQL (kambot_h2)" if pg else "SQLite"
    print(f"=== {name}: /handover, {TOUCHES} touches, {SALES} sales, 2 notes (1 private), ===")
    print("=== 1 pending follow-up (+1 private note ping) per client ===")
    async with fresh_database(PG_URL if pg else None, "handover") as engine:
        pool = create_session_pool(engine)
        counter = Statements(engine)
        async with pool() as session:
            head, target, sources = await _team(session)
        results: dict[int, tuple[float, int, float, int, dict[str, int]]] = {}
        for source, n in zip(sources, SIZES, strict=True):
            results[n] = await _one(pool, counter, head, target, source, n)
        for n in SIZES[1:]:
            p_time, p_st, h_time, h_st, counts = results[n]
            moved = ", ".join(f"{k} {v:,}" for k, v in counts.items())
            print(
                f"{n:>6,} clients: preview {p_time * 1000:7.1f} ms / {p_st} statements; "
                f"handover {h_time * 1000:7.1f} ms / {h_st} statements  ({moved})"
            )
        small, big = results[SIZES[1]], results[SIZES[2]]
        print(
            f"ratio {SIZES[2]:,} / {SIZES[1]:,} clients: handover time {big[2] / small[2]:.2f}, "
            f"statements {big[3]} vs {small[3]}; preview time {big[0] / small[0]:.2f}, "
            f"statements {big[1]} vs {small[1]}"
        )
        async with pool() as session:
            assert await team_store.events(session, head.team_id or 0, 10)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", action="store_true", help="PostgreSQL, database kambot_h2")
    args = parser.parse_args()
    await bench(args.pg)


if __name__ == "__main__":
    asyncio.run(main())
