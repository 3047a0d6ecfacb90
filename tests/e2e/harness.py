"""The real bot process against the fake Bot API: start, talk, restart, stop.

Importing aiogram costs seconds of CPU here, so a test module keeps one bot process alive.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.support.mocked_bot import BOT_TOKEN

ROOT = Path(__file__).resolve().parents[2]
REPLY_METHODS = {
    "sendMessage",
    "editMessageText",
    "answerCallbackQuery",
    "sendDocument",
    "sendPhoto",
}


def digest_time_far_from_now(timezone: str) -> str:
    """A digest time twelve hours from now: the planner plans today's digest (and Monday's
    summary) from an hour before it to six hours after, so a new user of a test never gets one
    mid-test. A test run on a Monday morning got "last week" messages it did not count on."""
    return (datetime.now(UTC).astimezone(ZoneInfo(timezone)) + timedelta(hours=12)).strftime(
        "%H:%M"
    )


@dataclass
class BotProcess:
    api: FakeTelegramAPI
    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[str] | None = None
    startup_seconds: float = 0.0
    log_path: Path | None = None
    _log_file: IO[str] | None = None

    def start(self, timeout: float = 90.0) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("BOT_", "DATABASE_", "TELEGRAM_", "WEBHOOK_"))
        }
        env.update(
            PYTHONPATH=str(ROOT),
            BOT_TOKEN=BOT_TOKEN,
            TELEGRAM_API_URL=self.api.base_url,
            POLLING_TIMEOUT="1",
            # Tests tap faster than a thumb; flood limits have their own test.
            THROTTLE_BURST="10000",
            LOG_LEVEL="INFO",
            DEFAULT_DIGEST_TIME=digest_time_far_from_now(
                self.env.get("DEFAULT_TIMEZONE", "Europe/Moscow")
            ),
        )
        env.update(self.env)
        self.log_path = self.workdir / f"bot-{int(time.time() * 1000)}.log"
        mark = self.api.mark()
        started = time.monotonic()
        self._log_file = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=self.workdir,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            text=True,
        )
        ready = "setWebhook" if "WEBHOOK_URL" in self.env else "getUpdates"
        try:
            self.api.wait_for(ready, timeout=timeout, after=mark)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"bot did not start; log:\n{self.log()}") from None
        self.startup_seconds = time.monotonic() - started

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path and self.log_path.exists() else ""

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        if self.process is None:
            return 0
        self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process = None
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        return code

    def restart(self) -> None:
        self.stop()
        self.start()


class Chat:
    """One Telegram user talking to the bot through the fake API."""

    def __init__(self, api: FakeTelegramAPI, user_id: int, language_code: str = "ru") -> None:
        self.api = api
        self.user_id = user_id
        self.language_code = language_code

    def _handled(self, update_id: int, mark: int, timeout: float) -> list[Call]:
        # With handle_as_tasks=False the bot confirms an update (the next getUpdates offset)
        # only after its handler finished, so the confirmation is the "done" signal.
        deadline = time.monotonic() + timeout
        while self.api.confirmed_offset <= update_id:
            if time.monotonic() > deadline:
                raise TimeoutError(f"update {update_id} not handled within {timeout} s")
            time.sleep(0.005)
        return [c for c in self.api.calls()[mark:] if c.method in REPLY_METHODS]

    def send(self, text: str, timeout: float = 15.0) -> list[Call]:
        mark = self.api.mark()
        uid = self.api.push_message(self.user_id, text, language_code=self.language_code)
        return self._handled(uid, mark, timeout)

    def send_location(self, latitude: float, longitude: float) -> list[Call]:
        mark = self.api.mark()
        uid = self.api.push_location(self.user_id, latitude, longitude, self.language_code)
        return self._handled(uid, mark, 15.0)

    def click(self, button: str, timeout: float = 15.0) -> list[Call]:
        message_id, data = self.find_button(button)
        return self.press(data, message_id, timeout)

    def press(self, data: str, message_id: int, timeout: float = 15.0) -> list[Call]:
        mark = self.api.mark()
        uid = self.api.push_callback(
            self.user_id, data, message_id, language_code=self.language_code
        )
        return self._handled(uid, mark, timeout)

    def find_button(self, button: str) -> tuple[int, str]:
        messages = sorted(
            self.api.messages(self.user_id), key=lambda m: m["message_id"], reverse=True
        )
        for message in messages:
            markup: dict[str, Any] = message.get("reply_markup") or {}
            for row in markup.get("inline_keyboard", []):
                for b in row:
                    if button in b["text"] and "callback_data" in b:
                        return message["message_id"], b["callback_data"]
        raise AssertionError(f"no button {button!r} in chat {self.user_id}")

    @staticmethod
    def texts(calls: list[Call]) -> list[str]:
        return [str(c.params.get("text")) for c in calls if c.params.get("text")]
