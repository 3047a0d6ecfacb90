"""Group chats are public: every menu command, text, file and button in a group writes nothing
and shows nothing but an offer to continue in private. Blocking the bot stops reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aiogram import Dispatcher
from aiogram.methods import AnswerCallbackQuery, SendMessage, TelegramMethod
from aiogram.types import (
    Chat,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberUpdated,
    InlineKeyboardMarkup,
    Update,
    User,
)
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import MENU_COMMANDS
from bot.notifier import TelegramSender
from bot.scheduler import tick
from bot.services.clock import FrozenClock
from bot.services.schedule.delivery_limits import RateLimiter
from storage.models import Base, Manager
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import BOT_ID, MockedBot

GROUP = Chat(id=-1001234567890, type="supergroup", title="Отдел продаж")
HINT = "🔒 Я работаю с клиентами и заметками только в личном чате"
URL = "https://t.me/kam_test_bot"
NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


async def _counts(pool: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with pool() as session:
        return {
            t.name: int(await session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture
async def group(client: BotClient, dispatcher: Dispatcher, bot: MockedBot) -> BotClient:
    """The same user, with a client and a private note, now writing in a group."""
    await client.send("/client Ромашка")
    await client.click("➕ Создать нового клиента")
    await client.send("/note Ромашка: личное — зарплата ЛПР 300к")
    return BotClient(dispatcher, bot, chat=GROUP)


def _only_hint(requests: list[TelegramMethod[object]]) -> None:
    [sent] = requests
    assert isinstance(sent, SendMessage)
    assert sent.chat_id == GROUP.id
    assert sent.text.startswith(HINT)
    assert isinstance(sent.reply_markup, InlineKeyboardMarkup)
    [[button]] = sent.reply_markup.inline_keyboard
    assert button.url == URL


@pytest.mark.parametrize("command", MENU_COMMANDS)
async def test_every_menu_command_in_a_group_writes_nothing_and_shows_only_the_hint(
    group: BotClient, session_pool: async_sessionmaker[AsyncSession], command: str
) -> None:
    before = await _counts(session_pool)
    for text in (f"/{command} Ромашка: секрет 150к", f"/{command}@kam_test_bot", f"/{command}"):
        requests = [r for r in await group.send(text) if r.__api_method__ != "getMe"]
        if command in {"start", "help"}:
            _only_hint(requests)
        else:
            assert requests == [], (text, requests)
    assert await _counts(session_pool) == before


async def test_text_files_and_buttons_in_a_group_write_nothing(
    group: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    before = await _counts(session_pool)
    assert await group.send("Ромашка: обсудили поставку, КП в пятницу") == []
    assert await group.send_document("name\nРомашка 2\n".encode(), "clients.csv") == []
    assert [
        r for r in await group.send("/help@some_other_bot") if r.__api_method__ != "getMe"
    ] == []
    requests = await group.press("c:open:1::")
    assert [type(r) for r in requests] == [AnswerCallbackQuery]
    assert requests[0].show_alert
    assert "личном чате" in str(requests[0].text)
    assert await _counts(session_pool) == before


def _membership(user: User, new_status: str) -> Update:
    bot_user = User(id=BOT_ID, is_bot=True, first_name="KamBot")
    old, new = ChatMemberMember(user=bot_user), ChatMemberBanned(user=bot_user, until_date=0)
    if new_status == "member":
        old, new = new, old
    return Update(
        update_id=900_000 + (new_status == "member"),
        my_chat_member=ChatMemberUpdated(
            chat=Chat(id=user.id, type="private"),
            from_user=user,
            date=datetime.now(UTC),
            old_chat_member=old,
            new_chat_member=new,
        ),
    )


async def test_blocking_the_bot_stops_reminders_at_once_and_unblocking_resumes(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    assert "my_chat_member" in dispatcher.resolve_used_update_types()
    await client.send("/client Ромашка")
    await client.click("➕ Создать нового клиента")
    await client.send("/call Ромашка КП сегодня в 10:00")
    await client.feed(_membership(client.user, "kicked"))
    async with session_pool() as session:
        manager = await session.scalar(select(Manager))
    assert manager is not None
    assert manager.blocked_at == NOW
    sender = TelegramSender(
        bot, RateLimiter(global_per_second=1000, per_chat_interval=0.001), clock
    )
    clock.set(NOW + timedelta(hours=1, minutes=1))
    start = len(bot.session.requests)
    await tick(session_pool, sender, clock)
    assert not [r for r in bot.session.requests[start:] if isinstance(r, SendMessage)]
    await client.feed(_membership(client.user, "member"))
    async with session_pool() as session:
        manager = await session.scalar(select(Manager))
    assert manager is not None
    assert manager.blocked_at is None
    start = len(bot.session.requests)
    clock.set(NOW + timedelta(days=1, hours=2))  # the next morning's digest goes out again
    await tick(session_pool, sender, clock)
    sent = [r for r in bot.session.requests[start:] if isinstance(r, SendMessage)]
    assert sent
    assert all(r.chat_id == client.user.id for r in sent)
