"""P3 (issue 5), printed figures: deliver 3,000 due reminders to 1,000 managers through the real
delivery path and Telegram adapter against the fake Bot API enforcing Telegram's limits
(30 msg/s overall, 1 msg/s per chat, 429 beyond). Goal: >= 25 msg/s sustained, <= 0.1% 429s,
0 lost, 0 duplicates.

Run: .venv/bin/python -m bench.bench_delivery [--managers 1000] [--per-manager 3]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from datetime import datetime, timedelta
from datetime import time as clock_time

from aiogram import Bot
from sqlalchemy import insert, select

from bench.common import fresh_sqlite
from bot.notifier import TelegramSender
from bot.services.clock import SystemClock
from bot.services.schedule import delivery
from bot.services.schedule.delivery_limits import RateLimiter
from storage.db import create_session_pool
from storage.enums import ReminderKind, ReminderState
from storage.models import Client, Manager, Note, Reminder
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.mocked_bot import BOT_TOKEN


async def seed(pool, managers: int, per_manager: int, now: datetime) -> None:  # type: ignore[no-untyped-def]
    async with pool() as session:
        manager_ids = list(
            await session.scalars(
                insert(Manager).returning(Manager.id),
                [
                    {
                        "telegram_id": 10_000 + i,
                        "full_name": f"M{i}",
                        "language": "ru",
                        "timezone": "Europe/Moscow",
                        "work_mode": "b2b",
                        "currency": "RUB",
                        "digest_time": clock_time(9),
                        "quiet_start": clock_time(0),
                        "quiet_end": clock_time(0),
                        "birthday_lead_days": 3,
                        "cadence_key_days": 7,
                        "cadence_regular_days": 30,
                        "is_active": True,
                        "role": "manager",
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i in range(managers)
                ],
            )
        )
        client_ids = list(
            await session.scalars(
                insert(Client).returning(Client.id),
                [
                    {
                        "owner_id": m,
                        "name": f"Клиент {m}",
                        "name_norm": f"клиент {m}",
                        "segment": "b2b",
                        "tier": "regular",
                        "status": "active",
                        "is_demo": False,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for m in manager_ids
                ],
            )
        )
        notes = [
            {
                "manager_id": m,
                "client_id": c,
                "text": f"напоминание {k}",
                "is_private": False,
                "created_at": now,
            }
            for m, c in zip(manager_ids, client_ids, strict=True)
            for k in range(per_manager)
        ]
        note_rows = list(
            await session.execute(
                insert(Note).returning(Note.id, Note.manager_id, Note.client_id), notes
            )
        )
        await session.execute(
            insert(Reminder),
            [
                {
                    "manager_id": mid,
                    "kind": ReminderKind.NOTE,
                    "client_id": cid,
                    "note_id": nid,
                    "due_at": now - timedelta(minutes=1),
                    "state": ReminderState.PENDING,
                    "attempts": 0,
                    "dedupe_key": f"note:{nid}",
                    "created_at": now,
                    "updated_at": now,
                }
                for nid, mid, cid in note_rows
            ],
        )
        await session.commit()


async def run(managers: int, per_manager: int) -> None:
    total = managers * per_manager
    engine = await fresh_sqlite()
    pool = create_session_pool(engine)
    clock = SystemClock()
    await seed(pool, managers, per_manager, clock.now())
    with FakeTelegramAPI() as api:
        api.enforce_rate_limits(global_per_second=30, per_chat_per_second=1)
        bot = Bot(BOT_TOKEN, session=api.make_session())
        sender = TelegramSender(
            bot, RateLimiter(global_per_second=27, per_chat_interval=1.25), clock
        )
        started = time.monotonic()
        deadline = started + total / 10 + 60  # bounded even if something goes wrong
        while time.monotonic() < deadline:
            outcomes = await delivery.deliver(pool, sender, clock.now(), limit=500)
            async with pool() as session:
                left = len(
                    list(
                        await session.scalars(
                            select(Reminder.id).where(
                                Reminder.state.in_([ReminderState.PENDING, ReminderState.CLAIMED])
                            )
                        )
                    )
                )
            if not left:
                break
            if not outcomes:
                await asyncio.sleep(0.2)
        elapsed = time.monotonic() - started
        await bot.session.close()
        sent_calls = [c for c in api.calls("sendMessage") if c.ok]
        throttled = api.throttled_count
    async with pool() as session:
        states = Counter(s for s in await session.scalars(select(Reminder.state)))
    await engine.dispose()
    per_chat = Counter(c.params["chat_id"] for c in sent_calls)
    texts = Counter((c.params["chat_id"], c.params["text"]) for c in sent_calls)
    duplicates = sum(n - 1 for n in texts.values() if n > 1)
    lost = total - states.get(ReminderState.SENT, 0)
    rate = len(sent_calls) / elapsed
    share = throttled / max(1, len(sent_calls) + throttled) * 100
    print(f"P3: {total} reminders to {managers} managers; fake Bot API enforces 30/s, 1/s per chat")
    print(f"  delivered {len(sent_calls)} in {elapsed:.1f} s -> {rate:.1f} msg/s (goal >= 25)")
    print(f"  429 answers: {throttled} ({share:.2f}%, goal <= 0.1%)")
    print(f"  lost: {lost}, duplicates: {duplicates}, states: {dict(states)}")
    print(f"  chats reached: {len(per_chat)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--managers", type=int, default=1000)
    parser.add_argument("--per-manager", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.managers, args.per_manager))


if __name__ == "__main__":
    main()
