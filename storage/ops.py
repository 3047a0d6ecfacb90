"""What an operator's probes read: reachability and the reminder queue at a glance."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.enums import ReminderState
from storage.models import Reminder


async def ping(session: AsyncSession) -> None:
    await session.execute(text("SELECT 1"))


async def reminder_states(session: AsyncSession) -> dict[str, int]:
    """Live reminders by state; the settled ones (sent, done, cancelled...) grow without bound
    and say nothing about the queue, so only pending and claimed are counted."""
    live = [ReminderState.PENDING, ReminderState.CLAIMED]
    rows = await session.execute(
        select(Reminder.state, func.count())
        .where(Reminder.state.in_(live))
        .group_by(Reminder.state)
    )
    counts = {str(state): 0 for state in live}
    counts.update({str(state): int(n) for state, n in rows.tuples()})
    return counts


async def oldest_due(session: AsyncSession, now: datetime) -> datetime | None:
    """The due time of the oldest pending reminder that is due (index ix_reminders_state_due)."""
    # min() keeps the column's type, so the value comes back aware UTC on every backend.
    return await session.scalar(
        select(func.min(Reminder.due_at)).where(
            Reminder.state == ReminderState.PENDING, Reminder.due_at <= now
        )
    )
