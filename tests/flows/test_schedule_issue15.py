"""Issue 15, items 9-11 and 14: what is due when, in the manager's clock, through the real
update path. Today is Saturday 2026-11-28, 09:00 in Moscow (06:00 UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram.methods import SendMessage
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.notifier import TelegramSender
from bot.scheduler import tick
from bot.services.clock import FrozenClock
from bot.services.schedule.delivery_limits import RateLimiter
from storage.enums import ReminderKind, ReminderState
from storage.models import Reminder
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


def _sender(bot: MockedBot, clock: FrozenClock) -> TelegramSender:
    return TelegramSender(bot, RateLimiter(global_per_second=1000, per_chat_interval=0.001), clock)


async def _reminders(pool: async_sessionmaker[AsyncSession]) -> list[Reminder]:
    async with pool() as session:
        return list(await session.scalars(select(Reminder).order_by(Reminder.id)))


def _sent(bot: MockedBot, start: int = 0) -> list[SendMessage]:
    return [r for r in bot.session.requests[start:] if isinstance(r, SendMessage)]


def _pings(bot: MockedBot, start: int = 0) -> list[SendMessage]:
    return [r for r in _sent(bot, start) if "r:done" in str(r.reply_markup)]


def _digests(bot: MockedBot, start: int = 0) -> list[SendMessage]:
    return [r for r in _sent(bot, start) if r.text.startswith("☀️ <b>На сегодня</b>")]


async def _client(client: BotClient, name: str = "Ромашка") -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


async def test_a_date_only_step_due_tomorrow_is_not_on_todays_agenda(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _client(client)
    await client.send("/call Ромашка обсудили цены, КП завтра")
    today = client.texts(await client.send("/today"))[0]
    assert "Ромашка" not in today, today
    assert "всё чисто" in today
    # Saturday's "завтра" is a Sunday, moved to Monday (item 14); on Monday it is today's.
    clock.set(NOW + timedelta(days=1))
    assert "всё чисто" in client.texts(await client.send("/today"))[0]
    clock.set(NOW + timedelta(days=2))
    tomorrow = client.texts(await client.send("/today"))[0]
    assert "Обещания (1)" in tomorrow
    assert "<b>Ромашка</b>" in tomorrow


async def test_the_digest_does_not_list_tomorrows_step(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    clock.set(NOW - timedelta(hours=12))  # Friday 21:00
    await _client(client)
    await client.send("/call Ромашка обсудили цены, КП послезавтра")  # Sunday
    await client.send("/call Ромашка ещё раз, перезвонить сегодня в 11:00")
    clock.set(NOW)
    start = len(bot.session.requests)
    await tick(session_pool, _sender(bot, clock), clock)
    [digest] = _digests(bot, start)
    assert "Обещания (1)" in digest.text, digest.text
    assert "КП" not in digest.text


async def test_a_checkin_held_by_quiet_hours_comes_once_inside_the_digest(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    clock.set(datetime(2026, 10, 27, 12, 0, tzinfo=UTC))
    await _client(client)  # 30-day cadence: due on Thursday 26 November
    clock.set(datetime(2026, 11, 27, 20, 0, tzinfo=UTC))  # Friday 23:00, quiet hours
    sender = _sender(bot, clock)
    start = len(bot.session.requests)
    await tick(session_pool, sender, clock)
    [checkin] = [r for r in await _reminders(session_pool) if r.kind == ReminderKind.CHECKIN]
    assert checkin.state == ReminderState.PENDING
    assert checkin.due_at == NOW  # held for Saturday's 09:00 digest, not for 08:00
    clock.set(datetime(2026, 11, 28, 5, 0, tzinfo=UTC))  # 08:00, quiet hours over
    await tick(session_pool, sender, clock)
    assert _pings(bot, start) == []
    clock.set(NOW)
    await tick(session_pool, sender, clock)
    await tick(session_pool, sender, clock)
    assert _pings(bot, start) == []
    [digest] = _digests(bot, start)
    assert "Пора связаться (1)" in digest.text
    assert len(_sent(bot, start)) == 1


async def test_switching_quiet_hours_off_releases_a_held_ping_at_once(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _client(client)
    clock.set(datetime(2026, 11, 28, 19, 30, tzinfo=UTC))  # 22:30 in Moscow
    await client.send("/call Ромашка обсудили, перезвонить сегодня в 23:00")
    clock.set(datetime(2026, 11, 28, 20, 5, tzinfo=UTC))  # 23:05: held until 08:00
    sender = _sender(bot, clock)
    await tick(session_pool, sender, clock)
    [follow] = [r for r in await _reminders(session_pool) if r.kind == ReminderKind.FOLLOWUP]
    assert follow.due_at == datetime(2026, 11, 29, 5, 0, tzinfo=UTC)
    await client.send("/settings")
    await client.click("🌙 Тихие часы")
    replies = client.texts(await client.click("Без тихих часов"))
    assert any("придёт сейчас" in r for r in replies), replies
    start = len(bot.session.requests)
    clock.advance(timedelta(minutes=1))
    await tick(session_pool, sender, clock)
    [ping] = _pings(bot, start)
    assert "перезвонить" in ping.text
    [follow] = [r for r in await _reminders(session_pool) if r.kind == ReminderKind.FOLLOWUP]
    assert follow.state == ReminderState.SENT


async def test_a_typed_narrower_window_releases_a_held_ping(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _client(client)
    clock.set(datetime(2026, 11, 28, 19, 30, tzinfo=UTC))
    await client.send("/note Ромашка: уточнить объёмы напомни сегодня в 23:00")
    clock.set(datetime(2026, 11, 28, 20, 5, tzinfo=UTC))
    await tick(session_pool, _sender(bot, clock), clock)
    await client.send("/settings")
    await client.click("🌙 Тихие часы")
    replies = client.texts(await client.send("с 23:30 до 7"))  # 23:05 is no longer quiet
    assert any("придёт сейчас" in r for r in replies), replies
    [note] = [r for r in await _reminders(session_pool) if r.kind == ReminderKind.NOTE]
    assert note.due_at == clock.now()


async def test_a_ping_that_will_be_held_is_confirmed_with_the_time_it_comes(
    client: BotClient, clock: FrozenClock
) -> None:
    await _client(client)
    clock.set(datetime(2026, 11, 28, 3, 50, tzinfo=UTC))  # 06:50 in Moscow, quiet until 08:00
    text = client.texts(await client.send("/call Ромашка обсудили, перезвонить сегодня в 7:54"))[0]
    assert "сегодня, 07:54 · 🌙 придёт в 08:00 — тихие часы" in text, text
    clock.set(datetime(2026, 11, 28, 19, 30, tzinfo=UTC))  # 22:30
    text = client.texts(await client.send("/note Ромашка: отправить КП напомни сегодня в 23:00"))
    assert any("придёт на следующее утро в 08:00" in r for r in text), text
    text = client.texts(await client.send("/call Ромашка обсудили, перезвонить завтра в 10:00"))[0]
    assert "🌙" not in text


async def test_an_agreed_next_step_moves_the_checkin_to_its_date(
    client: BotClient, clock: FrozenClock
) -> None:
    await _client(client)
    text = client.texts(await client.send("/call Ромашка договорились, созвон 12.03"))[0]
    assert "через 30 дн." not in text, text
    assert "через 104 дн." in text, text  # 28 Nov → 12 Mar
    clock.set(NOW + timedelta(days=40))  # past the 30-day cadence, before the agreed date
    today = client.texts(await client.send("/today"))[0]
    assert "Пора связаться" not in today, today


async def test_a_relative_next_step_on_a_sunday_moves_to_monday(
    client: BotClient, clock: FrozenClock
) -> None:
    await _client(client)
    # Saturday: "завтра" is Sunday, "через неделю" a Saturday; both go to Monday.
    text = client.texts(await client.send("/call Ромашка обсудили, перезвонить через неделю"))[0]
    assert "пн, 7 дек." in text, text
    text = client.texts(await client.send("/call Ромашка обсудили, КП завтра"))[0]
    assert "пн, 30 нояб." in text, text
    text = client.texts(await client.send("/call Ромашка обсудили, созвон в воскресенье"))[0]
    assert "завтра" in text, text  # named by the manager: kept
