"""Reminders planned and delivered with a chosen clock, through the real Telegram adapter
(a recording bot) and the real buttons. Today is Saturday 2026-11-28, 09:00 in Moscow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram import Dispatcher
from aiogram.methods import SendMessage
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.notifier import TelegramSender
from bot.scheduler import tick
from bot.services.clock import FrozenClock
from bot.services.schedule import delivery
from bot.services.schedule.delivery_limits import RateLimiter
from storage import reminders as reminder_store
from storage.enums import ReminderKind, ReminderState
from storage.models import Client, Interaction, Manager, Reminder
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


def _sender(bot: MockedBot, clock: FrozenClock) -> TelegramSender:
    # Fast pacing: the limiter's own behaviour has its tests; these are about delivery.
    return TelegramSender(bot, RateLimiter(global_per_second=1000, per_chat_interval=0.001), clock)


async def _reminders(pool: async_sessionmaker[AsyncSession]) -> list[Reminder]:
    async with pool() as session:
        return list(await session.scalars(select(Reminder).order_by(Reminder.id)))


def _pings(bot: MockedBot, start: int = 0) -> list[SendMessage]:
    return [
        r
        for r in bot.session.requests[start:]
        if isinstance(r, SendMessage) and "r:done" in str(r.reply_markup)
    ]


async def _setup(client: BotClient) -> None:
    await client.send("/client Ромашка")
    await client.click("➕ Создать нового клиента")


def _digests(bot: MockedBot, start: int = 0) -> list[SendMessage]:
    return [
        r
        for r in bot.session.requests[start:]
        if isinstance(r, SendMessage) and r.text.startswith("☀️ <b>На сегодня</b>")
    ]


async def test_birthday_three_days_ahead_and_on_the_day_planned_once_and_folded_into_the_digest(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _setup(client)
    await client.send("/contact Ромашка: Иван Петров, закупки, 01.12.1986")
    sender = _sender(bot, clock)
    start = len(bot.session.requests)
    await tick(session_pool, sender, clock)
    await tick(session_pool, sender, clock)  # planning and delivering twice change nothing
    rows = [r for r in await _reminders(session_pool) if r.kind == ReminderKind.BIRTHDAY]
    assert sorted(r.due_at for r in rows) == [NOW, datetime(2026, 12, 1, 6, 0, tzinfo=UTC)]
    assert _pings(bot, start) == []  # no separate ping: the morning digest carries it
    [digest] = _digests(bot, start)
    assert "Иван Петров" in digest.text
    assert "через 3 дн., 40" in digest.text
    ahead = next(r for r in rows if r.due_at == NOW)
    assert ahead.state == ReminderState.SENT
    clock.set(datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    await tick(session_pool, sender, clock)
    digests = _digests(bot, start)
    assert len(digests) == 2
    assert "<b>сегодня!</b>" in digests[1].text


async def test_a_quiet_day_sends_no_digest(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await client.send("/start")
    start = len(bot.session.requests)
    await tick(session_pool, _sender(bot, clock), clock)
    assert _digests(bot, start) == []
    # No clients, nothing to list: the planner does not even write the row (issue 18).
    assert [r for r in await _reminders(session_pool) if r.kind == ReminderKind.DIGEST] == []


async def test_quiet_hours_hold_a_ping_until_morning(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _setup(client)
    clock.set(datetime(2026, 11, 28, 19, 30, tzinfo=UTC))  # 22:30 in Moscow
    await client.send("/call Ромашка обсудили, перезвонить сегодня в 23:00")
    clock.set(datetime(2026, 11, 28, 20, 5, tzinfo=UTC))
    start = len(bot.session.requests)
    await tick(session_pool, _sender(bot, clock), clock)
    assert _pings(bot, start) == []
    [follow] = [r for r in await _reminders(session_pool) if r.kind == ReminderKind.FOLLOWUP]
    assert follow.state == ReminderState.PENDING
    assert follow.due_at == datetime(2026, 11, 29, 5, 0, tzinfo=UTC)  # 08:00 Moscow


async def test_checkin_done_logs_a_touch_and_resets_the_cadence(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    clock.set(NOW - timedelta(days=31))
    await _setup(client)
    clock.set(NOW)
    start = len(bot.session.requests)
    await tick(session_pool, _sender(bot, clock), clock)
    assert _pings(bot, start) == []  # folded into the morning digest
    [digest] = _digests(bot, start)
    assert "Пора связаться (1)" in digest.text
    assert "<b>Ромашка</b> — просрочено на 1 дн." in digest.text
    [reminder] = [r for r in await _reminders(session_pool) if r.kind == ReminderKind.CHECKIN]
    texts = client.texts(await client.press(f"r:done:{reminder.id}:"))
    assert any("Сделано" in t for t in texts), texts
    async with session_pool() as session:
        ромашка = await session.scalar(select(Client))
        touches = list(await session.scalars(select(Interaction)))
    assert ромашка is not None
    assert ромашка.last_touch_at == NOW
    assert ромашка.next_checkin_at == NOW + timedelta(days=30)
    assert len(touches) == 1
    await client.press(f"r:done:{reminder.id}:")  # pressed twice
    async with session_pool() as session:
        assert len(list(await session.scalars(select(Interaction)))) == 1


async def test_snooze_moves_the_ping_and_it_comes_back(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _setup(client)
    await client.send("/call Ромашка КП сегодня в 10:00")
    clock.set(NOW + timedelta(hours=1, minutes=1))
    await tick(session_pool, _sender(bot, clock), clock)
    [follow] = [r for r in await _reminders(session_pool) if r.kind == ReminderKind.FOLLOWUP]
    assert follow.state == ReminderState.SENT
    texts = client.texts(await client.press(f"r:snooze:{follow.id}:tomorrow"))
    assert any("Отложено" in t for t in texts), texts
    [follow] = [r for r in await _reminders(session_pool) if r.kind == ReminderKind.FOLLOWUP]
    assert follow.state == ReminderState.PENDING
    assert follow.due_at == datetime(2026, 11, 29, 6, 0, tzinfo=UTC)
    start = len(bot.session.requests)
    clock.set(datetime(2026, 11, 29, 6, 0, tzinfo=UTC))
    await tick(session_pool, _sender(bot, clock), clock)
    assert len(_pings(bot, start)) == 1


async def test_blocked_user_stops_pings_and_retry_after_is_respected(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _setup(client)
    await client.send("/call Ромашка КП сегодня в 10:00")
    await client.send("/note Ромашка: уточнить объёмы напомни сегодня в 10:00")
    clock.set(NOW + timedelta(hours=1, minutes=1))
    bot.session.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    outcomes = await delivery.deliver(session_pool, _sender(bot, clock), clock.now())
    assert outcomes.get("retry") == 1
    retried = [r for r in await _reminders(session_pool) if r.attempts == 1]
    assert len(retried) == 1
    assert retried[0].due_at == clock.now() + timedelta(seconds=7.5)
    clock.advance(timedelta(seconds=8))
    bot.session.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    outcomes = await delivery.deliver(session_pool, _sender(bot, clock), clock.now())
    assert outcomes.get("blocked") == 1
    async with session_pool() as session:
        manager = await session.scalar(select(Manager))
    assert manager is not None
    assert manager.blocked_at is not None
    await client.send("/help")  # writing again unblocks
    async with session_pool() as session:
        manager = await session.scalar(select(Manager))
    assert manager is not None
    assert manager.blocked_at is None


async def test_stale_reminders_are_cancelled_not_sent(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _setup(client)
    await client.send("/call Ромашка КП сегодня в 10:00")
    await client.send("/client Ромашка")
    await client.click("📦 В архив")
    clock.set(NOW + timedelta(hours=2))
    start = len(bot.session.requests)
    outcomes = await delivery.deliver(session_pool, _sender(bot, clock), clock.now())
    assert outcomes == {"stale": 1}
    assert _pings(bot, start) == []


async def test_downtime_and_a_crash_mid_batch_deliver_each_once(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _setup(client)
    for i in range(3):
        await client.send(f"/call Ромашка шаг {i}, сделать сегодня в 10:00")
    # Six hours of downtime, then a worker claims the batch and dies before sending.
    clock.set(NOW + timedelta(hours=7))
    async with session_pool() as session:
        claimed = await reminder_store.claim_due(
            session, clock.now(), clock.now() + delivery.LEASE, "dead", 10
        )
        await session.commit()
    assert len(claimed) == 3  # (id, kind) pairs
    start = len(bot.session.requests)
    assert await delivery.deliver(session_pool, _sender(bot, clock), clock.now()) == {}  # leased
    clock.advance(delivery.LEASE + timedelta(seconds=1))
    assert await delivery.deliver(session_pool, _sender(bot, clock), clock.now()) == {"sent": 3}
    assert await delivery.deliver(session_pool, _sender(bot, clock), clock.now()) == {}
    assert len(_pings(bot, start)) == 3


async def test_someone_elses_reminder_cannot_be_pressed(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await _setup(client)
    await client.send("/call Ромашка КП завтра")
    [follow] = await _reminders(session_pool)
    other = BotClient(dispatcher, bot, user_id=7007)
    for data in (f"r:done:{follow.id}:", f"r:snooze:{follow.id}:week", f"r:log:{follow.id}:"):
        assert any("не найдено" in t for t in other.texts(await other.press(data))), data
    [follow] = await _reminders(session_pool)
    assert follow.state == ReminderState.PENDING


async def test_today_lists_promises_overdue_and_birthdays_in_the_managers_clock(
    client: BotClient, clock: FrozenClock
) -> None:
    clock.set(NOW - timedelta(days=35))
    await _setup(client)
    clock.set(NOW)
    await client.send("/contact Ромашка: Иван Петров, 30.11.1980")
    await client.send("/client Лютик")
    await client.click("➕ Создать нового клиента")
    await client.send("/call Лютик обсудили, КП сегодня в 15:00")
    text = client.texts(await client.send("/today"))[0]
    assert "Обещания (1)" in text
    assert "<b>Лютик</b>" in text
    assert "Пора связаться (1)" in text
    assert "просрочено на 5 дн." in text
    assert "Иван Петров" in text
    assert "через 2 дн." in text
    assert "46" in text
    birthdays = client.texts(await client.send("/birthdays"))[0]
    assert "ближайшие 30 дней: 1" in birthdays


async def test_today_is_calm_when_nothing_is_due(client: BotClient) -> None:
    assert "всё чисто" in client.texts(await client.send("/today"))[0]
    assert "дней рождения нет" in client.texts(await client.send("/birthdays"))[0]


async def test_monday_summary_of_last_week(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # Wednesday
    await _setup(client)
    await client.send("/call Ромашка первый")
    await client.send("/call Ромашка второй")
    clock.set(datetime(2026, 11, 30, 6, 0, tzinfo=UTC))  # Monday 09:00 in Moscow
    start = len(bot.session.requests)
    await tick(session_pool, _sender(bot, clock), clock)
    await tick(session_pool, _sender(bot, clock), clock)
    weekly = [
        r
        for r in bot.session.requests[start:]
        if isinstance(r, SendMessage) and "Итоги прошлой недели" in r.text
    ]
    assert len(weekly) == 1
    assert "Касаний: <b>2</b>, клиентов: 1." in weekly[0].text  # no «с 1 клиентами» (issue 15)
    assert "Просроченных касаний нет" in weekly[0].text
