"""One update at a time per user across `serve` intakes on one PostgreSQL without Redis (issue 11).

bot/user_lock.py extends ThrottlingMiddleware's one-update-per-user rule to all processes with
a lease in Redis. Without Redis nothing else is shared, and the one update Telegram delivered
to two intakes at once (a retry to another instance while the first still worked on it) was
handled by both: both read "not processed", both replied, and the loser's commit failed on the
unique key after its reply had gone (an apology as a second answer, or a second reply for a
handler that writes nothing). The two callbacks of a double tap raced the same way past the
first-press mark. tests/ops/test_two_intakes_no_redis.py: both in 10 of 10 rounds.

The same rule here, with a PostgreSQL advisory lock per user, taken on the connection the
update's session then uses (the session is bound to it). The lock spans the whole handling and
every commit in it, as the Redis lease does: a transaction-level lock would go with the
handler's first commit, and the read-only path's rollback before it records the update id
would open a gap for the other intake. It is taken after the in-process lock (one waiter per
user per process), so it costs one connection per update, the one the session needed anyway.
Other users' keys are other locks: different chats stay side by side. Webhook intakes only:
polling is one intake per token by Telegram's rule (a second getUpdates poller gets 409).

Nothing outlives the handling: the lock is released at the end, and when that cannot be
confirmed (the connection broke, the task was cancelled) the connection is closed instead,
which releases it on the server; a killed process releases it the same way.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiogram.types import User
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from bot.user_lock import WAIT_SECONDS

log = logging.getLogger(__name__)

# One round trip: the FROM clause (volatile, so not flattened) sets the wait limit for this
# transaction before the select list asks for the lock.
_LOCK = text(
    "SELECT pg_advisory_lock(:key) FROM (SELECT set_config('lock_timeout', :timeout, true)) AS t"
)
_UNLOCK = text("SELECT pg_advisory_unlock(:key)")
LOCK_NOT_AVAILABLE = "55P03"


def lock_key(bot_id: int, user_id: int) -> int:
    """A signed 64-bit key of its own per bot and user (advisory keys are one space per
    database; storage/migrate.py holds a constant one)."""
    digest = hashlib.blake2b(f"kambot:user-lock:{bot_id}:{user_id}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


def locking_engine(
    session_pool: async_sessionmaker[AsyncSession], data: dict[str, Any]
) -> AsyncEngine | None:
    """The engine to lock on: PostgreSQL, a user to lock for, and no Redis (whose lease already
    does it); None otherwise (SQLite is one process)."""
    engine = session_pool.kw.get("bind")
    storage = data.get("fsm_storage")
    if (
        isinstance(engine, AsyncEngine)
        and engine.dialect.name == "postgresql"
        and isinstance(data.get("event_from_user"), User)
        # By name: redis is an optional extra, imported only where REDIS_URL is set.
        and type(storage).__name__ != "RedisStorage"
    ):
        return engine
    return None


@asynccontextmanager
async def locked_connection(engine: AsyncEngine, key: int) -> AsyncIterator[AsyncConnection]:
    """A connection holding the user's lock, for the update's session to be bound to."""
    async with engine.connect() as connection:
        held = await _acquire(connection, key)
        try:
            yield connection
        finally:
            if held:
                await _release(connection, key)


async def _acquire(connection: AsyncConnection, key: int) -> bool:
    try:
        await connection.execute(_LOCK, {"key": key, "timeout": f"{int(WAIT_SECONDS * 1000)}ms"})
        await connection.commit()  # the session starts its own transactions on this connection
    except BaseException as exc:
        if not isinstance(exc, DBAPIError) or _state(exc) != LOCK_NOT_AVAILABLE:
            # Perhaps taken, never confirmed (a cancel, a broken connection): a pooled
            # connection must not keep it.
            await connection.invalidate()
            raise
        await connection.rollback()
        # Another intake has held this user that long and is alive (a dead one's lock went
        # with its connection): as with the Redis lease, a late reply beats a lost one.
        log.warning("user lock not taken in %.0f s; handling the update anyway", WAIT_SECONDS)
        return False
    return True


def _state(exc: DBAPIError) -> str | None:
    state = getattr(exc.orig, "sqlstate", None)
    return state if isinstance(state, str) else None


async def _release(connection: AsyncConnection, key: int) -> None:
    try:
        await connection.rollback()  # the session's, if it left one open
        await connection.execute(_UNLOCK, {"key": key})
        await connection.commit()
    except BaseException as exc:
        # Unconfirmed: a pooled connection must not keep the lock, so it is closed instead.
        await connection.invalidate()
        if not isinstance(exc, Exception):
            raise  # cancelled: the lock is gone with the connection, the cancel goes on
        log.warning("user lock released by closing its connection: %s", exc)
