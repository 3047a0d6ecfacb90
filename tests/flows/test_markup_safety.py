"""Names and notes with HTML specials survive every reminder button: the edit re-renders the
message safely, and the recording bot refuses malformed HTML as Telegram does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram.methods import EditMessageText, SendMessage
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.notifier import TelegramSender
from bot.scheduler import tick
from bot.services.clock import FrozenClock
from bot.services.schedule.delivery_limits import RateLimiter
from storage.enums import ReminderState
from storage.models import Reminder
from tests.support import telegram_html
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
NAME = "<b>A&B</code>"


async def test_reminder_buttons_keep_html_specials_as_text(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    bot.session.strict_html = True
    await client.send(f"/client {NAME}")
    await client.click("➕ Создать нового клиента")
    await client.send(f"/note {NAME}: x < y напомни сегодня в 10:00")
    clock.set(NOW + timedelta(hours=1, minutes=1))
    start = len(bot.session.requests)
    sender = TelegramSender(
        bot, RateLimiter(global_per_second=1000, per_chat_interval=0.001), clock
    )
    await tick(session_pool, sender, clock)
    new = bot.session.requests[start:]
    client._track(new, bot.session.results[start:])  # the ping arrived in the user's chat
    [ping] = [r for r in new if isinstance(r, SendMessage) and "r:done" in str(r.reply_markup)]
    shown, _ = telegram_html.parse(ping.text)
    assert NAME in shown
    assert "x < y" in shown
    ping_id = next(m for m, reply in client.messages.items() if reply.text == ping.text)
    async with session_pool() as session:
        reminder = await session.scalar(select(Reminder).where(Reminder.note_id.is_not(None)))
    assert reminder is not None
    for data in (f"r:snooze:{reminder.id}:1h", f"r:done:{reminder.id}:"):
        requests = await client.press(data, message_id=ping_id)
        texts = client.texts(requests)
        assert not any("Что-то пошло не так" in t for t in texts), texts
        [edit] = [r for r in requests if isinstance(r, EditMessageText)]
        plain, _ = telegram_html.parse(edit.text)
        assert NAME in plain  # shown as typed: not bold, not broken
        assert "x < y" in plain
    async with session_pool() as session:
        reminder = await session.get(Reminder, reminder.id)
    assert reminder is not None
    assert reminder.state == ReminderState.DONE


async def test_a_log_without_text_for_a_new_client_sends_no_empty_message(
    client: BotClient,
) -> None:
    # Found by the fuzz test: Telegram refuses an empty message, after the touch was committed.
    await client.send("/log кабель")
    requests = await client.click("➕ Создать нового клиента")
    sent = [r.text for r in requests if isinstance(r, SendMessage)]
    assert any(t.startswith("✅ Записал") for t in sent), sent
    assert all(t.strip() for t in sent), sent
