"""`python -m bot` as a new user runs it: clear messages and exit code 2 when misconfigured."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.logs import RedactingFormatter
from tests.support.mocked_bot import BOT_TOKEN

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "TELEGRAM_"))
    }
    clean["PYTHONPATH"] = str(ROOT)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_token_explains_how_to_get_one(tmp_path: Path) -> None:
    result = _run(tmp_path)
    assert result.returncode == 2
    assert "BOT_TOKEN is not set" in result.stderr
    assert "@BotFather" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_token_is_refused(tmp_path: Path) -> None:
    result = _run(tmp_path, BOT_TOKEN="hello")
    assert result.returncode == 2
    assert "does not look like a Telegram bot token" in result.stderr
    assert "hello" not in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://root@localhost/x", "DATABASE_URL"),
        ("not a url at all", "DATABASE_URL"),
        ("postgresql+asyncpg://nobody@127.0.0.1:1/none", "cannot reach the database"),
    ],
)
def test_bad_database_url_is_one_clear_line(tmp_path: Path, url: str, says: str) -> None:
    result = _run(tmp_path, BOT_TOKEN=BOT_TOKEN, DATABASE_URL=url)
    assert result.returncode == 2
    assert says in result.stderr
    assert "Traceback" not in result.stderr
    assert BOT_TOKEN not in result.stderr


def test_unreachable_telegram_is_one_clear_line(tmp_path: Path) -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    result = _run(tmp_path, BOT_TOKEN=BOT_TOKEN, TELEGRAM_API_URL="http://127.0.0.1:9")
    assert result.returncode == 2
    assert "cannot reach the Telegram Bot API at http://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Unclosed client session" not in result.stderr
    assert BOT_TOKEN not in result.stderr


def test_migrate_command_creates_the_default_sqlite_database(tmp_path: Path) -> None:
    result = _run(tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    db = tmp_path / "data" / "kambot.db"
    assert db.exists()
    with sqlite3.connect(db) as conn:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    assert {"managers", "clients", "contacts", "interactions", "reminders"} <= tables


def test_log_lines_never_show_the_token() -> None:
    formatter = RedactingFormatter("%(message)s", [BOT_TOKEN])
    record = logging.LogRecord(
        "aiogram",
        logging.ERROR,
        __file__,
        1,
        "POST https://api.telegram.org/bot%s/getMe failed",
        (BOT_TOKEN,),
        None,
    )
    text = formatter.format(record)
    assert BOT_TOKEN.split(":")[1] not in text
    assert "<redacted>" in text
