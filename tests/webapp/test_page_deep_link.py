"""Issue 14: the page opens where the chat's button asked, in a real browser (Chromium driven by
Playwright, the real aiohttp app, the seeded base). Telegram keeps the button URL's query string
and puts its own data in the hash: `?client=<id>` opens that client's page (a client of another
manager's gets the not-found message, never the client), `?period=quarter` opens the dashboard
on the quarter; anything else is ignored."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.kpi import build_kpi
from bot.services.money import format_money
from storage.enums import PeriodKind
from storage.models import Manager
from tests.conftest import NOW
from tests.webapp.browser_support import Browser, signed, url
from tests.webapp.seed import seed

pytestmark = pytest.mark.db
NOT_FOUND = "Не найдено: удалено или доступно не вам."


async def test_client_link_opens_the_clients_page_and_only_the_openers(
    site: str, browser: Browser, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    page = browser.page
    await page.goto(url(f"{site}?client={ids['mine']}", signed()))
    await page.wait_for_selector(
        f'body[data-screen="client"] #client-name[data-client="{ids["mine"]}"]'
    )
    assert await browser.text("#client-name") == "ООО «Ромашка»"
    assert "обсудили отгрузку" in await browser.text("#screen")
    await browser.fits_the_phone()
    await browser.shoot("deep-link-client")

    await page.click("button.back")  # back leads to the dashboard, as after any client
    await page.wait_for_selector('body[data-screen="dashboard"] .figures[data-period="month"]')
    assert await page.get_attribute("#tab-dashboard", "aria-current") == "page"

    # Boris's «Ромашка»: the API answers 404 for a client that is not Anna's.
    await page.goto("about:blank")
    await page.goto(url(f"{site}?client={ids['theirs']}", signed()))
    assert await browser.message() == NOT_FOUND
    assert await page.locator("#client-name").count() == 0
    assert "Ромашка" not in await browser.text("#screen")
    await browser.shoot("deep-link-foreign-client")


async def test_period_link_opens_the_dashboard_on_that_period(
    site: str, browser: Browser, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    async with session_pool() as session:
        anna = await session.get(Manager, ids["anna"])
        assert anna is not None
        quarter = await build_kpi(session, anna, PeriodKind.QUARTER, NOW)
        month = await build_kpi(session, anna, PeriodKind.MONTH, NOW)
    assert quarter.sales.total_minor != month.sales.total_minor  # the two tell apart
    page = browser.page
    await page.goto(url(f"{site}?period=quarter", signed()))
    await page.wait_for_selector('.figures[data-period="quarter"]')
    assert await page.input_value("#period") == "quarter"
    sales = format_money(quarter.sales.total_minor, quarter.currency, "ru")
    assert await browser.text('[data-figure="sales"] .value') == sales
    await browser.fits_the_phone()
    await browser.shoot("deep-link-quarter")

    # What the page does not know is ignored: the usual dashboard, the month.
    await page.goto("about:blank")
    await page.goto(url(f"{site}?period=decade&client=1%3Balert(1)", signed()))
    await page.wait_for_selector('body[data-screen="dashboard"] .figures[data-period="month"]')
    assert await page.input_value("#period") == "month"
