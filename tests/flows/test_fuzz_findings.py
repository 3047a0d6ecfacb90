"""Reproducers of what the fuzz test (tests/flows/test_fuzz.py, issue 13) found, one per bug.

Each failed until its bug was fixed; the fuzz report names the same input and location.
Finding 1 (an empty message after a touch without text) is fixed by 0400953.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.methods import SendMessage, TelegramMethod

from tests.support.bot_client import BotClient
from tests.support.fuzz import reply_problems


def _refused(requests: list[TelegramMethod[Any]]) -> list[str]:
    """What Telegram would answer with 400 Bad Request (empty text, bad HTML, too long…)."""
    return [p for r in requests for p in reply_problems(r)]


async def test_logging_a_touch_with_no_text_sends_no_empty_message(client: BotClient) -> None:
    """Fuzz finding 1. handlers/touches/log_touch.py:72 (save_draft) sends t("touch-problem-empty"),
    which is {""} in bot/locales/{ru,en}/core.ftl: Telegram refuses an empty text
    ("Bad Request: message text is empty"), so the user gets the error apology right after
    the touch was saved. Input: "/call <unknown client>", then tap "➕ Создать"."""
    await client.send("/call Ромашка")
    requests = await client.click("Создать")
    assert any("Записал" in t for t in client.texts(requests))  # the touch is saved
    assert _refused(requests) == [], [m.text for m in requests if isinstance(m, SendMessage)]


async def test_logging_a_touch_for_a_known_client_with_no_text(client: BotClient) -> None:
    """Fuzz finding 1, second path: the client exists, "/call Ромашка" alone saves at once
    (handlers/touches/log_touch.py:89 → save_draft) and sends the same empty message."""
    await client.send("/client Ромашка")
    await client.click("Создать")
    requests = await client.send("/call Ромашка")
    assert _refused(requests) == [], [m.text for m in requests if isinstance(m, SendMessage)]


async def test_a_note_reminder_without_a_date_is_explained_in_words(
    client: BotClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Fuzz finding 2 (FUZZ_SEED=2, step 8091). note_parse gives the problem "remind-no-date"
    (bot/services/parsing/note_parse.py:149) but bot/locales/{ru,en}/core.ftl have no
    note-problem-remind-no-date: handlers/touches/notes.py:84 logs "i18n: missing message" at
    ERROR and
    the user reads the raw key. Input: "/note <client>: … remind me on" (a reminder word, no
    date)."""
    await client.send("/client Ромашка")
    await client.click("Создать")
    texts = client.texts(await client.send("/note Ромашка: позвонить напомни"))
    assert not any("note-problem-" in t for t in texts), texts
    assert not [r for r in caplog.records if r.name == "bot.i18n"], caplog.records


async def test_a_note_of_only_a_lock_is_not_saved_empty(
    client: BotClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Fuzz finding 2, second key (found while reproducing it): "/note <client>: 🔒" saves a
    private note with an empty text and shows the raw key "note-problem-empty": note_parse adds
    "empty" (bot/services/parsing/note_parse.py:154), handlers/touches/notes.py:84 has no text for
    it in
    bot/locales/{ru,en}/core.ftl (an ERROR "i18n: missing message")."""
    await client.send("/client Ромашка")
    await client.click("Создать")
    texts = client.texts(await client.send("/note Ромашка: 🔒"))
    assert not any("note-problem-" in t for t in texts), texts
    assert not [r for r in caplog.records if r.name == "bot.i18n"], caplog.records


@pytest.mark.parametrize(
    "text",
    [
        "Ромашка: обсудили\x00 поставку",
        "/note Ромашка: сын\x00 сдаёт ЕГЭ",
        "/sale Ромашка 100 000 каб\x00ель",
        "/request Ромашка не\x00 пришла доставка",
        "/review Ромашка - курьер\x00 опоздал",
        "/contact Ромашка: Ив\x00ан Петров, закупки",
    ],
)
async def test_a_nul_character_in_a_text_is_not_a_database_error(
    client: BotClient, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    """Fuzz finding 3, PostgreSQL only (FUZZ_PG=1, FUZZ_SEED=20261213, step 3473: the input
    "0: \\x00: договорились: директор: Техно&nbsp;пром"): a text with U+0000 reaches an INSERT
    and PostgreSQL refuses it ("invalid byte sequence for encoding UTF8: 0x00"; first at
    bot/services/crm/touches.py:118 in record), so the user gets the error apology. SQLite stores
    it. The same for notes, sales, requests, reviews and contacts: strip C0 controls from every
    incoming text (as the importer now does for files)."""
    await client.send("/client Ромашка")
    await client.click("Создать")
    caplog.clear()
    texts = client.texts(await client.send(text))
    assert texts, "no reply"
    assert not [r for r in caplog.records if r.levelno >= 40], [
        str(r.exc_info[1])[:200] if r.exc_info else r.getMessage() for r in caplog.records
    ]
