"""/healthz, /readyz and /metrics: on the webhook server (`serve`) or a small port of their own
(`run`, `worker`, HEALTH_PORT).

- /healthz: the process answers (its event loop is not stuck). Nothing else is asked.
- /readyz: the database answers, Redis answers (when REDIS_URL is set), and, in a process that
  runs the scheduler, the reminder job finished or was seen busy within SCHEDULER_LAG_LIMIT.
  503 with the failing line otherwise; one line per check either way.
- /metrics: Prometheus text (bot/metrics.py); the queue gauges are read from the database at
  scrape time, so they cost one indexed query per scrape, not one per tick.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MAX_INSTANCES, JobEvent
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import metrics
from bot.services.clock import Clock
from storage import ops

log = logging.getLogger("kambot.health")
PROBE_TIMEOUT = 3.0  # seconds a readiness check may take before it counts as failed
REMINDER_JOB = "reminders"
AddRoutes = Callable[[web.Application], None]


class NotReady(Exception):
    """A check's own verdict; its message is the line shown."""


class Heartbeat:
    """When the reminder job last finished, or was due again while still busy draining (a big
    morning's drain runs for minutes and is progress, not lag)."""

    def __init__(self) -> None:
        self.at = time.monotonic()  # start-up counts: the first tick runs at once

    def attach(self, scheduler: Any) -> Heartbeat:
        scheduler.add_listener(self._seen, EVENT_JOB_EXECUTED | EVENT_JOB_MAX_INSTANCES)
        return self

    def _seen(self, event: JobEvent) -> None:
        if event.job_id == REMINDER_JOB:
            self.at = time.monotonic()

    def age(self) -> float:
        return time.monotonic() - self.at


@dataclass
class Probe:
    engine: AsyncEngine
    session_pool: async_sessionmaker[AsyncSession]
    clock: Clock
    redis_url: str | None = None
    heartbeat: Heartbeat | None = None  # None: this process runs no scheduler
    lag_limit: float = 180.0

    async def database(self) -> str:
        async with self.session_pool() as session:
            await ops.ping(session)
        return "ok"

    async def redis(self) -> str:
        if not self.redis_url:
            return "not used"
        return await redis_ping(self.redis_url)

    async def scheduler(self) -> str:
        if self.heartbeat is None:
            return "not run by this process"
        age = self.heartbeat.age()
        if age > self.lag_limit:
            raise NotReady(f"last reminder tick {age:.0f} s ago (limit {self.lag_limit:g} s)")
        return f"last reminder tick {age:.0f} s ago"

    async def ready(self) -> tuple[bool, list[str]]:
        checks: dict[str, Callable[[], Awaitable[str]]] = {
            "database": self.database,
            "redis": self.redis,
            "scheduler": self.scheduler,
        }
        lines, ok = [], True
        for name, check in checks.items():
            try:
                lines.append(f"{name}: {await asyncio.wait_for(check(), PROBE_TIMEOUT)}")
            except NotReady as exc:
                ok = False
                lines.append(f"{name}: FAILED ({exc})")
            except Exception as exc:  # noqa: BLE001 - every failure is one line of the answer
                ok = False
                lines.append(f"{name}: FAILED ({type(exc).__name__}: {exc})")
        return ok, lines

    async def refresh(self) -> None:
        """The gauges that describe the database and the scheduler, as of this scrape."""
        metrics.POOL_IN_USE.set(_checked_out(self.engine))
        tick = self.heartbeat.age() if self.heartbeat is not None else -1.0
        metrics.SCHEDULER_TICK_AGE.set(tick)
        now = self.clock.now()
        async with self.session_pool() as session:
            states = await ops.reminder_states(session)
            oldest = await ops.oldest_due(session, now)
        for state, n in states.items():
            metrics.REMINDERS_WAITING.labels(state).set(n)
        metrics.OLDEST_DUE_SECONDS.set((now - oldest).total_seconds() if oldest else 0.0)


def _checked_out(engine: AsyncEngine) -> int:
    checkedout = getattr(engine.pool, "checkedout", None)  # StaticPool (memory) has none
    return int(checkedout()) if callable(checkedout) else 0


async def redis_ping(url: str) -> str:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT)
    try:
        await client.ping()
    finally:
        await client.aclose()
    return "ok"


def add_routes(app: web.Application, probe: Probe) -> None:
    async def healthz(_: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(_: web.Request) -> web.Response:
        ok, lines = await probe.ready()
        return web.Response(text="\n".join(lines) + "\n", status=200 if ok else 503)

    async def metrics_page(_: web.Request) -> web.Response:
        try:
            await asyncio.wait_for(probe.refresh(), PROBE_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - the counters are still worth a scrape
            log.warning("metrics: database gauges not refreshed (%s: %s)", type(exc).__name__, exc)
        body = generate_latest(metrics.REGISTRY)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_page)


async def start_server(
    probe: Probe, host: str, port: int, extra: AddRoutes | None = None
) -> web.AppRunner | None:
    """The health port of `run` and `worker`; None when off (port 0) or the port is taken.
    `extra` adds more routes (the Mini App's API when WEBAPP_URL is set)."""
    if port == 0:
        return None
    app = web.Application()
    add_routes(app, probe)
    if extra is not None:
        extra(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        # Not fatal: the bot itself works. Two processes on one host need two HEALTH_PORTs.
        log.warning(
            "health port %s:%s not available (%s): no /healthz, /readyz, /metrics here; "
            "set HEALTH_PORT to a free port (0 turns it off)",
            host,
            port,
            exc.strerror or exc,
        )
        await runner.cleanup()
        return None
    log.info("health and metrics on http://%s:%s (/healthz, /readyz, /metrics)", host, port)
    return runner


class HealthPort:
    """The health port of one process, opened once its start-up calls to Telegram succeeded:
    a start that fails ends with one line and no warning about a port before it."""

    def __init__(self, probe: Probe, host: str, port: int, extra: AddRoutes | None = None) -> None:
        self.probe, self.host, self.port = probe, host, port
        self.extra = extra  # routes beside the probes, on this port or the webhook's
        self._runner: web.AppRunner | None = None

    async def open(self) -> None:
        if self._runner is None:
            self._runner = await start_server(self.probe, self.host, self.port, self.extra)

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
