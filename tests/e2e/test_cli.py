"""`python -m bot` as a new user runs it: clear messages and exit code 2 when misconfigured."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.config import token_problem
from bot.logs import RedactingFormatter
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.mocked_bot import BOT_TOKEN

ROOT = Path(__file__).resolve().parents[2]
# A log line that would alarm an operator reading the start-up output.
ALARMING = re.compile(r"\b(WARNING|ERROR|CRITICAL)\b|Traceback")


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


def assert_fatal_line_last(stderr: str, says: str) -> None:
    """The fatal message is the last line of stderr and the only alarming one."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines, "nothing on stderr"
    assert lines[-1].startswith("kambot: "), stderr
    assert says in lines[-1], stderr
    assert not [line for line in lines[:-1] if ALARMING.search(line)], stderr
    assert "stopped cleanly" not in stderr
    # Alembic's set-up chatter ("Context impl SQLiteImpl.", "Running upgrade …") is noise.
    assert "alembic" not in stderr
    assert "Context impl" not in stderr
    assert "pymorphy3" not in stderr  # its dictionary banner too


def test_unreachable_telegram_is_one_clear_line(tmp_path: Path) -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    result = _run(
        tmp_path,
        BOT_TOKEN=BOT_TOKEN,
        TELEGRAM_API_URL="http://127.0.0.1:9",
        STARTUP_RETRY_SECONDS="1",
    )
    assert result.returncode == 2
    assert "cannot reach the Telegram Bot API at http://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Unclosed client session" not in result.stderr
    assert BOT_TOKEN not in result.stderr
    assert_fatal_line_last(result.stderr, "cannot reach the Telegram Bot API")


def _readme_sample_token() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"BOT_TOKEN=(\S+) \S*python -m bot", readme)
    assert found, "README has no sample `BOT_TOKEN=... python -m bot` command"
    return found.group(1)


def test_readme_sample_token_passes_the_format_check_and_telegram_says_why_not(
    tmp_path: Path,
) -> None:
    # A new user pastes README's command as is: the placeholder must not be refused as
    # malformed (that reads as "you typed it wrong"), and Telegram's Unauthorized must end in
    # one line that says where a real token comes from.
    sample = _readme_sample_token()
    assert token_problem(SecretStr(sample)) is None
    with FakeTelegramAPI(allowed_tokens=[BOT_TOKEN]) as api:
        result = _run(tmp_path, BOT_TOKEN=sample, TELEGRAM_API_URL=api.base_url)
    assert result.returncode == 2
    assert_fatal_line_last(result.stderr, "Telegram rejected BOT_TOKEN")
    assert "@BotFather" in result.stderr.splitlines()[-1]
    assert sample.split(":")[1] not in result.stderr


def test_malformed_token_message_says_what_shape_is_expected(tmp_path: Path) -> None:
    result = _run(tmp_path, BOT_TOKEN="123456789:short")
    assert result.returncode == 2
    assert "35" in result.stderr
    assert "A-Za-z0-9_-" in result.stderr


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
