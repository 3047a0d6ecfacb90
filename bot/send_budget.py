"""One send budget per bot token across processes (issue 11).

Telegram counts messages per token, not per process: two workers each pacing themselves at 25/s
would send 50/s and earn 429s. With REDIS_URL set, every process asks Redis before a proactive
send, through the `limits` library's moving windows (its Redis storage, on the redis-py client
the dialog state already uses): at most ``global_per_second`` sends in any second for the token,
one per ``per_chat_seconds`` per chat, and a 429 seen by one process pauses them all until its
``retry_after`` is over (a "paused until" key). Without REDIS_URL one process keeps the
in-memory RateLimiter; TelegramSender talks to both through the one SendBudget protocol.

Redis unreachable (at start or mid-run): the process falls back to its own in-memory limiter at
half the budget, so the one or two workers of a usual deployment together stay under Telegram's
~30/s, logs an error once per outage and tries Redis again every ``RETRY_REDIS_SECONDS``.
Reminders go out late rather than not at all; Telegram's own 429s, which the sender honours,
are the backstop.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from bot.config import Settings
from bot.services.schedule.delivery_limits import RateLimiter

log = logging.getLogger(__name__)

RETRY_REDIS_SECONDS = 15.0
# Shortest nap while waiting for a window to free: the window's own reset time is exact, this
# only keeps a clock skew of a hair from spinning.
_MIN_NAP = 0.005
# "Paused until": the larger of two deadlines wins, and the key expires with it.
_PAUSE_SCRIPT = """
local current = tonumber(redis.call('get', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1
"""


class SendBudget(Protocol):
    """What TelegramSender needs of a limiter: RateLimiter in one process, SharedSendBudget in
    many."""

    @property
    def global_per_second(self) -> float: ...

    async def acquire(self, chat_id: int) -> None: ...

    def penalize(self, seconds: float, chat_id: int | None = None) -> None: ...


def budget_namespace(token: str) -> str:
    """Redis keys per token, named without the token: the bot id and a short hash."""
    bot_id = token.partition(":")[0] or "bot"
    return f"{bot_id}-{hashlib.sha256(token.encode()).hexdigest()[:8]}"


def make_send_budget(settings: Settings) -> SendBudget:
    """The limiter of this process's proactive sends (runner's TelegramSender)."""
    if not settings.redis_url:
        # A little under Telegram's ~30/s and ~1/s per chat: their counters are not ours to the ms.
        return RateLimiter(global_per_second=27, per_chat_interval=1.25)
    return SharedSendBudget(settings.redis_url, budget_namespace(settings.token_value))


REDIS_TIMEOUT = 3.0
REDIS_CONNECTIONS = 20


class SharedSendBudget:
    def __init__(
        self,
        redis_url: str,
        namespace: str,
        *,
        global_per_second: int = 25,
        per_chat_seconds: int = 1,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        from limits import RateLimitItemPerSecond
        from limits.aio.storage import RedisStorage
        from limits.aio.strategies import MovingWindowRateLimiter
        from limits.errors import StorageError
        from redis.asyncio import BlockingConnectionPool, Redis
        from redis.exceptions import RedisError

        # What "Redis is not answering" looks like from here; anything else is a bug and raises.
        self._redis_errors: tuple[type[Exception], ...] = (RedisError, StorageError, OSError)

        # A few seconds, not one: on a busy box a burst of new connections can take over a
        # second to be accepted, and a false "Redis is down" halves the send rate for 15 s.
        # Blocking: every queued send asks Redis at once (a claim queues 200), and redis-py's
        # plain pool raises "Too many connections" past 100, which read as Redis being down
        # (tests/ops/test_scale_out.py); here a send waits for a free connection instead.
        self._pool = BlockingConnectionPool.from_url(
            redis_url,
            max_connections=REDIS_CONNECTIONS,
            timeout=REDIS_TIMEOUT,
            socket_timeout=REDIS_TIMEOUT,
            socket_connect_timeout=REDIS_TIMEOUT,
        )
        self._redis = Redis(connection_pool=self._pool)
        prefix = f"kambot:{namespace}:budget"
        storage = RedisStorage(
            "async+" + redis_url,
            implementation="redispy",
            key_prefix=prefix,
            connection_pool=self._pool,  # type: ignore[arg-type]
        )
        self._windows = MovingWindowRateLimiter(storage)
        self._global = RateLimitItemPerSecond(global_per_second, 1)
        self._per_chat = RateLimitItemPerSecond(1, per_chat_seconds)
        self._pause_key = f"{prefix}:paused-until"
        self._rate = float(global_per_second)
        self._sleep = sleep
        # One waiter per process at the global window: the others queue here, not on Redis.
        self._turn = asyncio.Lock()
        # Grants of this process are paced 1/rate apart, so the sender's own pacing gate
        # (TelegramSender._spaced) never holds a granted send back: a chat's hit in Redis and
        # its message leave together, which keeps the per-chat second a second on the wire.
        self._next_grant = 0.0
        self._local_pause = 0.0
        self._fallback = RateLimiter(
            global_per_second=global_per_second / 2, per_chat_interval=per_chat_seconds * 1.25
        )
        self._degraded_until = 0.0
        self._publishing: set[asyncio.Task[None]] = set()

    @property
    def global_per_second(self) -> float:
        return self._rate

    @property
    def degraded(self) -> bool:
        """True while this process sends on its own limiter because Redis failed."""
        return time.monotonic() < self._degraded_until

    async def acquire(self, chat_id: int) -> None:
        """Wait until a message to ``chat_id`` may be sent now, by every process's count."""
        if self.degraded:
            await self._fallback.acquire(chat_id)
            return
        try:
            await self._acquire_shared(chat_id)
        except self._redis_errors as exc:  # send on, on this process's own budget
            self._degrade(exc)
            await self._fallback.acquire(chat_id)
            return
        if self._degraded_until:
            self._degraded_until = 0.0
            log.warning("Redis is back: sends share the budget across processes again")

    def penalize(self, seconds: float, chat_id: int | None = None) -> None:
        """After a 429: every process holds its sends for ``seconds``."""
        if not seconds > 0:
            return
        self._fallback.penalize(seconds, chat_id)
        if chat_id is not None:  # one chat's pause stays in this process (the sender sends none)
            return
        until = time.time() + seconds
        self._local_pause = max(self._local_pause, until)
        task = asyncio.get_running_loop().create_task(self._publish_pause(until, seconds))
        self._publishing.add(task)
        task.add_done_callback(self._publishing.discard)

    async def aclose(self) -> None:
        if self._publishing:
            await asyncio.gather(*self._publishing, return_exceptions=True)
        await self._redis.aclose()
        await self._pool.disconnect()

    async def _acquire_shared(self, chat_id: int) -> None:
        key = str(chat_id)
        while True:
            await self._wait_pause()
            await self._wait_chat(key)
            async with self._turn:
                # Nobody in this process can take the chat between this test and the hit below;
                # another process can, and then our global entry is spent: rare, and harmless.
                if (wait := self._next_grant - time.monotonic()) > 0:
                    await self._sleep(wait)
                if not await self._windows.test(self._per_chat, key):
                    continue
                await self._take_global()
                if await self._windows.hit(self._per_chat, key):
                    self._next_grant = time.monotonic() + 1.0 / self._rate
                    return

    async def _wait_pause(self) -> None:
        raw = await self._redis.get(self._pause_key)
        until = max(self._local_pause, float(raw) if raw else 0.0)
        if (wait := until - time.time()) > 0:
            await self._sleep(wait)

    async def _wait_chat(self, key: str) -> None:
        while not await self._windows.test(self._per_chat, key):
            await self._nap_until_reset(self._per_chat, key)

    async def _take_global(self) -> None:
        while not await self._windows.hit(self._global):
            await self._nap_until_reset(self._global)

    async def _nap_until_reset(self, item: Any, *keys: str) -> None:
        stats = await self._windows.get_window_stats(item, *keys)
        await self._sleep(max(stats.reset_time - time.time(), _MIN_NAP))

    async def _publish_pause(self, until: float, seconds: float) -> None:
        try:
            ttl_ms = str(math.ceil(seconds * 1000) + 1000)
            await self._redis.eval(_PAUSE_SCRIPT, 1, self._pause_key, repr(until), ttl_ms)
        except self._redis_errors as exc:  # the pause still holds in this process
            self._degrade(exc)

    def _degrade(self, exc: BaseException) -> None:
        if not self.degraded:
            log.error(
                "Redis unreachable (%s): sends fall back to this process's own limiter at %.1f/s"
                " (not shared with other processes); Redis is tried again in %.0f s",
                exc,
                self._fallback.global_per_second,
                RETRY_REDIS_SECONDS,
            )
        self._degraded_until = time.monotonic() + RETRY_REDIS_SECONDS
