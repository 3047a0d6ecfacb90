"""Shared fixtures: a migrated database per test (SQLite always, PostgreSQL when configured),
a real Dispatcher, a recording bot and a BotClient that drives them."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram import Dispatcher
from aiogram.fsm.storage.memory import MemoryStorage
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services.clock import FrozenClock
from storage.db import create_engine, create_session_pool
from storage.migrate import upgrade
from storage.models import Base
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import BOT_TOKEN, MockedBot

CI_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
# In CI the PostgreSQL run is mandatory: an unreachable server fails the suite, never skips it.
PG_URL = os.environ.get("TEST_DATABASE_URL") or (
    CI_POSTGRES_URL if os.environ.get("CI") == "true" else None
)
BACKENDS = ["sqlite", *(["postgres"] if PG_URL else [])]
NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


async def _migrate(url: str, *, reset: bool = False) -> None:
    engine = create_engine(url)
    try:
        if reset:
            async with engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "kambot.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    assert PG_URL is not None
    try:
        asyncio.run(_migrate(PG_URL, reset=True))
    except Exception as exc:  # noqa: BLE001 - any connection error must fail loudly
        pytest.fail(f"PostgreSQL at {PG_URL} is required here but unusable: {exc!r}")
    return PG_URL


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = tmp_path / "kambot.db"
        shutil.copyfile(template, target)
        return f"sqlite+aiosqlite:///{target}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(db_url)
    if engine.dialect.name == "postgresql":
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield engine
    await engine.dispose()


@pytest.fixture
def session_pool(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_pool(engine)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def settings(db_url: str) -> Settings:
    # Tests click faster than any thumb: the flood limit has its own test with its own settings.
    return Settings(  # type: ignore[call-arg]
        _env_file=None, bot_token=BOT_TOKEN, database_url=db_url, throttle_burst=10_000
    )


@pytest.fixture
def dispatcher(
    settings: Settings, session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> Dispatcher:
    return create_dispatcher(settings, session_pool, clock=clock, storage=MemoryStorage())


@pytest.fixture
def bot() -> MockedBot:
    return MockedBot()


@pytest.fixture
def client(dispatcher: Dispatcher, bot: MockedBot) -> BotClient:
    return BotClient(dispatcher, bot)
