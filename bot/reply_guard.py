"""A committed write is not a failed one.

When Telegram answers 5xx/429 (or the network drops) to a reply, the reply is retried a few times
(honouring retry_after). If the handler had already committed and the reply still fails, the
user is not told "try again" (that makes a duplicate): what was saved waits in a small per-chat
record of the FSM storage and is said first in the next update from that chat.

The record is written before the first retry's wait, not after the last failure: a process
killed while it waits out a 429 (up to MAX_RETRY_AFTER seconds) has committed the write, and the
redelivered update is skipped as processed, so the record (in Redis, shared) is all that tells
the manager not to type it again. A retry that gets through takes the record back.
"""

from __future__ import annotations

import asyncio
import html
import logging
import secrets
import weakref
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import Chat, TelegramObject, User

from bot.i18n import Translator

log = logging.getLogger(__name__)

ATTEMPTS = 3
BACKOFF = (0.3, 1.0)  # seconds before the 2nd and the 3rd attempt
MAX_RETRY_AFTER = 10  # a longer 429 wait would hold the user's next updates too long
TRANSIENT = (TelegramServerError, TelegramRetryAfter, TelegramNetworkError)
DESTINY = "undelivered"
MAX_KEPT = 3
MAX_SHOWN = 3000  # the notice and what was saved must fit in one 4096-character message

# Set while an update is handled: proactive sends (reminders) have their own retry policy.
_handling: ContextVar[bool] = ContextVar("handling_update", default=False)
_at_risk: ContextVar[_AtRisk | None] = ContextVar("reply_at_risk", default=None)
_equipped: weakref.WeakSet[BaseSession] = weakref.WeakSet()


class ReplyRetry(BaseRequestMiddleware):
    """Retries a request that failed transiently while an update was being handled."""

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if not _handling.get():
            return await make_request(bot, method)
        for attempt in range(ATTEMPTS):
            try:
                response = await make_request(bot, method)
            except TRANSIENT as exc:
                if attempt == ATTEMPTS - 1:
                    raise
                wait = BACKOFF[min(attempt, len(BACKOFF) - 1)]
                if isinstance(exc, TelegramRetryAfter):
                    if exc.retry_after > MAX_RETRY_AFTER:
                        raise
                    wait = max(wait, float(exc.retry_after))
                log.info("%s failed (%s), retry in %.1f s", method.__api_method__, exc, wait)
                if (at_risk := _at_risk.get()) is not None:
                    await at_risk.hold(exc)
                await asyncio.sleep(wait)
                continue
            if (at_risk := _at_risk.get()) is not None:
                await at_risk.release()
            return response
        raise AssertionError("unreachable")  # pragma: no cover


def equip(bot: Bot) -> None:
    """Adds ReplyRetry to the bot's session once. The runner calls it before its counting
    middlewares: the first added is the outermost, and a 429 retried here must still be seen
    (counted, shared) by the ones added after."""
    if bot.session not in _equipped:
        bot.session.middleware(ReplyRetry())
        _equipped.add(bot.session)


def _what(exc: BaseException) -> str | None:
    """The text the failed reply carried, as HTML, when it fits in a notice."""
    method = exc.method if isinstance(exc, TelegramAPIError) else None
    text: str | None = None
    if isinstance(method, SendMessage | EditMessageText):
        body = method.text or ""
        text = body if method.parse_mode is not None else html.escape(body)
    elif isinstance(method, AnswerCallbackQuery) and method.text:
        text = html.escape(method.text)
    return text if text and len(text) <= MAX_SHOWN else None


@dataclass
class _AtRisk:
    """The confirmation of a committed update while its reply is being retried."""

    storage: BaseStorage
    key: StorageKey
    committed: Callable[[], bool]
    ref: str | None = None  # kept in the storage under this code while the retry waits

    async def hold(self, exc: BaseException) -> None:
        if self.ref is None and self.committed():
            self.ref = secrets.token_hex(3).upper()
            await _keep(self.storage, self.key, _what(exc) or "", self.ref)

    async def release(self) -> None:
        if self.ref is not None:
            ref, self.ref = self.ref, None
            await _drop(self.storage, self.key, ref)


class ReplyGuardMiddleware(BaseMiddleware):
    """The innermost outer middleware: it sees whether the handler committed (see
    IdempotencyMiddleware, which puts `committed` in the data) before the error boundary would
    apologise."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        bot: Bot = data["bot"]
        equip(bot)
        key = _key(bot, data)
        storage: BaseStorage | None = data.get("fsm_storage")
        if key is not None and storage is not None:
            await self._say_undelivered(bot, storage, key, data["t"])
        committed: Callable[[], bool] | None = data.get("committed")
        at_risk = None
        if key is not None and storage is not None and committed is not None:
            at_risk = _AtRisk(storage, key, committed)
        token = _handling.set(True)
        risk_token = _at_risk.set(at_risk)
        try:
            return await handler(event, data)
        except Exception as exc:
            if committed is None or not committed():
                raise
            held = at_risk.ref if at_risk is not None else None  # kept already, before a retry
            ref = held or secrets.token_hex(3).upper()
            log.exception("update handled and committed, but its reply failed; ref %s", ref)
            if key is not None and storage is not None:
                if held is None:
                    await _keep(storage, key, _what(exc) or "", ref)
                if not isinstance(exc, TRANSIENT):
                    # Not Telegram's failure (a bug after the commit): say it now, not later.
                    await self._say_undelivered(bot, storage, key, data["t"])
            return None
        finally:
            _at_risk.reset(risk_token)
            _handling.reset(token)

    async def _say_undelivered(
        self, bot: Bot, storage: BaseStorage, key: StorageKey, t: Translator
    ) -> None:
        kept = (await storage.get_data(key)).get("saved")
        if not kept:
            return
        try:
            for what, ref in kept:
                text = t("saved-undelivered", ref=ref) + (f"\n\n{what}" if what else "")
                await bot.send_message(key.chat_id, text)
        except TelegramAPIError:
            # Still unreachable: keep the record for the next update; serve this one anyway.
            log.warning("could not say the undelivered confirmation in chat %s", key.chat_id)
            return
        await storage.set_data(key, {})


def _key(bot: Bot, data: dict[str, Any]) -> StorageKey | None:
    chat, user = data.get("event_chat"), data.get("event_from_user")
    if not isinstance(chat, Chat) or not isinstance(user, User):
        return None
    return StorageKey(bot_id=bot.id, chat_id=chat.id, user_id=user.id, destiny=DESTINY)


async def _drop(storage: BaseStorage, key: StorageKey, ref: str) -> None:
    try:
        kept = list((await storage.get_data(key)).get("saved") or [])
        left = [entry for entry in kept if entry[1] != ref]
        await storage.set_data(key, {"saved": left} if left else {})
    except Exception:  # at worst the next update says "saved" of a reply that did arrive
        log.exception("could not drop the kept confirmation for chat %s", key.chat_id)


async def _keep(storage: BaseStorage, key: StorageKey, what: str, ref: str) -> None:
    try:
        kept = list((await storage.get_data(key)).get("saved") or [])
        await storage.set_data(key, {"saved": [*kept, (what, ref)][-MAX_KEPT:]})
    except Exception:  # the write is safe; losing the notice is the lesser harm
        log.exception("could not keep the undelivered confirmation for chat %s", key.chat_id)
