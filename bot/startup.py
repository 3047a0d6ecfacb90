"""Start-up calls ride out Telegram's passing errors instead of dying on the first 502.

Telegram answers 5xx and 429 now and then, and networks blink. A bot that exits with a traceback
on one such answer to getMe at start-up is down until someone restarts it by hand. The start-up
calls are idempotent, so retrying them is always safe; the budget keeps a lasting outage from
hanging the start for ever, and then the caller prints one clear line.

It is a request middleware of the bot's session rather than a wrapper around each call, so it
covers the start-up calls wherever they are made (aiogram's polling calls getMe itself).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

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
from aiogram.methods.base import TelegramType

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import Response, TelegramMethod

log = logging.getLogger("kambot")

# Idempotent calls made while starting: doing one twice is the same as doing it once.
# Sends are not here: a retried sendMessage after a lost answer would be a duplicate.
START_UP_METHODS = frozenset(
    {
        "getMe",
        "setMyCommands",
        "deleteMyCommands",
        "setChatMenuButton",
        "deleteWebhook",
        "setWebhook",
        "getWebhookInfo",
    }
)


def api_method_name(method: object) -> str:
    """The Bot API name of an aiogram method object ("getMe"), for log lines."""
    return str(getattr(method, "__api_method__", type(method).__name__))


def describe(exc: TelegramAPIError) -> str:
    """Telegram's error on one line: aiogram's 429 message spans two."""
    if isinstance(exc, TelegramRetryAfter):
        return f"Too Many Requests: retry after {exc.retry_after} s"
    return " ".join(exc.message.split())


class StartupRetry(BaseRequestMiddleware):
    """Retries the start-up methods on 5xx, 429 (after its retry_after) and network errors.

    Each call gets `budget` seconds; the waits double from `first_delay` up to `max_delay`.
    When the next wait would overrun the budget, or `stop` is set (SIGTERM while waiting),
    the last error is raised as it came, for the caller to turn into one line.
    """

    def __init__(
        self,
        budget: float,
        *,
        first_delay: float = 0.5,
        max_delay: float = 10.0,
        stop: asyncio.Event | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.budget = budget
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.stop = stop
        self.clock = clock

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = api_method_name(method)
        if name not in START_UP_METHODS:
            return await make_request(bot, method)
        deadline = self.clock() + self.budget
        delay = self.first_delay
        attempt = 1
        while True:
            try:
                return await make_request(bot, method)
            except (TelegramRetryAfter, TelegramServerError, TelegramNetworkError) as exc:
                if isinstance(exc, TelegramRetryAfter):
                    # Telegram says how long; asking sooner only earns another 429.
                    wait = float(exc.retry_after)
                else:
                    wait = delay
                    delay = min(delay * 2, self.max_delay)
                if not self._may_wait(wait, deadline):
                    raise
                self._log_retry(name, exc, attempt, wait)
                if not await self._sleep(wait):
                    # SIGTERM while waiting: the last error is why the bot never started.
                    raise
            attempt += 1

    def _may_wait(self, wait: float, deadline: float) -> bool:
        stopping = self.stop is not None and self.stop.is_set()
        return not stopping and self.clock() + wait <= deadline

    async def _sleep(self, seconds: float) -> bool:
        """Sleeps, or returns False at once when `stop` is set meanwhile."""
        if self.stop is None:
            await asyncio.sleep(seconds)
            return True
        try:
            await asyncio.wait_for(self.stop.wait(), timeout=seconds)
        except TimeoutError:
            return True
        return False

    @staticmethod
    def _log_retry(name: str, exc: TelegramAPIError, attempt: int, wait: float) -> None:
        # INFO, not WARNING: a passing error the bot rides out needs no one's attention; the
        # fatal line, if it comes to that, is the one that should stand out.
        log.info("%s failed (%s); retry %d in %.1f s", name, describe(exc), attempt, wait)
