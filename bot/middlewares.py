"""Outer middlewares, in the order they wrap every update (see register_middlewares)."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.types import TelegramObject, Update, User
from sqlalchemy import event as orm_event
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics, pg_user_lock, update_log
from bot.chat_order import ChatOrderMiddleware
from bot.clean_text import CleanTextMiddleware
from bot.config import Settings
from bot.context import ContextMiddleware
from bot.i18n import Translator, pick_language, translator
from bot.private_only import PrivateOnlyMiddleware
from bot.reply_guard import ReplyGuardMiddleware
from bot.sandbox_mode import serve_in_sandbox
from bot.services.clock import Clock
from bot.services.crm import managers as manager_service
from bot.user_lock import UserLockMiddleware
from storage import updates as update_store
from storage.disconnect import lost_connection

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def _user(data: dict[str, Any]) -> User | None:
    user = data.get("event_from_user")
    return user if isinstance(user, User) else None


def _chat_id(data: dict[str, Any]) -> int | None:
    chat = data.get("event_chat")
    return chat.id if chat is not None else None


async def _notify(event: Update, data: dict[str, Any], text: str) -> None:
    """Best-effort short reply; never raises, because it runs when things already went wrong."""
    bot: Bot = data["bot"]
    try:
        if event.callback_query is not None:
            await bot.answer_callback_query(event.callback_query.id, text=text[:200])
            return
        chat_id = _chat_id(data)
        if chat_id is not None:
            await bot.send_message(chat_id, text)
    except Exception:  # noqa: BLE001 - the apology itself must not crash the update loop
        log.warning("could not notify chat about a failed update %s", event.update_id)


def _translator_for(data: dict[str, Any], settings: Settings) -> Translator:
    existing = data.get("t")
    if isinstance(existing, Translator):
        return existing
    user = _user(data)
    return translator(
        pick_language(user.language_code if user else None, settings.default_language)
    )


class InFlight:
    """Counts updates being handled, so shutdown can wait for them to finish."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def __enter__(self) -> None:
        self._count += 1
        self._idle.clear()

    def __exit__(self, *_: object) -> None:
        self._count -= 1
        if self._count == 0:
            self._idle.set()

    @property
    def count(self) -> int:
        return self._count

    async def wait_idle(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._idle.wait(), seconds)
        except TimeoutError:
            return False
        return True


class ErrorBoundaryMiddleware(BaseMiddleware):
    """Any exception becomes a short apology with a reference code; the trace goes to the log."""

    def __init__(self, settings: Settings, in_flight: InFlight) -> None:
        self.settings = settings
        self.in_flight = in_flight

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        metrics.UPDATES.labels(event.event_type).inc()
        with self.in_flight, metrics.HANDLER_SECONDS.time():
            try:
                return await handler(event, data)
            except Exception as exc:
                ref = secrets.token_hex(3).upper()
                metrics.failed(ref, type(exc).__name__, time.time())
                user = _user(data)
                committed = data.get("committed")
                if (
                    self.settings.webhook_url
                    and lost_connection(exc)
                    and not (callable(committed) and committed())
                ):
                    # Nothing of it was kept: a 500 makes Telegram send it again, to be handled
                    # whole once the database is back; an apology with 200 would lose it.
                    log.warning(
                        "update %s from user %s: database connection lost before its commit "
                        "(%s), answered 500 for Telegram to send it again, ref %s",
                        event.update_id,
                        user.id if user else None,
                        type(exc).__name__,
                        ref,
                    )
                    raise
                log.exception(
                    "update %s from user %s failed, ref %s",
                    event.update_id,
                    user.id if user else None,
                    ref,
                )
                t = _translator_for(data, self.settings)
                await _notify(event, data, t("error-apology", ref=ref))
                return None


