"""Runs one role of the bot (see Role): intake by polling, or webhook when WEBHOOK_URL is set,
and/or the scheduler; health and metrics beside them; stops gracefully."""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Literal

from aiogram import Bot, Dispatcher
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import User
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.app import create_bot, create_dispatcher, set_commands, set_menu_button
from bot.config import Settings
from bot.health import AddRoutes, HealthPort, Heartbeat, Probe
from bot.health import add_routes as add_health_routes
from bot.middlewares import InFlight
from bot.notifier import TelegramSender
from bot.polling import OrderedPoller
from bot.reply_guard import equip as equip_reply_retry
from bot.scheduler import create_scheduler
from bot.send_budget import SendBudget, make_send_budget
from bot.services.clock import SystemClock
from bot.services.kpi import periods
from bot.services.parsing import morph
from bot.services.parsing.timezones import warm_up
from bot.startup import StartupRetry, api_method_name
from bot.update_journal import UpdateJournal, journal_folder
from storage.db import create_engine, create_session_pool
from storage.migrate import upgrade

log = logging.getLogger("kambot")


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with suppress(NotImplementedError):  # not available on Windows event loops
            loop.add_signal_handler(sig, stop.set)
    return stop


class Count429(BaseRequestMiddleware):
    """Counts every 429 Telegram answers, whichever method and whoever sent it, and with a send
    budget pauses it for the 429's ``retry_after``: a 429 on any request of this process (a
    reply to a user too, not only a reminder) holds every process's proactive sends, since
    Telegram counts the token's messages whoever sent them, and a reminder burst must not starve
    the replies of the managers who are writing. Added after ReplyRetry (inside it), so each
    429 is seen, retried ones too."""

    def __init__(self, budget: SendBudget | None = None) -> None:
        self.budget = budget

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter as exc:
            metrics.TELEGRAM_429.labels(api_method_name(method)).inc()
            if self.budget is not None:
                self.budget.penalize(float(exc.retry_after))
            raise


@dataclass(frozen=True)
class Role:
    """What a process does: `run` (intake + scheduler, one box), `serve` (webhook intake only),
    `worker` (planner and delivery only: it never calls getUpdates or setWebhook)."""

    name: Literal["run", "serve", "worker"] = "run"
    scheduler: bool = True

    @property
    def intake(self) -> bool:
        return self.name != "worker"


def _webapp_routes(settings: Settings, role: Role, probe: Probe, bot: Bot) -> AddRoutes | None:
    """The Mini App's API (issue 14), only when WEBAPP_URL is set and this process takes
    updates: on the webhook port with a webhook, else on the health port."""
    if not settings.webapp_url or not role.intake or settings.bot_token is None:
        return None
    from bot.webapp.api import setup_webapp

    return partial(
        setup_webapp,
        session_pool=probe.session_pool,
        clock=probe.clock,
        bot_token=settings.bot_token.get_secret_value(),
        max_age=timedelta(seconds=settings.webapp_max_age),
        allowed_user_ids=settings.allowed_user_ids,
        bot=bot,
    )


async def run_bot(settings: Settings, *, started: float, role: Role | None = None) -> None:
    role = role or Role()
    engine = create_engine(settings.database_url)
    # Alembic's own INFO lines are silenced (bot.logs); upgrade() logs one line when it migrated.
    # On PostgreSQL under an advisory lock: processes starting together migrate once.
    await upgrade(engine)
    session_pool = create_session_pool(engine)
    clock = SystemClock()
    bot = create_bot(settings)
    stop = _stop_event()
    # One 502 or 429 on getMe, setMyCommands, deleteWebhook or setWebhook must not kill the start.
    bot.session.middleware(StartupRetry(settings.startup_retry_seconds, stop=stop))
    # Added first, so Count429 is inside it and sees every 429 it retries.
    equip_reply_retry(bot)
    # One budget per token: shared in Redis across processes when REDIS_URL is set. An intake
    # without a scheduler keeps one only to share what its replies learn (a 429) with workers.
    limiter = make_send_budget(settings) if role.scheduler or settings.redis_url else None
    bot.session.middleware(Count429(limiter))
    scheduler, heartbeat = None, None
    if role.scheduler and limiter is not None:
        sender = TelegramSender(bot, limiter, clock, settings.webapp_url)
        scheduler = create_scheduler(session_pool, clock, sender)
        heartbeat = Heartbeat().attach(scheduler)
    probe = Probe(
        engine, session_pool, clock, settings.redis_url, heartbeat, settings.scheduler_lag_limit
    )
    # `serve` answers /healthz, /readyz and /metrics on its webhook port (port 0: none here).
    port = 0 if role.name == "serve" else settings.health_port
    health = HealthPort(
        probe, settings.health_host, port, _webapp_routes(settings, role, probe, bot)
    )
    stopped_cleanly = False
    try:
        me = await bot.get_me()
        if scheduler is not None:
            scheduler.start()
        if role.intake:
            await _run_intake(settings, bot, session_pool, clock, health, stop, started, me)
        else:
            await health.open()
            log.info(
                "worker as @%s (planner and delivery, no intake), ready in %.2f s",
                me.username,
                time.monotonic() - started,
            )
            await stop.wait()
        stopped_cleanly = True
    finally:
        if scheduler is not None and scheduler.running:  # not started if Telegram was down
            scheduler.shutdown(wait=False)
        await health.close()
        await bot.session.close()
        await engine.dispose()
        # After a failure the caller prints the fatal line, and it must be the last one:
        # "stopped cleanly" above it would read as all being well.
        if stopped_cleanly:
            log.info("stopped cleanly")


