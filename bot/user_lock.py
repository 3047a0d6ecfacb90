"""One update at a time per user across processes, when intakes share Redis (issue 11).

Every double-tap guard of the bot (the dialog state a confirm button leaves before it acts,
the duplicate check before a client is created, the first-press mark of a touch button) reads
and then writes; ThrottlingMiddleware makes that safe by handling one update of a user at a
time, but only inside one process. Two `serve` intakes behind one proxy get the two callbacks
of a double tap at once, both read "not done yet", and both act (a duplicate client in 9 of 10
rounds, tests/flows/test_double_tap_intakes.py). This middleware extends that one rule to all
processes with a lease in the same Redis that holds the dialog state, so every guard that works
on one intake works on many, without a claim per button.

Redis down: the update is handled without the lease (a warning in the log) rather than lost;
the worst case is the one-intake guarantee, which the unique keys in the database back up.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import TelegramObject, User

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

# The lease outlives any update we handle (an import is parsed in seconds); a process killed
# mid-update leaves it to expire on its own.
LEASE_SECONDS = 120.0
# A user's next update waits at most this long for the one in another process, then goes on:
# a late reply is better than a lost one.
WAIT_SECONDS = 30.0
POLL_SECONDS = 0.01


class UserLockMiddleware(BaseMiddleware):
    """Takes the lease in the Redis of the dialog state; with dialogs in memory (one process)
    it does nothing."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = data.get("event_from_user")
        storage: Any = data.get("fsm_storage")
        # By name: redis is an optional extra, imported only where REDIS_URL is set.
        if type(storage).__name__ != "RedisStorage" or not isinstance(user, User):
            return await handler(event, data)
        bot: Bot = data["bot"]
        return await _leased(
            storage.redis, f"kambot:{bot.id}:user-lock:{user.id}", handler, event, data
        )


async def _leased(
    redis: Any, key: str, handler: Handler, event: TelegramObject, data: dict[str, Any]
) -> Any:
    from redis.exceptions import LockError, RedisError

    lease = redis.lock(
        key, timeout=LEASE_SECONDS, sleep=POLL_SECONDS, blocking_timeout=WAIT_SECONDS
    )
    try:
        held = await lease.acquire()
    except RedisError as exc:
        log.warning("Redis unreachable, update handled without the cross-process lock: %s", exc)
        return await handler(event, data)
    if not held:
        log.warning("user lock not taken in %.0f s; handling the update anyway", WAIT_SECONDS)
        return await handler(event, data)
    try:
        return await handler(event, data)
    finally:
        try:
            await lease.release()
        except (LockError, RedisError) as exc:  # expired, or Redis went away: it expires
            log.warning("user lock not released: %s", exc)
