"""P2 (issue 5), printed figures: one scheduler tick (plan + deliver, nothing to send) on a base
of 1,000,000 clients and 1,000,000 contacts vs 10,000 clients and 10,000 contacts, with the same
due work in both, in the same run. Goal: ratio <= 1.5 — a tick costs what is due, not what is
stored.

Both bases have the same shape: 100 clients per manager (100 managers for the small base, 10,000
for the large one), one contact per client, and one old check-in reminder already sent per
client (the history a year of use leaves behind, which the deliverer must not scan). Managers
live in five Russian time zones; the clock is Saturday 2026-11-28 00:05 UTC, when the Far East's
digests of the day are already out (their rows are in the base as sent) and nobody else's is
due yet. Every client's next check-in is 2 to 30 days away and every birthday is outside the
planner's window, except the same handful in both bases: DUE clients with a check-in due in 12 h
and DUE contacts with a birthday in 5 days. The planner reads them and plans their rows on every
tick; none of those is due yet, so the sender is never called (asserted).

Both bases are filled first (SQLite: one executemany transaction per file; PostgreSQL: COPY into
one schema each of `kambot_bench`; indexes built after the load from the migrations' own
definitions), then ticked alternately, a minute of each base's clock apart, so that a busy
machine slows both alike: 3 warm-up ticks each, then the median of the measured ticks.

Run: .venv/bin/python -m bench.bench_tick [--large 1000000] [--small 10000] [--ticks 15]
     [--db sqlite|postgres|both]
PostgreSQL: its own database `kambot_bench` (created if missing), never `test`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import Index, create_engine, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.scheduler import tick
from bot.services.clock import FrozenClock
from bot.services.schedule.delivery import Ping
from bot.services.schedule.reminders import birthday_days
from bot.services.schedule.schedule_rules import local_moment
from storage.db import create_engine as create_app_engine
from storage.db import create_session_pool
from storage.migrate import upgrade
from storage.models import Base

NOW = datetime(2026, 11, 28, 0, 5, tzinfo=UTC)  # Saturday, 03:05 in Moscow
PER_MANAGER = 100
DUE = 20  # check-ins due within the planner's horizon, and birthdays in the lead window
GOAL = 1.5
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgresql://postgres@127.0.0.1:5432/kambot_bench"
PG_SCHEMAS = ("p2_small", "p2_large")
# Where Russian sales teams are, roughly weighted; digest times as people set them.
ZONES = [
    ("Europe/Kaliningrad", 5),
    ("Europe/Moscow", 60),
    ("Asia/Yekaterinburg", 15),
    ("Asia/Novosibirsk", 10),
    ("Asia/Vladivostok", 10),
]
DIGEST_TIMES = [(clock_time(9), 70), (clock_time(8, 30), 15), (clock_time(10), 15)]
BULK_TABLES = ("clients", "contacts", "reminders")
CHUNK = 50_000


class RecordingSender:
    """Stands in for Telegram: a tick with nothing due must not call it at all."""

    def __init__(self) -> None:
        self.pings: list[Ping] = []

    async def __call__(self, ping: Ping) -> int:
        self.pings.append(ping)
        return len(self.pings)


# ------------------------------------------------------------------ the base, as plain rows


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def manager_rows(count: int, rng: random.Random) -> list[dict[str, Any]]:
    return [
        {
            "id": i + 1,
            "telegram_id": 1_000_000 + i,
            "role": "manager",
            "full_name": f"Manager {i}",
            "language": "ru",
            "timezone": _pick(rng, ZONES),
            "work_mode": "b2b",
            "currency": "RUB",
            "digest_time": _pick(rng, DIGEST_TIMES),
            "quiet_start": clock_time(21),
            "quiet_end": clock_time(8),
            "birthday_lead_days": 3,
            "cadence_key_days": 7,
            "cadence_regular_days": 30,
            "onboarded_at": NOW - timedelta(days=400),
            "is_active": True,
            "in_sandbox": False,
            "created_at": NOW - timedelta(days=400),
            "updated_at": NOW - timedelta(days=400),
        }
        for i in range(count)
    ]


def _quiet_days() -> set[tuple[int, int]]:
    """(month, day) pairs the planner looks at today: the base's birthdays avoid them."""
    return set(birthday_days(NOW)) | {
        ((NOW + timedelta(days=d)).month, (NOW + timedelta(days=d)).day) for d in range(-3, 20)
    }


