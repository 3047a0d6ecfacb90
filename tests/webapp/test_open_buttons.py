"""Issue 14: the chat's buttons that open the Mini App, through the real Dispatcher (and the real
scheduler tick for the digest), read from what the bot sent: under /kpi (on the period shown),
under a client card (that client's page) and in the morning digest (the dashboard). Without
WEBAPP_URL none of them is there. The clock is Saturday 2026-11-28 09:00 in Moscow."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from aiogram import Dispatcher
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.notifier import TelegramSender
from bot.scheduler import tick
from bot.services.clock import FrozenClock
from bot.services.schedule.delivery_limits import RateLimiter
from bot.views.webapp_links import webapp_link
from storage.db import create_engine, create_session_pool
from storage.enums import ReminderKind
from storage.migrate import upgrade
from storage.models import Client, Manager, Reminder
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.ops.support import Role, wait_until
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

# A query of its own (a cache buster, say) must survive next to ours.
URL = "https://bot.example.test/app/?v=3"
DIGEST = "☀️ <b>На сегодня</b>"


def web_apps(markup: object) -> list[str]:
    """The URLs of the web_app buttons in a keyboard (none for no keyboard)."""
    if not isinstance(markup, InlineKeyboardMarkup):
        return []
    return [b.web_app.url for row in markup.inline_keyboard for b in row if b.web_app is not None]


def query(url: str) -> list[tuple[str, str]]:
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "bot.example.test", "/app/")
    assert parts.fragment == ""  # Telegram's own data goes in the fragment
    return parse_qsl(parts.query, keep_blank_values=True)


@pytest.fixture
def with_app(
    settings: Settings,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    bot: MockedBot,
) -> BotClient:
    """The bot as `client` is, with WEBAPP_URL set."""
    dp: Dispatcher = create_dispatcher(
        settings.model_copy(update={"webapp_url": URL}),
        session_pool,
        clock=clock,
        storage=MemoryStorage(),
    )
    return BotClient(dp, bot)


def last_markup(client: BotClient) -> InlineKeyboardMarkup | None:
    return list(client.messages.values())[-1].markup


async def _client_id(pool: async_sessionmaker[AsyncSession], name: str) -> int:
    async with pool() as session:
        return int((await session.scalars(select(Client.id).where(Client.name == name))).one())


def _digests(bot: MockedBot, start: int) -> list[SendMessage]:
    return [
        r
        for r in bot.session.requests[start:]
        if isinstance(r, SendMessage) and r.text.startswith(DIGEST)
    ]


async def _digest_markup(
    client: BotClient, bot: MockedBot, pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> object:
    # A follow-up due today: the digest has something to say, so it is sent.
    await client.send("/call Ромашка обсудили, КП сегодня в 15:00")
    limiter = RateLimiter(global_per_second=1000, per_chat_interval=0.001)
    sender = TelegramSender(bot, limiter, clock, client.dp.workflow_data["settings"].webapp_url)
    start = len(bot.session.requests)
    await tick(pool, sender, clock)
    [digest] = _digests(bot, start)
    return digest.reply_markup


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


def test_the_link_keeps_the_query_and_the_fragment_of_webapp_url() -> None:
    assert webapp_link("https://x.test/app/", client="7") == "https://x.test/app/?client=7"
    assert webapp_link("https://x.test/app/?v=3&client=1", client="7") == (
        "https://x.test/app/?v=3&client=7"
    )
    assert webapp_link("https://x.test/app?a=%20b#top", period="year") == (
        "https://x.test/app?a=+b&period=year#top"
    )
    assert webapp_link("https://x.test/app/") == "https://x.test/app/"


async def test_kpi_opens_the_dashboard_on_the_period_shown(with_app: BotClient) -> None:
    await with_app.send("/kpi")
    [button] = web_apps(last_markup(with_app))
    assert query(button) == [("v", "3"), ("period", "month")]
    markup = last_markup(with_app)
    assert markup is not None
    assert markup.inline_keyboard[-1][0].text == "📊 Открыть в дашборде"

    await with_app.click("Квартал")  # the message is edited: its button follows the period
    [button] = web_apps(last_markup(with_app))
    assert query(button) == [("v", "3"), ("period", "quarter")]

    await with_app.send("/kpi неделя")
    [button] = web_apps(last_markup(with_app))
    assert query(button) == [("v", "3"), ("period", "week")]


async def test_client_card_opens_that_clients_page(
    with_app: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(with_app, "Ромашка")
    await _create(with_app, "Лютик")
    romashka = await _client_id(session_pool, "Ромашка")
    lyutik = await _client_id(session_pool, "Лютик")

    await with_app.send("/client Ромашка")
    [button] = web_apps(last_markup(with_app))
    assert query(button) == [("v", "3"), ("client", str(romashka))]

    # After logging a touch: the touch's «🏢 Карточка клиента» opens the card, with the button.
    await with_app.send("/call Лютик договорились о встрече")
    await with_app.click("🏢 Карточка клиента")
    [button] = web_apps(last_markup(with_app))
    assert query(button) == [("v", "3"), ("client", str(lyutik))]


async def test_morning_digest_opens_the_dashboard(
    with_app: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _create(with_app, "Ромашка")
    markup = await _digest_markup(with_app, bot, session_pool, clock)
    assert web_apps(markup) == [URL]
    assert isinstance(markup, InlineKeyboardMarkup)
    assert markup.inline_keyboard[-1][0].text == "📊 Открыть дашборд"
    # /today is the same agenda on demand, in the chat already: no button there.
    await with_app.send("/today")
    assert web_apps(last_markup(with_app)) == []


async def test_without_webapp_url_no_reply_carries_a_web_app_button(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await client.send("/kpi")
    assert last_markup(client) is not None
    assert web_apps(last_markup(client)) == []
    await _create(client, "Ромашка")
    await client.send("/client Ромашка")
    assert web_apps(last_markup(client)) == []
    assert web_apps(await _digest_markup(client, bot, session_pool, clock)) == []


@pytest.fixture(scope="module")
def api() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as fake:
        yield fake


async def _seed_digest_due(url: str, chat: int) -> None:
    """A manager with a client due for a touch and this morning's digest due a minute ago."""
    engine = create_engine(url)
    now = datetime.now(UTC)
    try:
        await upgrade(engine)
        async with create_session_pool(engine)() as session:
            # The planner looks at them tomorrow: it must not plan a digest of its own today.
            manager = Manager(
                telegram_id=chat, full_name="Анна", next_digest_at=now + timedelta(days=1)
            )
            session.add(manager)
            await session.flush()
            session.add_all(
                [
                    Client(
                        owner_id=manager.id,
                        name="Ромашка",
                        name_norm="ромашка",
                        next_checkin_at=now - timedelta(days=2),
                    ),
                    Reminder(
                        manager_id=manager.id,
                        kind=ReminderKind.DIGEST,
                        due_at=now - timedelta(minutes=1),
                        dedupe_key=f"webapp-test-digest-{chat}",
                    ),
                ]
            )
            await session.commit()
    finally:
        await engine.dispose()


@pytest.mark.e2e
def test_the_worker_process_puts_the_button_in_the_digest(
    api: FakeTelegramAPI, tmp_path: Path
) -> None:
    """`python -m bot worker` reads WEBAPP_URL: the digest it sends Telegram carries the button."""
    database = f"sqlite+aiosqlite:///{tmp_path / 'kambot.db'}"
    chat = 770_001
    asyncio.run(_seed_digest_due(database, chat))

    def digests() -> list[Call]:
        return [c for c in api.calls("sendMessage") if _chat_id(c) == chat]

    env = {"WEBAPP_URL": URL, "DATABASE_URL": database}
    worker = Role(api, tmp_path, ["worker"], env=env).start()
    try:
        wait_until(digests, timeout=60, what="the digest")
    finally:
        assert worker.stop() == 0, worker.log()
    [sent] = digests()
    markup = sent.params["reply_markup"]
    markup = markup if isinstance(markup, dict) else json.loads(markup)
    assert {"text": "📊 Открыть дашборд", "web_app": {"url": URL}} in markup["inline_keyboard"][-1]


def _chat_id(call: Call) -> int:
    return int(call.params.get("chat_id", 0))
