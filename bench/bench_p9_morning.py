"""P9 (issue 18), printed figures: the morning of 10,000 managers. Every manager's digest falls
due at once (each has a client overdue for a check-in, so no agenda is empty); the real
scheduler job (bot.scheduler.ReminderJob: plan, then drain) delivers them through the real
Telegram adapter and rate limiter (25 msg/s, 1.25 s per chat) to the fake Bot API over HTTP on
127.0.0.1, which enforces Telegram's limits (30 msg/s overall, 1 msg/s per chat, 429 beyond).
A third of the way in, a note reminder falls due («напомни через 1 минуту»).

Goals: time to deliver all ÷ the physical floor (N / 25 msg/s) <= 1.25; 0 lost, 0 duplicated;
<= 0.1 % 429s; the fresh reminder delivered within 60 s of its due time.

Run: .venv/bin/python -m bench.bench_p9_morning [--managers 10000] [--pg]
     --pg: PostgreSQL database kambot_h4 at 127.0.0.1, its public schema recreated and migrated.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

from aiogram import Bot
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.common import fresh_database
from bot.notifier import TelegramSender
from bot.scheduler import ReminderJob
from bot.services.clock import SystemClock
from bot.services.schedule.delivery_limits import RateLimiter
from storage.db import create_session_pool
from storage.enums import ReminderKind, ReminderState
from storage.models import Client, Manager, Note, Reminder
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.mocked_bot import BOT_TOKEN

PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/kambot_h4"
RATE = 25  # msg/s: the send budget (the fake refuses above 30)
FRESH_TEXT = "перезвонить Ивану"
TELEGRAM_ID0 = 10_000


def _zone_not_on_monday(now: datetime) -> str:
    """A timezone where today is not Monday: on Mondays each digest has the week's summary
    beside it, and this benchmark is about the digests."""
    for zone in ("UTC", "Etc/GMT+12", "Pacific/Kiritimati"):
        if now.astimezone(ZoneInfo(zone)).weekday() != 0:
            return zone
    raise AssertionError("unreachable: the three zones span more than a day")


async def seed(pool: async_sessionmaker[AsyncSession], managers: int, now: datetime) -> None:
    """Managers whose digest time is this minute, each with a client two days overdue."""
    zone = _zone_not_on_monday(now)
    local = now.astimezone(ZoneInfo(zone))
    digest_at = clock_time(local.hour, local.minute)
    async with pool() as session:
        manager_ids = list(
            await session.scalars(
                insert(Manager).returning(Manager.id),
                [
                    {
                        "telegram_id": TELEGRAM_ID0 + i,
                        "full_name": f"M{i}",
                        "language": "ru",
                        "timezone": zone,
                        "work_mode": "b2b",
                        "currency": "RUB",
                        "digest_time": digest_at,
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
        await session.execute(
            insert(Client),
            [
                {
                    "owner_id": m,
                    "name": f"Клиент {m}",
                    "name_norm": f"клиент {m}",
                    "segment": "b2b",
                    "tier": "regular",
                    "status": "active",
                    "is_demo": False,
                    "next_checkin_at": now - timedelta(days=2),
                    "created_at": now,
                    "updated_at": now,
                }
                for m in manager_ids
            ],
        )
        await session.commit()


async def remind_now(pool: async_sessionmaker[AsyncSession], clock: SystemClock) -> datetime:
    """What /note … «напомни через 1 минуту» leaves behind a minute later: a note reminder of
    the first manager (whose digest has gone out already) falling due this instant."""
    async with pool() as session:
        manager, client = (
            await session.execute(
                select(Manager.id, Client.id)
                .join(Client, Client.owner_id == Manager.id)
                .where(Manager.telegram_id == TELEGRAM_ID0)
            )
        ).one()
        now = clock.now()
        note_id = await session.scalar(
            insert(Note).returning(Note.id),
            [
                {
                    "manager_id": manager,
                    "client_id": client,
                    "text": FRESH_TEXT,
                    "is_private": False,
                    "created_at": now,
                }
            ],
        )
        session.add(
            Reminder(
                manager_id=manager,
                kind=ReminderKind.NOTE,
                client_id=client,
                note_id=note_id,
                due_at=now,
                state=ReminderState.PENDING,
                attempts=0,
                dedupe_key=f"note:{note_id}",
                payload={"text": FRESH_TEXT},
            )
        )
        await session.commit()
    return now


async def run(managers: int, pg: bool) -> None:
    floor = managers / RATE
    clock = SystemClock()
    async with fresh_database(PG_URL if pg else None, "p9") as engine:
        pool = create_session_pool(engine)
        await seed(pool, managers, clock.now())
        with FakeTelegramAPI() as api:
            api.enforce_rate_limits(global_per_second=30, per_chat_per_second=1)
            bot = Bot(BOT_TOKEN, session=api.make_session())
            sender = TelegramSender(
                bot, RateLimiter(global_per_second=RATE, per_chat_interval=1.25), clock
            )
            job = ReminderJob(pool, sender, clock)
            started = time.monotonic()
            burst = asyncio.create_task(job.run())
            await asyncio.sleep(floor / 3)
            fresh_due = await remind_now(pool, clock)
            fresh_due_mono = time.monotonic()
            outcomes = await asyncio.wait_for(burst, timeout=floor * 3 + 120)
            elapsed = time.monotonic() - started
            await bot.session.close()
            sent = [c for c in api.calls("sendMessage") if c.ok]
            throttled = api.throttled_count
        async with pool() as session:
            states = {
                f"{kind.value}/{state.value}": n
                for kind, state, n in await session.execute(
                    select(Reminder.kind, Reminder.state, func.count()).group_by(
                        Reminder.kind, Reminder.state
                    )
                )
            }
    digests = [c for c in sent if "На сегодня" in c.params["text"]]
    fresh = [c for c in sent if FRESH_TEXT in c.params["text"]]
    per_chat = Counter(c.params["chat_id"] for c in digests)
    duplicated = sum(n - 1 for n in per_chat.values() if n > 1)
    lost = managers - len(per_chat)
    others = len(sent) - len(digests) - len(fresh)
    last = max(c.at for c in digests) - started if digests else elapsed
    share = throttled / max(1, len(sent) + throttled) * 100
    print(f"P9 ({'PostgreSQL' if pg else 'SQLite'}): {managers:,} due digests, real job path;")
    print("    fake Bot API over HTTP enforcing 30 msg/s and 1/s per chat")
    print(
        f"  all delivered in {last:.1f} s; floor {managers:,} / {RATE} msg/s = {floor:.0f} s"
        f" -> ratio {last / floor:.3f} (goal <= 1.25); job returned after {elapsed:.1f} s"
    )
    print(f"  lost: {lost}, duplicated: {duplicated} (goal 0, 0); other pings sent: {others}")
    print(f"  429 answers: {throttled} ({share:.3f} %, goal <= 0.1 %)")
    if fresh:
        delay = fresh[0].at - fresh_due_mono
        print(
            f"  fresh reminder due {fresh_due:%H:%M:%S} (at {fresh_due_mono - started:.0f} s into"
            f" the burst) delivered after {delay:.1f} s (goal <= 60 s), sent {len(fresh)}x"
        )
    else:
        print("  fresh reminder: NOT delivered")
    if digests:
        first = min(c.at for c in digests) - started
        steady = (len(digests) - 1) / max(1e-9, last - first)
        print(f"  first digest after {first:.1f} s; then {steady:.1f} msg/s")
    print(f"  outcomes: {outcomes}")
    print(f"  rows: {states}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--managers", type=int, default=10_000)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL, database kambot_h4")
    args = parser.parse_args()
    started = datetime.now(UTC)
    asyncio.run(run(args.managers, args.pg))
    print(f"  (run took {(datetime.now(UTC) - started).total_seconds():.0f} s)")


if __name__ == "__main__":
    main()
