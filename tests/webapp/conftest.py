"""The Mini App's API on a real aiohttp server on loopback, over the per-test database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from bot.webapp.api import setup_webapp
from tests.support.mocked_bot import BOT_TOKEN
from tests.webapp.browser_support import browser, site
from tests.webapp.signing import MAX_AGE

__all__ = ["api", "browser", "site"]  # browser and site: tests in a real browser


@pytest.fixture
async def api(
    session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    app = web.Application()
    setup_webapp(app, session_pool=session_pool, clock=clock, bot_token=BOT_TOKEN, max_age=MAX_AGE)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client
