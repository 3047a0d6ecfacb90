"""Issue 14, the Mini App page in a real browser: Debian's Chromium driven by Playwright at a
phone viewport, against the real aiohttp app (setup_webapp) over the seeded test database.

The page loads Telegram's SDK from telegram.org; every request off loopback is aborted here, so
these tests also prove the page works without the SDK, reading initData and the theme from the
URL hash as Telegram passes them. Screenshots of each screen are saved and their paths printed.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.kpi import build_kpi
from bot.services.money import format_money, format_percent
from storage.enums import PeriodKind
from storage.models import Client, Manager, Note
from tests.conftest import NOW
from tests.webapp.browser_support import DARK, EVIL, Browser, signed, url
from tests.webapp.seed import ANNA, seed

if TYPE_CHECKING:
    from playwright.async_api import Request

pytestmark = pytest.mark.db


async def _kpi_texts(
    pool: async_sessionmaker[AsyncSession], manager_id: int, kind: PeriodKind
) -> dict[str, str]:
    """What /kpi says for the period, formatted as the chat formats it."""
    async with pool() as session:
        manager = await session.get(Manager, manager_id)
        assert manager is not None
        report = await build_kpi(session, manager, kind, NOW)
    assert report.b2b is not None
    assert report.pace.attainment is not None
    assert report.pace.needed_per_day_minor is not None
    assert report.pace.plan_minor is not None
    cur = report.currency
    return {
        "sales": format_money(report.sales.total_minor, cur, "ru"),
        "plan": format_money(report.pace.plan_minor, cur, "ru"),
        "attainment": format_percent(report.pace.attainment, "ru"),
        "needed": format_money(report.pace.needed_per_day_minor, cur, "ru"),
        "risk": str(report.b2b.risk.count),
        "top": "\n".join(
            f"{t.name}\t{format_money(t.total_minor, cur, 'ru')}" for t in report.b2b.top
        ),
    }


async def _shown(b: Browser, period: str) -> dict[str, str]:
    await b.page.wait_for_selector(f'.figures[data-period="{period}"]')
    shown = {
        name: await b.text(f'[data-figure="{name}"] .value')
        for name in ("sales", "plan", "attainment", "needed", "risk")
    }
    rows = b.page.locator("#top li .row")
    shown["top"] = "\n".join(
        [
            "\t".join([await row.locator("span").nth(i).inner_text() for i in (0, 1)])
            for row in await rows.all()
        ]
    )
    return shown


async def test_dashboard_shows_the_figures_of_kpi(
    site: str, browser: Browser, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    page = browser.page
    await page.goto(url(site, signed()))
    month = await _kpi_texts(session_pool, ids["anna"], PeriodKind.MONTH)
    assert await _shown(browser, "month") == month
    assert await browser.text("#tab-dashboard") == "Дашборд"  # the user's language_code: ru
    await browser.fits_the_phone()
    await browser.shoot("dashboard-month")

    await page.select_option("#period", "quarter")
    quarter = await _kpi_texts(session_pool, ids["anna"], PeriodKind.QUARTER)
    assert quarter["sales"] != month["sales"]  # the picker really changed what is shown
    assert await _shown(browser, "quarter") == quarter
    await browser.fits_the_phone()
    await browser.shoot("dashboard-quarter")


async def test_search_forgives_a_typo_and_the_client_page_in_dark_theme(
    site: str, browser: Browser, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    async with session_pool() as session:
        evil = Client(owner_id=ids["anna"], name=EVIL, name_norm="script pwned")
        session.add(evil)
        await session.flush()
        session.add(Note(manager_id=ids["anna"], client_id=evil.id, text=EVIL))
        await session.commit()
        evil_id = evil.id
    page = browser.page
    await page.goto(url(site, signed(), DARK))
    await page.wait_for_selector('body[data-screen="dashboard"]')
    colours = await page.evaluate(
        "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"
    )
    assert colours == ["rgb(23, 33, 43)", "rgb(245, 245, 245)"]  # DARK's bg and text
    await browser.shoot("dashboard-dark")

    await page.click("#tab-clients")
    await page.wait_for_selector('#clients[data-query=""]')
    assert await page.locator("#clients li").count() == 102  # the whole base, «<script>» too
    await page.fill("#search", "Ромшка")
    await page.wait_for_selector('#clients[data-query="Ромшка"]')
    assert await page.locator("#clients a").first.inner_text() == "ООО «Ромашка»"
    await browser.fits_the_phone()
    await browser.shoot("clients-search")

    await page.locator(f'#clients a[data-client="{ids["mine"]}"]').click()
    assert await browser.text("#client-name") == "ООО «Ромашка»"
    body = await browser.text("#screen")
    for expected in ("Иван Петров", "обсудили отгрузку", "общая заметка Анны", "кабель"):
        assert expected in body
    assert format_money(123_456_00, "RUB", "ru") in body
    assert "тайна Бориса" not in body
    assert "звонок · позитивно" in body  # the touch's channel and outcome in words
    assert not re.search(r"\b(null|undefined|NaN)\b", body), body
    await browser.fits_the_phone()
    await browser.shoot("client-page")

    await page.click("button.back")
    await page.fill("#search", "")
    await page.wait_for_selector('#clients[data-query=""]')
    await page.locator(f'#clients a[data-client="{evil_id}"]').click()
    assert await browser.text("#client-name") == EVIL
    assert EVIL in await browser.text("#screen")  # the note too, as text
    assert await page.evaluate("window.pwned") is None
    assert await page.locator("#screen script, #screen img").count() == 0
    await browser.fits_the_phone()
    await browser.shoot("client-script-name")


async def test_forged_or_missing_init_data_says_open_it_from_the_bot(
    site: str, browser: Browser, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_pool)
    page = browser.page
    genuine = dict(parse_qsl(signed()))
    genuine["hash"] = "0" * 64
    await page.goto(url(site, urlencode(genuine)))  # a Russian user's, badly signed
    assert await browser.message() == "Откройте это из бота в Telegram."
    assert await page.locator("#screen .figure").count() == 0
    assert await page.locator("#tabs").is_hidden()  # nothing to open behind the message
    await browser.shoot("unauthorized-ru")

    english = {"user": json.dumps({"id": ANNA, "language_code": "en"}), "hash": "0" * 64}
    await page.goto("about:blank")
    await page.goto(url(site, urlencode(english)))
    assert await browser.message() == "Open this from the bot in Telegram."
    await page.goto("about:blank")
    # Opened in a plain browser, at /app without the slash: redirected, and no initData at all.
    await page.goto(url(site.removesuffix("/"), None))
    assert page.url.split("#")[0] == site
    assert await browser.message() == "Open this from the bot in Telegram."
    await browser.fits_the_phone()
    await browser.shoot("unauthorized-en")


async def test_the_first_screen_is_light(
    site: str, browser: Browser, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    """Issue 14: the first screen (page, scripts, styles, the dashboard's answer) ≤ 150 KB."""
    await seed(session_pool)
    sizes: dict[str, int] = {}

    async def count(request: Request) -> None:
        got = await request.sizes()
        sizes[request.url] = got["responseBodySize"] + got["responseHeadersSize"]

    browser.page.on("requestfinished", count)
    await browser.page.goto(url(site, signed()))
    await browser.page.wait_for_selector('body[data-screen="dashboard"] .figures')
    await browser.page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    with browser.capsys.disabled():
        print(f"\nfirst screen: {len(sizes)} requests, {total / 1024:.1f} KB")
    assert any(u.endswith("/app/api/dashboard?period=month") for u in sizes), sizes
    assert any(u.endswith("/app/core.js") for u in sizes), sizes  # the modules were counted
    assert total <= 150 * 1024, sizes
