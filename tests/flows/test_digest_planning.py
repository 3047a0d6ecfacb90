"""The planner looks at a manager only when their digest moment is near (managers.next_digest_at):
one digest per local day however many ticks, and a changed digest time or timezone is honoured
at once, not after the old moment. Moscow is UTC+3 all year."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram.methods import SendMessage
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.notifier import TelegramSender
from bot.scheduler import tick
from bot.services.clock import FrozenClock
from bot.services.schedule.delivery_limits import RateLimiter
from storage.enums import ReminderKind
from storage.models import Reminder
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot


def _sender(bot: MockedBot, clock: FrozenClock) -> TelegramSender:
    return TelegramSender(bot, RateLimiter(global_per_second=1000, per_chat_interval=0.001), clock)


def _digests(bot: MockedBot, start: int) -> list[SendMessage]:
    return [
        r
        for r in bot.session.requests[start:]
        if isinstance(r, SendMessage) and r.text.startswith("☀️ <b>На сегодня</b>")
    ]


async def _digest_rows(pool: async_sessionmaker[AsyncSession]) -> list[Reminder]:
    async with pool() as session:
        query = select(Reminder).where(Reminder.kind == ReminderKind.DIGEST).order_by(Reminder.id)
        return list(await session.scalars(query))


async def _with_a_birthday_soon(client: BotClient) -> None:
    # A birthday on 1 December keeps the digests of 28-30 November from being empty.
    await client.send("/client Ромашка")
    await client.click("➕ Создать нового клиента")
    await client.send("/contact Ромашка: Иван Петров, закупки, 01.12.1986")


async def test_one_digest_per_local_day_over_two_days_of_ticks(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _with_a_birthday_soon(client)
    clock.set(datetime(2026, 11, 28, 0, 0, tzinfo=UTC))
    sender = _sender(bot, clock)
    start = len(bot.session.requests)
    sent_at = []
    for _ in range(48 * 2):  # every half hour for two days
        before = len(_digests(bot, start))
        await tick(session_pool, sender, clock)
        if len(_digests(bot, start)) > before:
            sent_at.append(clock.now())
        clock.advance(timedelta(minutes=30))
    # 09:00 in Moscow = 06:00 UTC, once on each day.
    assert sent_at == [
        datetime(2026, 11, 28, 6, 0, tzinfo=UTC),
        datetime(2026, 11, 29, 6, 0, tzinfo=UTC),
    ]
    assert len(await _digest_rows(session_pool)) == 2


async def test_an_earlier_digest_time_is_honoured_the_same_morning(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _with_a_birthday_soon(client)
    await client.send("/settings")
    await client.click("☀️ Дайджест")
    await client.send("10:00")
    sender = _sender(bot, clock)
    clock.set(datetime(2026, 11, 28, 2, 0, tzinfo=UTC))  # 05:00 in Moscow
    await tick(session_pool, sender, clock)  # the planner now expects this manager at 07:00 UTC
    start = len(bot.session.requests)

    await client.send("/settings")
    await client.click("☀️ Дайджест")
    await client.send("8:30")  # after the quiet hours (until 08:00), which hold pings back
    clock.set(datetime(2026, 11, 28, 5, 30, tzinfo=UTC))  # 08:30 in Moscow
    await tick(session_pool, sender, clock)
    assert len(_digests(bot, start)) == 1

    clock.set(datetime(2026, 11, 28, 7, 0, tzinfo=UTC))  # the old time: nothing more today
    await tick(session_pool, sender, clock)
    assert len(_digests(bot, start)) == 1


async def test_a_new_timezone_moves_the_digest_to_its_morning(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _with_a_birthday_soon(client)
    sender = _sender(bot, clock)
    clock.set(datetime(2026, 11, 27, 22, 0, tzinfo=UTC))  # 01:00 on Saturday in Moscow
    await tick(session_pool, sender, clock)  # expected at 06:00 UTC
    start = len(bot.session.requests)

    await client.send("/settings")
    await client.click("🕒 Часовой пояс")
    await client.send("Владивосток")  # UTC+10: 09:00 there is 23:00 UTC on Friday
    clock.set(datetime(2026, 11, 27, 23, 0, tzinfo=UTC))
    await tick(session_pool, sender, clock)
    assert len(_digests(bot, start)) == 1
    [row] = await _digest_rows(session_pool)
    assert row.dedupe_key.endswith(":2026-11-28")  # Saturday in Vladivostok already


async def test_a_digest_chosen_inside_quiet_hours_comes_at_that_time(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _with_a_birthday_soon(client)
    await client.send("/settings")
    await client.click("☀️ Дайджест")
    await client.send("6:30")  # inside the default quiet hours (21:00-08:00): asked for anyway
    sender = _sender(bot, clock)
    clock.set(datetime(2026, 11, 29, 3, 0, tzinfo=UTC))  # 06:00 in Moscow
    await tick(session_pool, sender, clock)
    start = len(bot.session.requests)
    clock.set(datetime(2026, 11, 29, 3, 30, tzinfo=UTC))  # 06:30
    await tick(session_pool, sender, clock)
    assert len(_digests(bot, start)) == 1


async def test_a_digest_late_after_downtime_waits_for_the_end_of_quiet_hours(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _with_a_birthday_soon(client)
    await client.send("/settings")
    await client.click("☀️ Дайджест")
    await client.send("6:30")
    sender = _sender(bot, clock)
    clock.set(datetime(2026, 11, 29, 3, 0, tzinfo=UTC))  # 06:00: planned for 06:30
    await tick(session_pool, sender, clock)
    start = len(bot.session.requests)
    # Down from 06:00 to 07:45: the digest is 75 minutes late and it is still quiet time.
    clock.set(datetime(2026, 11, 29, 4, 45, tzinfo=UTC))
    await tick(session_pool, sender, clock)
    assert _digests(bot, start) == []
    clock.set(datetime(2026, 11, 29, 5, 0, tzinfo=UTC))  # 08:00: quiet hours are over
    await tick(session_pool, sender, clock)
    assert len(_digests(bot, start)) == 1
