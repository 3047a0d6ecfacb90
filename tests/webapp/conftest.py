"""The Mini App's API on a real aiohttp server on loopback, over the per-test database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from aiogram import Bot
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_bot
from bot.config import Settings
from bot.services.clock import FrozenClock
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.webapp.browser_support import browser, site, webapp

# browser and site: tests in a real browser; chat_bot and telegram: the page answering in the chat
__all__ = ["api", "browser", "chat_bot", "site", "telegram"]


@pytest.fixture
async def api(
    session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    async with TestClient(TestServer(webapp(session_pool, clock), host="127.0.0.1")) as client:
        yield client


@pytest.fixture
def telegram() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
async def chat_bot(settings: Settings, telegram: FakeTelegramAPI) -> AsyncIterator[Bot]:
    """The Bot the runner passes to the Mini App (bot/app.py), at the fake Bot API."""
    bot = create_bot(settings.model_copy(update={"telegram_api_url": telegram.base_url}))
    try:
        yield bot
    finally:
        await bot.session.close()
