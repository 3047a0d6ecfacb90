"""One log line per update: id, kind, handler, duration, outcome, the user as a hash (issue 11).

The outer middleware is the outermost of all, so the duration is the whole update and every line
logged while it runs (the error boundary's traceback among them) carries the update's context
(bot/logs.py CURRENT_UPDATE). The handler's name comes from an inner middleware on each event
kind of the dispatcher, which aiogram runs for the handlers of every router below it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import TelegramObject, Update, User

from bot.logs import CURRENT_UPDATE, UPDATES_LOGGER, UpdateTrace, user_hash

log = logging.getLogger(UPDATES_LOGGER)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdateLogMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update) or not log.isEnabledFor(logging.INFO):
            return await handler(event, data)
        user = data.get("event_from_user")
        user_id = user.id if isinstance(user, User) else None
        bot: Bot = data["bot"]
        trace = UpdateTrace(
            update_id=event.update_id,
            kind=event.event_type,
            user_id=user_id,
            user=user_hash(user_id, bot.token) if user_id is not None else None,
        )
        context = CURRENT_UPDATE.set(trace)
        started = time.perf_counter()
        result: Any = UNHANDLED
        try:
            result = await handler(event, data)
            return result
        except BaseException:
            trace.failed = True
            raise
        finally:
            _summary(trace, result, time.perf_counter() - started)
            CURRENT_UPDATE.reset(context)


def _summary(trace: UpdateTrace, result: Any, seconds: float) -> None:
    if trace.failed:
        outcome = "error"
    elif result is UNHANDLED and trace.handler is None:
        outcome = "unhandled"
    else:
        outcome = "ok"
    log.info(
        "update %s %s: %s in %.1f ms",
        trace.update_id,
        trace.kind,
        outcome,
        seconds * 1000,
        extra={
            "kind": trace.kind,
            "handler": trace.handler,
            "duration_ms": round(seconds * 1000, 1),
            "outcome": outcome,
        },
    )


class _HandlerName(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        trace = CURRENT_UPDATE.get()
        handler_object = data.get("handler")
        callback = getattr(handler_object, "callback", None)
        if trace is not None and callback is not None:
            trace.handler = f"{callback.__module__}.{getattr(callback, '__qualname__', callback)}"
        return await handler(event, data)


def install(dp: Dispatcher) -> None:
    """The per-update line, outermost; and the handler's name for it, on every event kind."""
    dp.update.outer_middleware(UpdateLogMiddleware())
    naming = _HandlerName()
    for name, observer in dp.observers.items():
        if name not in {"update", "error"}:
            observer.middleware(naming)
