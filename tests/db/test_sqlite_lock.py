"""Another process holding SQLite's write lock: the bot's writes wait for it, none is lost.

A second process (a backup tool, `sqlite3` in a shell, a second bot by mistake) may hold the
write lock for seconds. A manager's message must then be slow, not refused: no apology, and
above all no apology for a write that was in fact saved.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Interaction
from tests.support.bot_client import BotClient

pytestmark = pytest.mark.db

LOCK_SECONDS = 3.0
HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


@pytest.fixture
def db_url(sqlite_template: Path, tmp_path: Path) -> str:
    """SQLite only: the write lock is SQLite's (PostgreSQL locks rows, not the database)."""
    target = tmp_path / "kambot.db"
    shutil.copyfile(sqlite_template, target)
    return f"sqlite+aiosqlite:///{target}"


HoldLock = Callable[[float], Awaitable[None]]


@pytest.fixture
async def hold_lock(db_url: str) -> AsyncIterator[HoldLock]:
    """Starts a process that holds the write lock for some seconds; returns once it holds it."""
    path = db_url.removeprefix("sqlite+aiosqlite:///")
    started: list[asyncio.subprocess.Process] = []

    async def hold(seconds: float) -> None:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", HOLDER, path, str(seconds), stdout=asyncio.subprocess.PIPE
        )
        started.append(process)
        assert process.stdout is not None
        assert await process.stdout.readline() == b"locked\n"

    yield hold
    for process in started:
        if process.returncode is None:
            process.kill()
        await process.wait()


async def _touches(pool: async_sessionmaker[AsyncSession]) -> int:
    async with pool() as session:
        return int(await session.scalar(select(func.count()).select_from(Interaction)) or 0)


async def _touch(client: BotClient, n: int) -> list[str]:
    return client.texts(await client.send(f"/call Ромашка обсудили поставку {n}"))


async def test_writes_wait_for_another_process_and_none_is_lost(
    client: BotClient,
    session_pool: async_sessionmaker[AsyncSession],
    hold_lock: HoldLock,
) -> None:
    await client.send("/client Ромашка")
    await client.click("➕ Создать нового клиента")
    await hold_lock(LOCK_SECONDS)
    started = time.monotonic()
    replies = [await _touch(client, n) for n in range(3)]  # one chat: one after the other
    waited = time.monotonic() - started
    for texts in replies:
        assert any("✅ Записал" in t for t in texts), texts
        assert not any("Что-то пошло не так" in t for t in texts), texts
    assert await _touches(session_pool) == 3
    assert waited < LOCK_SECONDS + 2, "waited for the lock, not for a timeout"


async def test_a_write_waits_a_minute_before_it_gives_up(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    """A lock held longer than the old 5 s cost an apology and a retyped message per write."""
    async with session_pool() as session:
        waits_ms = await session.scalar(text("PRAGMA busy_timeout"))
    assert waits_ms is not None
    assert waits_ms >= 60_000