async def _run_intake(
    settings: Settings,
    bot: Bot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: SystemClock,
    health: HealthPort,
    stop: asyncio.Event,
    started: float,
    me: User,
) -> None:
    warm_up()
    periods.warm_up()
    morph.warm_up()
    in_flight = InFlight()
    dp = create_dispatcher(settings, session_pool, clock=clock, in_flight=in_flight)
    await set_commands(bot, settings.default_language)
    await set_menu_button(bot, settings.webapp_url, settings.default_language)
    if settings.webhook_url:
        await _run_webhook(settings, bot, dp, stop, started, health)
    else:
        await _run_polling(settings, bot, dp, stop, in_flight, started, me.username or "", health)


async def _run_polling(
    settings: Settings,
    bot: Bot,
    dp: Dispatcher,
    stop: asyncio.Event,
    in_flight: InFlight,
    started: float,
    username: str,
    health: HealthPort,
) -> None:
    await bot.delete_webhook(drop_pending_updates=False)
    await health.open()
    log.info("polling as @%s, ready in %.2f s", username, time.monotonic() - started)
    # Chats side by side, one chat in order; an update is confirmed to Telegram only after it
    # and every earlier one finished or was parked on disk (a slow one with 20 newer behind
    # it), so a crash means redelivery or replay (made harmless by the idempotency middleware),
    # never a lost update. See bot/polling.py and bot/update_journal.py.
    poller = OrderedPoller(
        dp,
        bot,
        polling_timeout=settings.polling_timeout,
        allowed_updates=dp.resolve_used_update_types(),
        journal=UpdateJournal(journal_folder(settings.database_url)),
        dispatcher=dp,
        bots=[bot],
    )
    poller.replay()  # what a crash left parked, before anything new
    polling = asyncio.create_task(poller.run())
    stopper = asyncio.create_task(stop.wait())
    await asyncio.wait({polling, stopper}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    poller.stop()
    polling.cancel()  # it may be in a long poll; updates it read but did not start are unconfirmed
    try:
        with suppress(asyncio.CancelledError):
            await polling  # re-raises what ended it, after the in-flight updates below
    finally:
        log.info(
            "stopping: waiting up to %.0f s for %d update(s) in flight",
            settings.shutdown_timeout,
            poller.in_flight,
        )
        if await poller.drain(settings.shutdown_timeout):
            await in_flight.wait_idle(settings.shutdown_timeout)
        await poller.confirm()


async def _run_webhook(
    settings: Settings,
    bot: Bot,
    dp: Dispatcher,
    stop: asyncio.Event,
    started: float,
    health: HealthPort,
) -> None:
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application

    # Never None: without a secret anyone reaching the port could post an update "from" any
    # user. aiogram answers 401 to a request whose X-Telegram-Bot-Api-Secret-Token differs.
    secret = settings.effective_webhook_secret()
    if settings.webhook_secret_is_derived:
        log.info(
            "WEBHOOK_SECRET is not set: using a secret derived from BOT_TOKEN "
            "(the same on every instance); set WEBHOOK_SECRET to choose your own"
        )
    app = web.Application()
    # handle_in_background=False: Telegram gets 200 only after the update is handled, and
    # retries otherwise; the idempotency middleware makes the retry harmless.
    SimpleRequestHandler(
        dispatcher=dp, bot=bot, secret_token=secret, handle_in_background=False
    ).register(app, path=settings.webhook_path)
    setup_application(app, dp, bot=bot)
    add_health_routes(app, health.probe)
    if health.extra is not None:
        health.extra(app)
        health.extra = None  # served here: `run`'s own health port keeps only the probes
    runner = web.AppRunner(app, shutdown_timeout=settings.shutdown_timeout)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    try:
        # Inside the try: when Telegram keeps refusing setWebhook the port is still released.
        await bot.set_webhook(
            url=settings.webhook_url or "",
            secret_token=secret,
            allowed_updates=dp.resolve_used_update_types(),
        )
        await health.open()  # `run` with a webhook: its own port too; `serve`: port 0, none
        log.info(
            "webhook on %s:%s%s, ready in %.2f s",
            settings.webhook_host,
            settings.webhook_port,
            settings.webhook_path,
            time.monotonic() - started,
        )
        await stop.wait()
    finally:
        await runner.cleanup()
