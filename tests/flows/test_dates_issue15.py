"""Issue 15, items 4 and 6: times and dates mean what the manager meant (real Dispatcher).

Moscow manager. Each test sets the clock it needs.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from aiogram import Dispatcher
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from storage.models import ClientRequest, Interaction, Manager, Sale
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

Pool = async_sessionmaker[AsyncSession]
# Sunday 6 December 2026, 07:38 in Moscow.
EARLY = datetime(2026, 12, 6, 4, 38, tzinfo=UTC)


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


async def _all(pool: Pool, model: type) -> list:
    async with pool() as session:
        return list(await session.scalars(select(model).order_by(model.id)))


async def test_seven_thirty_next_step_is_morning(client: BotClient, session_pool: Pool) -> None:
    await _create(client, "Омега")
    reply = client.texts(await client.send("/call Омега перезвонить завтра в 7:30"))[-1]
    assert "завтра, 07:30" in reply
    assert "19:30" not in reply
    [touch] = await _all(session_pool, Interaction)
    # 07:30 Moscow on Sunday 29 November = 04:30 UTC.
    assert touch.next_step_due_at == datetime(2026, 11, 29, 4, 30, tzinfo=UTC)


async def test_evening_word_makes_seven_the_evening(client: BotClient, session_pool: Pool) -> None:
    await _create(client, "Омега")
    await client.send("/call Омега перезвонить завтра вечером в 7")
    [touch] = await _all(session_pool, Interaction)
    assert touch.next_step_due_at == datetime(2026, 11, 29, 16, 0, tzinfo=UTC)  # 19:00 Moscow


async def test_yesterday_at_seven_thirty_backdates_to_the_morning(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Омега")
    reply = client.texts(await client.send("/call Омега вчера в 7:30 звонил, обсудили цены"))[-1]
    assert "вчера, 07:30" in reply
    [touch] = await _all(session_pool, Interaction)
    assert touch.occurred_at == datetime(2026, 11, 27, 4, 30, tzinfo=UTC)


async def test_request_at_seven_sent_at_seven_thirty_eight_opens_this_morning(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    clock.set(EARLY)
    await _create(client, "Вектор")
    await client.send("/request Вектор в 7:00 не пришла доставка")
    await client.send("/request Вектор сегодня в 7:00 сломался терминал")
    first, second = await _all(session_pool, ClientRequest)
    this_morning = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)  # 07:00 Moscow
    assert first.opened_at == this_morning
    assert first.text == "не пришла доставка"
    assert second.opened_at == this_morning
    assert second.text == "сломался терминал"


async def test_a_day_month_still_ahead_gets_an_answer_not_a_year_back(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    clock.set(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    await _create(client, "Ромашка")
    reply = client.texts(await client.send("/sale Ромашка 10к 25.12"))[-1]
    assert "«25.12» в этом году ещё впереди" in reply
    assert "25.12.2025" in reply
    assert await _all(session_pool, Sale) == []


async def test_last_years_day_month_in_january_is_saved_and_shown_with_the_year(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    clock.set(datetime(2027, 1, 5, 9, 0, tzinfo=UTC))
    await _create(client, "Ромашка")
    reply = client.texts(await client.send("/sale Ромашка 10к 20.12"))[-1]
    assert "20 дек. 2026" in reply
    [sale] = await _all(session_pool, Sale)
    assert sale.sold_at == datetime(2026, 12, 20, 9, 0, tzinfo=UTC)  # local noon


async def test_an_explicit_year_is_taken_as_typed(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    clock.set(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    await _create(client, "Ромашка")
    reply = client.texts(await client.send("/sale Ромашка 10к 25.12.2025"))[-1]
    assert "25 дек. 2025" in reply
    [sale] = await _all(session_pool, Sale)
    assert sale.sold_at == datetime(2025, 12, 25, 9, 0, tzinfo=UTC)


async def test_plan_forgives_a_misspelt_quarter_like_kpi(client: BotClient) -> None:
    texts = client.texts(await client.send("/plan 9 млн кватрал"))
    assert any("4-й квартал 2026" in t or "IV квартал 2026" in t for t in texts), texts


async def test_plan_for_the_month_just_past_typed_in_december_is_this_years(
    client: BotClient, clock: FrozenClock
) -> None:
    clock.set(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    texts = client.texts(await client.send("/plan 5 млн ноябрь"))
    assert any("ноябрь 2026" in t for t in texts), texts
    assert not any("2027" in t for t in texts), texts
    # Any other month's name is still the coming one.
    texts = client.texts(await client.send("/plan 5 млн октябрь"))
    assert any("октябрь 2027" in t for t in texts), texts


async def test_english_settings_accept_am_and_pm(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    client = BotClient(dispatcher, bot, user_id=2015, language_code="en-US", first_name="Ann")
    await client.send("/start")
    await client.click("Skip")  # language
    await client.send("Skip")  # timezone
    await client.click("Skip")  # work mode
    replies = client.texts(await client.send("8:30 am"))  # digest
    assert any("All set" in r for r in replies), replies
    await client.send("/settings")
    await client.click("🌙 Quiet hours")
    replies = client.texts(await client.send("10pm-7am"))
    assert any("22:00–07:00" in r for r in replies), replies
    async with session_pool() as session:
        manager = await session.scalar(select(Manager).where(Manager.telegram_id == 2015))
    assert manager is not None
    assert manager.digest_time == time(8, 30)
    assert (manager.quiet_start, manager.quiet_end) == (time(22, 0), time(7, 0))


async def _english_user(dispatcher: Dispatcher, bot: MockedBot, city: str) -> BotClient:
    client = BotClient(dispatcher, bot, user_id=2016, language_code="en", first_name="Bob")
    await client.send("/start")
    await client.click("Skip")  # language
    replies = client.texts(await client.send(city))
    assert any(city in r for r in replies), replies
    await client.click("Skip")  # work mode
    await client.click("Skip")  # digest
    await client.send("/client Acme")
    await client.click("➕ Create a new client")
    return client


async def test_a_us_user_writes_the_month_first_in_slash_dates(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool, clock: FrozenClock
) -> None:
    clock.set(datetime(2026, 12, 6, 15, 0, tzinfo=UTC))
    client = await _english_user(dispatcher, bot, "New York")
    reply = client.texts(await client.send("/sale Acme 5000 12/03"))[-1]
    assert "Thu, Dec 3" in reply, reply
    [sale] = await _all(session_pool, Sale)
    assert sale.sold_at == datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # local noon in New York


async def test_a_us_users_birthday_is_month_first_and_shown_in_words(
    dispatcher: Dispatcher, bot: MockedBot
) -> None:
    client = await _english_user(dispatcher, bot, "New York")
    reply = client.texts(await client.send("/contact Acme: John Smith, buyer, 12/03/1980"))[-1]
    assert "December 3, 1980" in reply, reply


async def test_a_british_users_birthday_stays_day_first(
    dispatcher: Dispatcher, bot: MockedBot
) -> None:
    client = await _english_user(dispatcher, bot, "London")
    reply = client.texts(await client.send("/contact Acme: John Smith, buyer, 12/03/1980"))[-1]
    assert "March 12, 1980" in reply or "12 March 1980" in reply, reply


async def test_today_with_a_morning_hour_already_past(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    clock.set(datetime(2026, 11, 28, 7, 0, tzinfo=UTC))  # 10:00 Moscow
    await _create(client, "Омега")
    await client.send("/call Омега сегодня в 8 звонил, обсудили цены")
    reply = client.texts(await client.send("/call Омега обсудили цены, перезвонить сегодня в 8"))
    assert "сегодня, 20:00" in reply[-1], reply
    backdated, step = await _all(session_pool, Interaction)
    assert backdated.occurred_at == datetime(2026, 11, 28, 5, 0, tzinfo=UTC)  # 08:00 Moscow
    assert step.next_step_due_at == datetime(2026, 11, 28, 17, 0, tzinfo=UTC)  # 20:00 Moscow