class ThrottlingMiddleware(BaseMiddleware):
    """A token bucket per user, and one update at a time per user.

    A flooding user is told to slow down once per burst; other users are not affected because
    the buckets and locks are per user. Memory follows the users active right now: a bucket
    that has refilled to full is the same as no bucket, so every `idle_after` seconds (the time
    an empty bucket takes to refill) the full ones are dropped, and a user's lock goes with
    their last update in flight.
    """

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.burst = float(settings.throttle_burst)
        self.rate = settings.throttle_rate
        self.settings = settings
        self.clock = clock
        self.idle_after = self.burst / self.rate
        self._buckets: dict[int, tuple[float, float, bool]] = {}
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}
        self._swept_at = clock()

    def _take(self, user_id: int) -> tuple[bool, bool]:
        """Returns (allowed, warn): warn is True for the first refusal of a burst."""
        now = self.clock()
        tokens, last, warned = self._buckets.get(user_id, (self.burst, now, False))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1:
            self._buckets[user_id] = (tokens - 1, now, False)
            return True, False
        self._buckets[user_id] = (tokens, now, True)
        return False, not warned

    def _prune(self) -> None:
        """Drops the buckets that are full again; at most once per `idle_after`, so the sweep's
        cost is spread over the updates since the last one, and the map holds only the users of
        the last two refill times."""
        now = self.clock()
        if now - self._swept_at < self.idle_after:
            return
        self._swept_at = now
        self._buckets = {
            uid: b
            for uid, b in self._buckets.items()
            if b[0] + (now - b[1]) * self.rate < self.burst
        }

    def tracked(self) -> int:
        """Users with a bucket or a lock right now."""
        return len(self._buckets.keys() | self._locks.keys())

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = _user(data)
        if user is None:
            return await handler(event, data)
        allowed, warn = self._take(user.id)
        self._prune()
        if not allowed:
            log.info("throttled user %s, update %s", user.id, getattr(event, "update_id", None))
            if warn and isinstance(event, Update):
                t = _translator_for(data, self.settings)
                await _notify(event, data, t("throttled"))
            return None
        lock, users = self._locks.get(user.id, (asyncio.Lock(), 0))
        self._locks[user.id] = (lock, users + 1)
        try:
            async with lock:
                return await handler(event, data)
        finally:
            lock, users = self._locks[user.id]
            if users <= 1:
                del self._locks[user.id]
            else:
                self._locks[user.id] = (lock, users - 1)


class AccessMiddleware(BaseMiddleware):
    """The optional allowlist. A stranger gets a polite refusal and nothing is stored."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = _user(data)
        if user is None or user.is_bot:
            return None  # channel posts, other bots: nobody to serve
        allowed = self.settings.allowed_user_ids
        if allowed and user.id not in allowed:
            log.info("refused user %s: not in ALLOWED_USER_IDS", user.id)
            if isinstance(event, Update):
                await _notify(event, data, _translator_for(data, self.settings)("not-allowed"))
            return None
        return await handler(event, data)


class DbSessionMiddleware(BaseMiddleware):
    def __init__(
        self, session_pool: async_sessionmaker[AsyncSession], *, webhook: bool = False
    ) -> None:
        self.session_pool = session_pool
        # Only webhook intakes can be several on one token: Telegram answers a second
        # getUpdates poller with 409, so polling needs no cross-process user lock (2 statements).
        self.webhook = webhook

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        engine = pg_user_lock.locking_engine(self.session_pool, data) if self.webhook else None
        if engine is None:
            async with self.session_pool() as session:
                data["session"] = session
                return await handler(event, data)
        # Intakes sharing PostgreSQL but no Redis: the user's lock, on the session's connection.
        key = pg_user_lock.lock_key(data["bot"].id, data["event_from_user"].id)
        async with (
            pg_user_lock.locked_connection(engine, key) as connection,
            self.session_pool(bind=connection) as session,
        ):
            data["session"] = session
            return await handler(event, data)


class CurrentManagerMiddleware(BaseMiddleware):
    """Registers a manager on first contact, with defaults, so every command works at once."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = _user(data)
        assert user is not None  # AccessMiddleware let only updates with a user through
        # One query answers both "who is this" and "was this update processed already";
        # IdempotencyMiddleware reads the answer from data["update_seen"].
        manager, data["update_seen"] = await manager_service.get_or_register_for_update(
            data["session"],
            manager_service.TelegramUser(
                id=user.id,
                language_code=user.language_code,
                full_name=user.full_name,
                username=user.username,
                wrote=getattr(event, "my_chat_member", None) is None,
            ),
            getattr(event, "update_id", 0),
            defaults=manager_service.Defaults(
                language=self.settings.default_language,
                timezone=self.settings.default_timezone,
                digest_time=self.settings.default_digest_time,
            ),
            now=self.clock.now(),
        )
        data["manager"] = data["real_manager"] = manager
        if manager.in_sandbox:  # /demo: the sandbox row serves the update (one indexed query)
            return await serve_in_sandbox(handler, event, data, self.clock)
        return await handler(event, data)


