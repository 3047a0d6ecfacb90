"""Issue 12 item 8: one phone rule (libphonenumber) for chat entry and /import, through the real
Dispatcher, with the database checked."""

from __future__ import annotations

from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Client, Contact
from tests.support.bot_client import BotClient
from tests.support.spreadsheets import csv_bytes

Pool = async_sessionmaker[AsyncSession]


async def _phones(pool: Pool) -> dict[str, str | None]:
    async with pool() as session:
        rows = await session.execute(
            select(Contact.name, Contact.phone).join(Client, Client.id == Contact.client_id)
        )
        return {name: phone for name, phone in rows}


async def _import(client: BotClient, content: bytes) -> str:
    await client.send("/import")
    requests = await client.send_document(content, "база.csv", "text/csv")
    preview = "\n".join(client.texts(requests))
    offered = [
        button.text
        for r in requests
        if isinstance(r, SendMessage) and isinstance(r.reply_markup, InlineKeyboardMarkup)
        for row in r.reply_markup.inline_keyboard
        for button in row
        if button.text.startswith("✅")
    ]
    if not offered:
        return preview
    return preview + "\n" + "\n".join(client.texts(await client.click(offered[0])))


async def test_chat_refuses_a_foreign_number_typed_without_its_country_code(
    client: BotClient, session_pool: Pool
) -> None:
    await client.send("/client Вектор")
    await client.click("➕ Создать нового клиента")

    # A New York number without "+1" is ten digits, as a Russian one, but in no Russian range.
    reply = client.texts(await client.send("/contact Вектор: Ксения Белова, 8 212 555-01-00"))
    assert any("не похоже на телефон" in t for t in reply), reply
    reply = client.texts(await client.send("/contact Вектор: Пётр Сидоров, +1 212 555-01-00"))
    assert not any("не похоже на телефон" in t for t in reply), reply
    await client.send("/contact Вектор: Анна Орлова, 8 (916) 123-45-67")

    assert await _phones(session_pool) == {
        "Ксения Белова": None,
        "Пётр Сидоров": "+12125550100",
        "Анна Орлова": "+79161234567",
    }


async def test_import_applies_the_same_rule(client: BotClient, session_pool: Pool) -> None:
    good = [
        ["Вектор", "Пётр Сидоров", "+1 212 555-01-00"],
        ["Вектор", "Анна Орлова", "8 (916) 123-45-67"],
    ]
    bad = [
        ["Вектор", "Ксения Белова", "8 212 555-01-00"],
        ["Вектор", "Олег Ким", "+1 212 555-010"],  # a digit lost: too short for the US
    ]
    header = ["Клиент", "Контакт", "Телефон контакта"]

    report = await _import(client, csv_bytes([header, *good, *bad]))

    assert "Ничего не импортировал: 2 ошибки в 2 строках" in report, report
    assert "Строка 4, «Телефон контакта»: не понял телефон — «8 212 555-01-00»" in report
    assert "Строка 5, «Телефон контакта»: не понял телефон — «+1 212 555-010»" in report
    assert await _phones(session_pool) == {}

    await _import(client, csv_bytes([header, *good]))

    assert await _phones(session_pool) == {
        "Пётр Сидоров": "+12125550100",
        "Анна Орлова": "+79161234567",
    }