def client_rows(clients: int, managers: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    # The same DUE clients (ids 1..DUE) are due in both bases; the rest 2 to 30 days from now.
    for i in range(clients):
        if i < DUE:
            next_checkin = NOW + timedelta(hours=12)
        else:
            next_checkin = NOW + timedelta(days=2, seconds=rng.randrange(28 * 86_400))
        yield {
            "id": i + 1,
            "owner_id": i // PER_MANAGER % managers + 1,
            "name": f"Клиент {i}",
            "name_norm": f"клиент {i}",
            "segment": "b2b",
            "tier": "key" if i % 10 == 0 else "regular",
            "status": "active",
            "is_demo": False,
            "last_touch_at": next_checkin - timedelta(days=30),
            "next_checkin_at": next_checkin,
            "created_at": NOW - timedelta(days=300),
            "updated_at": NOW - timedelta(days=30),
        }


def contact_rows(contacts: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    quiet = _quiet_days()
    year = [d for d in _days_of(2024) if (d.month, d.day) not in quiet]
    birthday = NOW.date() + timedelta(days=5)
    for i in range(contacts):
        day = birthday if i < DUE else rng.choice(year)
        yield {
            "id": i + 1,
            "client_id": i + 1,
            "name": f"Контакт {i}",
            "name_norm": f"контакт {i}",
            "birth_day": day.day,
            "birth_month": day.month,
            "birth_year": 1970 + i % 30,
            "created_at": NOW - timedelta(days=300),
            "updated_at": NOW - timedelta(days=300),
        }


def _days_of(year: int) -> list[date]:
    return [date(year, 1, 1) + timedelta(days=d) for d in range(366)]


def history_rows(clients: int, managers: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    """A sent check-in per client from the last months, and today's Far East digests (sent)."""
    for i in range(clients):
        sent = NOW - timedelta(days=2 + rng.randrange(120), hours=rng.randrange(24))
        yield _reminder(
            i + 1, i // PER_MANAGER % managers + 1, "checkin", sent, f"checkin:{i + 1}:{sent:%F}"
        )


def digest_rows(managers: list[dict[str, Any]], first_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for m in managers:
        today = NOW.astimezone(ZoneInfo(m["timezone"])).date()
        due = local_moment(today, m["digest_time"], m["timezone"])
        if due <= NOW:  # already went out this (local) morning
            key = f"digest:{m['id']}:{today.isoformat()}"
            rows.append(_reminder(None, m["id"], "digest", due, key, first_id + len(rows)))
    return rows


def _reminder(
    client_id: int | None, manager_id: int, kind: str, due: datetime, key: str, rid: int = 0
) -> dict[str, Any]:
    return {
        "id": rid or client_id,
        "manager_id": manager_id,
        "kind": kind,
        "client_id": client_id,
        "due_at": due,
        "state": "sent",
        "attempts": 0,
        "dedupe_key": key,
        "sent_at": due,
        "chat_message_id": 1,
        "created_at": due - timedelta(days=1),
        "updated_at": due,
    }


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class Base_:
    managers: list[dict[str, Any]]
    clients: int

    def tables(self, rng: random.Random) -> list[tuple[str, Iterator[list[dict[str, Any]]]]]:
        n = len(self.managers)
        digests = digest_rows(self.managers, first_id=self.clients + 1)
        return [
            ("managers", iter([self.managers])),
            ("clients", _chunks(client_rows(self.clients, n, rng))),
            ("contacts", _chunks(contact_rows(self.clients, rng))),
            ("reminders", _chunks(history_rows(self.clients, n, rng))),
            ("reminders", iter([digests])),
        ]


def _indexes() -> list[Index]:
    return [ix for name in BULK_TABLES for ix in Base.metadata.tables[name].indexes]


# ------------------------------------------------------------------ filling


def _sqlite_value(value: Any) -> Any:
    """What SQLAlchemy's SQLite types store, written directly: its per-value bind processing
    was 80% of the fill time. Datetimes as naive UTC text, times as text, booleans as 0/1."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]
    if isinstance(value, clock_time):
        return value.isoformat("microseconds")
    if isinstance(value, bool):
        return int(value)
    return value


def fill_sqlite(path: Path, base: Base_, rng: random.Random) -> None:
    """One transaction of executemany inserts; the migrations' indexes are dropped for the
    load and built again from the same definitions afterwards (faster than maintaining them)."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        for ix in _indexes():
            ix.drop(conn)
        cursor = conn.connection.cursor()
        for name, chunks in base.tables(rng):
            for chunk in chunks:
                if not chunk:
                    continue
                columns = list(chunk[0])
                cursor.executemany(
                    f"INSERT INTO {name} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})",
                    [tuple(_sqlite_value(r[c]) for c in columns) for r in chunk],
                )
        for ix in _indexes():
            ix.create(conn)
    engine.dispose()


async def fill_postgres(schema: str, base: Base_, rng: random.Random) -> None:
    """COPY per table through asyncpg; indexes dropped for the load and built again from the
    migrations' definitions; ANALYZE, as autovacuum does shortly after a bulk load."""
    conn = await asyncpg.connect(PG_BENCH)
    try:
        for ix in _indexes():
            await conn.execute(f'DROP INDEX "{schema}"."{ix.name}"')
        for name, chunks in base.tables(rng):
            for chunk in chunks:
                if not chunk:
                    continue
                columns = list(chunk[0])
                await conn.copy_records_to_table(
                    name,
                    records=[tuple(r[c] for c in columns) for r in chunk],
                    columns=columns,
                    schema_name=schema,
                )
        for name in ("managers", *BULK_TABLES):
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{schema}.{name}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {schema}.{name}))"
            )
    finally:
        await conn.close()
    engine = postgres_engine(schema)
    async with engine.begin() as aconn:
        for ix in _indexes():
            await aconn.run_sync(ix.create)
    await engine.dispose()
    conn = await asyncpg.connect(PG_BENCH)
    try:
        for name in ("managers", *BULK_TABLES):
            await conn.execute(f"ANALYZE {schema}.{name}")
    finally:
        await conn.close()


def postgres_engine(schema: str) -> AsyncEngine:
    """The app's PostgreSQL engine settings, on one schema of the bench database."""
    return create_async_engine(
        PG_BENCH.replace("postgresql://", "postgresql+asyncpg://"),
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        connect_args={"server_settings": {"search_path": schema}},
    )


async def fresh_postgres(schema: str) -> None:
    """Both bases live side by side in `kambot_bench`, one schema each, migrated from scratch."""
    admin = await asyncpg.connect(PG_ADMIN)
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = 'kambot_bench'"):
            await admin.execute("CREATE DATABASE kambot_bench")
    finally:
        await admin.close()
    conn = await asyncpg.connect(PG_BENCH)
    try:
        await conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    finally:
        await conn.close()
    engine = postgres_engine(schema)
    await upgrade(engine)
    await engine.dispose()


# ------------------------------------------------------------------ measuring


@dataclass
class Result:
    clients: int
    managers: int
    fill_s: float
    ticks_ms: list[float]
    planned: int

    @property
    def tick_ms(self) -> float:
        return statistics.median(self.ticks_ms)


class Ticker:
    """One base's scheduler tick, a minute of its own clock apart each time."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.pool = create_session_pool(engine)
        self.sender = RecordingSender()
        self.clock = FrozenClock(NOW)
        self.samples: list[float] = []

    async def tick(self, keep: bool) -> None:
        started = time.perf_counter()
        await tick(self.pool, self.sender, self.clock)
        if keep:
            self.samples.append((time.perf_counter() - started) * 1000)
        self.clock.advance(timedelta(minutes=1))

    async def planned(self) -> int:
        assert not self.sender.pings, f"nothing was due, yet {len(self.sender.pings)} pings went"
        async with self.engine.connect() as conn:
            count = await conn.scalar(
                text("SELECT count(*) FROM reminders WHERE state = 'pending'")
            )
        return int(count or 0)


async def measure(
    small: Ticker,
    large: Ticker,
    ticks: int,
    after_warmup: Callable[[], Awaitable[None]] | None = None,
    warmup: int = 3,
) -> None:
    """Ticks alternate between the bases, so a busy machine slows both alike."""
    for i in range(warmup + ticks):
        if i == warmup and after_warmup is not None:
            await after_warmup()
        for ticker in (small, large) if i % 2 else (large, small):
            await ticker.tick(keep=i >= warmup)


async def vacuum_managers() -> None:
    """The warm-up's first tick sets every manager's next digest moment (10,000 updates in the
    large base). Autovacuum vacuums and analyzes such a table within its next round (a minute);
    the bench does it at once instead of waiting. Before, the planner saw stale statistics
    (every next_digest_at NULL) and dead index entries."""
    conn = await asyncpg.connect(PG_BENCH)
    try:
        for schema in PG_SCHEMAS:
            await conn.execute(f"VACUUM ANALYZE {schema}.managers")
    finally:
        await conn.close()


async def run_sqlite(small: Base_, large: Base_, ticks: int) -> tuple[Result, Result]:
    folder = Path(tempfile.mkdtemp(prefix="kambot-p2-"))
    fills, engines = [], []
    try:
        for seed, base in enumerate((small, large), start=1):
            path = folder / f"{seed}.db"
            engine = create_app_engine(f"sqlite+aiosqlite:///{path}")
            await upgrade(engine)
            await engine.dispose()
            started = time.perf_counter()
            await asyncio.to_thread(fill_sqlite, path, base, random.Random(seed))
            fills.append(time.perf_counter() - started)
            engines.append(create_app_engine(f"sqlite+aiosqlite:///{path}"))
        return await _measure(small, large, fills, engines, ticks)
    finally:
        for engine in engines:
            await engine.dispose()
        await asyncio.to_thread(shutil.rmtree, folder)


async def run_postgres(small: Base_, large: Base_, ticks: int) -> tuple[Result, Result]:
    fills, engines = [], []
    try:
        for seed, (schema, base) in enumerate(zip(PG_SCHEMAS, (small, large), strict=True), 1):
            await fresh_postgres(schema)
            started = time.perf_counter()
            await fill_postgres(schema, base, random.Random(seed))
            fills.append(time.perf_counter() - started)
            engines.append(postgres_engine(schema))
        return await _measure(small, large, fills, engines, ticks, vacuum_managers)
    finally:
        for engine in engines:
            await engine.dispose()


async def _measure(
    small: Base_,
    large: Base_,
    fills: list[float],
    engines: list[AsyncEngine],
    ticks: int,
    after_warmup: Callable[[], Awaitable[None]] | None = None,
) -> tuple[Result, Result]:
    tickers = Ticker(engines[0]), Ticker(engines[1])
    await measure(*tickers, ticks, after_warmup)
    results = [
        Result(base.clients, len(base.managers), fill, ticker.samples, await ticker.planned())
        for base, fill, ticker in zip((small, large), fills, tickers, strict=True)
    ]
    return results[0], results[1]


def _print(db: str, small: Result, large: Result) -> bool:
    ratio = large.tick_ms / small.tick_ms
    ok = ratio <= GOAL
    print(f"P2 on {db}: one tick (plan + deliver, nothing to send), median of the measured ticks")
    for r in (small, large):
        print(
            f"  {r.clients:>9,} clients / {r.clients:>9,} contacts / {r.managers:>6,} managers: "
            f"fill {r.fill_s:6.1f} s, tick median {r.tick_ms:7.2f} ms "
            f"(min {min(r.ticks_ms):.2f}, max {max(r.ticks_ms):.2f}), "
            f"pending rows planned {r.planned}"
        )
    print(f"  ratio {ratio:.2f} (goal <= {GOAL}): {'PASS' if ok else 'FAIL'}")
    return ok


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(5)
    small_managers = manager_rows(args.small // PER_MANAGER, rng)
    large_managers = manager_rows(args.large // PER_MANAGER, rng)
    small, large = Base_(small_managers, args.small), Base_(large_managers, args.large)
    print(f"due in both bases: {DUE} check-ins within 24 h, {DUE} birthdays in 5 days")
    verdicts = []
    if args.db in ("sqlite", "both"):
        verdicts.append(_print("SQLite", *await run_sqlite(small, large, args.ticks)))
    if args.db in ("postgres", "both"):
        verdicts.append(_print("PostgreSQL 15", *await run_postgres(small, large, args.ticks)))
    print("P2:", "PASS" if all(verdicts) else "FAIL")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--ticks", type=int, default=15)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
