"""Issue 15 leftovers: a US user's slash dates in touches, notes and requests; and a relative
next step moved off a weekend says so in the ✅ reply (real Dispatcher)."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Dispatcher
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from storage.models import ClientRequest, Interaction, Note
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

Pool = async_sessionmaker[AsyncSession]
# Sunday 6 December 2026, 10:00 in New York, 18:00 in Moscow.
SUNDAY = datetime(2026, 12, 6, 15, 0, tzinfo=UTC)
# Saturday 5 December 2026, 18:00 in Moscow: «завтра» is a Sunday.
SATURDAY = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)


async def _all(pool: Pool, model: type) -> list:
    async with pool() as session:
        return list(await session.scalars(select(model).order_by(model.id)))


async def _us_user(dispatcher: Dispatcher, bot: MockedBot) -> BotClient:
    client = BotClient(dispatcher, bot, user_id=2115, language_code="en-US", first_name="Ann")
    await client.send("/start")
    await client.click("Skip")  # language
    replies = client.texts(await client.send("New York"))
    assert any("New York" in r for r in replies), replies
    await client.click("Skip")  # work mode
    await client.click("Skip")  # digest
    await client.send("/client Acme")
    await client.click("➕ Create a new client")
    return client


async def test_a_us_users_call_back_date_is_month_first(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool, clock: FrozenClock
) -> None:
    clock.set(SUNDAY)
    client = await _us_user(dispatcher, bot)
    reply = client.texts(await client.send("/call Acme call back 12/15"))[-1]
    assert "Tue, Dec 15" in reply, reply
    [touch] = await _all(session_pool, Interaction)
    assert touch.next_step_due_at == datetime(2026, 12, 15, 5, 0, tzinfo=UTC)  # NY midnight


async def test_a_us_users_note_reminder_is_month_first(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool, clock: FrozenClock
) -> None:
    clock.set(SUNDAY)
    client = await _us_user(dispatcher, bot)
    await client.send("/note Acme: remind me 12/15 to send the price list")
    [note] = await _all(session_pool, Note)
    assert note.remind_at is not None
    assert note.remind_at.astimezone(UTC).month == 12
    assert note.remind_at.astimezone(UTC).day == 15


async def test_a_us_users_request_opened_date_is_month_first(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool, clock: FrozenClock
) -> None:
    clock.set(SUNDAY)
    client = await _us_user(dispatcher, bot)
    await client.send("/request Acme 12/04 at 14:30 the delivery did not come")
    [request] = await _all(session_pool, ClientRequest)
    # 14:30 New York on 4 December = 19:30 UTC (a day-first reading would be 12 April).
    assert request.opened_at == datetime(2026, 12, 4, 19, 30, tzinfo=UTC), request.opened_at
    assert request.text == "the delivery did not come"


async def test_a_russian_users_dotted_date_stays_day_first(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    clock.set(SUNDAY)
    await client.send("/client Омега")
    await client.click("➕ Создать нового клиента")
    await client.send("/call Омега перезвонить 12.03")
    [touch] = await _all(session_pool, Interaction)
    # 12 March 2027, Moscow midnight (the date is ahead: a step is in the future).
    assert touch.next_step_due_at == datetime(2027, 3, 11, 21, 0, tzinfo=UTC)


async def test_tomorrow_on_a_sunday_says_it_moved_to_monday(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    clock.set(SATURDAY)
    await client.send("/client Омега")
    await client.click("➕ Создать нового клиента")
    reply = client.texts(await client.send("/call Омега перезвонить завтра"))[-1]
    assert "(воскресенье → понедельник)" in reply, reply
    [touch] = await _all(session_pool, Interaction)
    assert touch.next_step_due_at == datetime(2026, 12, 6, 21, 0, tzinfo=UTC)  # Monday, Moscow


async def test_a_weekday_step_says_nothing_about_weekends(
    client: BotClient, clock: FrozenClock
) -> None:
    clock.set(SUNDAY)  # «завтра» is Monday: nothing moved
    await client.send("/client Омега")
    await client.click("➕ Создать нового клиента")
    reply = client.texts(await client.send("/call Омега перезвонить завтра"))[-1]
    assert "→" not in reply, reply


async def test_a_quick_due_button_on_a_weekend_says_it_moved(
    client: BotClient, clock: FrozenClock
) -> None:
    clock.set(datetime(2026, 11, 29, 15, 0, tzinfo=UTC))  # Sunday: in a week is a Sunday
    await client.send("/client Омега")
    await client.click("➕ Создать нового клиента")
    await client.send("/call Омега обсудили цены")
    await client.click("📅 Срок")
    reply = client.texts(await client.click("Через неделю"))[-1]
    assert "(воскресенье → понедельник)" in reply, reply
