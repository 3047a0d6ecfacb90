"""Issue 14, the dashboard in a real browser (Chromium at a phone viewport, the real aiohttp app,
the seeded base, Telegram's SDK blocked): the plan-vs-fact chart is drawn from /kpi's series, a
tapped day lists that day's sales, the at-risk list opens the client, and the agenda's ✅ marks
the step done in the database — with a haptic tick when the SDK is there, and without an error
when it is not. The page fits a 360 px phone in dark theme."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.kpi import build_kpi
from bot.services.kpi.chart_data import chart_data
from bot.services.money import format_money
from storage.enums import PeriodKind
from storage.models import Client, Interaction, Manager, Sale
from tests.conftest import NOW
from tests.webapp.browser_support import DARK, Browser, signed, url
from tests.webapp.seed import seed, step_done_at, step_due_today

pytestmark = pytest.mark.db
MOSCOW = ZoneInfo("Europe/Moscow")  # the seeded Anna's zone
# Telegram's SDK as far as the page uses it, recording the haptic ticks it is asked for.
FAKE_SDK = """
window.haptics = [];
window.Telegram = { WebApp: {
  initData: "", ready() {}, expand() {},
  BackButton: { onClick() {}, show() {}, hide() {} },
  HapticFeedback: { notificationOccurred(kind) { window.haptics.push(kind); } },
} };
"""


async def _anna(pool: async_sessionmaker[AsyncSession], manager_id: int) -> Manager:
    async with pool() as session:
        manager = await session.get(Manager, manager_id)
        assert manager is not None
        return manager


async def _sales_on(
    pool: async_sessionmaker[AsyncSession], manager_id: int, day: datetime
) -> dict[str, int]:
    """Anna's sales of one local day per client, summed here straight from the table."""
    async with pool() as session:
        rows = await session.execute(
            select(Client.name, func.sum(Sale.amount_minor))
            .join(Client, Client.id == Sale.client_id)
            .where(
                Sale.manager_id == manager_id,
                Sale.sold_at >= day,
                Sale.sold_at < day + timedelta(days=1),
            )
            .group_by(Client.name)
        )
        return {name: int(total) for name, total in rows}


async def test_the_chart_and_a_tapped_days_sales_in_dark_theme_on_a_small_phone(
    site: str, browser: Browser, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    anna = await _anna(session_pool, ids["anna"])
    async with session_pool() as session:
        series = await chart_data(session, anna, PeriodKind.MONTH, NOW)
    sold_on = (NOW - timedelta(days=2)).astimezone(MOSCOW).date()  # «Ромашка» bought that day
    midnight = datetime.combine(sold_on, time(0), tzinfo=MOSCOW).astimezone(UTC)
    expected = await _sales_on(session_pool, ids["anna"], midnight)
    assert "ООО «Ромашка»" in expected

    page = browser.page
    await page.set_viewport_size({"width": 360, "height": 780})
    await page.goto(url(site, signed(), DARK))
    await page.wait_for_selector("#pace svg.chart polyline.fact")
    fact = await page.get_attribute("#pace polyline.fact", "points") or ""
    plan = await page.get_attribute("#pace polyline.plan", "points") or ""
    so_far = series.today_index + 1
    assert len(fact.split()) == so_far  # a point per day up to today, none ahead
    assert len(plan.split()) == len(series.days)  # the plan line spans the period
    assert await page.locator("#pace rect[data-day]").count() == so_far
    legend = await browser.text("#pace .legend")
    assert format_money(series.sold_minor, "RUB", "ru") in legend
    assert series.plan_minor is not None
    assert format_money(series.plan_minor, "RUB", "ru") in legend
    bars = page.locator("#touches rect.bar")
    counts = [int(await bars.nth(i).get_attribute("data-count") or -1) for i in range(12)]
    assert await bars.count() == 12
    assert counts == series.touches[series.current_week - 11 : series.current_week + 1]
    colour = await page.evaluate(
        "getComputedStyle(document.querySelector('#pace polyline.fact')).stroke"
    )
    assert colour == "rgb(82, 136, 193)"  # DARK's button colour: the theme reaches the SVG

    await page.locator(f'#pace rect[data-day="{sold_on.isoformat()}"]').click()
    await page.wait_for_selector(f'#day-sales[data-day="{sold_on.isoformat()}"]')
    assert await page.get_attribute("#pace svg.chart", "data-picked") == sold_on.isoformat()
    heading = await browser.text("#day-sales h3")
    assert format_money(sum(expected.values()), "RUB", "ru") in heading
    rows = page.locator("#day-sales li .row")
    shown = {}
    for row in await rows.all():
        name = await row.locator("span").nth(0).inner_text()
        shown[name] = await row.locator("span").nth(1).inner_text()
    assert set(shown) == set(expected)  # Boris's «Ромашка» and other days: not here
    for name, total in expected.items():
        assert shown[name].startswith(format_money(total, "RUB", "ru")), (name, shown[name])
    text = await browser.text("#screen")
    assert not re.search(r"\b(null|undefined|NaN)\b", text), text
    widths = await page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] == 360, widths
    await browser.shoot("dashboard-chart-day-dark-360")

    # A year: 366 columns still fit, and the bars stay the recent 12 weeks.
    async with session_pool() as session:
        year = await chart_data(session, anna, PeriodKind.YEAR, NOW)
    await page.select_option("#period", "year")
    await page.wait_for_selector('.figures[data-period="year"]')
    assert await page.locator("#pace rect[data-day]").count() == year.today_index + 1
    plan_line = await page.get_attribute("#pace polyline.plan", "points") or ""
    assert len(plan_line.split()) == len(year.days)
    assert await page.locator("#touches rect.bar").count() == 12
    widths = await page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1] == 360, widths


