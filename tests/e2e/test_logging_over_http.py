"""Quick logging as a new user tries it, through the bot's real HTTP path."""

from __future__ import annotations

import pytest

from tests.e2e.harness import BotProcess, Chat
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.e2e


def test_call_with_a_friday_follow_up_taps_note_and_undo(
    bot_process: BotProcess, fake_api: FakeTelegramAPI
) -> None:
    chat = Chat(fake_api, 901, "ru")
    chat.send("/client Василёк")
    chat.click("Создать нового клиента")
    chat.send("/contact Василёк: Олег Иванов, директор, др 3 марта")

    texts = chat.texts(chat.send("/call василек обсудили поставку, КП в пятницу"))
    assert any("✅ Записал" in t and "Василёк" in t and "КП" in t for t in texts), texts
    brief = "\n".join(chat.texts(chat.send("/brief Василёк")))
    assert "обсудили поставку" in brief
    assert "КП" in brief
    assert "Олег Иванов" in brief

    # Three taps.
    chat.send("/log")
    chat.click("Василёк")
    chat.click("встреча")
    texts = chat.texts(chat.click("договорились"))
    assert any("🤝 встреча" in t for t in texts), texts

    texts = chat.texts(
        chat.send(
            "/note Олег Иванов: собака выиграла выставку #питомец напомни через неделю поздравить"
        )
    )
    assert any("Напомню" in t for t in texts), texts
    assert any("Отменил заметку" in t for t in chat.texts(chat.send("/undo")))
