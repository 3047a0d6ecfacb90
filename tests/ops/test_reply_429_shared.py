"""Issue 11: "a 429 seen by one process slows all of them". Workers already share the 429s
their reminders get; here the 429 comes to an intake's reply to a user (a morning when
reminders and managers' messages share the token's ~30/s). A real `run --no-scheduler` process
(intake only) answers a message; the fake Bot API refuses the reply once with retry_after=3.
The reply is retried and delivered, the 429 is counted, and a worker's budget on the same Redis
(another process, stood for by a SharedSendBudget here) holds its next send until the pause
is over. Needs Redis: CI always runs it; outside CI it skips when Redis is not there."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import pytest

from bot.send_budget import SharedSendBudget, budget_namespace
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.ops.support import REDIS_TEST_URL, Role, http_get, wait_until
from tests.ops.test_send_budget import _redis_or_skip
from tests.support.mocked_bot import BOT_TOKEN

USER = 7301
RETRY_AFTER = 3


async def _clear_pause(namespace: str) -> None:
    from redis.asyncio import Redis

    redis = Redis.from_url(REDIS_TEST_URL)
    try:
        await redis.delete(f"kambot:{namespace}:budget:paused-until")  # an earlier run's
    finally:
        await redis.aclose()


async def _worker_wait(namespace: str, chat_id: int) -> float:
    """How long a worker's next send to a chat of its own waits, in seconds."""
    budget = SharedSendBudget(REDIS_TEST_URL, namespace)
    try:
        started = time.monotonic()
        await budget.acquire(chat_id)
        waited = time.monotonic() - started
        assert not budget.degraded
    finally:
        await budget.aclose()
    return waited


@pytest.mark.usefixtures("redis_up")
def test_a_429_on_an_intakes_reply_pauses_the_workers(api: FakeTelegramAPI, tmp_path: Path) -> None:
    namespace = budget_namespace(BOT_TOKEN)
    asyncio.run(_clear_pause(namespace))
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'data' / 'kambot.db'}",
        "REDIS_URL": REDIS_TEST_URL,
    }
    intake = Role(api, tmp_path, ["run", "--no-scheduler"], env=env).start()
    try:
        assert asyncio.run(_worker_wait(namespace, USER + 1)) < 0.5  # no pause before the 429
        refused = api.throttled_count
        api.fail_next("sendMessage", 429, retry_after=RETRY_AFTER, chat_id=USER)
        api.push_message(USER, "/help", language_code="en")
        wait_until(lambda: api.throttled_count > refused, what="the reply refused with 429")
        seen = time.monotonic()
        time.sleep(0.3)  # the intake publishes the pause right after the 429, not before
        waited = asyncio.run(_worker_wait(namespace, USER + 2))
        # The pause ends RETRY_AFTER s after the 429: whatever of it is left when the worker asks.
        assert waited >= RETRY_AFTER - (time.monotonic() - seen - waited) - 0.5, waited
        assert waited >= 1.5, waited
        wait_until(lambda: bool(api.sent_messages(USER)), timeout=30, what="the retried reply")
        metrics = http_get(intake.url("/metrics"))[1]
        counted = re.search(
            r'^kambot_telegram_429_total\{method="sendMessage"\} (\S+)$', metrics, re.M
        )
        assert counted is not None, metrics
        assert float(counted.group(1)) == 1.0  # the retried 429 is counted too
    finally:
        assert intake.stop() == 0, intake.log()


@pytest.fixture
def redis_up() -> None:
    asyncio.run(_redis_or_skip())
