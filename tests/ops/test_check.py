"""`kambot check`: one line per part, exit code 0 only if all is well, never the token."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.telegram_api import FakeTelegramAPI
from tests.ops.support import IN_CI, REDIS_TEST_URL, kambot
from tests.support.mocked_bot import BOT_TOKEN

pytestmark = pytest.mark.e2e


def _lines(stdout: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in stdout.splitlines() if ": " in line)


def test_all_well_with_optional_parts_not_used(api: FakeTelegramAPI, tmp_path: Path) -> None:
    result = kambot(tmp_path, "check", BOT_TOKEN=BOT_TOKEN, TELEGRAM_API_URL=api.base_url)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = _lines(result.stdout)
    assert list(lines) == ["config", "database", "redis", "telegram", "webhook"]
    assert lines["config"] == "ok"
    assert lines["database"].startswith("ok (sqlite")
    assert lines["redis"].startswith("not used")
    assert lines["telegram"] == "ok (getMe: @kam_test_bot)"
    assert lines["webhook"].startswith("not used")
    assert BOT_TOKEN not in result.stdout + result.stderr
    assert not (tmp_path / "data").exists()  # a check creates no database


def test_every_broken_part_is_one_failed_line(tmp_path: Path) -> None:
    rejected = BOT_TOKEN.replace(BOT_TOKEN[-6:], "ZZZZZZ")
    with FakeTelegramAPI(allowed_tokens=[BOT_TOKEN]) as api:
        result = kambot(
            tmp_path,
            "check",
            BOT_TOKEN=rejected,
            TELEGRAM_API_URL=api.base_url,
            DATABASE_URL="postgresql+asyncpg://nobody@127.0.0.1:1/none",
            REDIS_URL="redis://127.0.0.1:1/6",
            WEBHOOK_URL="http://bot.example.test/telegram/webhook",
        )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = _lines(result.stdout)
    assert lines["database"].startswith("FAILED: cannot reach it")
    assert lines["redis"].startswith("FAILED: cannot reach REDIS_URL")
    assert lines["telegram"] == "FAILED: Telegram rejected BOT_TOKEN (Unauthorized)"
    assert lines["webhook"].startswith("FAILED: WEBHOOK_URL must be an https:// address")
    assert rejected not in result.stdout + result.stderr
    assert rejected.split(":")[1] not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_redis_and_webhook_in_use(api: FakeTelegramAPI, tmp_path: Path) -> None:
    result = kambot(
        tmp_path,
        "check",
        BOT_TOKEN=BOT_TOKEN,
        TELEGRAM_API_URL=api.base_url,
        REDIS_URL=REDIS_TEST_URL,
        WEBHOOK_URL="https://bot.example.test/telegram/webhook",
        WEBHOOK_SECRET="a-Secret_of-ours",
    )
    lines = _lines(result.stdout)
    if lines["redis"].startswith("FAILED") and not IN_CI:
        pytest.skip(f"no Redis at {REDIS_TEST_URL} (required in CI)")
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines["redis"] == "ok"
    assert lines["webhook"].startswith("ok (https://bot.example.test/telegram/webhook, secret set")
    assert "a-Secret_of-ours" not in result.stdout


def test_an_invalid_setting_is_named(tmp_path: Path) -> None:
    result = kambot(tmp_path, "check", BOT_TOKEN=BOT_TOKEN, HEALTH_PORT="not-a-port")
    assert result.returncode == 2
    assert "HEALTH_PORT" in result.stderr
