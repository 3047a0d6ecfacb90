"""Issue 14, "log a touch" on a client's page, in a real browser (Chromium driven by Playwright)
against the real aiohttp app whose Bot talks to the fake Telegram API on loopback. Without the
SDK the form has its own Save button; a form the server refuses (422) says why in Russian; a
saved touch is on the timeline and the chat got /call's ✅ for it. With Telegram's WebApp object
(a stand-in: telegram.org is out of reach) Save is the MainButton and success is felt. A head
reading a team member's client gets no form."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiogram import Bot
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import translator
from bot.services.clock import FrozenClock
from bot.views.touch_saved import touch_text
from storage.enums import Channel, TeamRole
from storage.models import Client, Interaction, Manager, Team
from tests.conftest import NOW
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.mocked_bot import BOT_TOKEN
from tests.webapp.browser_support import Browser, served, signed, url, webapp
from tests.webapp.seed import ANNA, BORIS, seed
from tests.webapp.signing import sign_init_data

pytestmark = pytest.mark.db
WORDS = "договорились, перезвонить в пятницу"
EMPTY = "Напишите, о чём было касание."  # the page's words for the server's "empty_text"
# Telegram.WebApp as far as the form uses it, recording what the page did with it.
FAKE_SDK = """
window.tgCalls = [];
const note = (what) => window.tgCalls.push(what);
window.Telegram = { WebApp: {
  initData: "", themeParams: {}, colorScheme: "light", ready() {}, expand() {},
  BackButton: { show() {}, hide() {}, onClick() {}, offClick() {} },
  MainButton: {
    text: "", isVisible: false, handlers: [],
    setText(text) { this.text = text; note("text:" + text); },
    show() { this.isVisible = true; note("show"); },
    hide() { this.isVisible = false; note("hide"); },
    onClick(fn) { this.handlers.push(fn); },
    offClick(fn) { this.handlers = this.handlers.filter((h) => h !== fn); },
    showProgress() {}, hideProgress() {},
  },
  HapticFeedback: { notificationOccurred(kind) { note("haptic:" + kind); } },
} };
"""


@pytest.fixture
async def site(
    session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock, chat_bot: Bot
) -> AsyncIterator[str]:
    """browser_support's `site`, with the Bot the runner passes (here at the fake Bot API)."""
    async with served(webapp(session_pool, clock, chat_bot)) as page_url:
        yield page_url


async def _touches(pool: async_sessionmaker[AsyncSession], client_id: int) -> list[Interaction]:
    async with pool() as session:
        rows = await session.scalars(
            select(Interaction).where(Interaction.client_id == client_id).order_by(Interaction.id)
        )
        return list(rows)


async def _chat_text(pool: async_sessionmaker[AsyncSession], touch: Interaction) -> str:
    """/call's ✅ for this touch as the chat's renderer words it."""
    async with pool() as session:
        client = await session.get(Client, touch.client_id)
        manager = await session.get(Manager, touch.manager_id)
        assert client is not None
        assert manager is not None
        return touch_text(translator(manager.language), touch, client, manager, NOW)


def _sent(telegram: FakeTelegramAPI) -> list[dict[str, Any]]:
    return [c.params for c in telegram.calls("sendMessage") if c.params["chat_id"] == ANNA]


