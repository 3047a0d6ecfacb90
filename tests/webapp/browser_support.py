"""A real browser for the Mini App's tests: Debian's Chromium driven by Playwright at a phone
viewport, against the real aiohttp app (setup_webapp) over the per-test database.

The page loads Telegram's SDK from telegram.org; every request off loopback is aborted, so the
tests also prove the page works without the SDK, reading initData and the theme from the URL
hash as Telegram passes them. Screenshots are saved and their paths printed (shown without -s).

Fixtures: `site` (the page's URL on a loopback server) and `browser` (a `Browser`), usable by
any test module under tests/webapp/ (re-exported by conftest.py).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

import pytest
from aiogram import Bot
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from bot.webapp.api import setup_webapp
from tests.conftest import NOW
from tests.support.mocked_bot import BOT_TOKEN
from tests.webapp.seed import ANNA
from tests.webapp.signing import MAX_AGE, sign_init_data

if TYPE_CHECKING:
    from playwright.async_api import Page, ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
PHONE: ViewportSize = {"width": 390, "height": 844}
TIMEOUT_MS = 60_000  # two contended cores: wait for conditions, generously
EVIL = '<script>window.pwned=1</script><img src=x onerror="window.pwned=1">'
DARK = {
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#232e3c",
}


def need_browser() -> None:
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing (apt-get install -y chromium)"
    elif importlib.util.find_spec("playwright") is None:
        missing = "the playwright package is missing (pip install -e '.[dev]')"
    if missing is None:
        return
    if os.environ.get("CI") == "true":  # never skipped in CI
        pytest.fail(f"browser tests cannot run: {missing}")
    pytest.skip(f"browser tests skipped: {missing}")


def url(site: str, init_data: str | None, theme: dict[str, str] | None = None) -> str:
    fields = {"tgWebAppVersion": "7.0", "tgWebAppPlatform": "android"}
    if init_data is not None:
        fields["tgWebAppData"] = init_data
    if theme is not None:
        fields["tgWebAppThemeParams"] = json.dumps(theme)
    return site + "#" + urlencode(fields, quote_via=quote)


def signed() -> str:
    return sign_init_data(BOT_TOKEN, ANNA, NOW - timedelta(minutes=1))


@dataclass
class Browser:
    page: Page
    shots: Path
    errors: list[str]
    capsys: pytest.CaptureFixture[str]

    async def shoot(self, name: str) -> None:
        path = self.shots / f"{name}.png"
        await self.page.screenshot(path=str(path), full_page=True)
        with self.capsys.disabled():  # the paths are shown without -s
            print(f"\nscreenshot: {path}")

    async def fits_the_phone(self) -> None:
        widths = await self.page.evaluate(
            "[document.scrollingElement.scrollWidth, window.innerWidth]"
        )
        assert widths[0] <= widths[1] == PHONE["width"], widths

    async def text(self, selector: str) -> str:
        return await self.page.locator(selector).inner_text(timeout=TIMEOUT_MS)

    async def message(self) -> str:
        await self.page.wait_for_selector("#message:not([hidden])")
        return await self.text("#message")


def webapp(
    session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock, bot: Bot | None = None
) -> web.Application:
    """The aiohttp app as the runner builds it for the Mini App; `bot` answers in the chat."""
    app = web.Application()
    setup_webapp(
        app,
        session_pool=session_pool,
        clock=clock,
        bot_token=BOT_TOKEN,
        max_age=MAX_AGE,
        bot=bot,
    )
    return app


@asynccontextmanager
async def served(app: web.Application) -> AsyncIterator[str]:
    """The page's URL on a loopback server running `app`."""
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield f"http://127.0.0.1:{server.port}/app/"
    finally:
        await server.close()


@pytest.fixture
async def site(
    session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> AsyncIterator[str]:
    async with served(webapp(session_pool, clock)) as page_url:
        yield page_url


@pytest.fixture
async def browser(
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
) -> AsyncIterator[Browser]:
    need_browser()
    from playwright.async_api import Route, async_playwright

    async def off_loopback(route: Route) -> None:
        await route.abort()  # telegram.org's SDK included: the page must do without

    shots = tmp_path_factory.mktemp(re.sub(r"\W+", "-", request.node.name))
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM))
        try:
            context = await chromium.new_context(viewport=PHONE, has_touch=True)
            await context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/])"), off_loopback)
            page = await context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            yield Browser(page, shots, errors, capsys)
            assert errors == [], errors  # no script error on any screen
        finally:
            await chromium.close()
