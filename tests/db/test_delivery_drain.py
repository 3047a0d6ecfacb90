"""Delivery drains what is due within one tick, a reminder that has just fallen due overtakes a
backlog, and digests with nothing to say cost no send (issue 18). The sender stands in for
Telegram at 25 msg/s: each send moves the clock on by 40 ms."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.scheduler import tick
from bot.services.clock import FrozenClock
from bot.services.schedule import delivery
from bot.services.schedule.delivery import Ping
from storage import reminders as store
from storage.enums import ReminderKind, ReminderState
from storage.models import Client, Manager, Note, Reminder
from tests.support.sql_statements import statements

pytestmark = pytest.mark.db
# Saturday 28 November 2026, 09:00 in UTC: the managers' digest moment.
MORNING = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
SEND_TIME = timedelta(milliseconds=40)  # 25 msg/s


class Telegram:
    """Records each send; the clock advances as a rate-limited sender's would."""

    def __init__(self, clock: FrozenClock) -> None:
        self.clock = clock
        self.sent: list[tuple[Ping, datetime]] = []
        self.on_send: list[Any] = []

    async def __call__(self, ping: Ping) -> int:
        self.clock.advance(SEND_TIME)
        self.sent.append((ping, self.clock.now()))
        for hook in self.on_send:
            await hook(len(self.sent))
        await asyncio.sleep(0)
        return len(self.sent)


async def _managers(
    session: AsyncSession,
    count: int,
    *,
    clients: bool = True,
    overdue: bool = True,
    first: int = 1000,
) -> list[int]:
    ids = list(
        await session.scalars(
            insert(Manager).returning(Manager.id),
            [
                {
                    "telegram_id": first + i,
                    "full_name": f"M{i}",
                    "timezone": "UTC",
                    "digest_time": time(9),
                    "quiet_start": time(0),
                    "quiet_end": time(0),
                    "created_at": MORNING,
                    "updated_at": MORNING,
                }
                for i in range(count)
            ],
        )
    )
    if clients:
        # Overdue for a check-in: the agenda lists it. Otherwise due in a month: nothing to say.
        checkin = MORNING - timedelta(days=2) if overdue else MORNING + timedelta(days=30)
        await session.execute(
            insert(Client),
            [
                {
                    "owner_id": m,
                    "name": f"Клиент {m}",
                    "name_norm": f"клиент {m}",
                    "next_checkin_at": checkin,
                    "created_at": MORNING,
                    "updated_at": MORNING,
                }
                for m in ids
            ],
        )
    return ids


async def _rows(
    session: AsyncSession, manager_ids: list[int], kind: ReminderKind, due: datetime
) -> None:
    await session.execute(
        insert(Reminder),
        [
            {
                "manager_id": m,
                "kind": kind,
                "due_at": due,
                "state": ReminderState.PENDING,
                "attempts": 0,
                "dedupe_key": f"{kind.value}:{m}:{due.isoformat()}",
                "created_at": MORNING,
                "updated_at": MORNING,
            }
            for m in manager_ids
        ],
    )


async def _note_due_now(
    pool: async_sessionmaker[AsyncSession], manager_id: int, now: datetime
) -> None:
    """A «напомни через 1 минуту» reminder, a minute after it was asked for."""
    async with pool() as session:
        client_id = await session.scalar(select(Client.id).where(Client.owner_id == manager_id))
        if client_id is None:
            client = Client(owner_id=manager_id, name="Ромашка", name_norm="ромашка")
            session.add(client)
            await session.flush()
            client_id = client.id
        note = Note(manager_id=manager_id, client_id=client_id, text="перезвонить")
        session.add(note)
        await session.flush()
        session.add(
            Reminder(
                manager_id=manager_id,
                kind=ReminderKind.NOTE,
                client_id=client_id,
                note_id=note.id,
                due_at=now,
                state=ReminderState.PENDING,
                attempts=0,
                dedupe_key=f"note:{note.id}",
            )
        )
        await session.commit()