async def test_log_a_touch_without_the_sdk(
    site: str,
    browser: Browser,
    telegram: FakeTelegramAPI,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    ids = await seed(session_pool)
    before = len(await _touches(session_pool, ids["mine"]))
    page = browser.page
    await page.goto(url(f"{site}?client={ids['mine']}", signed()))
    await page.click("#touch-open")
    await page.wait_for_selector("#touch-form")
    await page.click('[data-name="type"] [data-value="meeting"]')
    await page.click('[data-name="outcome"] [data-value="positive"]')
    assert await page.get_attribute('[data-value="meeting"]', "aria-pressed") == "true"
    assert await page.get_attribute('[data-value="call"]', "aria-pressed") == "false"

    # Spaces only: the server refuses it (422) and the page says why, in the user's language.
    await page.fill("#touch-text", "   ")
    await page.click("#touch-save")
    await page.wait_for_selector("#touch-error:not([hidden])")
    assert await browser.text("#touch-error") == EMPTY
    assert len(await _touches(session_pool, ids["mine"])) == before
    for width in (360, 430, 390):
        await page.set_viewport_size({"width": width, "height": 844})
        widths = await page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        assert widths[0] <= widths[1] == width, widths
    await browser.fits_the_phone()
    await browser.shoot("touch-form-refused")

    await page.fill("#touch-text", WORDS)
    await page.dblclick("#touch-save")  # a double tap logs once
    await page.wait_for_selector("#touch-status")
    assert await browser.text("#touch-status") == "Сохранено. Бот подтвердил это в чате."
    assert await page.locator("#touch-form").count() == 0
    shown = page.locator("#timeline li", has_text="договорились")
    assert await shown.count() == 1
    entry = await shown.inner_text()
    assert "встреча · позитивно" in entry
    assert "→ перезвонить" in entry

    touches = await _touches(session_pool, ids["mine"])
    assert len(touches) == before + 1
    touch = touches[-1]
    assert touch.kind == Channel.MEETING
    assert touch.next_step_due_at is not None
    [sent] = _sent(telegram)
    assert sent["text"] == await _chat_text(session_pool, touch)
    assert sent["text"].startswith("✅")
    await browser.fits_the_phone()
    await browser.shoot("touch-saved")


async def test_log_a_touch_with_telegrams_main_button(
    site: str,
    browser: Browser,
    telegram: FakeTelegramAPI,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    ids = await seed(session_pool)
    before = len(await _touches(session_pool, ids["mine"]))
    page = browser.page
    await page.add_init_script(FAKE_SDK)
    await page.goto(url(f"{site}?client={ids['mine']}", signed()))
    await page.click("#touch-open")
    await page.wait_for_selector("#touch-form")
    assert await page.locator("#touch-save").count() == 0  # Telegram's own button saves
    button = "Telegram.WebApp.MainButton"
    main = await page.evaluate(f"[{button}.text, {button}.isVisible]")
    assert main == ["Сохранить", True]
    await page.fill("#touch-text", "звонок, без итога")
    await page.evaluate("Telegram.WebApp.MainButton.handlers.forEach((h) => h())")
    await page.wait_for_selector("#touch-status")
    calls = await page.evaluate("window.tgCalls")
    assert "haptic:success" in calls
    assert "hide" in calls[calls.index("haptic:success") :]  # felt, then the button goes
    assert await page.evaluate("Telegram.WebApp.MainButton.handlers.length") == 0
    assert len(await _touches(session_pool, ids["mine"])) == before + 1
    assert len(_sent(telegram)) == 1

    # Opened again and left by "back": the MainButton goes with the form.
    await page.click("#touch-open")
    await page.wait_for_selector("#touch-form")
    assert await page.evaluate("Telegram.WebApp.MainButton.isVisible") is True
    await page.click("button.back")
    await page.wait_for_selector('body[data-screen="dashboard"]')
    assert await page.evaluate("Telegram.WebApp.MainButton.isVisible") is False
    assert await page.evaluate("Telegram.WebApp.MainButton.handlers.length") == 0
    await browser.shoot("touch-main-button-gone")

    # Boris heads Anna's team: her «Ромашка» is his to read, with nothing to log it by.
    async with session_pool() as session:
        team = Team(name="Продажи")
        session.add(team)
        await session.flush()
        for manager in await session.scalars(select(Manager)):
            manager.team_id = team.id
            manager.role = TeamRole.HEAD if manager.telegram_id == BORIS else manager.role
        client = await session.get(Client, ids["mine"])
        assert client is not None
        client.team_id = team.id
        await session.commit()
    head = sign_init_data(BOT_TOKEN, BORIS, NOW - timedelta(minutes=1))
    await page.goto("about:blank")
    await page.goto(url(f"{site}?client={ids['mine']}", head))
    await page.wait_for_selector(f'#client-name[data-client="{ids["mine"]}"]')
    assert "только просмотр" in await browser.text("#screen")
    assert await page.locator("#touch-open").count() == 0
