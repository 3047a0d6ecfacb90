"""Reminders delivered exactly once: three instances side by side on PostgreSQL (one on SQLite,
which is single-instance), with a recording stand-in for Telegram."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.services.schedule import delivery
from bot.services.schedule.delivery import Ping
from storage.db import create_engine, create_session_pool
from storage.enums import ReminderKind, ReminderState
from storage.models import Client, Manager, Note, Reminder

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


async def _seed(pool: async_sessionmaker[AsyncSession], count: int) -> None:
    async with pool() as session:
        manager = Manager(telegram_id=1, full_name="A", quiet_start=time(0), quiet_end=time(0))
        session.add(manager)
        await session.flush()
        client = Client(owner_id=manager.id, name="Ромашка", name_norm="ромашка")
        session.add(client)
        await session.flush()
        note_ids = list(
            await session.scalars(
                insert(Note).returning(Note.id),
                [
                    {
                        "manager_id": manager.id,
                        "client_id": client.id,
                        "text": f"n{i}",
                        "is_private": False,
                        "created_at": NOW,
                    }
                    for i in range(count)
                ],
            )
        )
        await session.execute(
            insert(Reminder),
            [
                {
                    "manager_id": manager.id,
                    "kind": ReminderKind.NOTE,
                    "client_id": client.id,
                    "note_id": nid,
                    "due_at": NOW - timedelta(minutes=1),
                    "state": ReminderState.PENDING,
                    "attempts": 0,
                    "dedupe_key": f"note:{nid}",
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for nid in note_ids
            ],
        )
        await session.commit()


async def _instance(pool: async_sessionmaker[AsyncSession], sent: list[int]) -> None:
    counter = iter(range(1, 10**9))

    async def send(ping: Ping) -> int:
        sent.append(ping.reminder_id)
        await asyncio.sleep(0)  # a real send yields to the loop: let the others interleave
        return next(counter)

    idle = 0
    while idle < 2:
        outcomes = await delivery.deliver(pool, send, NOW, limit=100)
        idle = idle + 1 if not outcomes else 0


async def test_every_reminder_is_sent_exactly_once(engine: AsyncEngine, db_url: str) -> None:
    postgres = engine.dialect.name == "postgresql"
    count, instances = (10_000, 3) if postgres else (300, 1)
    await _seed(create_session_pool(engine), count)
    engines = [create_engine(db_url) for _ in range(instances)]
    sent: list[int] = []
    try:
        await asyncio.gather(*(_instance(create_session_pool(e), sent) for e in engines))
    finally:
        for e in engines:
            await e.dispose()
    duplicates = {rid: n for rid, n in Counter(sent).items() if n > 1}
    assert duplicates == {}
    assert len(sent) == count
    async with create_session_pool(engine)() as session:
        states = dict(
            (
                await session.execute(select(Reminder.state, func.count()).group_by(Reminder.state))
            ).all()
        )
    assert states == {ReminderState.SENT: count}
