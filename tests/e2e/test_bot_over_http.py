"""The real bot process over real HTTP against the fake Bot API on 127.0.0.1."""

from __future__ import annotations

import sqlite3

import pytest

from tests.e2e.harness import BotProcess, Chat
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.e2e


def test_start_up_registers_commands_in_both_languages(
    bot_process: BotProcess, fake_api: FakeTelegramAPI
) -> None:
    calls = fake_api.calls("setMyCommands")
    languages = {c.params.get("language_code") for c in calls}
    assert {"ru", "en"} <= languages
    ru = next(c for c in calls if c.params.get("language_code") == "ru")
    commands = {x["command"] for x in ru.params["commands"]}
    assert {"start", "help", "settings", "cancel", "client", "clients", "contact"} <= commands
    assert fake_api.calls("deleteWebhook")
    print(f"\nstart-up to first getUpdates: {bot_process.startup_seconds:.2f} s")
    assert "ready in" in bot_process.log()


def test_onboarding_in_russian_over_http(
    bot_process: BotProcess, fake_api: FakeTelegramAPI
) -> None:
    chat = Chat(fake_api, 501, "ru")
    texts = chat.texts(chat.send("/start"))
    assert "kambot" in texts[0]
    chat.click("Русский")
    texts = chat.texts(chat.send("москва"))
    assert any("Москва" in t and "UTC+3" in t for t in texts)
    chat.click("Ключевые клиенты")
    texts = chat.texts(chat.click("08:00"))
    assert any("Готово" in t for t in texts)


def test_onboarding_in_english_over_http(
    bot_process: BotProcess, fake_api: FakeTelegramAPI
) -> None:
    chat = Chat(fake_api, 502, "en")
    assert "Hi!" in chat.texts(chat.send("/start"))[0]
    chat.click("English")
    texts = chat.texts(chat.send("New York"))
    assert any("New York" in t for t in texts)
    chat.click("B2B")
    texts = chat.texts(chat.send("7:45"))
    assert any("All set" in t for t in texts)
    assert any("07:45" in t for t in texts)


def test_random_text_and_forged_callback_get_clear_replies(
    bot_process: BotProcess, fake_api: FakeTelegramAPI
) -> None:
    chat = Chat(fake_api, 503, "en")
    assert "/help" in chat.texts(chat.send("hello there <b>"))[0]
    message_id = fake_api.sent_messages(503)[-1]["message_id"]
    calls = chat.press("p:tz:Not/AZone:s", message_id)
    assert any("No such value" in t for t in chat.texts(calls))
    calls = chat.press("zz:1:2:3", message_id)
    assert any("outdated" in t for t in chat.texts(calls))


def test_settings_survive_a_restart(bot_process: BotProcess, fake_api: FakeTelegramAPI) -> None:
    chat = Chat(fake_api, 504, "ru")
    chat.send("/settings")
    chat.click("Часовой пояс")
    texts = chat.texts(chat.send("Владивосток"))
    assert any("Владивосток" in t for t in texts)

    bot_process.restart()
    assert "stopped cleanly" in bot_process.log() or bot_process.process is not None

    texts = chat.texts(chat.send("/settings"))
    assert any("Владивосток" in t and "UTC+10" in t for t in texts)
    db = bot_process.workdir / "data" / "kambot.db"
    with sqlite3.connect(db) as conn:
        zone = conn.execute("SELECT timezone FROM managers WHERE telegram_id = 504").fetchone()
    assert zone == ("Asia/Vladivostok",)
