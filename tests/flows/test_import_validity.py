"""Issue 17, "one rule for what is valid": what the bot accepts in chat imports, through the
real Dispatcher, with the database checked row by row."""

from __future__ import annotations

import io
import zipfile

from aiogram import Dispatcher
from aiogram.methods import SendDocument, SendMessage
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from handlers.callbacks import ContactCb
from storage.models import Client, Contact, Manager, UndoEntry
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot
from tests.support.spreadsheets import csv_bytes

Pool = async_sessionmaker[AsyncSession]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Person = tuple[str, str, str | None, str | None, str | None]


async def _people(pool: Pool, telegram_id: int = 1001) -> list[Person]:
    async with pool() as session:
        rows = await session.execute(
            select(Client.name, Contact.name, Contact.role, Contact.phone, Contact.email)
            .join(Client, Client.id == Contact.client_id)
            .join(Manager, Manager.id == Client.owner_id)
            .where(Manager.telegram_id == telegram_id)
            .order_by(Client.name, Contact.name, Contact.role)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def _contacts(pool: Pool) -> int:
    async with pool() as session:
        return int(await session.scalar(select(func.count()).select_from(Contact)) or 0)


async def _import(client: BotClient, content: bytes, name: str, mime: str = "text/csv") -> str:
    """Sends a file to /import and confirms whatever its preview offers; returns all texts."""
    await client.send("/import")
    requests = await client.send_document(content, name, mime)
    preview = "\n".join(client.texts(requests))
    assert "Ничего не импортировал" not in preview, preview
    offered = [
        button.text
        for r in requests
        if isinstance(r, SendMessage) and isinstance(r.reply_markup, InlineKeyboardMarkup)
        for row in r.reply_markup.inline_keyboard
        for button in row
        if button.text.startswith("✅")
    ]
    if not offered:  # "everything in this file is in your base already"
        return preview
    return preview + "\n" + "\n".join(client.texts(await client.click(offered[0])))


async def test_an_email_edited_with_a_trailing_semicolon_is_stored_trimmed(
    client: BotClient, session_pool: Pool
) -> None:
    await client.send("/client Вектор")
    await client.click("➕ Создать нового клиента")
    await client.send("/contact Вектор: Ксения Белова, закупки")
    async with session_pool() as session:
        contact_id = await session.scalar(select(Contact.id))
    assert contact_id is not None

    await client.press(ContactCb(action="ask", id=contact_id, field="email").pack())
    await client.send("k.belova@vector.ru;")  # as Outlook copies it

    assert await _people(session_pool) == [
        ("Вектор", "Ксения Белова", "закупки", None, "k.belova@vector.ru")
    ]
    await client.press(ContactCb(action="ask", id=contact_id, field="email").pack())
    reply = client.texts(await client.send("k.belova@vector"))
    assert any("не похоже на e-mail" in t for t in reply), reply
    assert (await _people(session_pool))[0][4] == "k.belova@vector.ru"


async def test_namesakes_and_a_semicolon_email_import_and_the_export_comes_back_whole(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: Pool,
) -> None:
    await client.send("/client Ромашка")
    await client.click("➕ Создать нового клиента")
    await client.send("/contact Ромашка: Иван Петров, закупки")
    rows = [
        ["Клиент", "Контакт", "Должность", "Телефон контакта", "E-mail", "Адрес"],
        ["Ромашка", "Иван Петров", "закупки", "", "", ""],  # the one already there
        ["Ромашка", "Иван Петров", "склад", "+7 916 123-45-67", "", "Москва"],  # a namesake
        ["Вектор", "Ксения Белова", "закупки", "", "k.belova@vector.ru;", ""],
        ["Вектор", "Пётр", "директор", "", "", ""],
        ["Вектор", "Пётр", "логист", "", "", ""],
    ]

    report = await _import(client, csv_bytes(rows), "база.csv")

    assert "«Адрес» — не знаю такого поля" in report, report
    assert "Новых клиентов: <b>1</b>; уже были в базе: 1" in report, report
    assert "Контактов добавлено: 4; уже были: 1" in report, report
    expected: list[Person] = [
        ("Вектор", "Ксения Белова", "закупки", None, "k.belova@vector.ru"),
        ("Вектор", "Пётр", "директор", None, None),
        ("Вектор", "Пётр", "логист", None, None),
        ("Ромашка", "Иван Петров", "закупки", None, None),
        ("Ромашка", "Иван Петров", "склад", "+79161234567", None),
    ]
    assert await _people(session_pool) == expected

    # A value an older version stored untrimmed must not block the export coming back.
    async with session_pool() as session:
        await session.execute(
            update(Contact).where(Contact.name == "Пётр").values(email="petr@vector.ru;")
        )
        await session.commit()
    requests = await client.send("/export")
    files = {
        r.document.filename.rsplit(".", 1)[-1]: r.document.data  # type: ignore[union-attr]
        for r in requests
        if isinstance(r, SendDocument)
    }
    with zipfile.ZipFile(io.BytesIO(files["zip"])) as archive:
        clients_csv = archive.read("clients.csv")
    assert b"petr@vector.ru;" in clients_csv  # exported as stored

    # The export's client sheet, back into the same account: recognised whole, nothing added.
    report = await _import(client, clients_csv, "clients.csv")
    assert "Импорт завершён" in report, report
    assert "служебные колонки kambot" in report, report
    assert "Новых клиентов: <b>0</b>; уже были в базе: 2" in report, report
    assert "Контактов добавлено: 0; уже были: 5" in report, report
    # The whole workbook too: no refusal, and still nothing added.
    await _import(client, files["xlsx"], "kambot.xlsx", XLSX)
    assert await _contacts(session_pool) == 5

    # Into a fresh account: both namesakes, and the address trimmed.
    other = BotClient(dispatcher, bot, user_id=5005)
    report = await _import(other, clients_csv, "clients.csv")
    assert "Импорт завершён" in report, report
    trimmed = [(c, n, r, p, "petr@vector.ru" if n == "Пётр" else e) for c, n, r, p, e in expected]
    assert await _people(session_pool, 5005) == trimmed
    third = BotClient(dispatcher, bot, user_id=5006)
    await _import(third, files["xlsx"], "kambot.xlsx", XLSX)
    assert [p[:4] for p in await _people(session_pool, 5006)] == [p[:4] for p in expected]


async def test_undoing_an_import_keeps_the_namesake_that_was_there_before(
    client: BotClient, session_pool: Pool
) -> None:
    await client.send("/client Ромашка")
    await client.click("➕ Создать нового клиента")
    await client.send("/contact Ромашка: Иван Петров, закупки")
    rows = [["Клиент", "Контакт", "Должность"], ["Ромашка", "Иван Петров", "склад"]]
    await _import(client, csv_bytes(rows), "база.csv")
    assert await _contacts(session_pool) == 2

    reply = "\n".join(client.texts(await client.send("/undo")))

    assert "импорт" in reply, reply
    assert await _people(session_pool) == [("Ромашка", "Иван Петров", "закупки", None, None)]


async def test_an_import_entry_of_the_previous_version_is_still_undone(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    await client.send("/client Ромашка")
    await client.click("➕ Создать нового клиента")
    await client.send("/contact Ромашка: Иван Петров, закупки")
    async with session_pool() as session:
        manager_id = await session.scalar(select(Manager.id))
        client_id = await session.scalar(select(Client.id))
        # Written by the version before contacts were recorded by id: (client id, name).
        session.add(
            UndoEntry(
                manager_id=manager_id,
                kind="import",
                payload={"clients": [], "contacts": [[client_id, "иван петров"]]},
                created_at=clock.now(),
            )
        )
        await session.commit()

    reply = "\n".join(client.texts(await client.send("/undo")))

    assert "импорт" in reply, reply
    assert await _contacts(session_pool) == 0
