"""Issue 14, the client base in a real browser (Chromium at a phone viewport, the real aiohttp
app): a filter chip and a sort show the clients the test computes from the seeded rows, in
order; a search with a typo still finds its client under a filter; the client page shows the
open promises; the screen fits 390 and 360 px without sideways scrolling, in the dark theme.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.webapp.browser_support import DARK, Browser, signed, url
from tests.webapp.test_clients_api import Row, _anna, _seed

pytestmark = pytest.mark.db


async def _shown(b: Browser, params: str) -> list[int]:
    await b.page.wait_for_selector(f'#clients[data-params="{params}"]')
    links = b.page.locator("#clients a")
    return [int(await a.get_attribute("data-client") or 0) for a in await links.all()]


async def _no_sideways_scroll(b: Browser, width: int) -> None:
    await b.page.set_viewport_size({"width": width, "height": 800})
    widths = await b.page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] == width, widths


async def test_filters_sort_search_and_promises_on_a_phone(
    site: str, browser: Browser, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    mine = await _seed(session_pool)
    rows = await _anna(session_pool, mine.anna)

    def since(r: Row) -> datetime | None:
        return r.overdue_since

    page = browser.page
    await page.goto(url(site, signed(), DARK))
    await page.wait_for_selector('body[data-screen="dashboard"]')  # else it paints over the list
    await page.click("#tab-clients")
    assert len(await _shown(browser, "")) == len(rows)
    assert await browser.text("#f-overdue") == "⚠️ Просрочены"  # Anna's language: ru
    await browser.fits_the_phone()
    await browser.shoot("clients-filters")

    # Overdue, by sales: Альфа (overdue by its promise) leads with the largest total.
    await page.click("#f-overdue")
    await page.select_option("#f-sort", "sales")
    overdue = sorted(
        (r for r in rows if since(r) is not None), key=lambda r: (-r.sales, r.name.casefold(), r.id)
    )
    assert await _shown(browser, "overdue=1&sort=sales") == [r.id for r in overdue]
    assert overdue[0].id == mine.ids["alpha"]
    assert await page.get_attribute("#f-overdue", "aria-pressed") == "true"
    await browser.fits_the_phone()
    await browser.shoot("clients-overdue-by-sales")

    # A tag and the overdue-first sort: Альфа's promise (2 days) before Гамма's check-in.
    await page.click("#f-overdue")
    await page.select_option("#f-tag", "опт")
    await page.select_option("#f-sort", "overdue")
    assert await _shown(browser, urlencode({"tag": "опт", "sort": "overdue"})) == [
        mine.ids[n] for n in ("alpha", "gamma", "beta")
    ]

    # A typo under the filter still finds its client; outside the filter, nothing.
    await page.select_option("#f-sort", "name")
    await page.fill("#search", "Альфо плюс")
    typo = urlencode({"q": "Альфо плюс", "tag": "опт"})  # as URLSearchParams writes it
    found = await _shown(browser, typo)
    assert found[0] == mine.ids["alpha"]
    assert mine.ids["boris"] not in found
    await browser.shoot("clients-typo-with-tag")

    await page.locator(f'#clients a[data-client="{mine.ids["alpha"]}"]').click()
    assert await browser.text("#client-name") == "Альфа Плюс"
    promises = await browser.text("#promises")
    assert "Открытые обещания" in promises
    assert "прислать КП" in promises
    assert "26 нояб. 2026" in promises  # two days before NOW, Anna's (Moscow) day
    await browser.fits_the_phone()
    await browser.shoot("client-promises")
    await _no_sideways_scroll(browser, 360)

    # Back on the list at the narrowest phone: the filters kept, still no sideways scroll.
    await page.click("button.back")
    await _shown(browser, typo)
    await page.fill("#search", "")
    await _shown(browser, urlencode({"tag": "опт"}))
    await _no_sideways_scroll(browser, 360)
    await browser.shoot("clients-360")
