"""Issue 10 benchmark, printed figures (not a pass/fail test): the head's /team table.

A team of 100 managers × 100 clients with a year of history each (bench_kpi's density: ~16,700
touches and ~6,700 sales a manager) vs a team of 5 alike, both in the same database, same run.
For each: the /team reply as the handler builds it (team_table + the <pre> text + the buttons,
one session), its median and p95, the number of SQL statements (it must not grow with the
number of managers), and where the time goes (each statement's median; the rest is Python).
The team chart's data is measured too. Goal: the 100-manager table under 1 s on PostgreSQL.

Run: .venv/bin/python -m bench.bench_team [--runs 20] [--big 100] [--small 5] [--days 365]
     [--pg]   (PostgreSQL, only in the own database kambot_h1, its schema recreated for the run)
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import event, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.bench_kpi import CLIENTS, NOW, History, seed_manager
from bench.common import fresh_database, median_ms, p95_ms
from bot.i18n import translator
from bot.services.kpi.text import period_label
from bot.services.teams.table import team_chart_data, team_table
from handlers.team.table_views import table_kb, table_text
from storage.db import create_session_pool
from storage.enums import PeriodKind, TeamRole
from storage.models import Client, Manager, Team

PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/kambot_h1"
GOAL_S = 1.0
WARM_UP = 3


class Statements:
    """Counts the statements of the labelled run and times each one."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.label = ""
        self.counts: dict[str, int] = defaultdict(int)
        self.samples: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        self._started: list[float] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self._before)
        event.listen(engine.sync_engine, "after_cursor_execute", self._after)

    def _before(self, *_args: Any) -> None:
        self._started.append(time.perf_counter())

    def _after(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        elapsed = time.perf_counter() - self._started.pop()
        if self.label:
            self.counts[self.label] += 1
            self.samples[self.label][" ".join(statement.split())[:80]].append(elapsed)


async def seed_team(
    pool: async_sessionmaker[AsyncSession], name: str, size: int, first_id: int, days: int
) -> Manager:
    """`size` managers of bench_kpi (100 clients, `days` of history each) in one team; the
    first is its head. Returns the head."""
    history = History.at_p4_density(days)
    members = [
        await seed_manager(pool, first_id + i, history, seed=first_id + i) for i in range(size)
    ]
    ids = [m.id for m in members]
    async with pool() as session:
        team = Team(name=name, created_at=NOW)
        session.add(team)
        await session.flush()
        await session.execute(update(Manager).where(Manager.id.in_(ids)).values(team_id=team.id))
        await session.execute(
            update(Manager).where(Manager.id == ids[0]).values(role=TeamRole.HEAD)
        )
        await session.execute(
            update(Client).where(Client.owner_id.in_(ids)).values(team_id=team.id)
        )
        await session.commit()
        head = await session.get(Manager, ids[0])
        assert head is not None
        return head


def _reply(
    pool: async_sessionmaker[AsyncSession], head: Manager, kind: PeriodKind
) -> Callable[[], Awaitable[Any]]:
    t = translator("ru")

    async def run() -> Any:
        async with pool() as session:  # one session per update, as the middleware opens it
            table = await team_table(session, head, kind, NOW)
        return table_text(t, table, period_label(table.period, t.lang)), table_kb(t, table)

    return run


def _chart(
    pool: async_sessionmaker[AsyncSession], head: Manager, kind: PeriodKind
) -> Callable[[], Awaitable[Any]]:
    async def run() -> Any:
        async with pool() as session:
            return await team_chart_data(session, head, kind, NOW)

    return run


async def _measure(
    stats: Statements, label: str, fn: Callable[[], Awaitable[Any]], runs: int
) -> list[float]:
    for _ in range(WARM_UP):
        await fn()
    out = []
    for _ in range(runs):
        stats.label = label
        start = time.perf_counter()
        await fn()
        out.append(time.perf_counter() - start)
        stats.label = ""
    return out


def _where(stats: Statements, label: str, runs: int, total_ms: float) -> None:
    rows = sorted(
        ((median_ms(s), statement) for statement, s in stats.samples[label].items()), reverse=True
    )
    sql_ms = sum(ms for ms, _ in rows)
    print(
        f"    where the time goes ({label}): SQL {sql_ms:.1f} ms,"
        f" the rest (Python: ORM rows, figures, text) {total_ms - sql_ms:.1f} ms"
    )
    for ms, statement in rows[:6]:
        print(f"      {ms:7.2f} ms  {statement}")


async def bench(pg: bool, runs: int, big: int, small: int, days: int) -> None:
    async with fresh_database(PG_URL if pg else None, "team") as engine:
        pool = create_session_pool(engine)
        start = time.perf_counter()
        big_head = await seed_team(pool, "Большая", big, 1000, days)
        small_head = await seed_team(pool, "Малая", small, 5000, days)
        if pg:
            # A year-old database has been vacuumed by autovacuum long ago: the visibility map
            # is what lets COUNT(*) read the index only. VACUUM runs outside a transaction.
            async with engine.connect() as conn:
                auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await auto.execute(text("VACUUM ANALYZE"))
        history = History.at_p4_density(days)
        print(
            f"{'PostgreSQL' if pg else 'SQLite'}: teams of {big} and {small} managers x {CLIENTS}"
            f" clients, {days} days each ({history.touches} touches + {history.sales} sales a"
            f" manager), seeded in {time.perf_counter() - start:.0f} s"
        )
        stats = Statements(engine)
        for kind in (PeriodKind.MONTH, PeriodKind.YEAR):
            print(f"\n/team {kind.value} (team_table + <pre> text + buttons), {runs} runs each:")
            big_label, small_label = f"{big}-{kind.value}", f"{small}-{kind.value}"
            b = await _measure(stats, big_label, _reply(pool, big_head, kind), runs)
            s = await _measure(stats, small_label, _reply(pool, small_head, kind), runs)
            for label, samples, size in ((big_label, b, big), (small_label, s, small)):
                print(
                    f"  {size:3} managers: median {median_ms(samples):7.1f} ms,"
                    f" p95 {p95_ms(samples):7.1f} ms, {stats.counts[label] // runs} statements"
                )
            ratio = median_ms(b) / median_ms(s)
            verdict = "PASS" if median_ms(b) / 1000 < GOAL_S else "FAIL"
            print(f"  ratio {big}/{small}: {ratio:.2f}; {big} managers < {GOAL_S:g} s: {verdict}")
            _where(stats, big_label, runs, median_ms(b))
        print(f"\nteam chart data (month), {runs} runs each:")
        b = await _measure(stats, "chart-big", _chart(pool, big_head, PeriodKind.MONTH), runs)
        s = await _measure(stats, "chart-small", _chart(pool, small_head, PeriodKind.MONTH), runs)
        print(
            f"  {big} managers {median_ms(b):.1f} ms"
            f" ({stats.counts['chart-big'] // runs} statements)"
            f" vs {small} managers {median_ms(s):.1f} ms"
            f" ({stats.counts['chart-small'] // runs} statements)"
        )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--big", type=int, default=100)
    parser.add_argument("--small", type=int, default=5)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL, database kambot_h1")
    args = parser.parse_args()
    await bench(args.pg, args.runs, args.big, args.small, args.days)


if __name__ == "__main__":
    asyncio.run(main())
