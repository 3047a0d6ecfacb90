"""Issue 14 benchmark: the Mini App's dashboard API, printed figures (not a pass/fail test).

A B2B manager with 100 clients and a year of history at bench_kpi's density (~16,700 touches,
~6,700 sales, seeded by bench_kpi.seed_manager), GET /app/api/dashboard for each period over a
real aiohttp server on loopback, signed initData in the Authorization header, one request at a
time: p50/p95 against the goal of 100 ms. The KPI engine alone (build_kpi in a session, the
same call the handler makes) is timed in the same run, so the API's own share — HTTP, initData,
the manager lookup, JSON — is the difference. Then the dashboard's further calls (the chart of
each period, a tapped day's sales, today's agenda), against the same goal.

Run: .venv/bin/python -m bench.bench_webapp_api [--runs 50] [--pg postgresql+asyncpg://...]
     (--pg: a PostgreSQL database of your own; its schema is dropped and recreated)
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from bench.bench_kpi import NOW, History, seed_manager
from bench.common import fresh_database, median_ms, p95_ms
from bot.services.clock import FrozenClock
from bot.services.kpi import build_kpi
from bot.webapp.api import setup_webapp
from storage.db import create_session_pool
from storage.enums import PeriodKind
from tests.webapp.signing import sign_init_data

TOKEN = "123456:BenchBotTokenAAAAAAAAAAAAAAAAAAAAAAAA"
TELEGRAM_ID = 7001
GOAL_MS = 100.0
WARM_UP = 3


async def _samples(fn: Callable[[], Awaitable[Any]], runs: int) -> list[float]:
    for _ in range(WARM_UP):
        await fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - start)
    return samples


async def bench(pg_url: str | None, runs: int) -> None:
    async with fresh_database(pg_url, "webapp") as engine:
        pool = create_session_pool(engine)
        history = History.at_p4_density(365)
        started = time.perf_counter()
        manager = await seed_manager(pool, TELEGRAM_ID, history, seed=14)
        print(
            f"{engine.dialect.name}: 100 clients, {history.touches:,} touches, "
            f"{history.sales:,} sales over {history.days} days "
            f"(seeded in {time.perf_counter() - started:.1f} s)"
        )
        app = web.Application()
        clock = FrozenClock(NOW)
        setup_webapp(
            app, session_pool=pool, clock=clock, bot_token=TOKEN, max_age=timedelta(hours=24)
        )
        headers = {"Authorization": "tma " + sign_init_data(TOKEN, TELEGRAM_ID, NOW)}
        async with TestServer(app, host="127.0.0.1") as server, ClientSession() as http:
            print(f"{'period':<8} {'API p50':>9} {'API p95':>9} {'engine p50':>11} {'goal':>7}")
            worst = 0.0
            for kind in PeriodKind:
                url = str(server.make_url(f"/app/api/dashboard?period={kind.value}"))

                async def call(url: str = url) -> None:
                    async with http.get(url, headers=headers) as response:
                        assert response.status == 200, await response.text()
                        await response.read()

                async def engine_only(kind: PeriodKind = kind) -> None:
                    async with pool() as session:
                        await build_kpi(session, manager, kind, NOW)

                api = await _samples(call, runs)
                alone = await _samples(engine_only, runs)
                worst = max(worst, p95_ms(api))
                verdict = "ok" if p95_ms(api) <= GOAL_MS else "OVER"
                print(
                    f"{kind.value:<8} {median_ms(api):>7.1f}ms {p95_ms(api):>7.1f}ms "
                    f"{median_ms(alone):>9.1f}ms {GOAL_MS:>5.0f}ms {verdict}"
                )
            print(f"worst p95 {worst:.1f} ms vs goal {GOAL_MS:.0f} ms ({runs} requests/period)")
            print(f"{'dashboard call':<22} {'p50':>9} {'p95':>9} {'goal':>7}")
            worst = 0.0
            for name, path in _further_calls():
                url = str(server.make_url(path))

                async def further(url: str = url) -> None:
                    async with http.get(url, headers=headers) as response:
                        assert response.status == 200, await response.text()
                        await response.read()

                samples = await _samples(further, runs)
                worst = max(worst, p95_ms(samples))
                verdict = "ok" if p95_ms(samples) <= GOAL_MS else "OVER"
                print(
                    f"{name:<22} {median_ms(samples):>7.1f}ms {p95_ms(samples):>7.1f}ms "
                    f"{GOAL_MS:>5.0f}ms {verdict}"
                )
            print(f"worst p95 {worst:.1f} ms vs goal {GOAL_MS:.0f} ms ({runs} requests/call)")


def _further_calls() -> list[tuple[str, str]]:
    """What the dashboard asks beside its figures: the chart of each period, a tapped day (the
    busiest kind: a weekday with sales), and today's agenda."""
    weekday = (NOW - timedelta(days=2)).date().isoformat()
    calls = [(f"chart {k.value}", f"/app/api/dashboard/chart?period={k.value}") for k in PeriodKind]
    calls.append(("day", f"/app/api/dashboard/day?date={weekday}"))
    calls.append(("agenda", "/app/api/agenda"))
    return calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--pg", default=None, help="a PostgreSQL URL of your own database")
    args = parser.parse_args()
    asyncio.run(bench(args.pg, args.runs))


if __name__ == "__main__":
    main()