class IdempotencyMiddleware(BaseMiddleware):
    """Makes every update count once.

    The id is recorded in the same transaction as whatever the handler commits, so a crash
    after the commit cannot repeat the write; a redelivered update (polling after a crash, a
    webhook retry) finds its id and does nothing.
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        session: AsyncSession = data["session"]
        seen = data.pop("update_seen", None)  # None: not looked up (a brand-new manager)
        if seen is None:
            seen = await update_store.is_processed(session, event.update_id)
        if seen:
            log.info("update %s already processed, skipped", event.update_id)
            return None
        # Pending in the session: it commits atomically with whatever the handler commits.
        marker = update_store.mark_processed(session, event.update_id, self.clock.now())
        # Whether the handler's own commit happened: after it, a failure is not "try again".
        # Persistent alone is not enough: a flush makes the marker persistent, and it stays so
        # when the COMMIT after that flush fails (a connection dropped in between), until the
        # rollback; an update would then be answered as saved while nothing was.
        commits: list[None] = []
        orm_event.listen(session.sync_session, "after_commit", lambda _: commits.append(None))
        data["committed"] = lambda: bool(commits) and inspect(marker).persistent
        result = await handler(event, data)
        if inspect(marker).persistent:
            return result  # written by the handler's own commit (sessions never autoflush)
        # Read-only handlers commit nothing; record the update anyway so a retry stays silent.
        # Anything the handler left uncommitted was not meant to be kept: roll it back first.
        await session.rollback()
        await update_store.ensure_processed(session, event.update_id, self.clock.now())
        await session.commit()
        return result


class I18nMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        manager = data["manager"]
        data["t"] = translator(manager.language)
        return await handler(event, data)


def register_middlewares(
    dp: Dispatcher,
    *,
    settings: Settings,
    session_pool: async_sessionmaker[AsyncSession],
    clock: Clock,
    in_flight: InFlight,
) -> None:
    update_log.install(dp)  # outermost: one line per update, the context of every line in it
    for middleware in (
        ErrorBoundaryMiddleware(settings, in_flight),
        CleanTextMiddleware(),  # before anything reads or stores a text
        ChatOrderMiddleware(),  # one chat in order when updates come as tasks (webhook)
        ThrottlingMiddleware(settings),
        UserLockMiddleware(),  # the same rule across intakes sharing Redis
        PrivateOnlyMiddleware(settings),  # before the session: nothing from a group is stored
        AccessMiddleware(settings),
        DbSessionMiddleware(session_pool, webhook=settings.webhook_url is not None),
        CurrentManagerMiddleware(settings, clock),
        IdempotencyMiddleware(clock),
        I18nMiddleware(),
        ContextMiddleware(),  # the handler's Ctx, once the manager and translator are known
        ReplyGuardMiddleware(),  # innermost: it knows whether the handler committed
    ):
        dp.update.outer_middleware(middleware)
