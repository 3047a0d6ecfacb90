"""Issue 17: each file of the export is recognised for what it is — a touches, notes or sales
table imports as such (never as bare clients), an edited workbook and an old CSV archive
restore from their sheets, a reminders table is refused with a word on what to send."""

from __future__ import annotations

import io
import zipfile

from aiogram import Dispatcher
from aiogram.methods import SendDocument
from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Client, Interaction, Manager, Note, NoteTag, Sale
from tests.flows.test_restore import XLSX, ZIP, build_base, snapshot
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

CSV = "text/csv"


async def _export(client: BotClient) -> tuple[bytes, dict[str, bytes]]:
    requests = await client.send("/export")
    documents = [r.document for r in requests if isinstance(r, SendDocument)]
    workbook = next(d for d in documents if str(d.filename).endswith(".xlsx")).data  # type: ignore[union-attr]
    archive = next(d for d in documents if str(d.filename).endswith(".zip")).data  # type: ignore[union-attr]
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:  # type: ignore[arg-type]
        files = {name: zf.read(name) for name in zf.namelist()}
    return workbook, files  # type: ignore[return-value]


async def _count(pool: async_sessionmaker[AsyncSession], model: type, telegram_id: int) -> int:
    async with pool() as session:
        manager_id = await session.scalar(
            select(Manager.id).where(Manager.telegram_id == telegram_id)
        )
        owner = Client.owner_id if model is Client else model.manager_id  # type: ignore[attr-defined]
        return int(
            await session.scalar(select(func.count()).select_from(model).where(owner == manager_id))
            or 0
        )


async def test_touches_notes_and_sales_tables_import_as_such_never_as_bare_clients(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await build_base(client)
    _, files = await _export(client)
    other = BotClient(dispatcher, bot, user_id=8101)
    await other.send("/client Ромашка")
    await other.click("➕ Создать нового клиента")

    await other.send("/import")
    texts = other.texts(await other.send_document(files["touches.csv"], "touches.csv", CSV))
    preview = "\n".join(texts)
    assert "таблица касаний" in preview, preview
    assert "Касания: новых <b>2</b>" in preview, preview
    # Ромашка exists; Василёк is named only by its touch: created with it, said so.
    assert "создам вместе с их записями: 1" in preview, preview
    await other.click("✅ Восстановить")
    assert await _count(session_pool, Interaction, 8101) == 2
    assert await _count(session_pool, Client, 8101) == 2

    await other.send("/import")
    texts = other.texts(await other.send_document(files["notes.csv"], "notes.csv", CSV))
    assert any("таблица заметок" in t for t in texts), texts
    await other.click("✅ Восстановить")
    assert await _count(session_pool, Note, 8101) == 2
    async with session_pool() as session:
        tags = set(await session.scalars(select(NoteTag.tag)))
    assert {"семья", "цены"} <= tags  # note tags stay note tags, not client tags

    await other.send("/import")
    texts = other.texts(await other.send_document(files["sales.csv"], "sales.csv", CSV))
    assert any("таблица продаж" in t for t in texts), texts
    await other.click("✅ Восстановить")
    assert await _count(session_pool, Sale, 8101) == 2
    # Gamma has only a request and a review: no table sent so far named it.
    assert await _count(session_pool, Client, 8101) == 2

    # The same touches table again adds nothing.
    texts = other.texts(await other.send_document(files["touches.csv"], "touches.csv", CSV))
    assert any("добавлять нечего" in t for t in texts), texts


async def test_a_reminders_table_alone_is_refused_saying_what_to_send(client: BotClient) -> None:
    await build_base(client)
    _, files = await _export(client)
    await client.send("/import")
    texts = client.texts(await client.send_document(files["reminders.csv"], "reminders.csv", CSV))
    assert any("таблица напоминаний" in t and "ZIP" in t for t in texts), texts


async def test_an_edited_workbook_restores_from_its_sheets_with_the_edit(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await build_base(client)
    workbook, _ = await _export(client)
    book = load_workbook(io.BytesIO(workbook))
    sheet = book["Клиенты"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "Гамма":
            row[0].value = "Гамма-Плюс"  # the manager renamed a client in Excel
    buffer = io.BytesIO()
    book.save(buffer)
    other = BotClient(dispatcher, bot, user_id=8102)
    await other.send("/import")
    texts = other.texts(await other.send_document(buffer.getvalue(), "kambot.xlsx", XLSX))
    preview = "\n".join(texts)
    assert "книга Excel из выгрузки kambot" in preview, preview
    await other.click("✅ Восстановить")
    async with session_pool() as session:
        names = set(
            await session.scalars(
                select(Client.name)
                .join(Manager, Manager.id == Client.owner_id)
                .where(Manager.telegram_id == 8102)
            )
        )
    assert "Гамма-Плюс" in names  # the edit wins over the hidden copy
    assert {"Ромашка", "Василёк"} <= names
    assert await _count(session_pool, Interaction, 8102) == 2
    assert await _count(session_pool, Sale, 8102) == 2
    assert await _count(session_pool, Note, 8102) == 2


async def test_an_old_csv_archive_without_kambot_json_restores_from_its_tables(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await build_base(client)
    original = await snapshot(session_pool, client.user.id)
    _, files = await _export(client)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, content in files.items():
            if name != "kambot.json":
                zf.writestr(name, content)
    other = BotClient(dispatcher, bot, user_id=8103)
    await other.send("/import")
    texts = other.texts(await other.send_document(buffer.getvalue(), "old-export.zip", ZIP))
    assert any("Клиенты: новых <b>3</b>" in t for t in texts), texts
    await other.click("✅ Восстановить")
    restored = await snapshot(session_pool, other.user.id)
    for kind in ("touches", "notes", "sales", "requests", "reviews", "plans"):
        assert len(restored[kind]) == len(original[kind]), kind
    assert [c[0] for c in restored["clients"]] == [c[0] for c in original["clients"]]