async def test_agenda_done_and_the_at_risk_list(
    site: str, browser: Browser, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    anna = await _anna(session_pool, ids["anna"])
    first = await step_due_today(session_pool, ids["mine"], anna.id, "выслать КП")
    second = await step_due_today(session_pool, ids["mine"], anna.id, "выслать КП")
    async with session_pool() as session:
        report = await build_kpi(session, anna, PeriodKind.MONTH, NOW)
    assert report.b2b is not None

    page = browser.page
    await page.goto(url(site, signed()))
    await page.wait_for_selector(f'#agenda li.todo[data-touch="{first}"]')
    assert "выслать КП" in await browser.text(f'#agenda li.todo[data-touch="{first}"]')
    await browser.fits_the_phone()
    await browser.shoot("dashboard-agenda")
    # No SDK (blocked): the ✅ works all the same, and asks nothing of Telegram.
    await page.click(f'#agenda li.todo[data-touch="{first}"] button.done')
    await page.wait_for_selector(f'#agenda li.todo[data-touch="{first}"][data-done="true"]')
    assert await step_done_at(session_pool, first) == NOW
    assert await step_done_at(session_pool, second) is None
    await browser.shoot("dashboard-agenda-done")

    # The at-risk list: every client /kpi counts, the first few in sight, the rest folded.
    assert await page.locator("#risk li").count() == report.b2b.risk.count
    await page.click("#risk summary")
    await browser.fits_the_phone()
    await browser.shoot("dashboard-risk")
    longest = report.b2b.risk.overdue[0]
    await page.locator(f'#risk a[data-client="{longest.client_id}"]').click()
    assert await browser.text("#client-name") == longest.name

    # With the SDK there, a ✅ is felt too.
    await page.add_init_script(FAKE_SDK)
    await page.goto("about:blank")
    await page.goto(url(site, signed()))
    assert await page.evaluate("window.haptics") == []
    await page.click(f'#agenda li.todo[data-touch="{second}"] button.done')
    await page.wait_for_selector(f'#agenda li.todo[data-touch="{second}"][data-done="true"]')
    assert await page.evaluate("window.haptics") == ["success"]
    assert await step_done_at(session_pool, second) == NOW
    assert await page.locator(f'#agenda li.todo[data-touch="{first}"]').count() == 0  # done

    # A step deleted in the chat while the page was open: ✅ says so and keeps the agenda.
    gone = await step_due_today(session_pool, ids["mine"], anna.id, "выслать КП")
    await page.goto("about:blank")
    await page.goto(url(site, signed()))
    await page.wait_for_selector(f'#agenda li.todo[data-touch="{gone}"]')
    async with session_pool() as session:
        await session.execute(delete(Interaction).where(Interaction.id == gone))
        await session.commit()
    await page.click(f'#agenda li.todo[data-touch="{gone}"] button.done')
    assert await browser.message() == "Не найдено: удалено или доступно не вам."
    assert await page.locator(f'#agenda li.todo[data-touch="{gone}"]').count() == 1
    assert await page.locator(".figures").count() == 1  # the dashboard is still there
