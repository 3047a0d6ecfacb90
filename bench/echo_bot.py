"""A minimal aiogram 3 echo bot: the baseline for bench.bench_logging.

Run: BOT_TOKEN=... TELEGRAM_API_URL=http://127.0.0.1:PORT python -m bench.echo_bot

It answers every text message with the same text and nothing else, so what it costs per update
is what aiogram plus the HTTP round trips cost: the floor any aiogram bot stands on.
"""

from __future__ import annotations

import asyncio
import logging
import os
from contextlib import suppress

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message

POLLING_TIMEOUT = 1


async def echo(message: Message) -> None:
    await message.answer(message.text or "")


def create_bot() -> Bot:
    token = os.environ["BOT_TOKEN"]
    api_url = os.environ.get("TELEGRAM_API_URL")
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url)) if api_url else None
    return Bot(token=token, session=session)


def create_dispatcher() -> Dispatcher:
    router = Router(name="echo")
    router.message.register(echo, F.text)
    dp = Dispatcher()
    dp.include_router(router)
    return dp


async def run() -> None:
    bot = create_bot()
    dp = create_dispatcher()
    try:
        await bot.delete_webhook(drop_pending_updates=False)
        # handle_as_tasks=False, as kambot polls: an update is confirmed to Telegram (the next
        # getUpdates offset) only after its handler finished, so both bots pay the same
        # one-update-at-a-time cost and the comparison is fair.
        await dp.start_polling(
            bot,
            handle_as_tasks=False,
            handle_signals=True,  # SIGTERM/SIGINT end polling cleanly
            close_bot_session=False,
            polling_timeout=POLLING_TIMEOUT,
            allowed_updates=dp.resolve_used_update_types(),
        )
    finally:
        await bot.session.close()


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    with suppress(KeyboardInterrupt):
        asyncio.run(run())


if __name__ == "__main__":
    main()
