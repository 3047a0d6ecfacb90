"""Quick logging through the real Dispatcher: one message, taps, fixes, undo, notes, brief.

The clock is Saturday 2026-11-28 09:00 in Moscow (06:00 UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram import Dispatcher
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from storage.enums import Channel, Outcome, ReminderKind, ReminderState
from storage.models import Client, Interaction, Note, Reminder
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


async def _touches(pool: async_sessionmaker[AsyncSession]) -> list[Interaction]:
    async with pool() as session:
        return list(await session.scalars(select(Interaction).order_by(Interaction.id)))


async def _one(pool: async_sessionmaker[AsyncSession], model: type, **where: object) -> object:
    async with pool() as session:
        query = select(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return await session.scalar(query)


async def test_a_call_with_a_friday_follow_up_in_one_message(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send("/call ромашка обсудили поставку, КП в пятницу"))
    reply = texts[-1]
    assert "✅ Записал: 📞 звонок · <b>Ромашка</b>" in reply
    assert "обсудили поставку" in reply
    assert "КП" in reply
    assert "пт, 4 дек." in reply
    [touch] = await _touches(session_pool)
    assert touch.kind == Channel.CALL
    assert touch.occurred_at == NOW
    assert touch.next_step_done_at is None
    reminder = await _one(session_pool, Reminder, interaction_id=touch.id)
    assert isinstance(reminder, Reminder)
    assert reminder.kind == ReminderKind.FOLLOWUP
    assert reminder.state == ReminderState.PENDING
    assert reminder.due_at == datetime(2026, 12, 4, 6, 0, tzinfo=UTC)  # 09:00 Moscow, digest time
    ромашка = await _one(session_pool, Client, name="Ромашка")
    assert isinstance(ромашка, Client)
    assert ромашка.last_touch_at == NOW
    assert ромашка.next_checkin_at == NOW + timedelta(days=30)


async def test_plain_message_with_a_colon_is_a_log_and_the_type_comes_from_words(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send("Ромашка: письмо отправил прайс"))
    assert any("✉️ письмо" in t for t in texts), texts
    await client.send("/log ромашко встреча в офисе, всё ок")
    touches = await _touches(session_pool)
    assert [t.kind for t in touches] == [Channel.EMAIL, Channel.MEETING]
    assert touches[1].outcome == Outcome.POSITIVE


async def test_backdated_call(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await client.send("/call Ромашка вчера звонил, договорились")
    [touch] = await _touches(session_pool)
    assert touch.occurred_at < NOW
    assert touch.occurred_at.astimezone(UTC).date() == datetime(2026, 11, 27, tzinfo=UTC).date()
    assert touch.outcome == Outcome.POSITIVE


async def test_ambiguous_client_asks_with_buttons_then_saves(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Альфа Строй")
    await _create(client, "Альфа Трейд")
    texts = client.texts(await client.send("/call альфа обсудили цены"))
    assert any("Кого вы имели в виду" in t for t in texts), texts
    assert await _touches(session_pool) == []
    texts = client.texts(await client.click("Альфа Трейд"))
    assert any("Альфа Трейд" in t and "✅ Записал" in t for t in texts), texts
    [touch] = await _touches(session_pool)
    assert "цены" in touch.summary


async def test_unknown_client_is_created_with_the_touch(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    texts = client.texts(await client.send("/call Василёк: обсудили поставку"))
    assert any("Создать его и записать" in t for t in texts), texts
    texts = client.texts(await client.click("➕ Создать нового клиента"))
    assert any("✅ Записал" in t and "Василёк" in t for t in texts), texts
    assert len(await _touches(session_pool)) == 1


async def test_fix_type_date_and_client_then_undo(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await _create(client, "Лютик")
    await client.send("/call Ромашка обсудили поставку")
    await client.click("🔄 Тип")
    texts = client.texts(await client.click("🤝 встреча"))
    assert any("🤝 встреча" in t for t in texts), texts
    await client.click("📅 Срок")
    await client.click("Через неделю")
    [touch] = await _touches(session_pool)
    assert touch.kind == Channel.MEETING
    assert touch.next_step_due_at is not None
    reminder = await _one(session_pool, Reminder, interaction_id=touch.id)
    assert isinstance(reminder, Reminder)
    # A week from Saturday is a Saturday: business next steps move to Monday (issue 15 #14).
    assert reminder.due_at == datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
    await client.click("🏢 Не тот клиент")
    await client.send("Лютик")
    [touch] = await _touches(session_pool)
    лютик = await _one(session_pool, Client, name="Лютик")
    ромашка = await _one(session_pool, Client, name="Ромашка")
    assert isinstance(лютик, Client)
    assert isinstance(ромашка, Client)
    assert touch.client_id == лютик.id
    assert лютик.last_touch_at == NOW
    assert ромашка.last_touch_at is None  # the cadence clock of the wrong client is restored
    await client.click("↩️ Отменить")
    assert await _touches(session_pool) == []
    async with session_pool() as session:
        assert await session.scalar(select(func.count()).select_from(Reminder)) == 0


async def test_undo_command_within_ten_minutes(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await _create(client, "Ромашка")
    await client.send("/call Ромашка первый")
    clock.advance(timedelta(minutes=11))
    await client.send("/call Ромашка второй")
    texts = client.texts(await client.send("/undo"))
    assert any("второй" in t for t in texts), texts
    texts = client.texts(await client.send("/undo"))
    assert any("нечего отменять" in t for t in texts), texts
    assert [t.summary for t in await _touches(session_pool)] == ["первый"]


async def test_tap_logging_in_three_taps_plus_a_comment(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await client.send("/log")
    await client.click("Ромашка")  # 1
    await client.click("💬 сообщение")  # 2
    texts = client.texts(await client.click("👍 договорились"))  # 3
    assert any("✅ Записал: 💬 сообщение" in t for t in texts), texts
    [touch] = await _touches(session_pool)
    assert touch.outcome == Outcome.POSITIVE
    await client.send("согласовали цены, счёт через 3 дня")
    [touch] = await _touches(session_pool)
    assert "согласовали цены" in touch.summary
    assert touch.next_step_due_at is not None


async def test_a_redelivered_update_logs_once(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await client.send("/call Ромашка звонок", update_id=880_001)
    await client.send("/call Ромашка звонок", update_id=880_001)
    assert len(await _touches(session_pool)) == 1


async def test_notes_with_tags_privacy_reminder_and_search(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await client.send("/contact Ромашка: Иван Петров, закупки")
    texts = client.texts(
        await client.send(
            "/note Иван Петров: сын сдаёт ЕГЭ в июне #семья 🔒 напомни 5 июня спросить, как сдал"
        )
    )
    reply = "\n".join(texts)
    assert "Иван Петров (Ромашка)" in reply
    assert "🔒" in reply
    assert "#семья" in reply
    note = await _one(session_pool, Note)
    assert isinstance(note, Note)
    assert note.is_private
    assert note.contact_id is not None
    assert [t.tag for t in note.tags] == ["семья"]
    reminder = await _one(session_pool, Reminder, note_id=note.id)
    assert isinstance(reminder, Reminder)
    assert reminder.kind == ReminderKind.NOTE
    assert reminder.due_at.astimezone(UTC).date().isoformat() == "2027-06-05"
    found = client.texts(await client.send("/notes егэ"))[0]
    assert "сын сдаёт ЕГЭ" in found
    assert "Нашёл заметок: 1" in client.texts(await client.send("/notes #семья"))[0]
    assert "заметок нет" in client.texts(await client.send("/notes #хобби"))[0]


async def test_brief_before_a_call(client: BotClient) -> None:
    await _create(client, "Ромашка")
    await client.send("/contact Ромашка: Иван Петров, закупки, др 12 марта")
    await client.send("/note Иван Петров: собака заняла 2 место на выставке #питомец")
    await client.send("/call Ромашка обсудили поставку, КП в пятницу")
    brief = client.texts(await client.send("/brief ромашко"))[-1]
    assert "Бриф: Ромашка" in brief
    assert "обсудили поставку" in brief
    assert "Иван Петров" in brief
    assert "через 104 дн." in brief
    assert "собака заняла 2 место" in brief
    assert "КП" in brief
    assert "Продажи в этом месяце" in brief


async def test_promise_done_from_the_card_cancels_its_reminder(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await client.send("/call Ромашка обсудили, КП в пятницу")
    card = client.texts(await client.send("/client Ромашка"))[0]
    assert "Обещания" in card
    await client.click("✅ Сделано")
    [touch] = await _touches(session_pool)
    assert touch.next_step_done_at == NOW
    reminder = await _one(session_pool, Reminder, interaction_id=touch.id)
    assert isinstance(reminder, Reminder)
    assert reminder.state == ReminderState.CANCELLED


async def test_history_pages(client: BotClient) -> None:
    await _create(client, "Ромашка")
    for i in range(10):
        await client.send(f"/call Ромашка разговор {i}")
    await client.send("/client Ромашка")
    first = client.texts(await client.click("🗂 История"))[0]
    assert "разговор 9" in first
    assert "разговор 1" not in first
    second = client.texts(await client.click("▶️"))[0]
    assert "разговор 1" in second


async def test_someone_elses_touch_cannot_be_touched(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await _create(client, "Ромашка")
    await client.send("/call Ромашка секрет")
    [touch] = await _touches(session_pool)
    other = BotClient(dispatcher, bot, user_id=4004)
    for data in (
        f"t:undo:{touch.id}:",
        f"t:setk:{touch.id}:visit",
        f"t:done:{touch.id}:",
        f"tp:{touch.client_id}:call:x",
    ):
        texts = other.texts(await other.press(data))
        assert any("не найден" in t for t in texts), (data, texts)
    [still] = await _touches(session_pool)
    assert still.kind == Channel.CALL
    assert "заметок нет" in other.texts(await other.send("/notes секрет"))[0]


async def test_markup_and_long_messages(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send("/call Ромашка <b>жирно</b> *звёзды* _курсив_"))
    assert any("&lt;b&gt;жирно&lt;/b&gt; *звёзды* _курсив_" in t for t in texts), texts
    long_text = "/call Ромашка " + "очень длинный текст " * 200
    texts = client.texts(await client.send(long_text[:4096]))
    assert any("✅ Записал" in t for t in texts)
    assert all(len(t) <= 4096 for t in texts)
    assert len(await _touches(session_pool)) == 2
