"""A minimal aiogram 3 echo bot: the baseline for bench.bench_logging.

Run: BOT_TOKEN=... TELEGRAM_API_URL=http://127.0.0.1:PORT python -m bench.echo_bot

It answers every text message with the same text and nothing else, so what it costs per update
is what aiogram plus the HTTP round trips cost: the floor any aiogram bot stands on.

With ECHO_DATABASE_URL set it first writes the message to a SQLite table through the same stack
kambot uses (SQLAlchemy async + aiosqlite, WAL), one commit per update: the floor of any bot
that saves what it is told before it answers. With ECHO_STATEMENTS=kambot as well it runs, in
one transaction, as many statements of the same kinds as kambot's logged touch (two indexed
SELECTs, four INSERTs, one UPDATE, then COMMIT) as plain SQL: the floor of a bot that writes what
kambot writes, with no ORM and no logic.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from contextlib import suppress

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

POLLING_TIMEOUT = 1
ECHO_TABLE = "CREATE TABLE IF NOT EXISTS echo_log (id INTEGER PRIMARY KEY, chat_id INT, body TEXT)"
ECHO_INDEX = "CREATE INDEX IF NOT EXISTS echo_log_chat ON echo_log (chat_id, id)"
LATEST = text("SELECT id, body FROM echo_log WHERE chat_id = :chat ORDER BY id DESC LIMIT 1")
INSERT = text("INSERT INTO echo_log (chat_id, body) VALUES (:chat, :body)")
UPDATE = text("UPDATE echo_log SET body = :body WHERE id = :id")


async def echo(message: Message) -> None:
    await message.answer(message.text or "")


def saving_echo(engine: AsyncEngine) -> Callable[[Message], Awaitable[None]]:
    async def handler(message: Message) -> None:
        async with engine.begin() as conn:
            await conn.execute(
                text("INSERT INTO echo_log (chat_id, body) VALUES (:chat, :body)"),
                {"chat": message.chat.id, "body": message.text or ""},
            )
        await message.answer(message.text or "")

    return handler


def kambot_shaped_echo(engine: AsyncEngine) -> Callable[[Message], Awaitable[None]]:
    async def handler(message: Message) -> None:
        values = {"chat": message.chat.id, "body": message.text or ""}
        async with engine.begin() as conn:
            for _ in range(2):  # the manager, then the client by name
                latest = (await conn.execute(LATEST, values)).first()
            for _ in range(4):  # touch, processed update, undo entry, follow-up reminder
                await conn.execute(INSERT, values)
            await conn.execute(UPDATE, {"body": values["body"], "id": latest[0] if latest else 0})
        await message.answer(message.text or "")

    return handler


def create_bot() -> Bot:
    token = os.environ["BOT_TOKEN"]
    api_url = os.environ.get("TELEGRAM_API_URL")
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url)) if api_url else None
    return Bot(token=token, session=session)


def create_dispatcher(engine: AsyncEngine | None = None) -> Dispatcher:
    router = Router(name="echo")
    if engine is None:
        handler = echo
    elif os.environ.get("ECHO_STATEMENTS") == "kambot":
        handler = kambot_shaped_echo(engine)
    else:
        handler = saving_echo(engine)
    router.message.register(handler, F.text)
    dp = Dispatcher()
    dp.include_router(router)
    return dp


async def run() -> None:
    bot = create_bot()
    engine = None
    if url := os.environ.get("ECHO_DATABASE_URL"):
        from storage.db import create_engine

        engine = create_engine(url)
        async with engine.begin() as conn:
            await conn.execute(text(ECHO_TABLE))
            await conn.execute(text(ECHO_INDEX))
    dp = create_dispatcher(engine)
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
        if engine is not None:
            await engine.dispose()


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    with suppress(KeyboardInterrupt):
        asyncio.run(run())


if __name__ == "__main__":
    main()
