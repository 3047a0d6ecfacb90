"""The client base as a new user tries it, through the bot's real HTTP path."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.e2e.harness import BotProcess, Chat
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.spreadsheets import csv_bytes, russian_clients

pytestmark = pytest.mark.e2e
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _document(chat: Chat, content: bytes, name: str, mime: str = "text/csv") -> list[str]:
    mark = chat.api.mark()
    uid = chat.api.push_document(
        chat.user_id, content, name, mime, language_code=chat.language_code
    )
    return chat.texts(chat._handled(uid, mark, 60.0))


def test_clients_contacts_lookup_import_export_and_isolation(
    bot_process: BotProcess, fake_api: FakeTelegramAPI
) -> None:
    chat = Chat(fake_api, 701, "ru")
    assert any("Создать" in t for t in chat.texts(chat.send("/client Ромашка")))
    chat.click("Создать нового клиента")
    texts = chat.texts(chat.send("/contact ромашка: Иван Петров, закупки, др 12 марта"))
    assert any("Иван Петров" in t and "12 марта" in t for t in texts), texts
    for query in ("ромашко", "Romashka", "Петров"):
        assert any("🏢 <b>Ромашка</b>" in t for t in chat.texts(chat.send(f"/client {query}"))), (
            query
        )

    # A Windows-1251 ";" CSV of 100 clients: preview, confirm, all in.
    chat.send("/import")
    csv_content = csv_bytes(russian_clients(100), encoding="cp1251", delimiter=";")
    assert any("<b>100</b> клиентов" in t for t in _document(chat, csv_content, "база.csv"))
    texts = chat.texts(chat.click("Импортировать"))
    assert any("Новых клиентов: <b>100</b>" in t for t in texts), texts

    # A bad file is rejected whole with a row report.
    bad = csv_bytes([["Клиент", "ИНН"], ["Новый", "7707083893"], ["Плохой", "123"]])
    chat.send("/import")
    texts = _document(chat, bad, "bad.csv")
    assert any("Ничего не импортировал" in t and "Строка 3" in t for t in texts), texts
    assert any("Клиента «Новый» нет" in t for t in chat.texts(chat.send("/client Новый")))

    # Export, then re-import the same workbook: nothing changes.
    mark = fake_api.mark()
    chat.send("/export")
    documents = [c for c in fake_api.calls()[mark:] if c.method == "sendDocument"]
    files = {name: data for c in documents for name, data in c.files.values()}
    assert len(files) == 2, [(c.method, c.description) for c in fake_api.calls()[mark:]]
    workbook = next(data for name, data in files.items() if name.endswith(".xlsx"))
    archive = next(data for name, data in files.items() if name.endswith(".zip"))
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        assert "Иван Петров" in zf.read("clients.csv").decode("utf-8-sig")
    chat.send("/import")
    # Issue 17: the workbook as it came is a whole export; everything in it is already here.
    texts = _document(chat, workbook, "kambot.xlsx", XLSX)
    assert any("Клиенты: новых <b>0</b>, уже есть в базе: 101" in t for t in texts), texts
    assert any("добавлять нечего" in t for t in texts), texts

    # Another user reaches none of it.
    stranger = Chat(fake_api, 702, "en")
    assert any(
        'No client "Ромашка" yet' in t for t in stranger.texts(stranger.send("/client Ромашка"))
    )
    message_id = fake_api.sent_messages(702)[-1]["message_id"]
    texts = stranger.texts(stranger.press("c:purge:1::", message_id))
    assert any("Client not found" in t for t in texts), texts
    assert any("🏢 <b>Ромашка</b>" in t for t in chat.texts(chat.send("/client Ромашка")))
