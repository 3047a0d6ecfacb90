"""Webhook mode: the secret header is checked; a wrong one gets 401 and changes nothing."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import BotProcess
from tests.fakes.telegram_api import FakeTelegramAPI

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
