"""A claim takes no more rows for one chat than that chat can be sent well inside the lease."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import reminders as store
from storage.enums import ReminderKind, ReminderState
from storage.models import Manager, Reminder

pytestmark = pytest.mark.db
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


async def _due(session: AsyncSession, manager_id: int, count: int) -> None:
    await session.execute(
        insert(Reminder),
        [
            {
                "manager_id": manager_id,
                "kind": ReminderKind.NOTE,
                "due_at": NOW - timedelta(minutes=1),
                "state": ReminderState.PENDING,
                "attempts": 0,
                "dedupe_key": f"test:{manager_id}:{i}",
                "created_at": NOW,
                "updated_at": NOW,
            }
            for i in range(count)
        ],
    )


async def test_one_chat_is_capped_and_the_others_still_get_their_share(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    async with session_pool() as session:
        busy, quiet = Manager(telegram_id=1), Manager(telegram_id=2)
        session.add_all([busy, quiet])
        await session.flush()
        await _due(session, busy.id, 150)
        await _due(session, quiet.id, 3)
        await session.commit()
        claimed = await store.claim_due(session, NOW, NOW + timedelta(minutes=5), "w", 500)
        await session.commit()
        by_state = dict(
            (
                await session.execute(
                    select(Reminder.manager_id, func.count())
                    .where(Reminder.state == ReminderState.CLAIMED)
                    .group_by(Reminder.manager_id)
                )
            ).all()
        )
        pending = await session.scalar(
            select(func.count()).where(Reminder.state == ReminderState.PENDING)
        )
    assert len(claimed) == store.CLAIM_PER_CHAT + 3
    assert by_state == {busy.id: store.CLAIM_PER_CHAT, quiet.id: 3}
    assert pending == 150 - store.CLAIM_PER_CHAT  # left for the next tick, not lost
