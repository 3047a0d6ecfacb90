"""The per-user PostgreSQL lock of bot/pg_user_lock.py outlives nothing: not a handling that
failed, not one that was cancelled, not one whose connection broke; it holds the same user and
nobody else, and a waiter that waited too long goes on (tests/ops/test_two_intakes_no_redis.py
drives it through two real intakes)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot import pg_user_lock
from storage.db import create_engine
from tests.conftest import PG_URL

pytestmark = [
    pytest.mark.db,
    pytest.mark.skipif(PG_URL is None, reason="PostgreSQL only: set TEST_DATABASE_URL (CI does)"),
]

USER = pg_user_lock.lock_key(bot_id=1, user_id=7)
OTHER = pg_user_lock.lock_key(bot_id=1, user_id=8)
HELD = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")


@pytest.fixture
async def engine(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(postgres_url)
    yield engine
    await engine.dispose()


async def _held(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(HELD)).scalar_one())


async def _free(engine: AsyncEngine, key: int) -> bool:
    """Whether another connection could take the lock right now."""
    async with engine.connect() as conn:
        query = text("SELECT pg_try_advisory_xact_lock(:key)")
        return bool((await conn.execute(query, {"key": key})).scalar_one())


async def test_a_failed_handling_leaves_no_lock(engine: AsyncEngine) -> None:
    async def handling() -> None:
        async with pg_user_lock.locked_connection(engine, USER) as conn:
            await conn.execute(text("SELECT 1"))
            assert await _held(engine) == 1
            raise RuntimeError("the handler failed")

    with pytest.raises(RuntimeError, match="the handler failed"):
        await handling()
    assert await _held(engine) == 0
    assert await _free(engine, USER)


async def test_a_cancelled_handling_leaves_no_lock(engine: AsyncEngine) -> None:
    inside = asyncio.Event()

    async def handling() -> None:
        async with pg_user_lock.locked_connection(engine, USER):
            inside.set()
            await asyncio.sleep(30)

    task = asyncio.create_task(handling())
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await _held(engine) == 0


async def test_a_broken_connection_keeps_the_handlers_error(engine: AsyncEngine) -> None:
    """The connection dies mid-handling: the server drops the lock with it, and the handler's
    own error (the one the error boundary answers 500 for) is what comes out."""

    async def kill(conn: AsyncConnection) -> None:
        pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        async with engine.connect() as other:
            await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    async def handling() -> None:
        async with pg_user_lock.locked_connection(engine, USER) as conn:
            await kill(conn)
            await conn.execute(text("SELECT 2"))

    with pytest.raises(DBAPIError, match="SELECT 2"):
        await handling()
    assert await _held(engine) == 0


async def test_one_user_waits_other_users_do_not(engine: AsyncEngine) -> None:
    async with pg_user_lock.locked_connection(engine, USER):
        assert await _free(engine, OTHER)
        assert not await _free(engine, USER)


async def test_a_waiter_goes_on_after_the_wait_limit(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pg_user_lock, "WAIT_SECONDS", 0.3)
    async with pg_user_lock.locked_connection(engine, USER):
        started = time.monotonic()
        async with pg_user_lock.locked_connection(engine, USER) as late:
            waited = time.monotonic() - started
            # The limit was for the lock alone: the update's own statements wait as before.
            timeout = (await late.execute(text("SHOW lock_timeout"))).scalar_one()
    assert 0.25 < waited < 5
    assert timeout == "0"
    assert await _held(engine) == 0
