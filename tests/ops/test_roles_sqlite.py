"""Each role does its job and only it; SQLite takes one process, whatever its role."""

from __future__ import annotations

import re
import signal
import time
from pathlib import Path

import pytest

from tests.fakes.telegram_api import FakeTelegramAPI
from tests.ops.support import (
    SECRET,
    Role,
    free_port,
    http_get,
    kambot,
    message_update,
    post_update,
    reminders_sent,
    seed_due_reminders,
    wait_until,
)
from tests.support.mocked_bot import BOT_TOKEN

pytestmark = pytest.mark.e2e
INTAKE_METHODS = {"getUpdates", "setWebhook", "deleteWebhook"}


def _db(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'data' / 'kambot.db'}"


def _methods(api: FakeTelegramAPI, mark: int) -> set[str]:
    return {c.method for c in api.calls()[mark:]}


def test_worker_delivers_and_never_takes_updates(api: FakeTelegramAPI, tmp_path: Path) -> None:
    url = _db(tmp_path)
    seed_due_reminders(url, [7101, 7102, 7103])
    mark = api.mark()
    worker = Role(api, tmp_path, ["worker"], env={"DATABASE_URL": url}).start()
    try:
        wait_until(lambda: reminders_sent(url) == 3, what="three reminders sent")
        status, body = http_get(worker.url("/readyz"))
        assert status == 200, body
        assert "database: ok" in body
        assert "scheduler: last reminder tick" in body
        assert http_get(worker.url("/healthz")) == (200, "ok\n")
        status, metrics = http_get(worker.url("/metrics"))
        assert status == 200
        assert 'kambot_reminders_total{outcome="sent"} 3.0' in metrics
        assert "kambot_oldest_due_reminder_age_seconds 0.0" in metrics
    finally:
        assert worker.stop() == 0, worker.log()
    sends = [c for c in api.calls()[mark:] if c.method == "sendMessage"]
    assert sorted(int(c.params["chat_id"]) for c in sends) == [7101, 7102, 7103]
    assert not _methods(api, mark) & INTAKE_METHODS


def test_a_second_process_on_one_sqlite_file_is_refused(
    api: FakeTelegramAPI, tmp_path: Path
) -> None:
    url = _db(tmp_path)
    first = Role(api, tmp_path, ["run"], env={"DATABASE_URL": url}).start()
    pid = first.process.pid if first.process else 0
    common = {"BOT_TOKEN": BOT_TOKEN, "TELEGRAM_API_URL": api.base_url, "DATABASE_URL": url}
    try:
        for args, extra in (
            (["run"], {}),
            ([], {}),  # python -m bot, README's command
            (["worker"], {}),
            (["serve"], {"WEBHOOK_URL": "https://bot.example.test/telegram/webhook"}),
            (["migrate"], {}),
            (["restore", str(tmp_path / "any.db")], {}),
        ):
            (tmp_path / "any.db").write_bytes(b"")
            result = kambot(tmp_path, *args, HEALTH_PORT="0", **common, **extra)
            said = result.stderr + result.stdout
            assert result.returncode == 2, (args, said)
            assert f"in use by process {pid} (kambot run)" in said, (args, said)
            assert "Traceback" not in said
        assert first.process is not None
        assert first.process.poll() is None  # still running, its lock untouched
    finally:
        # Killed: no clean exit, yet the OS drops the lock with the process.
        first.stop(signal.SIGKILL)
    result = kambot(tmp_path, "migrate", **common)
    assert result.returncode == 0, result.stderr


def test_run_without_scheduler_answers_and_sends_no_reminder(
    api: FakeTelegramAPI, tmp_path: Path
) -> None:
    url = _db(tmp_path)
    seed_due_reminders(url, [7201])
    bot = Role(api, tmp_path, ["run", "--no-scheduler"], env={"DATABASE_URL": url}).start()
    try:
        update_id = api.push_message(7202, "/help", language_code="en")
        wait_until(lambda: api.confirmed_offset > update_id, what="the update handled")
        assert api.sent_messages(7202)
        time.sleep(2)  # a scheduler would have sent the due reminder at start
        assert not api.sent_messages(7201)
        status, body = http_get(bot.url("/readyz"))
        assert status == 200, body
        assert "scheduler: not run by this process" in body
        metrics = http_get(bot.url("/metrics"))[1]
        assert 'kambot_reminders_planned{state="pending"} 1.0' in metrics
        oldest = re.search(r"^kambot_oldest_due_reminder_age_seconds (\S+)$", metrics, re.M)
        assert oldest is not None
        assert float(oldest.group(1)) >= 60  # seeded due a minute ago, nobody sends it
    finally:
        assert bot.stop() == 0, bot.log()
    assert reminders_sent(url) == 0


def test_serve_takes_webhook_updates_only(api: FakeTelegramAPI, tmp_path: Path) -> None:
    url = _db(tmp_path)
    seed_due_reminders(url, [7301])
    port = free_port()
    mark = api.mark()
    env = {
        "DATABASE_URL": url,
        "WEBHOOK_URL": "https://bot.example.test/telegram/webhook",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_PORT": str(port),
    }
    serve = Role(api, tmp_path, ["serve"], env=env, health_port=port).start()
    hook = f"http://127.0.0.1:{port}/telegram/webhook"
    try:
        assert post_update(hook, message_update(990_001, 7302, "/help"), secret="wrong") == 401
        assert post_update(hook, message_update(990_002, 7302, "/help")) == 200
        assert len(api.sent_messages(7302)) == 1
        assert http_get(serve.url("/healthz"))[0] == 200
        status, body = http_get(serve.url("/readyz"))
        assert status == 200, body
        assert "scheduler: not run by this process" in body
        metrics = http_get(serve.url("/metrics"))[1]
        assert 'kambot_updates_total{kind="message"} 1.0' in metrics
        assert "kambot_handler_seconds_count 1.0" in metrics
        time.sleep(1)
        assert not api.sent_messages(7301)  # no scheduler in an intake
    finally:
        assert serve.stop() == 0, serve.log()
    methods = _methods(api, mark)
    assert "setWebhook" in methods
    assert "getUpdates" not in methods
    assert reminders_sent(url) == 0


def test_serve_needs_a_webhook_url(tmp_path: Path) -> None:
    result = kambot(tmp_path, "serve", BOT_TOKEN=BOT_TOKEN)
    assert result.returncode == 2
    assert "set WEBHOOK_URL" in result.stderr
