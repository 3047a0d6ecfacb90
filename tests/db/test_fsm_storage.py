"""REDIS_URL switches dialog state to Redis, so a dialog survives a restart."""

from __future__ import annotations

import os

import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage

from bot.app import create_fsm_storage
from bot.config import Settings
from tests.support.mocked_bot import BOT_ID, BOT_TOKEN

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _settings(**kwargs: object) -> Settings:
    return Settings(_env_file=None, bot_token=BOT_TOKEN, **kwargs)  # type: ignore[arg-type]


def test_memory_storage_without_redis_url() -> None:
    assert isinstance(create_fsm_storage(_settings()), MemoryStorage)


async def test_redis_storage_keeps_state_across_instances() -> None:
    from aiogram.fsm.storage.redis import RedisStorage
    from redis.exceptions import ConnectionError as RedisConnectionError

    key = StorageKey(bot_id=BOT_ID, chat_id=1001, user_id=1001)
    first = create_fsm_storage(_settings(redis_url=REDIS_URL))
    assert isinstance(first, RedisStorage)
    try:
        await first.set_state(key, "PrefInput:timezone")
        await first.set_data(key, {"flow": "o"})
    except RedisConnectionError:
        await first.close()
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("no Redis on 127.0.0.1:6379 (CI runs this test)")
    await first.close()
    second = create_fsm_storage(_settings(redis_url=REDIS_URL))
    try:
        assert await second.get_state(key) == "PrefInput:timezone"
        assert await second.get_data(key) == {"flow": "o"}
        await second.set_state(key, None)
        await second.set_data(key, {})
    finally:
        await second.close()