async def _states(
    pool: async_sessionmaker[AsyncSession],
) -> dict[tuple[ReminderKind, ReminderState], int]:
    async with pool() as session:
        rows = await session.execute(select(Reminder.kind, Reminder.state))
    found: dict[tuple[ReminderKind, ReminderState], int] = {}
    for kind, state in rows:
        found[(kind, state)] = found.get((kind, state), 0) + 1
    return found


async def test_a_fresh_reminder_overtakes_a_backlog_of_a_thousand_overdue_digests(
    session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    clock.set(MORNING + timedelta(hours=2))  # two hours of downtime: 1,000 digests overdue
    async with session_pool() as session:
        ids = await _managers(session, 1000)
        await _rows(session, ids, ReminderKind.DIGEST, MORNING)
        await session.commit()
    telegram = Telegram(clock)
    asked: list[datetime] = []

    async def remind_mid_burst(sent: int) -> None:
        if sent == 300:  # 12 s into the burst, with 700 digests still to go
            asked.append(clock.now())
            await _note_due_now(session_pool, ids[-1], clock.now())

    telegram.on_send.append(remind_mid_burst)
    outcomes, more = await delivery.drain(session_pool, telegram, clock.now)
    assert (outcomes, more) == ({"sent": 1001}, False)
    [(note, sent_at)] = [(p, t) for p, t in telegram.sent if p.kind == ReminderKind.NOTE]
    # Behind it were 700 digests (28 s at 25 msg/s); only what was already queued went first.
    assert sent_at - asked[0] <= timedelta(seconds=15)
    position = [p.reminder_id for p, _ in telegram.sent].index(note.reminder_id)
    assert position < 300 + delivery.LOW_WATER + delivery.BATCH


async def test_a_tick_keeps_delivering_past_one_batch(
    session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    clock.set(MORNING - timedelta(hours=2))  # the digests are not near: only the notes are due
    count = delivery.BATCH * 2 + 50
    async with session_pool() as session:
        ids = await _managers(session, count, clients=False)
        await session.commit()
    for manager_id in ids:
        await _note_due_now(session_pool, manager_id, clock.now() - timedelta(minutes=1))
    telegram = Telegram(clock)
    await tick(session_pool, telegram, clock)
    assert len(telegram.sent) == count
    assert await _states(session_pool) == {(ReminderKind.NOTE, ReminderState.SENT): count}


async def test_digests_past_their_day_are_cancelled_in_bulk_without_a_send(
    engine: AsyncEngine, session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    yesterday = MORNING - timedelta(days=1)
    clock.set(MORNING - timedelta(hours=1))  # before today's digests fall due
    async with session_pool() as session:
        ids = await _managers(session, 500)
        await _rows(session, ids, ReminderKind.DIGEST, yesterday)
        await session.commit()
    telegram = Telegram(clock)
    with statements(engine) as ran:
        outcomes, _ = await delivery.drain(session_pool, telegram, clock.now)
    assert outcomes == {"stale": 500}
    assert telegram.sent == []
    assert len(ran) < 10, ran  # one UPDATE, not a prepare per row
    async with session_pool() as session:
        reasons = set(await session.scalars(select(Reminder.last_error)))
    assert reasons == {store.STALE_PAST_ITS_DAY}
    assert await _states(session_pool) == {(ReminderKind.DIGEST, ReminderState.CANCELLED): 500}


async def test_an_empty_agenda_sends_nothing(
    session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    clock.set(MORNING)
    async with session_pool() as session:
        await _managers(session, 3, clients=False)  # nothing to list: no row at all
        busy = await _managers(session, 1, first=2000)
        calm = await _managers(session, 2, overdue=False, first=3000)  # clients, nothing due today
        await session.commit()
    telegram = Telegram(clock)
    await tick(session_pool, telegram, clock)
    assert [p.chat_id for p, _ in telegram.sent] == [2000]
    async with session_pool() as session:
        digests = {
            r.manager_id: r.state
            for r in await session.scalars(
                select(Reminder).where(Reminder.kind == ReminderKind.DIGEST)
            )
        }
    assert digests == {
        busy[0]: ReminderState.SENT,
        calm[0]: ReminderState.CANCELLED,
        calm[1]: ReminderState.CANCELLED,
    }
