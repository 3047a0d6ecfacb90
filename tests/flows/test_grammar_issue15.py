"""Issue 15 #15: Russian that reads right, through the real Dispatcher.

Names are put where they need no case («клиент Ромашка», «Заметка сохранена · Иван Петров»),
counts go through the locale files' plural rules, touches are «касания» and people «контакты».
The clock is Saturday 2026-11-28 09:00 in Moscow.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from aiogram.methods import SendDocument, SendMessage
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.notifier import TelegramSender
from bot.scheduler import tick
from bot.services.clock import FrozenClock
from bot.services.schedule.delivery_limits import RateLimiter
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot
from tests.support.spreadsheets import csv_bytes


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


async def test_contact_and_note_replies_need_no_case(client: BotClient) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send("/contact Ромашка: Степан Иванов, закупки"))
    assert any("Контакт добавлен: <b>Степан Иванов</b> · клиент <b>Ромашка</b>" in t for t in texts)
    assert not any("(а)" in t for t in texts)
    texts = client.texts(await client.send("/note Степан Иванов: любит рыбалку"))
    assert any("Заметка сохранена · <b>Степан Иванов (Ромашка)</b>" in t for t in texts), texts
    assert not any("Заметка о" in t for t in texts)


async def test_card_calls_touches_touches_and_people_contacts(client: BotClient) -> None:
    await _create(client, "Ромашка")
    await client.send("/contact Ромашка: Степан Иванов, закупки")
    card = client.texts(await client.send("/client Ромашка"))[-1]
    assert "👥 Контакты (1):" in card
    assert "📞 Касаний ещё не было" in card
    assert "Следующее касание" in card
    assert "Последний контакт" not in card
    assert "Следующий контакт" not in card


async def test_import_preview_counts_agree_with_their_nouns(client: BotClient) -> None:
    rows = [["Клиент", "Контакт"], ["Ромашка", "Иван"]]
    await client.send("/import")
    texts = client.texts(await client.send_document(csv_bytes(rows), "one.csv"))
    assert any("В файле 1 строка: <b>1</b> клиент и 1 контакт." in t for t in texts), texts
    bad = [["Клиент", "ИНН"], ["Ромашка", "1234567890"], ["Василёк", "1234567891"]]
    await client.send("/import")
    texts = client.texts(await client.send_document(csv_bytes(bad), "bad.csv"))
    assert any("2 ошибки в 2 строках" in t for t in texts), texts
    assert not any("строк(ах)" in t for t in texts)


async def test_export_writes_the_email_touch_in_russian(client: BotClient) -> None:
    await _create(client, "Ромашка")
    await client.send("Ромашка: письмо отправил прайс")
    documents = [r for r in await client.send("/export") if isinstance(r, SendDocument)]
    data = documents[1].document.data  # type: ignore[union-attr]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        touches = archive.read("touches.csv").decode("utf-8-sig")
    assert "письмо" in touches
    assert ",email," not in touches
    assert ";email;" not in touches


async def test_a_follow_up_ping_names_the_client_without_a_case(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _create(client, "Ромашка")
    await client.send("/call Ромашка обсудили, отправить КП сегодня в 15:00")
    clock.set(datetime(2026, 11, 28, 12, 1, tzinfo=UTC))  # 15:01 in Moscow
    start = len(bot.session.requests)
    limiter = RateLimiter(global_per_second=1000, per_chat_interval=0.001)
    sender = TelegramSender(bot, limiter, clock)
    await tick(session_pool, sender, clock)
    texts = [r.text for r in bot.session.requests[start:] if isinstance(r, SendMessage)]
    assert any("➡️ Обещание · <b>Ромашка</b>: " in t for t in texts), texts
    assert not any("Обещали" in t for t in texts)


async def test_tap_logging_prompts_name_the_client_without_a_case(client: BotClient) -> None:
    await _create(client, "Технопром")
    await client.send("/log")
    kind = client.texts(await client.click("Технопром"))
    assert any("Какое касание? Клиент <b>Технопром</b>" in t for t in kind), kind
    outcome = client.texts(await client.click("🚗 визит"))
    assert any("визит · <b>Технопром</b> — чем закончилось?" in t for t in outcome), outcome
    assert not any("с <b>Технопром</b>" in t for t in kind + outcome)
