"""Issue 17 benchmark, printed figures (not a pass/fail test): export -> kambot.json -> restore
of a big base, against a plain bulk insert of the same base in the same run.

The base of one manager: 10,000 clients with tags, 12,000 contacts (a third with birthdays),
60,000 touches (a fifth with a next step, half of those done), 10,000 notes with tags, 15,000
sales, 2,000 requests, 1,000 reviews, a few plans and ~3,000 follow-up/note/check-in/birthday
reminders in various states with the app's dedupe keys. It is written by plain bulk INSERTs:
that is the baseline. Then, in order:

* export collect (collect_full_export), JSON dump (size, and zipped at zlib level 6), JSON load;
* restore preview (write=False) and restore (write=True) into a fresh manager; the ratio of
  restore write to the baseline;
* the same file restored again into that manager: it must add nothing (asserted), and its time;
* peak Python memory (tracemalloc) of load + preview + restore, measured in a separate pass
  into a third manager so that tracing does not slow the timed pass.

Run: .venv/bin/python -m bench.bench_restore [--pg] [--profile]
     --pg: PostgreSQL database kambot_h4 at 127.0.0.1, its public schema recreated and migrated.
     --profile: cProfile of the restore write, top functions by cumulative time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import itertools
import json
import pstats
import random
import time
import tracemalloc
import zlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.common import fresh_database
from bot.services.exchange import bundle_json, restore
from bot.services.exchange.export_collect import collect_full_export
from bot.services.exchange.export_model import ExportData
from bot.services.parsing.names import normalize_name
from bot.services.schedule.schedule_rules import birthday_dedupe_key
from storage.db import create_session_pool
from storage.enums import (
    Channel,
    ClientStatus,
    Outcome,
    PeriodKind,
    ReminderKind,
    ReminderState,
    Segment,
    Tier,
)
from storage.models import (
    Client,
    ClientRequest,
    ClientTag,
    Contact,
    Interaction,
    Manager,
    Note,
    NoteTag,
    Plan,
    Reminder,
    Review,
    Sale,
)

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/kambot_h4"
CLIENTS, CONTACTS, TOUCHES, NOTES = 10_000, 12_000, 60_000, 10_000
SALES, REQUESTS, REVIEWS = 15_000, 2_000, 1_000
FOLLOWUPS, NOTE_PINGS, CHECKINS, BIRTHDAYS = 1_000, 500, 1_000, 500  # reminders, ~3,000
TAGS = ["опт", "розница", "vip", "новый", "юг", "север", "стройка", "тендер"]
WORDS = ["обсудили поставку", "КП в пятницу", "уточнили сроки", "отправил прайс", "встреча"]
LINES = ["кабель", "провод", "щиты", "автоматы", "светильники", "монтаж"]
MODELS: tuple[type[Any], ...] = (
    Client,
    ClientTag,
    Contact,
    Interaction,
    Note,
    NoteTag,
    Sale,
    ClientRequest,
    Review,
    Plan,
    Reminder,
)
PAST_STATES = [ReminderState.SENT, ReminderState.DONE, ReminderState.CANCELLED]
FUTURE_STATES = [ReminderState.PENDING, ReminderState.SNOOZED, ReminderState.PENDING]


# --- the base, as plain rows (generated before the clock starts) ------------------------------


def _moment(rng: random.Random, days_back: int) -> datetime:
    return NOW - timedelta(seconds=rng.randrange(days_back * 86_400))


class Base:
    """Rows of every kind; links are list indexes, turned into ids while inserting."""

    def __init__(self, seed: int = 17) -> None:
        rng = random.Random(seed)
        self.clients: list[dict[str, Any]] = []
        for i in range(CLIENTS):
            name = f"{rng.choice(['ООО', 'АО', 'ИП'])} {rng.choice(WORDS).split()[0]} {i}"
            last = NOW - timedelta(days=800)  # moved to the latest touch below
            archived = i % 50 == 0
            self.clients.append(
                {
                    "name": name,
                    "name_norm": normalize_name(name),
                    "segment": Segment.B2B,
                    "tier": Tier.KEY if i % 10 == 0 else Tier.REGULAR,
                    "status": ClientStatus.LOST if i % 97 == 0 else ClientStatus.ACTIVE,
                    "cadence_days": 14 if i % 20 == 0 else None,
                    "tax_id": f"77{i:08d}" if i % 2 == 0 else None,
                    "phone": f"+7916{i:07d}" if i % 3 == 0 else None,
                    "phone_norm": f"+7916{i:07d}" if i % 3 == 0 else None,
                    "is_demo": False,
                    "archived_at": NOW - timedelta(days=10) if archived else None,
                    "last_touch_at": last,
                    "next_checkin_at": None if archived else last + timedelta(days=30),
                    "created_at": NOW - timedelta(days=800),
                    "updated_at": last,
                }
            )
        self.client_tags = [
            (i, tag) for i in range(CLIENTS) for tag in rng.sample(TAGS, rng.randrange(0, 3))
        ]
        # One contact each, a second one for the first 2,000 clients.
        self.contact_client = list(range(CLIENTS)) + list(range(CONTACTS - CLIENTS))
        self.contacts: list[dict[str, Any]] = []
        for k in range(len(self.contact_client)):
            birthday = k % 3 == 0
            name = f"Иван {rng.choice(['Петров', 'Сидоров', 'Кузнецов'])} {k}"
            self.contacts.append(
                {
                    "name": name,
                    "name_norm": normalize_name(name),
                    "role": rng.choice(["директор", "закупки", None]),
                    "phone": f"+7903{k:07d}" if k % 2 else None,
                    "email": f"p{k}@example.com" if k % 4 == 0 else None,
                    "birth_day": rng.randint(1, 28) if birthday else None,
                    "birth_month": rng.randint(1, 12) if birthday else None,
                    "birth_year": rng.choice([None, 1975, 1988]) if birthday else None,
                    "created_at": NOW - timedelta(days=700),
                    "updated_at": NOW - timedelta(days=700),
                }
            )
        self.touch_client: list[int] = []
        self.touch_contact: list[int | None] = []
        self.touches: list[dict[str, Any]] = []
        self.open_steps: list[int] = []  # touch indexes with an open or done next step
        for t in range(TOUCHES):
            ci = rng.randrange(CLIENTS)
            occurred = _moment(rng, 730)
            step = t % 5 == 0
            due = occurred + timedelta(days=rng.randint(1, 14)) if step else None
            done = due if step and t % 10 == 0 else None
            if step:
                self.open_steps.append(t)
            self.touch_client.append(ci)
            self.touch_contact.append(ci if t % 2 else None)  # contact k == client k's first
            self.touches.append(
                {
                    "kind": rng.choice(list(Channel)),
                    "occurred_at": occurred,
                    "outcome": rng.choice([*Outcome, None]),
                    "summary": f"{rng.choice(WORDS)} #{t}",
                    "next_step": "перезвонить по КП" if step else None,
                    "next_step_due_at": due,
                    "next_step_has_time": step and t % 3 == 0,
                    "next_step_done_at": done,
                    "created_at": occurred,
                }
            )
        # The clients' clocks agree with their touches, as in a real base: a restore that moved
        # them would be a bug, not a cost to measure.
        for t, ci in zip(self.touches, self.touch_client, strict=True):
            c = self.clients[ci]
            if t["occurred_at"] > c["last_touch_at"]:
                c["last_touch_at"] = c["updated_at"] = t["occurred_at"]
        for i, c in enumerate(self.clients):
            if c["archived_at"] is None:
                days = c["cadence_days"] or (7 if i % 10 == 0 else 30)
                c["next_checkin_at"] = c["last_touch_at"] + timedelta(days=days)
        self.note_client: list[int | None] = []
        self.note_contact: list[int | None] = []
        self.notes: list[dict[str, Any]] = []
        for n in range(NOTES):
            on_contact = n % 10 == 0
            self.note_client.append(None if on_contact else rng.randrange(CLIENTS))
            self.note_contact.append(rng.randrange(CONTACTS) if on_contact else None)
            created = _moment(rng, 730)
            self.notes.append(
                {
                    "text": f"заметка {n}: {rng.choice(WORDS)}",
                    "is_private": n % 7 == 0,
                    "remind_at": created + timedelta(days=3) if n < NOTE_PINGS else None,
                    "created_at": created,
                }
            )
        self.note_tags = [
            (n, tag) for n in range(NOTES) for tag in rng.sample(TAGS, rng.randrange(0, 3))
        ]
        self.sale_client = [rng.randrange(CLIENTS) for _ in range(SALES)]
        self.sales = [
            {
                "amount_minor": rng.randrange(1_000_00, 500_000_00),
                "currency": "RUB",
                "product_line": rng.choice([*LINES, None]),
                "sold_at": (sold := _moment(rng, 730)),
                "created_at": sold,
            }
            for _ in range(SALES)
        ]
        self.request_client = [rng.randrange(CLIENTS) for _ in range(REQUESTS)]
        self.requests = []
        for r in range(REQUESTS):
            opened = _moment(rng, 365)
            self.requests.append(
                {
                    "text": f"обращение {r}: {rng.choice(WORDS)}",
                    "opened_at": opened,
                    "first_response_at": opened + timedelta(hours=2) if r % 4 else None,
                    "resolved_at": opened + timedelta(days=1) if r % 3 else None,
                    "feedback": "спасибо" if r % 5 == 0 else None,
                    "created_at": opened,
                }
            )
        self.review_request = [r * 2 if r % 2 == 0 else None for r in range(REVIEWS)]
        self.review_client = [
            self.request_client[q] if q is not None else rng.randrange(CLIENTS)
            for q in self.review_request
        ]
        self.reviews = [
            {
                "is_positive": r % 4 != 0,
                "text": "всё хорошо" if r % 3 else None,
                "created_at": _moment(rng, 365),
            }
            for r in range(REVIEWS)
        ]
        self.plans = [
            {
                "client": None,
                "period_kind": PeriodKind.MONTH,
                "period_start": date(2026, m, 1),
                "amount_minor": 10_000_000_00,
            }
            for m in range(1, 13)
        ] + [
            {
                "client": ci,
                "period_kind": PeriodKind.QUARTER,
                "period_start": date(2026, 10, 1),
                "amount_minor": 1_000_000_00,
            }
            for ci in range(0, 50, 10)
        ]
        self.rng = rng

    def reminders(
        self,
        manager_id: int,
        client_ids: list[int],
        contact_ids: list[int],
        touch_ids: list[int],
        note_ids: list[int],
    ) -> list[dict[str, Any]]:
        """~3,000 reminders with the keys the planners write (needs the ids, so built late)."""
        rng = random.Random(71)
        rows: list[dict[str, Any]] = []

        def add(kind: ReminderKind, due: datetime, key: str, **ids: int | None) -> None:
            past = due <= NOW
            state = rng.choice(PAST_STATES if past else FUTURE_STATES)
            if past and rng.random() < 0.1:
                state = rng.choice([ReminderState.PENDING, ReminderState.FAILED])
            rows.append(
                {
                    "manager_id": manager_id,
                    "kind": kind,
                    "client_id": ids.get("client_id"),
                    "contact_id": ids.get("contact_id"),
                    "interaction_id": ids.get("interaction_id"),
                    "note_id": ids.get("note_id"),
                    "due_at": due,
                    "state": state,
                    "attempts": 1 if state == ReminderState.SENT else 0,
                    "dedupe_key": key,
                    "sent_at": due if state in (ReminderState.SENT, ReminderState.DONE) else None,
                    "payload": {"snoozed": True} if state == ReminderState.SNOOZED else None,
                    "created_at": due - timedelta(days=1),
                    "updated_at": due,
                }
            )

        for t in self.open_steps[-FOLLOWUPS:]:
            tid = touch_ids[t]
            add(
                ReminderKind.FOLLOWUP,
                self.touches[t]["next_step_due_at"],
                f"followup:{tid}",
                client_id=client_ids[self.touch_client[t]],
                interaction_id=tid,
            )
        for n in range(NOTE_PINGS):
            nid = note_ids[n]
            ci, pi = self.note_client[n], self.note_contact[n]
            add(
                ReminderKind.NOTE,
                self.notes[n]["remind_at"],
                f"note:{nid}",
                client_id=client_ids[ci] if ci is not None else None,
                contact_id=contact_ids[pi] if pi is not None else None,
                note_id=nid,
            )
        for c in range(CHECKINS):
            cid = client_ids[c * (CLIENTS // CHECKINS)]
            day = (NOW + timedelta(days=rng.randint(-40, 20))).date()
            due = datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC)
            add(ReminderKind.CHECKIN, due, f"checkin:{cid}:{day.isoformat()}", client_id=cid)
        with_birthday = [k for k, p in enumerate(self.contacts) if p["birth_day"]]
        for b in range(BIRTHDAYS):
            k = with_birthday[b // 2]
            kind = "ahead" if b % 2 == 0 else "day"
            p = self.contacts[k]
            year = 2026 if b % 4 < 2 else 2025
            occurrence = date(year, p["birth_month"], p["birth_day"])
            due = datetime(year, p["birth_month"], p["birth_day"], 6, 0, tzinfo=UTC)
            if kind == "ahead":
                due -= timedelta(days=3)
            pid = contact_ids[k]
            add(
                ReminderKind.BIRTHDAY,
                due,
                birthday_dedupe_key(pid, kind, occurrence),
                client_id=None,
                contact_id=pid,
            )
        return rows


async def _ids(session: AsyncSession, model: type[Any], rows: list[dict[str, Any]]) -> list[int]:
    statement = (
        insert(model)
        .execution_options(render_nulls=True)
        .returning(model.id, sort_by_parameter_order=True)
    )
    return list(await session.scalars(statement, rows))


async def _plain(session: AsyncSession, model: type[Any], rows: list[dict[str, Any]]) -> None:
    await session.execute(insert(model).execution_options(render_nulls=True), rows)


async def bulk_insert(session: AsyncSession, base: Base, manager_id: int) -> int:
    """The baseline: every row by plain executemany INSERTs in one transaction; rows written."""
    m = manager_id
    client_ids = await _ids(session, Client, [{**c, "owner_id": m} for c in base.clients])
    await _plain(
        session, ClientTag, [{"client_id": client_ids[i], "tag": t} for i, t in base.client_tags]
    )
    contact_ids = await _ids(
        session,
        Contact,
        [
            {**p, "client_id": client_ids[ci]}
            for p, ci in zip(base.contacts, base.contact_client, strict=True)
        ],
    )
    touch_ids = await _ids(
        session,
        Interaction,
        [
            {
                **t,
                "client_id": client_ids[ci],
                "manager_id": m,
                "contact_id": contact_ids[pi] if pi is not None else None,
            }
            for t, ci, pi in zip(base.touches, base.touch_client, base.touch_contact, strict=True)
        ],
    )
    note_ids = await _ids(
        session,
        Note,
        [
            {
                **n,
                "manager_id": m,
                "client_id": client_ids[ci] if ci is not None else None,
                "contact_id": contact_ids[pi] if pi is not None else None,
            }
            for n, ci, pi in zip(base.notes, base.note_client, base.note_contact, strict=True)
        ],
    )
    await _plain(session, NoteTag, [{"note_id": note_ids[n], "tag": t} for n, t in base.note_tags])
    await _plain(
        session,
        Sale,
        [
            {**s, "client_id": client_ids[ci], "manager_id": m}
            for s, ci in zip(base.sales, base.sale_client, strict=True)
        ],
    )
    request_ids = await _ids(
        session,
        ClientRequest,
        [
            {**r, "client_id": client_ids[ci], "manager_id": m}
            for r, ci in zip(base.requests, base.request_client, strict=True)
        ],
    )
    await _plain(
        session,
        Review,
        [
            {
                **r,
                "client_id": client_ids[ci],
                "manager_id": m,
                "request_id": request_ids[q] if q is not None else None,
            }
            for r, ci, q in zip(base.reviews, base.review_client, base.review_request, strict=True)
        ],
    )
    await _plain(
        session,
        Plan,
        [
            {
                "manager_id": m,
                "client_id": client_ids[p["client"]] if p["client"] is not None else None,
                "period_kind": p["period_kind"],
                "period_start": p["period_start"],
                "amount_minor": p["amount_minor"],
                "currency": "RUB",
                "created_at": NOW,
                "updated_at": NOW,
            }
            for p in base.plans
        ],
    )
    reminders = base.reminders(m, client_ids, contact_ids, touch_ids, note_ids)
    await _plain(session, Reminder, reminders)
    await session.commit()
    return (
        len(client_ids)
        + len(base.client_tags)
        + len(contact_ids)
        + len(touch_ids)
        + len(note_ids)
        + len(base.note_tags)
        + len(base.sales)
        + len(request_ids)
        + len(base.reviews)
        + len(base.plans)
        + len(reminders)
    )


# --- measuring --------------------------------------------------------------------------------


async def _new_manager(pool: async_sessionmaker[AsyncSession], telegram_id: int) -> int:
    async with pool() as session:
        manager = Manager(telegram_id=telegram_id, full_name=f"Bench {telegram_id}")
        session.add(manager)
        await session.commit()
        return manager.id


async def _row_counts(pool: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with pool() as session:
        return {
            model.__tablename__: int(
                await session.scalar(select(func.count()).select_from(model)) or 0
            )
            for model in MODELS
        }


async def _restore(
    pool: async_sessionmaker[AsyncSession],
    manager_id: int,
    data: ExportData,
    write: bool,
    steps: dict[str, float] | None = None,
) -> restore.RestoreReport:
    """One restore in its own session; ``steps`` gets each step's seconds ("check" is the
    validation before the first step; "reminders" includes the clocks, undo entry and commit)."""
    marks: list[tuple[str, float]] = [("check", time.perf_counter())]

    async def progress(step: str) -> None:
        marks.append((step, time.perf_counter()))

    async with pool() as session:
        manager = await session.get(Manager, manager_id)
        assert manager is not None
        report = await restore.run(session, manager, data, NOW, write=write, progress=progress)
    marks.append(("end", time.perf_counter()))
    if steps is not None:
        for (name, start), (_, end) in itertools.pairwise(marks):
            steps[name] = end - start
    return report


async def _clocks(pool: async_sessionmaker[AsyncSession], manager_id: int) -> list[Any]:
    async with pool() as session:
        rows = await session.execute(
            select(Client.name, Client.last_touch_at, Client.next_checkin_at)
            .where(Client.owner_id == manager_id)
            .order_by(Client.name, Client.id)
        )
        return [tuple(r) for r in rows]


def _steps(steps: dict[str, float]) -> str:
    return ", ".join(f"{name} {seconds:.2f}" for name, seconds in steps.items())


def _counts(report: restore.RestoreReport) -> str:
    return ", ".join(f"{k} {c.new}+{c.present}" for k, c in report.counts.items())


async def bench(pg: bool, profile: bool) -> None:
    print(f"=== {'PostgreSQL (kambot_h4)' if pg else 'SQLite'}, {CLIENTS:,} clients ===")
    base = Base()
    async with fresh_database(PG_URL if pg else None, "restore") as engine:
        pool = create_session_pool(engine)
        source = await _new_manager(pool, 1)

        start, cpu = time.perf_counter(), time.process_time()
        async with pool() as session:
            written = await bulk_insert(session, base, source)
        baseline, baseline_cpu = time.perf_counter() - start, time.process_time() - cpu
        print(
            f"bulk insert baseline:   {baseline:7.2f} s  ({written:,} rows; "
            f"Python CPU {baseline_cpu:.2f} s)"
        )

        start = time.perf_counter()
        async with pool() as session:
            manager = await session.get(Manager, source)
            assert manager is not None
            data = await collect_full_export(session, manager)
        collect = time.perf_counter() - start
        print(f"export collect:         {collect:7.2f} s")
        in_file = restore.kinds_in(data)
        print("  rows: " + ", ".join(f"{k} {v:,}" for k, v in in_file.items()))

        start = time.perf_counter()
        content = bundle_json.dump(data, NOW)
        dump = time.perf_counter() - start
        zipped = len(zlib.compress(content, 6))
        # What the indentation costs against the 64 MB limit.
        compact = len(
            json.dumps(json.loads(content), ensure_ascii=False, separators=(",", ":")).encode()
        )
        mb = 1024 * 1024
        print(
            f"JSON dump:              {dump:7.2f} s  {len(content) / mb:6.1f} MB, "
            f"zlib-6 {zipped / mb:5.1f} MB (limit {bundle_json.MAX_JSON_BYTES // mb} MB); "
            f"without indentation {compact / mb:.1f} MB"
        )
        del data

        if len(content) > bundle_json.MAX_JSON_BYTES:
            print("  over the restore's size limit: /import would refuse this file; stopping")
            return
        start = time.perf_counter()
        loaded = bundle_json.load(content)
        load = time.perf_counter() - start
        print(f"JSON load:              {load:7.2f} s")

        target = await _new_manager(pool, 2)
        start = time.perf_counter()
        preview_steps: dict[str, float] = {}
        preview = await _restore(pool, target, loaded, write=False, steps=preview_steps)
        previewed = time.perf_counter() - start
        print(f"restore preview:        {previewed:7.2f} s  new {preview.total_new:,}")
        print(f"  steps: {_steps(preview_steps)}")

        before = await _row_counts(pool)
        profiler = cProfile.Profile() if profile else None
        start, cpu = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.enable()
        write_steps: dict[str, float] = {}
        report = await _restore(pool, target, loaded, write=True, steps=write_steps)
        if profiler is not None:
            profiler.disable()
        wrote, wrote_cpu = time.perf_counter() - start, time.process_time() - cpu
        after = await _row_counts(pool)
        added = sum(after.values()) - sum(before.values())
        print(f"restore write:          {wrote:7.2f} s  new {report.total_new:,}, {added:,} rows")
        print(f"  Python CPU {wrote_cpu:.2f} s")
        print(f"  steps: {_steps(write_steps)}")
        print(f"  {_counts(report)}; past reminders cancelled {report.reminders_past}")
        assert report.total_new == preview.total_new, "the preview promised other counts"
        assert report.counts["clients"].new == CLIENTS
        assert report.counts["touches"].new == TOUCHES
        assert await _clocks(pool, target) == await _clocks(pool, source), "clocks moved"

        start, cpu = time.perf_counter(), time.process_time()
        again_steps: dict[str, float] = {}
        again = await _restore(pool, target, loaded, write=True, steps=again_steps)
        second, second_cpu = time.perf_counter() - start, time.process_time() - cpu
        final = await _row_counts(pool)
        assert again.total_new == 0, _counts(again)
        assert final == after, (after, final)
        print(
            f"restore again (no-op):  {second:7.2f} s  new {again.total_new}, 0 rows; "
            f"Python CPU {second_cpu:.2f} s"
        )
        print(f"  steps: {_steps(again_steps)}")

        print(f"ratio restore write / baseline: {wrote / baseline:5.2f}")
        print(f"ratio restore again / baseline: {second / baseline:5.2f}")
        print(
            "ratio by Python CPU (less noise on a busy machine; on PostgreSQL the server's "
            f"work is not in it): write {wrote_cpu / baseline_cpu:.2f}, "
            f"again {second_cpu / baseline_cpu:.2f}"
        )

        # Memory in its own pass: tracing slows Python several times over.
        del loaded
        third = await _new_manager(pool, 3)
        tracemalloc.start()
        loaded = bundle_json.load(content)
        await _restore(pool, third, loaded, write=False)
        await _restore(pool, third, loaded, write=True)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"peak Python memory, load + preview + restore: {peak / mb:6.1f} MB "
            f"(file {len(content) / mb:.1f} MB)"
        )

        if profiler is not None:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
            print(out.getvalue())


def _scale(factor: float) -> None:
    global CLIENTS, CONTACTS, TOUCHES, NOTES, SALES, REQUESTS, REVIEWS
    global FOLLOWUPS, NOTE_PINGS, CHECKINS, BIRTHDAYS
    CLIENTS, CONTACTS, TOUCHES, NOTES = (
        round(n * factor) for n in (10_000, 12_000, 60_000, 10_000)
    )
    SALES, REQUESTS, REVIEWS = (round(n * factor) for n in (15_000, 2_000, 1_000))
    FOLLOWUPS, NOTE_PINGS, CHECKINS, BIRTHDAYS = (
        round(n * factor) for n in (1_000, 500, 1_000, 500)
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", action="store_true", help="PostgreSQL, database kambot_h4")
    parser.add_argument("--profile", action="store_true", help="cProfile the restore write")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="every count times this (linearity check)"
    )
    args = parser.parse_args()
    _scale(args.scale)
    await bench(args.pg, args.profile)


if __name__ == "__main__":
    asyncio.run(main())
