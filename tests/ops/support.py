"""Roles as real processes (`python -m bot <role>`) against the fake Bot API, on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import func, select, text

from storage.db import create_engine, create_session_pool
from storage.enums import ReminderKind, ReminderState
from storage.migrate import upgrade
from storage.models import Manager, Reminder
from tests.conftest import PG_URL
from tests.e2e.harness import digest_time_far_from_now
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.mocked_bot import BOT_TOKEN

ROOT = Path(__file__).resolve().parents[2]
SECRET = "ops-Test_secret"
TZ = "Europe/Moscow"  # the settings' default timezone
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
IN_CI = os.environ.get("CI") == "true"
# Processes on PostgreSQL: skipped without TEST_DATABASE_URL; CI sets it and fails when it is down.
ON_POSTGRES = [
    pytest.mark.e2e,
    pytest.mark.skipif(PG_URL is None, reason="needs TEST_DATABASE_URL (always run in CI)"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BOT_", "DATABASE_", "TELEGRAM_", "WEBHOOK_", "REDIS_", "HEALTH_"))
    }
    env.update(PYTHONPATH=str(ROOT), LOG_LEVEL="INFO", POLLING_TIMEOUT="1")
    env.update(DEFAULT_DIGEST_TIME=digest_time_far_from_now(extra.get("DEFAULT_TIMEZONE", TZ)))
    env.update(extra)
    return env


def kambot(
    cwd: Path, *args: str, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return int(exc.code), exc.read().decode()


def post_update(url: str, update: dict[str, object], secret: str | None = SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=json.dumps(update).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def message_update(update_id: int, user_id: int, text: str) -> dict[str, object]:
    user = {"id": user_id, "is_bot": False, "first_name": "Ops", "language_code": "en"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_790_000_000,
            "chat": {"id": user_id, "type": "private"},
            "from": user,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        },
    }


@dataclass
class Role:
    """One `python -m bot <args>` process; started when its log says it is ready."""

    api: FakeTelegramAPI
    workdir: Path
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)
    health_port: int = field(default_factory=free_port)
    process: subprocess.Popen[str] | None = None
    log_path: Path | None = None
    _log: IO[str] | None = None

    def start(self, timeout: float = 90.0) -> Role:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.workdir / f"{'-'.join(self.args)}-{time.monotonic_ns()}.log"
        self._log = self.log_path.open("w")
        env = clean_env(
            BOT_TOKEN=BOT_TOKEN,
            TELEGRAM_API_URL=self.api.base_url,
            THROTTLE_BURST="10000",
            HEALTH_PORT=str(self.health_port),
            **self.env,
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", *self.args],
            cwd=self.workdir,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + timeout
        while "ready in" not in self.log():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.args} did not start; log:\n{self.log()}")
            time.sleep(0.1)
        return self

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path and self.log_path.exists() else ""

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.health_port}{path}"

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process is None:
            return 0
        self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        return code


def wait_until(predicate: object, timeout: float = 30.0, what: str = "condition") -> None:
    assert callable(predicate)
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not met within {timeout} s")
        time.sleep(0.1)


async def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await upgrade(engine)
    finally:
        await engine.dispose()


def fresh_postgres() -> str:
    """The test PostgreSQL, emptied and migrated (roles tests own it for their module)."""
    assert PG_URL is not None
    asyncio.run(_reset_postgres(PG_URL))
    return PG_URL


async def _seed(url: str, chats: list[int]) -> None:
    engine = create_engine(url)
    # Due a minute ago: a Monday summary is "asked for", so quiet hours do not hold it back.
    due = datetime.now(UTC) - timedelta(minutes=1)
    try:
        await upgrade(engine)
        async with create_session_pool(engine)() as session:
            for chat in chats:
                # The planner looks at them tomorrow: on a Monday it would add its own weekly
                # summary beside the seeded one, and each chat would get two.
                manager = Manager(
                    telegram_id=chat,
                    full_name=f"Ops {chat}",
                    language="en",
                    next_digest_at=due + timedelta(days=1),
                )
                session.add(manager)
                await session.flush()
                session.add(
                    Reminder(
                        manager_id=manager.id,
                        kind=ReminderKind.WEEKLY,
                        due_at=due,
                        dedupe_key=f"ops-test-{chat}",
                    )
                )
            await session.commit()
    finally:
        await engine.dispose()


def seed_due_reminders(url: str, chats: list[int]) -> None:
    """One manager per chat with one reminder due now."""
    asyncio.run(_seed(url, chats))


async def _sent(url: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            query = select(func.count()).where(Reminder.state == ReminderState.SENT)
            return int((await conn.execute(query)).scalar_one())
    finally:
        await engine.dispose()


def reminders_sent(url: str) -> int:
    return asyncio.run(_sent(url))
