"""Issue 6 benchmark P4, printed figures (not a pass/fail test).

1. P4: /kpi (build_kpi + the reply text) for a B2B manager with 100 clients and three years of
   history (50,000 touches, 20,000 sales) vs the same kind of manager with one month of history
   (the same density: ~1,370 touches, ~550 sales), both in the same database, same run.
   Goal: median ratio <= 3. The chart's data queries and the PNG rendering are measured too.
2. Team: the KPI of 100 managers (100 clients each, a year of history at the same density),
   computed one after another, one session each as the bot would: total and per manager.

Both managers of P4 live in one database so that they share its size and its caches: the only
difference is how much history lies behind the period asked for.

Run: .venv/bin/python -m bench.bench_kpi [--runs 30] [--team 100] [--team-days 365]
     [--pg]   (PostgreSQL, only in the own database kambot_bench, recreated for the run)
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, insert, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.common import fresh_database, median_ms, p95_ms
from bot.i18n import translator
from bot.services.kpi import build_kpi
from bot.services.kpi.chart_data import chart_data
from bot.services.kpi.charts import chart_labels, render_png
from handlers.selling.kpi_views import kpi_text
from storage.db import create_session_pool
from storage.enums import Channel, ClientStatus, Outcome, PeriodKind, Tier
from storage.models import Client, Interaction, Manager, Plan, Sale

# Saturday 28 November 2026, 09:00 in Moscow: the flow tests' clock.
NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
ZONE = "Europe/Moscow"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/kambot_bench"
CLIENTS = 100
YEARS3_DAYS = 3 * 365
TOUCHES_3Y, SALES_3Y = 50_000, 20_000
MONTH_DAYS = 30
LINES = ["кабель", "провод", "щиты", "автоматы", "светильники", "монтаж"]
SUMMARIES = ["обсудили поставку", "КП в пятницу", "уточнили сроки", "отправил прайс", "встреча"]
CHUNK = 5_000
WARM_UP = 3
GOAL_RATIO = 3.0


@dataclass(frozen=True)
class History:
    days: int
    touches: int
    sales: int

    @staticmethod
    def at_p4_density(days: int) -> History:
        return History(
            days, round(TOUCHES_3Y * days / YEARS3_DAYS), round(SALES_3Y * days / YEARS3_DAYS)
        )


# --- data ------------------------------------------------------------------------------------
def _working_moments(rng: random.Random, days: int, k: int) -> list[datetime]:
    """k moments in the last `days` days before today, between 9 and 19 Moscow time, on
    weekdays ten times as often as on weekends."""
    zone = ZoneInfo(ZONE)
    today = NOW.astimezone(zone).date()
    starts, weights = [], []
    for back in range(1, days + 1):
        day = today - timedelta(days=back)
        starts.append(datetime(day.year, day.month, day.day, 9, tzinfo=zone).astimezone(UTC))
        weights.append(1.0 if day.weekday() < 5 else 0.1)
    picked = rng.choices(starts, weights, k=k)
    return [start + timedelta(seconds=rng.randrange(10 * 3600)) for start in picked]


async def _bulk(session: AsyncSession, model: type[Any], rows: list[dict[str, Any]]) -> None:
    # The Core table, not the ORM class: one DBAPI executemany per chunk, where the ORM's bulk
    # path splits the rows by which columns are NULL and ran thousands of statements.
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(model.__table__), rows[start : start + CHUNK])


async def seed_manager(
    pool: async_sessionmaker[AsyncSession], telegram_id: int, history: History, seed: int
) -> Manager:
    """A B2B manager with 100 clients, `history` of touches and sales and plans for now."""
    rng = random.Random(seed)
    async with pool() as session:
        manager = Manager(telegram_id=telegram_id, full_name=f"Bench {telegram_id}", timezone=ZONE)
        session.add(manager)
        await session.flush()
        statuses = [ClientStatus.ACTIVE] * 90 + [ClientStatus.PAUSED] * 7 + [ClientStatus.LOST] * 3
        clients = [
            {
                "owner_id": manager.id,
                "name": f"ООО Клиент {telegram_id}-{i}",
                "name_norm": f"клиент {telegram_id}-{i}",
                "segment": "b2b",
                "tier": Tier.KEY if i < 10 else Tier.REGULAR,
                "status": statuses[i],
                "is_demo": False,
                "created_at": NOW - timedelta(days=history.days + 1),
                "updated_at": NOW,
            }
            for i in range(CLIENTS)
        ]
        ids = list(await session.scalars(insert(Client).returning(Client.id), clients))
        # A few clients take most of the business, as in any real base.
        weights = [1 / (rank + 1) ** 0.8 for rank in range(CLIENTS)]
        preferred = {cid: rng.sample(LINES, 3) for cid in ids}
        size = {cid: rng.lognormvariate(8.0, 0.8) for cid in ids}  # ~3,000 ₽ median check

        touches = []
        last_touch: dict[int, datetime] = {}
        touch_clients = rng.choices(ids, weights, k=history.touches)
        touch_times = _working_moments(rng, history.days, history.touches)
        for client_id, at in zip(touch_clients, touch_times, strict=True):
            last_touch[client_id] = max(at, last_touch.get(client_id, at))
            promised = rng.random() < 0.3
            touches.append(
                {
                    "client_id": client_id,
                    "manager_id": manager.id,
                    "kind": rng.choice(list(Channel)),
                    "occurred_at": at,
                    "outcome": rng.choice(list(Outcome)),
                    "summary": rng.choice(SUMMARIES),
                    "next_step": "перезвонить" if promised else None,
                    "next_step_due_at": at + timedelta(days=3) if promised else None,
                    "next_step_has_time": False,
                    "next_step_done_at": at + timedelta(days=2) if promised else None,
                    "created_at": at,
                }
            )
        sales = []
        sale_clients = rng.choices(ids, weights, k=history.sales)
        sale_times = _working_moments(rng, history.days, history.sales)
        for client_id, at in zip(sale_clients, sale_times, strict=True):
            line = rng.choice(preferred[client_id]) if rng.random() < 0.9 else rng.choice(LINES)
            sales.append(
                {
                    "client_id": client_id,
                    "manager_id": manager.id,
                    "amount_minor": max(100, round(size[client_id] * rng.uniform(0.5, 1.5)) * 100),
                    "currency": "RUB",
                    "product_line": line,
                    "sold_at": at,
                    "created_at": at,
                }
            )
        await _bulk(session, Interaction, touches)
        await _bulk(session, Sale, sales)
        # The denormalized columns the KPI reads, as the touch service keeps them.
        for i, client_id in enumerate(ids):
            last = last_touch.get(client_id)
            if last is None or statuses[i] is not ClientStatus.ACTIVE:
                continue
            cadence = 7 if i < 10 else 30
            await session.execute(
                update(Client)
                .where(Client.id == client_id)
                .values(last_touch_at=last, next_checkin_at=last + timedelta(days=cadence))
            )
        for kind, start, amount in [
            (PeriodKind.MONTH, date(2026, 11, 1), 3_000_000),
            (PeriodKind.QUARTER, date(2026, 10, 1), 9_000_000),
            (PeriodKind.YEAR, date(2026, 1, 1), 36_000_000),
        ]:
            session.add(
                Plan(
                    manager_id=manager.id,
                    period_kind=kind,
                    period_start=start,
                    amount_minor=amount * 100,
                )
            )
        await session.commit()
        return manager


# --- measuring -------------------------------------------------------------------------------
class StatementTimer:
    """Per-statement wall time, to find the query that grows with history."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.label = ""
        self._started: list[float] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self._before)
        event.listen(engine.sync_engine, "after_cursor_execute", self._after)

    def _before(self, *_args: Any) -> None:
        self._started.append(time.perf_counter())

    def _after(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        elapsed = time.perf_counter() - self._started.pop()
        if self.label:
            key = " ".join(statement.split())[:90]
            self.samples[f"{self.label}|{key}"].append(elapsed)

    @contextmanager
    def labelled(self, label: str) -> Iterator[None]:
        self.label = label
        try:
            yield
        finally:
            self.label = ""

    def report(self, a: str, b: str, top: int = 6) -> None:
        rows = []
        for key, samples in self.samples.items():
            label, statement = key.split("|", 1)
            if label != a:
                continue
            other = self.samples.get(f"{b}|{statement}", [])
            if other:
                rows.append((median_ms(samples), median_ms(other), statement))
        rows.sort(reverse=True)
        print(f"  slowest statements ({a} vs {b}, median ms):")
        for big, small, statement in rows[:top]:
            print(f"    {big:7.2f} {small:7.2f}  x{big / small:5.1f}  {statement}")


async def _samples(fn: Callable[[], Awaitable[Any]], runs: int) -> list[float]:
    for _ in range(WARM_UP):
        await fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        await fn()
        out.append(time.perf_counter() - start)
    return out


def _kpi_reply(
    pool: async_sessionmaker[AsyncSession], manager: Manager, kind: PeriodKind
) -> Callable[[], Awaitable[str]]:
    t = translator("ru")

    async def run() -> str:
        async with pool() as session:  # one session per update, as the middleware opens it
            report = await build_kpi(session, manager, kind, NOW)
        return kpi_text(t, report)

    return run


def _chart_data(
    pool: async_sessionmaker[AsyncSession], manager: Manager, kind: PeriodKind
) -> Callable[[], Awaitable[Any]]:
    async def run() -> Any:
        async with pool() as session:
            return await chart_data(session, manager, kind, NOW)

    return run


async def bench_p4(pg: bool, runs: int) -> None:
    async with fresh_database(PG_URL if pg else None, "kpi") as engine:
        await _p4(engine, pg, runs)


async def _p4(engine: AsyncEngine, pg: bool, runs: int) -> None:
    pool = create_session_pool(engine)
    three_years = History(YEARS3_DAYS, TOUCHES_3Y, SALES_3Y)
    month = History.at_p4_density(MONTH_DAYS)
    start = time.perf_counter()
    big = await seed_manager(pool, 1, three_years, seed=1)
    small = await seed_manager(pool, 2, month, seed=2)
    if pg:
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))
    print(
        f"seeded in {time.perf_counter() - start:.1f} s: 3 years = {three_years.touches} touches"
        f" + {three_years.sales} sales; 1 month = {month.touches} touches + {month.sales} sales"
    )
    timer = StatementTimer(engine)

    print(f"\nP4: /kpi month (build_kpi + reply text), {runs} runs each, interleaved")
    big_s: list[float] = []
    small_s: list[float] = []
    big_fn, small_fn = (
        _kpi_reply(pool, big, PeriodKind.MONTH),
        _kpi_reply(pool, small, PeriodKind.MONTH),
    )
    for fn in (big_fn, small_fn, big_fn, small_fn):  # warm-up
        await fn()
    for _ in range(runs):
        with timer.labelled("3y"):
            big_s.append(await _timed(big_fn))
        with timer.labelled("1m"):
            small_s.append(await _timed(small_fn))
    ratio = median_ms(big_s) / median_ms(small_s)
    print(f"  3 years: median {median_ms(big_s):7.2f} ms, p95 {p95_ms(big_s):7.2f} ms")
    print(f"  1 month: median {median_ms(small_s):7.2f} ms, p95 {p95_ms(small_s):7.2f} ms")
    verdict = "PASS" if ratio <= GOAL_RATIO else "FAIL"
    print(f"  ratio 3y/1m (median): {ratio:.2f}  (goal <= {GOAL_RATIO:g})  {verdict}")
    timer.report("3y", "1m")

    print("\n/kpi for the other periods (3 years vs 1 month, median ms):")
    for kind in (PeriodKind.WEEK, PeriodKind.QUARTER, PeriodKind.YEAR):
        b = await _samples(_kpi_reply(pool, big, kind), max(5, runs // 3))
        s = await _samples(_kpi_reply(pool, small, kind), max(5, runs // 3))
        _compare(kind.value, b, s)

    print("\nchart data (SQL by UTC hour, folded into local days), median ms:")
    for kind in PeriodKind:
        b = await _samples(_chart_data(pool, big, kind), max(5, runs // 3))
        s = await _samples(_chart_data(pool, small, kind), max(5, runs // 3))
        _compare(kind.value, b, s)

    print("\nchart PNG rendering (matplotlib Agg, 1080x1350), 3 years of data:")
    for kind in (PeriodKind.MONTH, PeriodKind.YEAR):
        data = await _chart_data(pool, big, kind)()
        labels = chart_labels(data, translator("ru"))
        render_png(data, labels)  # the first render pays for matplotlib's import and fonts
        times, cpu, size = [], [], 0
        for _ in range(5):
            start, start_cpu = time.perf_counter(), time.thread_time()
            size = len(render_png(data, labels))
            times.append(time.perf_counter() - start)
            cpu.append(time.thread_time() - start_cpu)
        # CPU time too: on a busy machine the wall time mostly measures the neighbours.
        print(
            f"  {kind.value:8} median {median_ms(times):5.0f} ms wall,"
            f" {median_ms(cpu):5.0f} ms CPU, {size / 1024:5.0f} KB"
        )


def _compare(name: str, big: list[float], small: list[float]) -> None:
    ratio = median_ms(big) / median_ms(small)
    print(f"  {name:8} {median_ms(big):7.2f} vs {median_ms(small):7.2f}  ratio {ratio:.2f}")


async def _timed(fn: Callable[[], Awaitable[Any]]) -> float:
    start = time.perf_counter()
    await fn()
    return time.perf_counter() - start


async def bench_team(pg: bool, managers: int, days: int) -> None:
    async with fresh_database(PG_URL if pg else None, "kpi") as engine:
        await _team(engine, pg, managers, days)


async def _team(engine: AsyncEngine, pg: bool, managers: int, days: int) -> None:
    pool = create_session_pool(engine)
    history = History.at_p4_density(days)
    start = time.perf_counter()
    team = [await seed_manager(pool, 100 + i, history, seed=100 + i) for i in range(managers)]
    if pg:
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))
    print(
        f"\nTeam: {managers} managers x {CLIENTS} clients, {days} days of history each "
        f"({history.touches} touches + {history.sales} sales), seeded in "
        f"{time.perf_counter() - start:.0f} s"
    )
    for manager in team[:3]:  # warm-up
        await _kpi_reply(pool, manager, PeriodKind.MONTH)()
    each = []
    start = time.perf_counter()
    for manager in team:
        each.append(await _timed(_kpi_reply(pool, manager, PeriodKind.MONTH)))
    total = time.perf_counter() - start
    print(f"  KPI of {managers} managers one after another: {total:.2f} s in total")
    mean = statistics.mean(each) * 1000
    print(
        f"  per manager: mean {mean:.1f} ms, median {median_ms(each):.1f} ms,"
        f" p95 {p95_ms(each):.1f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--team", type=int, default=100)
    parser.add_argument("--team-days", type=int, default=365)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL, database kambot_bench")
    args = parser.parse_args()
    print(f"backend: {'PostgreSQL (kambot_bench)' if args.pg else 'SQLite (temp file)'}")
    await bench_p4(args.pg, args.runs)
    if args.team:
        await bench_team(args.pg, args.team, args.team_days)


if __name__ == "__main__":
    asyncio.run(main())
