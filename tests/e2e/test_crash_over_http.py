"""`kill -9` in the middle of a batch of reminders, then a restart on the same database: nothing
is lost, and a message goes out twice only if its request was in flight at the kill.

The real bot process sends to the fake Bot API, which answers sendMessage slowly: it stores the
message (the user has it) and only then, 0.4 s later, answers — so at any moment about a dozen
sends are done on Telegram's side but not yet known to the bot. Those are the only ones the
bot cannot know about after a crash, and Telegram has no idempotency key to ask with: they are
the bound on duplicates.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert

from storage.db import create_engine
from storage.enums import ReminderKind, ReminderState
from storage.migrate import upgrade
from storage.models import Client, Manager, Note, Reminder
from tests.e2e.harness import BotProcess
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.e2e

MANAGERS = 200
FIRST_CHAT = 70_000
ANSWER_DELAY = 0.4
KILL_AFTER = 60  # sends received by the fake


async def _seed(url: str, now: datetime) -> None:
    """200 managers with one note reminder each, due a minute ago; no quiet hours, and the
    digest three hours from now, so that no digest is planned during the test."""
    digest_at = (now + timedelta(hours=3)).astimezone(ZoneInfo("Europe/Moscow")).time()
    engine = create_engine(url)
    await upgrade(engine)
    async with engine.begin() as conn:
        managers = [
            {
                "telegram_id": FIRST_CHAT + i,
                "full_name": f"M{i}",
                "language": "ru",
                "timezone": "Europe/Moscow",
                "digest_time": digest_at.replace(second=0, microsecond=0),
                "quiet_start": clock_time(0),
                "quiet_end": clock_time(0),
                "onboarded_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(MANAGERS)
        ]
        await conn.execute(insert(Manager), managers)
        await conn.execute(
            insert(Client),
            [
                {
                    "id": i + 1,
                    "owner_id": i + 1,
                    "name": f"Клиент {i}",
                    "name_norm": f"клиент {i}",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(MANAGERS)
            ],
        )
        await conn.execute(
            insert(Note),
            [
                {
                    "id": i + 1,
                    "manager_id": i + 1,
                    "client_id": i + 1,
                    "text": f"позвонить про заказ №{i}",
                    "created_at": now,
                }
                for i in range(MANAGERS)
            ],
        )
        await conn.execute(
            insert(Reminder),
            [
                {
                    "manager_id": i + 1,
                    "kind": ReminderKind.NOTE,
                    "client_id": i + 1,
                    "note_id": i + 1,
                    "due_at": now - timedelta(minutes=1),
                    "state": ReminderState.PENDING,
                    "attempts": 0,
                    "dedupe_key": f"note:{i + 1}",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(MANAGERS)
            ],
        )
    await engine.dispose()


def _states(path: Path) -> Counter[str]:
    with sqlite3.connect(path) as db:
        return Counter(dict(db.execute("SELECT state, count(*) FROM reminders GROUP BY state")))


def _wait(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_kill_9_mid_batch_then_restart_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    url = f"sqlite+aiosqlite:///{path}"
    asyncio.run(_seed(url, datetime.now(UTC)))
    chats = {FIRST_CHAT + i for i in range(MANAGERS)}

    def sends() -> list[int]:
        return [
            int(c.params["chat_id"])
            for c in api.calls("sendMessage")
            if c.ok and int(c.params["chat_id"]) in chats
        ]

    with FakeTelegramAPI() as api:
        api.delay_answers("sendMessage", ANSWER_DELAY)
        bot = BotProcess(api, tmp_path / "run", env={"DATABASE_URL": url})
        bot.start()
        try:
            _wait(lambda: len(sends()) >= KILL_AFTER, 30, f"{KILL_AFTER} sends")
            # The fake forgets a request once the bot's socket is gone: count just before.
            unanswered_at_kill = len(api.unanswered("sendMessage"))
            assert bot.stop(signal.SIGKILL) == -signal.SIGKILL
        finally:
            if bot.process is not None:
                bot.stop(signal.SIGKILL)
        received_before = len(sends())
        recorded_before = _states(path)[ReminderState.SENT.value]
        # Done on Telegram's side, not (yet) recorded as sent by the bot when it died.
        in_flight = received_before - recorded_before
        assert 0 < received_before < MANAGERS, "the kill must land in the middle of the batch"

        bot.start()
        try:
            _wait(
                lambda: (
                    set(sends()) == chats and _states(path)[ReminderState.SENT.value] == MANAGERS
                ),
                40,
                "every reminder sent and recorded after the restart",
            )
            assert not api.unanswered("sendMessage")
        finally:
            assert bot.stop() == 0, bot.log()
        assert "go out again" in bot.log()

    per_chat = Counter(sends())
    lost = len(chats - set(per_chat))
    duplicates = sum(n - 1 for n in per_chat.values())
    after_restart = sum(per_chat.values()) - received_before
    print(
        f"\nkill -9 mid-batch: {received_before} sends received before the kill "
        f"({recorded_before} recorded as sent, {in_flight} in flight; {unanswered_at_kill} "
        f"requests unanswered), {after_restart} after the restart; "
        f"lost {lost}, duplicates {duplicates}"
    )
    assert lost == 0
    assert duplicates <= in_flight
    assert _states(path) == Counter({ReminderState.SENT.value: MANAGERS})
    assert not api.errors
