"""A double tap whose two callbacks reach two intakes (two processes on one PostgreSQL and one
Redis) acts once: "➕ Create a new client" pressed twice makes one client (issue 11).

Two Dispatchers, each with its own engine and session pool on the same database and its own
RedisStorage on one Redis database, stand for two `kambot serve` processes; the two callback
updates (two update ids, one message, one button) are fed to them at the same moment.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from aiogram import Dispatcher
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_dispatcher, create_fsm_storage
from bot.config import Settings
from bot.services.clock import FrozenClock
from storage.db import create_engine, create_session_pool
from storage.models import Base, Client, Manager
from tests.conftest import NOW, PG_URL
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import BOT_TOKEN, MockedBot
from tests.support.spreadsheets import csv_bytes, russian_clients

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
ROUNDS = 10
IMPORT_ROUNDS = 5
IMPORT_ROWS = 300

pytestmark = pytest.mark.skipif(
    PG_URL is None, reason="two intakes need PostgreSQL: set TEST_DATABASE_URL (CI always does)"
)


@dataclass
class Intake:
    dispatcher: Dispatcher
    engine: AsyncEngine


async def _flush_redis_or_skip() -> None:
    from redis.asyncio import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.flushdb()
    except RedisConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("no Redis on 127.0.0.1:6379 (CI runs this test)")
    finally:
        await redis.aclose()


def _intake(url: str, clock: FrozenClock) -> Intake:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=BOT_TOKEN,
        database_url=url,
        redis_url=REDIS_URL,
        throttle_burst=10_000,
    )
    engine = create_engine(url)
    dispatcher = create_dispatcher(
        settings, create_session_pool(engine), clock=clock, storage=create_fsm_storage(settings)
    )
    return Intake(dispatcher, engine)


@pytest.fixture
async def intakes(postgres_url: str) -> AsyncIterator[tuple[Intake, Intake]]:
    await _flush_redis_or_skip()
    clock = FrozenClock(NOW)
    first, second = _intake(postgres_url, clock), _intake(postgres_url, clock)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    async with first.engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield first, second
    for intake in (first, second):
        await intake.dispatcher.storage.close()
        await intake.engine.dispose()


async def _clients_named(engine: AsyncEngine, name: str) -> int:
    async with engine.connect() as conn:
        count = await conn.scalar(select(func.count()).where(Client.name == name))
        return int(count or 0)


async def test_create_pressed_on_two_intakes_makes_one_client(
    intakes: tuple[Intake, Intake],
) -> None:
    first, second = intakes
    bot = MockedBot()
    on_first = BotClient(first.dispatcher, bot)
    on_second = BotClient(second.dispatcher, bot)
    await on_first.send("/start")
    duplicates = []
    for round_no in range(ROUNDS):
        name = f"Ромашка {round_no + 1}"
        await on_first.send(f"/client {name}")
        reply, data = on_first._find_button("Создать нового клиента", None)
        await asyncio.gather(
            on_first.press(data, message_id=reply.message_id),
            on_second.press(data, message_id=reply.message_id),
        )
        if await _clients_named(first.engine, name) != 1:
            duplicates.append(name)
    assert duplicates == [], f"{len(duplicates)} of {ROUNDS} double taps acted twice"


async def _clients_of(engine: AsyncEngine, telegram_id: int) -> int:
    query = (
        select(func.count())
        .select_from(Client)
        .join(Manager, Manager.id == Client.owner_id)
        .where(Manager.telegram_id == telegram_id)
    )
    async with engine.connect() as conn:
        return int(await conn.scalar(query) or 0)


async def test_import_confirmed_on_two_intakes_imports_once(
    intakes: tuple[Intake, Intake],
) -> None:
    first, second = intakes
    bot = MockedBot()
    content = csv_bytes(russian_clients(IMPORT_ROWS))
    counts = []
    for round_no in range(IMPORT_ROUNDS):
        user_id = 5001 + round_no  # a manager per round: each imports into an empty base
        on_first = BotClient(first.dispatcher, bot, user_id=user_id)
        on_second = BotClient(second.dispatcher, bot, user_id=user_id)
        await on_first.send("/start")
        await on_first.send("/import")
        await on_first.send_document(content, "base.csv")
        reply, data = on_first._find_button(f"Импортировать ({IMPORT_ROWS})", None)
        await asyncio.gather(
            on_first.press(data, message_id=reply.message_id),
            on_second.press(data, message_id=reply.message_id),
        )
        counts.append(await _clients_of(first.engine, user_id))
    assert counts == [IMPORT_ROWS] * IMPORT_ROUNDS
