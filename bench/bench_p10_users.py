"""Benchmark P10 (issue 18), printed figures: memory and cost per update against users ever seen.

In-process, through the real Dispatcher: `create_dispatcher` with the production FSM storage
(`create_fsm_storage`, i.e. bot/fsm_storage.py without REDIS_URL), every outer middleware and
router, against a bot whose session answers like Telegram and keeps nothing (the test
MockedBot records every request, which would itself grow with the users).

Each new user is registered by their first message and logs a touch, as in the issue:
`/call Ромашка обсудили поставку` (no clients yet: "create the client?") and a tap on
"create", two updates, then never heard from again. Every user names the same client, so the
figure is per user, not per distinct word: the parsing caches keyed by words
(bot/services/parsing names.py, morph.py) are LRU-bounded and fill with the vocabulary (a run
with a different name per user gave 0.44 MB per 1,000 users, caches filling included). The
measured work is a fixed batch of `/call` updates by ACTIVE regular users, taken once at 1,000
users and once at 10,000.

- RSS per 1,000 users seen once: (RSS at the end - RSS at the first mark) / thousands added,
  after gc.collect(); goal <= 0.3 MB.
- CPU per update (process time: the event loop plus the aiosqlite thread; PostgreSQL's own
  server CPU is not in it) at the last mark / at the first; goal <= 1.15.

Run: .venv/bin/python -m bench.bench_p10_users [--users 10000] [--first 1000] [--pg]
     [--updates 400]
(--pg: the own PostgreSQL database kambot_h5, its schema recreated for the run.)
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import CallbackQuery, Chat, Message, MessageEntity, Update, User
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_dispatcher, create_fsm_storage, pin_response_types
from bot.config import Settings
from storage.db import create_engine, create_session_pool
from storage.migrate import upgrade

PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/kambot_h5"
BOT_TOKEN = "4242424:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ"
BOT_ID = 4242424
FIRST_USER = 5_000_000
CLIENT = "Ромашка"
BATCHES = 5
ACTIVE = 50  # regular users doing the measured work; few updates each, so never throttled
MB = 1024 * 1024
GOAL_RSS_MB_PER_1000 = 0.3
GOAL_CPU_RATIO = 1.15
MESSAGE_METHODS = {"sendMessage", "editMessageText", "editMessageReplyMarkup"}


class QuietSession(BaseSession):
    """Answers like Telegram (a message for a message) and remembers only the last markup."""

    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1)
        self.last_markup: dict[int, Any] = {}  # chat -> the last inline keyboard (one entry)

    async def close(self) -> None:
        return None

    async def stream_content(self, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover
        # BaseSession requires it; the measured updates never download a file.
        raise RuntimeError("bench_p10_users: the measured updates download no files")

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - BaseSession's signature
    ) -> TelegramType:
        result: Any = True
        if method.__api_method__ in MESSAGE_METHODS:
            chat_id = int(getattr(method, "chat_id", 0) or 0)
            result = {
                "message_id": getattr(method, "message_id", None) or next(self._ids),
                "date": 1_700_000_000,
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "KamBot"},
                "text": getattr(method, "text", None) or "…",
            }
            markup = getattr(method, "reply_markup", None)
            if getattr(markup, "inline_keyboard", None) is not None:
                self.last_markup = {chat_id: (result["message_id"], markup)}
        response = self.check_response(bot, method, 200, json.dumps({"ok": True, "result": result}))
        return response.result  # type: ignore[return-value]


class Driver:
    """Feeds updates of many users into one dispatcher; keeps nothing per user."""

    def __init__(self, dp: Dispatcher, bot: Bot, session: QuietSession) -> None:
        self.dp, self.bot, self.session = dp, bot, session
        self._update_ids = itertools.count(1)

    def _user(self, user_id: int) -> User:
        return User(id=user_id, is_bot=False, first_name="Анна", language_code="ru")

    async def send(self, user_id: int, body: str) -> None:
        command = len(body.split(maxsplit=1)[0])
        message = Message(
            message_id=next(self._update_ids),
            date=datetime.now(UTC),
            chat=Chat(id=user_id, type="private"),
            from_user=self._user(user_id),
            text=body,
            entities=[MessageEntity(type="bot_command", offset=0, length=command)],
        )
        await self.dp.feed_update(
            self.bot, Update(update_id=next(self._update_ids), message=message)
        )

    async def tap_create(self, user_id: int) -> None:
        """Taps "create" under the prompt the last message got (the first button)."""
        message_id, markup = self.session.last_markup[user_id]
        data = markup.inline_keyboard[0][0].callback_data
        message = Message(
            message_id=message_id,
            date=datetime.now(UTC),
            chat=Chat(id=user_id, type="private"),
            from_user=User(id=BOT_ID, is_bot=True, first_name="KamBot"),
            text="…",
        )
        query = CallbackQuery(
            id=str(next(self._update_ids)),
            from_user=self._user(user_id),
            chat_instance="ci",
            message=message,
            data=data,
        )
        update = Update(update_id=next(self._update_ids), callback_query=query)
        await self.dp.feed_update(self.bot, update)

    async def register(self, user_id: int) -> None:
        await self.send(user_id, f"/call {CLIENT} обсудили поставку")
        await self.tap_create(user_id)


def rss_mb() -> float:
    gc.collect()
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


async def work(driver: Driver, updates: int) -> float:
    """CPU ms per update of a fixed batch of touches by the regular users: the median of five
    slices, so a burst of another process on the shared machine doesn't decide the figure."""
    slices = []
    for part in range(BATCHES):
        start = time.process_time()
        for k in range(updates // BATCHES):
            user_id = FIRST_USER + (part + k) % ACTIVE
            await driver.send(user_id, f"/call {CLIENT} КП в пятницу")
        slices.append((time.process_time() - start) / (updates // BATCHES) * 1000)
    return statistics.median(slices)


@asynccontextmanager
async def database(pg: bool) -> AsyncIterator[AsyncEngine]:
    folder = Path(tempfile.mkdtemp(prefix="kambot-bench-p10-"))
    url = PG_URL if pg else f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    engine = create_engine(url)
    if pg:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    try:
        yield engine
    finally:
        await engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


async def run(pg: bool, first: int, users: int, updates: int) -> dict[str, float]:
    async with database(pg) as engine:
        settings = Settings(_env_file=None, bot_token=BOT_TOKEN, database_url=str(engine.url))
        dp = create_dispatcher(
            settings, create_session_pool(engine), storage=create_fsm_storage(settings)
        )
        session = QuietSession()
        bot = Bot(
            BOT_TOKEN, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML)
        )
        driver = Driver(dp, bot, session)
        seen = 0

        async def grow_to(count: int) -> None:
            nonlocal seen
            for user_id in range(FIRST_USER + seen, FIRST_USER + count):
                await driver.register(user_id)
            seen = count
            session.last_markup.clear()

        await grow_to(first)
        await work(driver, updates)  # warm-up: caches, statements, allocator arenas
        rss_first = rss_mb()
        cpu_first = await work(driver, updates)
        started = time.perf_counter()
        await grow_to(users)
        grown_in = time.perf_counter() - started
        cpu_last = await work(driver, updates)
        rss_last = rss_mb()
    per_1000 = (rss_last - rss_first) / ((users - first) / 1000)
    return {
        "rss_first": rss_first,
        "rss_last": rss_last,
        "rss_per_1000": per_1000,
        "cpu_first": cpu_first,
        "cpu_last": cpu_last,
        "ratio": cpu_last / cpu_first,
        "register_ms": grown_in / (users - first) * 1000,
    }


def report(backend: str, first: int, users: int, r: dict[str, float]) -> None:
    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    print(f"P10 on {backend}: {first:,} -> {users:,} users seen once")
    print(
        f"  RSS {r['rss_first']:.1f} -> {r['rss_last']:.1f} MB: "
        f"{r['rss_per_1000']:.3f} MB per 1,000 users "
        f"(goal <= {GOAL_RSS_MB_PER_1000}): {verdict(r['rss_per_1000'] <= GOAL_RSS_MB_PER_1000)}"
    )
    print(
        f"  CPU per update {r['cpu_first']:.2f} ms at {first:,} -> {r['cpu_last']:.2f} ms at "
        f"{users:,}: ratio {r['ratio']:.2f} (goal <= {GOAL_CPU_RATIO}): "
        f"{verdict(r['ratio'] <= GOAL_CPU_RATIO)}"
    )
    print(f"  (registering took {r['register_ms']:.1f} ms wall per user, two updates each)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000, help="users seen at the end")
    parser.add_argument("--first", type=int, default=None, help="first mark (default users/10)")
    parser.add_argument("--updates", type=int, default=400, help="measured updates per mark")
    parser.add_argument("--pg", action="store_true", help="also on PostgreSQL (kambot_h5)")
    args = parser.parse_args(argv)
    first = args.first or max(ACTIVE, args.users // 10)
    global _PINNED
    _PINNED = pin_response_types()
    backends = [False, True] if args.pg else [False]
    for pg in backends:
        result = asyncio.run(run(pg, first, args.users, args.updates))
        report("PostgreSQL" if pg else "SQLite", first, args.users, result)


_PINNED: tuple[type, ...] = ()

if __name__ == "__main__":
    main()
