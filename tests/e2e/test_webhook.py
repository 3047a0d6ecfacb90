"""Webhook mode: the secret header is checked; a wrong one gets 401 and changes nothing."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import ROOT, BotProcess
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.mocked_bot import BOT_TOKEN

pytestmark = pytest.mark.e2e
SECRET = "s3cret-Header_value"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def webhook_bot(
    fake_api: FakeTelegramAPI, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BotProcess, str]]:
    port = _free_port()
    # Telegram would call the public HTTPS address; a proxy forwards it to our local port.
    public = "https://kambot.example.test/telegram/webhook"
    process = BotProcess(
        fake_api,
        Path(tmp_path_factory.mktemp("webhook")),
        env={"WEBHOOK_URL": public, "WEBHOOK_SECRET": SECRET, "WEBHOOK_PORT": str(port)},
    )
    process.start()
    yield process, f"http://127.0.0.1:{port}/telegram/webhook"
    assert process.stop() == 0, process.log()


@pytest.fixture
def unused_port() -> int:
    return _free_port()


def _post(url: str, update: dict[str, object], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=json.dumps(update).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _update(update_id: int, text: str) -> dict[str, object]:
    user = {"id": 801, "is_bot": False, "first_name": "Олег", "language_code": "ru"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_790_000_000,
            "chat": {"id": 801, "type": "private"},
            "from": user,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


def test_webhook_checks_the_secret_and_handles_updates(
    webhook_bot: tuple[BotProcess, str], fake_api: FakeTelegramAPI
) -> None:
    _, url = webhook_bot
    registered = fake_api.calls("setWebhook")[-1]
    assert registered.params["url"] == "https://kambot.example.test/telegram/webhook"
    assert registered.params["secret_token"] == SECRET

    mark = fake_api.mark()
    assert _post(url, _update(90_001, "/help"), secret="wrong") == 401
    assert _post(url, _update(90_002, "/help"), secret=None) == 401
    assert not [c for c in fake_api.calls()[mark:] if c.method == "sendMessage"]

    assert _post(url, _update(90_003, "/help"), secret=SECRET) == 200
    replies = [c for c in fake_api.calls()[mark:] if c.method == "sendMessage"]
    assert len(replies) == 1
    assert "/settings" in replies[0].params["text"]

    # A retried delivery of the same update is acknowledged and not handled twice.
    assert _post(url, _update(90_003, "/help"), secret=SECRET) == 200
    assert len([c for c in fake_api.calls()[mark:] if c.method == "sendMessage"]) == 1


def test_webhook_without_a_configured_secret_still_checks_one(
    tmp_path: Path, unused_port: int
) -> None:
    # Without WEBHOOK_SECRET anyone reaching the port could POST an update "from" any user
    # (an /export of their base, past the allowlist): the bot must register a secret anyway.
    with FakeTelegramAPI() as api:
        process = BotProcess(
            api,
            tmp_path,
            env={
                "WEBHOOK_URL": "https://kambot.example.test/telegram/webhook",
                "WEBHOOK_PORT": str(unused_port),
            },
        )
        process.start()
        try:
            url = f"http://127.0.0.1:{unused_port}/telegram/webhook"
            registered = api.wait_for("setWebhook", lambda c: c.ok).params.get("secret_token")
            assert isinstance(registered, str)
            assert re.fullmatch(r"[A-Za-z0-9_-]{32,256}", registered)
            mark = api.mark()
            assert _post(url, _update(91_001, "/help"), secret=None) == 401
            assert _post(url, _update(91_002, "/help"), secret="guess") == 401
            assert not [c for c in api.calls()[mark:] if c.method == "sendMessage"]
            assert _post(url, _update(91_003, "/help"), secret=registered) == 200
            replies = [c for c in api.calls()[mark:] if c.method == "sendMessage"]
            assert len(replies) == 1
            log = process.log()
            assert registered not in log
            assert "WEBHOOK_SECRET" in log  # one line says a derived secret is in use
        finally:
            assert process.stop() == 0, process.log()


def test_a_restart_registers_the_same_derived_secret(tmp_path: Path, unused_port: int) -> None:
    # Several instances (and a restarted one) must agree on the secret, or the last one to call
    # setWebhook would lock the others out: the generated secret is derived from the token.
    secrets: list[str] = []
    with FakeTelegramAPI() as api:
        for run in range(2):
            process = BotProcess(
                api,
                tmp_path / f"run{run}",
                env={
                    "WEBHOOK_URL": "https://kambot.example.test/telegram/webhook",
                    "WEBHOOK_PORT": str(unused_port),
                },
            )
            mark = api.mark()
            process.start()
            try:
                call = api.wait_for("setWebhook", lambda c: c.ok, after=mark)
                secrets.append(str(call.params.get("secret_token")))
            finally:
                assert process.stop() == 0, process.log()
    assert secrets[0] == secrets[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,256}", secrets[0])


@pytest.mark.parametrize("secret", ["has space", "x" * 257, "точка"])
def test_a_malformed_webhook_secret_is_one_clear_line(tmp_path: Path, secret: str) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BOT_", "DATABASE_", "TELEGRAM_", "WEBHOOK_"))
    }
    env.update(
        PYTHONPATH=str(ROOT),
        BOT_TOKEN=BOT_TOKEN,
        # Never the real api.telegram.org, even if the check were missed: a closed local port.
        TELEGRAM_API_URL="http://127.0.0.1:9",
        WEBHOOK_URL="https://kambot.example.test/telegram/webhook",
        WEBHOOK_SECRET=secret,
    )
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "WEBHOOK_SECRET" in result.stderr
    assert "A-Za-z0-9_-" in result.stderr
    assert "Traceback" not in result.stderr
