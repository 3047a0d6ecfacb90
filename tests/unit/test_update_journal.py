"""A parked update (bot/update_journal.py) holds a user's text: only the bot's account reads it."""

from __future__ import annotations

import stat
from pathlib import Path

from aiogram.types import Update

from bot.update_journal import UpdateJournal
from tests.support.mocked_bot import MockedBot


def test_a_parked_update_is_private_and_comes_back_whole(tmp_path: Path) -> None:
    folder = tmp_path / "updates-in-flight"
    journal = UpdateJournal(folder)
    update = Update.model_validate(
        {
            "update_id": 42,
            "message": {
                "message_id": 1,
                "date": 1_765_000_000,
                "chat": {"id": 7, "type": "private"},
                "from": {"id": 7, "is_bot": False, "first_name": "Анна"},
                "text": "Ромашка: сын сдаёт ЕГЭ",
            },
        }
    )
    assert journal.park(update)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "42.json").stat().st_mode) == 0o600
    (back,) = journal.load(MockedBot())
    assert back.message is not None
    assert back.message.text == "Ромашка: сын сдаёт ЕГЭ"
    journal.done(42)
    assert journal.load(MockedBot()) == []
