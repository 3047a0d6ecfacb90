"""LOG_FORMAT=json: one searchable line per update, the user only as a hash, never the token
(issue 11). Driven through the real update path; the lines are read off the handler's stream."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from bot.logs import UPDATES_LOGGER, setup_logging, user_hash
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import BOT_TOKEN

USER_ID = 1001  # BotClient's default user
SECRET_TAIL = BOT_TOKEN.partition(":")[2]
API_URL = f"https://api.telegram.org/bot{BOT_TOKEN}/sendMessage"
_QUIETED = (
    UPDATES_LOGGER,
    "aiohttp.access",
    "apscheduler.executors",
    "apscheduler.scheduler",
    "alembic",
    "pymorphy3",
)


@pytest.fixture
def log_stream() -> Iterator[Any]:
    """setup_logging as the bot calls it, writing to a buffer; the root logger put back after."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level, {n: logging.getLogger(n).level for n in _QUIETED})

    def start(log_format: str | None) -> io.StringIO:
        setup_logging("INFO", [BOT_TOKEN], log_format)  # type: ignore[arg-type]
        buffer = io.StringIO()
        handler = root.handlers[0]
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(buffer)
        return buffer

    yield start
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


def _lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def _update_lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [line for line in _lines(buffer) if line["logger"] == UPDATES_LOGGER]


async def test_one_json_line_per_update_with_handler_duration_outcome_and_hashed_user(
    client: BotClient, log_stream: Any
) -> None:
    buffer = log_stream("json")
    await client.send("/start")
    await client.send("/client Ромашка")
    await client.click("Создать нового клиента")
    lines = _update_lines(buffer)
    assert [line["kind"] for line in lines] == ["message", "message", "callback_query"]
    assert [line["handler"].rsplit(".", 1)[-1] for line in lines[1:]] == [
        "on_client",
        "on_new_client",
    ]
    for line in lines:
        assert line["outcome"] == "ok"
        assert isinstance(line["update_id"], int)
        assert line["duration_ms"] >= 0
        assert line["user"] == user_hash(USER_ID, BOT_TOKEN)
    assert len({line["update_id"] for line in lines}) == 3
    # The Telegram id appears nowhere, not even inside another module's message.
    assert str(USER_ID) not in buffer.getvalue()


def test_the_user_hash_is_stable_per_install_and_differs_between_installs() -> None:
    other_token = "123456789:" + "x" * 35
    assert user_hash(USER_ID, BOT_TOKEN) == user_hash(USER_ID, BOT_TOKEN)
    assert user_hash(USER_ID, BOT_TOKEN) != user_hash(USER_ID + 1, BOT_TOKEN)
    assert user_hash(USER_ID, BOT_TOKEN) != user_hash(USER_ID, other_token)
    assert len(user_hash(USER_ID, BOT_TOKEN)) == 12


async def test_a_failed_update_logs_error_with_its_context_and_no_token(
    client: BotClient, log_stream: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: Any) -> None:
        raise RuntimeError(f"POST {API_URL} failed, token {BOT_TOKEN}")

    # Only the fault is injected; everything around it (boundary, logs) is the real path.
    monkeypatch.setattr("bot.services.crm.clients.lookup", broken)
    buffer = log_stream("json")
    await client.send("/start")
    await client.send("/client Ромашка")
    text = buffer.getvalue()
    assert BOT_TOKEN not in text
    assert SECRET_TAIL not in text
    assert "<redacted>" in text
    assert str(USER_ID) not in text  # the boundary's "from user …" names the hash
    failed = _update_lines(buffer)[-1]
    assert failed["outcome"] == "error"
    assert failed["handler"].endswith("on_client")
    boundary = next(line for line in _lines(buffer) if line["level"] == "ERROR")
    assert boundary["update_id"] == failed["update_id"]
    assert boundary["user"] == user_hash(USER_ID, BOT_TOKEN)
    assert "RuntimeError" in boundary["exc"]


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_a_record_with_the_token_is_redacted(log_stream: Any, log_format: str) -> None:
    buffer = log_stream(log_format)
    logging.getLogger("aiogram.event").info("calling %s", API_URL)
    logging.getLogger("aiogram.event").warning("tail only: %s", SECRET_TAIL)
    try:
        raise ConnectionError(f"cannot reach {API_URL}")
    except ConnectionError:
        logging.getLogger("bot.notifier").exception("send failed for %s", BOT_TOKEN)
    text = buffer.getvalue()
    assert BOT_TOKEN not in text
    assert SECRET_TAIL not in text
    assert text.count("<redacted>") >= 4
    assert "https://api.telegram.org/bot<redacted>/sendMessage" in text  # still readable


async def test_plain_text_stays_the_default_and_as_quiet_as_before(
    client: BotClient, log_stream: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    buffer = log_stream(None)
    await client.send("/start")
    logging.getLogger("bot").info("hello")
    text = buffer.getvalue()
    assert text.splitlines()[-1].endswith(" INFO bot: hello")
    assert UPDATES_LOGGER not in text  # no per-update line: the default output is unchanged
    assert not text.lstrip().startswith("{")


def test_log_format_comes_from_the_environment_when_not_given(
    log_stream: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOG_FORMAT", "json")
    buffer = log_stream(None)
    logging.getLogger("bot").warning("hello")
    assert _lines(buffer)[0]["msg"] == "hello"
