"""/import and /export through the real Dispatcher, with the database checked row by row."""

from __future__ import annotations

import io
import zipfile

import pytest
from aiogram import Dispatcher
from aiogram.methods import EditMessageText, GetFile, SendDocument
from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import transfer as storage_transfer
from storage.models import Client, Contact, Manager
from tests.support import bombs
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot
from tests.support.spreadsheets import csv_bytes, inn10, russian_clients

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _count(
    pool: async_sessionmaker[AsyncSession], model: type, owner: int | None = None
) -> int:
    async with pool() as session:
        query = select(func.count()).select_from(model)
        if owner is not None and model is Client:
            query = query.join(Manager, Manager.id == Client.owner_id).where(
                Manager.telegram_id == owner
            )
        return int(await session.scalar(query) or 0)


async def test_windows_1251_semicolon_csv_of_100_clients(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    content = csv_bytes(russian_clients(100), encoding="cp1251", delimiter=";")
    await client.send("/import")
    texts = client.texts(await client.send_document(content, "база.csv"))
    assert any("<b>100</b> клиентов и 100 контактов" in t for t in texts), texts
    assert await _count(session_pool, Client) == 0  # nothing before the confirmation
    texts = client.texts(await client.click("✅ Импортировать (100)"))
    assert any("Новых клиентов: <b>100</b>" in t for t in texts), texts
    assert await _count(session_pool, Client) == 100
    assert await _count(session_pool, Contact) == 100
    async with session_pool() as session:
        sample = await session.scalar(select(Client).where(Client.name == "ООО «Ромашка-1»"))
        assert sample is not None
        assert sample.tax_id == inn10(1001)
        person = await session.scalar(select(Contact).where(Contact.client_id == sample.id))
        assert person is not None
        assert (person.birth_day, person.birth_month, person.birth_year) == (2, 2, 1961)
    # A second tap on the same confirm button imports nothing twice.
    texts = client.texts(await client.click("✅ Импортировать (100)"))
    assert any("устарела" in t for t in texts)
    assert await _count(session_pool, Client) == 100


async def test_a_file_with_bad_rows_imports_nothing_and_reports_each_row(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    rows = [
        ["Клиент", "ИНН", "Контакт", "День рождения"],
        ["Ромашка", inn10(5), "Иван", "12.03"],
        ["", "", "Пётр", ""],
        ["Василёк", "1234567890", "Мария", "31 февраля"],
    ]
    await client.send("/import")
    texts = client.texts(await client.send_document(csv_bytes(rows), "bad.csv"))
    report = "\n".join(texts)
    assert "Ничего не импортировал" in report
    assert "Строка 3" in report
    assert "Строка 4, «ИНН»: неверный ИНН" in report
    assert "Строка 4, «День рождения»: не понял дату" in report
    assert await _count(session_pool, Client) == 0


async def test_wrong_things_sent_for_import_get_clear_replies(client: BotClient) -> None:
    await client.send("/import")
    from aiogram.types import PhotoSize

    photo = [PhotoSize(file_id="p", file_unique_id="p", width=10, height=10)]
    assert "это фото" in client.texts(await client.send_update(photo=photo))[0].lower()
    requests = await client.send_document(b"x" * (30 * 1024 * 1024), "huge.csv")
    assert "больше 10 МБ" in client.texts(requests)[0]
    assert not any(isinstance(r, GetFile) for r in requests)  # refused before downloading
    texts = client.texts(await client.send_document(b"\x00\x01garbage", "notes.xlsx", XLSX))
    assert any("повреждён" in t or "не читаю" in t for t in texts), texts
    texts = client.texts(await client.send_document(csv_bytes([["Город"], ["Москва"]]), "x.csv"))
    assert any("колонку с названием клиента" in t for t in texts), texts


async def test_export_then_import_gives_the_same_base(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await client.send("/client Ромашка")
    await client.click("➕ Создать нового клиента")
    await client.send("/contact Ромашка: Иван Петров, закупки, др 12.03.1980, +7 999 123-45-67")
    await client.send("/contact Ромашка: Мария, =1+1, 5 мая")
    await client.send("/client Василёк")
    await client.click("➕ Создать нового клиента")
    requests = await client.send("/export")
    documents = [r for r in requests if isinstance(r, SendDocument)]
    assert [d.document.filename.rsplit(".", 1)[-1] for d in documents] == ["xlsx", "zip"]  # type: ignore[union-attr]
    workbook = documents[0].document.data  # type: ignore[union-attr]
    with zipfile.ZipFile(io.BytesIO(documents[1].document.data)) as archive:  # type: ignore[union-attr]
        names = set(archive.namelist())
        clients_csv = archive.read("clients.csv").decode("utf-8-sig")
    assert {"clients.csv", "touches.csv", "notes.csv", "sales.csv"} <= names
    assert "'=1+1" in clients_csv  # formula injection neutralized

    # Into the same account: everything is recognised, nothing duplicated (issue 17: the
    # workbook as it came is a whole export and goes through the restore).
    await client.send("/import")
    texts = client.texts(await client.send_document(workbook, "kambot.xlsx", XLSX))
    assert any("уже есть в базе: 2" in t for t in texts), texts
    assert any("добавлять нечего" in t for t in texts), texts
    assert await _count(session_pool, Client) == 2

    # Into a fresh account: the same clients and contacts.
    other = BotClient(dispatcher, bot, user_id=5005)
    await other.send("/import")
    await other.send_document(workbook, "kambot.xlsx", XLSX)
    texts = other.texts(await other.click("✅ Восстановить"))
    assert any("Клиенты: новых <b>2</b>" in t for t in texts), texts

    async def snapshot(telegram_id: int) -> list[tuple[object, ...]]:
        async with session_pool() as session:
            rows = await session.execute(
                select(
                    Client.name,
                    Client.tier,
                    Contact.name,
                    Contact.role,
                    Contact.phone,
                    Contact.birth_day,
                    Contact.birth_month,
                    Contact.birth_year,
                )
                .join(Manager, Manager.id == Client.owner_id)
                .outerjoin(Contact, Contact.client_id == Client.id)
                .where(Manager.telegram_id == telegram_id)
                .order_by(Client.name, Contact.name)
            )
            return [tuple(r) for r in rows]

    assert await snapshot(5005) == await snapshot(1001)
    assert len(await snapshot(1001)) == 3


async def test_export_contains_only_my_clients(
    client: BotClient, dispatcher: Dispatcher, bot: MockedBot
) -> None:
    await client.send("/client Ромашка")
    await client.click("➕ Создать нового клиента")
    other = BotClient(dispatcher, bot, user_id=6006)
    requests = await other.send("/export")
    archive_doc = [r for r in requests if isinstance(r, SendDocument)][1]
    with zipfile.ZipFile(io.BytesIO(archive_doc.document.data)) as archive:  # type: ignore[union-attr]
        assert "Ромашка" not in archive.read("clients.csv").decode("utf-8-sig")


# --- issue 13: bombs, control characters, failures, the full export ---------------------------


async def test_bombs_are_refused_with_the_limit_in_the_users_language(
    client: BotClient, dispatcher: Dispatcher, bot: MockedBot
) -> None:
    await client.send("/import")
    texts = client.texts(await client.send_document(bombs.wide_csv_header(), "wide.csv"))
    assert any("больше 1\xa0000 колонок" in t for t in texts), texts
    texts = client.texts(await client.send_document(bombs.empty_rows_xlsx(24), "rows.xlsx", XLSX))
    assert any("больше 100\xa0000 строк, считая пустые" in t for t in texts), texts
    english = BotClient(dispatcher, bot, user_id=7007, language_code="en")
    await english.send("/import")
    texts = english.texts(await english.send_document(bombs.long_cell_csv(), "long.csv"))
    assert any("more than 32,767 characters" in t for t in texts), texts
    texts = english.texts(
        await english.send_document(bombs.whitespace_member_xlsx(200), "zip.xlsx", XLSX)
    )
    assert any("over 160 MB unpacked" in t for t in texts), texts


async def test_control_characters_are_stripped_and_the_import_succeeds(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    # A NUL used to pass the preview and then fail the INSERT on PostgreSQL.
    rows = [["Клиент", "Контакт", "Должность"], ["Ромашка\x00", "Иван\x01", "за\x0bкупки\tопт"]]
    await client.send("/import")
    texts = client.texts(await client.send_document(csv_bytes(rows), "nul.csv"))
    assert any("<b>1</b> клиент и 1 контакт" in t for t in texts), texts  # plurals, issue 15
    texts = client.texts(await client.click("✅ Импортировать (1)"))
    assert any("Новых клиентов: <b>1</b>" in t for t in texts), texts
    async with session_pool() as session:
        person = (
            await session.execute(
                select(Client.name, Contact.name, Contact.role).join(
                    Contact, Contact.client_id == Client.id
                )
            )
        ).one()
    assert tuple(person) == ("Ромашка", "Иван", "закупки опт")  # the tab is only a space


async def test_a_failed_import_says_so_on_the_progress_message_and_imports_nothing(
    client: BotClient,
    session_pool: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(storage_transfer, "insert_rows", broken)
    await client.send("/import")
    await client.send_document(csv_bytes(russian_clients(3)), "base.csv")
    requests = await client.click("✅ Импортировать (3)")
    texts = client.texts(requests)
    assert any("Импорт не удался — ничего не импортировано" in t for t in texts), texts
    edits = [r for r in requests if isinstance(r, EditMessageText)]
    assert edits
    assert "не удался" in edits[-1].text  # the "0 of 3" message itself
    assert await _count(session_pool, Client) == 0


async def test_export_has_my_requests_reviews_plans_and_reminders_only(
    client: BotClient, dispatcher: Dispatcher, bot: MockedBot
) -> None:
    other = BotClient(dispatcher, bot, user_id=6006)
    for who, name, word in ((client, "Ромашка", "доставка"), (other, "Лютик", "курьер")):
        await who.send(f"/client {name}")
        await who.click("➕ Создать нового клиента")
        await who.send(f"/request {name} не пришла {word}")
        await who.send(f"/review {name} + {word} отлично")
        await who.send(f"/note {name}: позвонить про {word}, напомни 5 декабря")
    await client.send("/plan 150000 month")
    await other.send("/plan 990000 month")

    requests = await client.send("/export")
    documents = [r for r in requests if isinstance(r, SendDocument)]
    workbook = load_workbook(io.BytesIO(documents[0].document.data), read_only=True)  # type: ignore[union-attr]
    sheets = {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in workbook}
    workbook.close()
    with zipfile.ZipFile(io.BytesIO(documents[1].document.data)) as archive:  # type: ignore[union-attr]
        files = {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}
    expected = {
        ("Запросы", "requests.csv"): "не пришла доставка",
        ("Отзывы", "reviews.csv"): "доставка отлично",
        ("Напоминания", "reminders.csv"): "позвонить про доставка",
        ("Планы", "plans.csv"): "150000",
    }
    for (sheet, file), mine in expected.items():
        cells = " ".join(str(c) for row in sheets[sheet] for c in row if c is not None)
        assert mine in cells, (sheet, cells)
        assert mine in files[file], (file, files[file])
        for theirs in ("курьер", "Лютик", "990000"):
            assert theirs not in cells + files[file], (sheet, theirs)
    assert sheets["Запросы"][0][:2] == ["Клиент", "Запрос"]
    assert "позитивный" in files["reviews.csv"]
    assert "месяц" in files["plans.csv"]
