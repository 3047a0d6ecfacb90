"""Reproducers of what the fuzz test (tests/flows/test_fuzz.py, issue 13) found, one per bug.

Each failed until its bug was fixed; the fuzz report names the same input and location.
Finding 1 (an empty message after a touch without text) is fixed by 0400953.
"""

from __future__ import annotations

from typing import Any

from aiogram.methods import SendMessage, TelegramMethod

from tests.support.bot_client import BotClient
from tests.support.fuzz import reply_problems


def _refused(requests: list[TelegramMethod[Any]]) -> list[str]:
    """What Telegram would answer with 400 Bad Request (empty text, bad HTML, too long…)."""
    return [p for r in requests for p in reply_problems(r)]


async def test_logging_a_touch_with_no_text_sends_no_empty_message(client: BotClient) -> None:
    """Fuzz finding 1. handlers/logging.py:72 (save_draft) sends t("touch-problem-empty"),
    which is {""} in bot/locales/{ru,en}/core.ftl: Telegram refuses an empty text
    ("Bad Request: message text is empty"), so the user gets the error apology right after
    the touch was saved. Input: "/call <unknown client>", then tap "➕ Создать"."""
    await client.send("/call Ромашка")
    requests = await client.click("Создать")
    assert any("Записал" in t for t in client.texts(requests))  # the touch is saved
    assert _refused(requests) == [], [m.text for m in requests if isinstance(m, SendMessage)]


async def test_logging_a_touch_for_a_known_client_with_no_text(client: BotClient) -> None:
    """Fuzz finding 1, second path: the client exists, "/call Ромашка" alone saves at once
    (handlers/logging.py:89 → save_draft) and sends the same empty message."""
    await client.send("/client Ромашка")
    await client.click("Создать")
    requests = await client.send("/call Ромашка")
    assert _refused(requests) == [], [m.text for m in requests if isinstance(m, SendMessage)]
