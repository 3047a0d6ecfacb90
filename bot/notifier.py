"""Telegram side of delivery: one rate limiter for every proactive send, errors mapped to
what the delivery service understands (blocked, retry later)."""

from __future__ import annotations

import asyncio
import time

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
)

from bot.i18n import translator
from bot.send_budget import SendBudget
from bot.services.clock import Clock
from bot.services.schedule.delivery import Blocked, Ping, RetryLater
from bot.views.agenda import agenda_message
from bot.views.reminders import ping_kb, ping_text, week_text


class TelegramSender:
    def __init__(
        self, bot: Bot, limiter: SendBudget, clock: Clock, webapp_url: str | None = None
    ) -> None:
        self.bot = bot
        self.webapp_url = webapp_url  # WEBAPP_URL: the digest gets a button to the dashboard
        self.limiter = limiter
        self.clock = clock
        # The limiter hands out slots; tasks woken late by a busy loop would still leave
        # together. One gate spaces the requests themselves as they go out.
        self._gate = asyncio.Lock()
        self._next_send = 0.0
        self._spacing = 1.0 / limiter.global_per_second

    async def _spaced(self) -> None:
        async with self._gate:
            wait = self._next_send - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next_send = time.monotonic() + self._spacing

    async def __call__(self, ping: Ping) -> int:
        now = self.clock.now()
        if ping.agenda is not None:
            t = translator(ping.language)
            text, markup = agenda_message(t, ping, ping.agenda, now, self.webapp_url)
        elif ping.week is not None:
            text, markup = week_text(ping.language, ping.week), None
        else:
            text, markup = ping_text(ping, now), ping_kb(ping)
        await self.limiter.acquire(ping.chat_id)
        await self._spaced()
        try:
            message = await self.bot.send_message(ping.chat_id, text, reply_markup=markup)
        except TelegramForbiddenError as exc:
            raise Blocked from exc
        except TelegramRetryAfter as exc:
            self.limiter.penalize(exc.retry_after)
            raise RetryLater(exc.retry_after) from exc
        except TelegramNetworkError as exc:
            raise RetryLater(None) from exc
        except TelegramBadRequest as exc:
            if "chat not found" in exc.message:
                raise Blocked from exc
            raise
        return message.message_id
