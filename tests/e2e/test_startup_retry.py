"""Start-up rides out Telegram's passing errors (500, 502, 429) and ends a lasting one in a line.

Each test runs the real `python -m bot` against its own fake Bot API, so the errors injected
here reach no other bot process of the session.
"""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.harness import ROOT, BotProcess
from tests.e2e.test_cli import assert_fatal_line_last
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.support.mocked_bot import BOT_TOKEN

pytestmark = pytest.mark.e2e

# The order each method fails in before it succeeds: every transient kind on every method.
FAILURES = {
    "getMe": [500, 502, 429],
    "setMyCommands": [502, 429, 500],
    "deleteWebhook": [429, 500, 502],
}


def _inject(api: FakeTelegramAPI, method: str, codes: list[int]) -> None:
    for code in codes:
        # retry_after=1: the smallest Telegram sends, and the bot must wait at least that.
        api.fail_next(method, code, retry_after=1 if code == 429 else None)


def _assert_waited_after_429(calls: list[Call]) -> None:
    for before, after in itertools.pairwise(calls):
        if before.error_code == 429:
            assert after.at - before.at >= 0.95, "retry_after was not honoured"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_polling_start_survives_transient_errors_on_every_start_up_call(tmp_path: Path) -> None:
    with FakeTelegramAPI() as api:
        for method, codes in FAILURES.items():
            _inject(api, method, codes)
        process = BotProcess(api, tmp_path, env={"STARTUP_RETRY_SECONDS": "30"})
        process.start(timeout=60)  # returns once getUpdates is reached: the bot is up
        try:
            for method, codes in FAILURES.items():
                calls = api.calls(method)
                assert [c.error_code for c in calls[: len(codes)]] == codes, method
                assert calls[len(codes)].ok, method
                _assert_waited_after_429(calls)
            log = process.log()
            assert "Traceback" not in log
            assert " ERROR " not in log
        finally:
            assert process.stop() == 0, process.log()


def test_webhook_start_survives_transient_errors_on_set_webhook(tmp_path: Path) -> None:
    with FakeTelegramAPI() as api:
        codes = [500, 502, 429]
        _inject(api, "setWebhook", codes)
        port = _free_port()
        process = BotProcess(
            api,
            tmp_path,
            env={
                "WEBHOOK_URL": "https://kambot.example.test/telegram/webhook",
                "WEBHOOK_SECRET": "a-secret_of-the-right-shape",
                "WEBHOOK_PORT": str(port),
                "STARTUP_RETRY_SECONDS": "30",
            },
        )
        process.start(timeout=60)
        try:
            api.wait_for("setWebhook", lambda c: c.ok, timeout=30)
            calls = api.calls("setWebhook")
            assert [c.error_code for c in calls[: len(codes)]] == codes
            _assert_waited_after_429(calls)
            assert process.process is not None
            assert process.process.poll() is None
            assert "Traceback" not in process.log()
        finally:
            assert process.stop() == 0, process.log()


def _run_bot(tmp_path: Path, api: FakeTelegramAPI, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BOT_", "DATABASE_", "TELEGRAM_", "WEBHOOK_"))
    }
    clean.update(
        PYTHONPATH=str(ROOT), BOT_TOKEN=BOT_TOKEN, TELEGRAM_API_URL=api.base_url, LOG_LEVEL="INFO"
    )
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(("method", "code"), [("getMe", 502), ("setMyCommands", 429)])
def test_a_lasting_failure_ends_in_one_clear_line(tmp_path: Path, method: str, code: int) -> None:
    with FakeTelegramAPI() as api:
        api.fail_next(method, code, retry_after=1 if code == 429 else None, count=10_000)
        result = _run_bot(tmp_path, api, STARTUP_RETRY_SECONDS="2")
        attempts = len(api.calls(method))
    assert result.returncode != 0
    assert_fatal_line_last(result.stderr, method)
    # Telegram's own words for it, as the fake (and Telegram) describe the error.
    assert {502: "Bad Gateway", 429: "Too Many Requests"}[code] in result.stderr.splitlines()[-1]
    assert attempts >= 2  # it did retry before giving up
    assert BOT_TOKEN.split(":")[1] not in result.stderr
