"""What a tap on a reminder does: done (and the touch it stands for), or snooze."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import touches as touch_service
from bot.services.crm.touches import NewTouch
from bot.services.errors import NotFound
from bot.services.schedule.schedule_rules import push_out_of_quiet_hours, snooze_until
from storage import reminders as store
from storage.enums import Channel, ReminderKind, ReminderState
from storage.models import Client, Manager, Reminder

logger = logging.getLogger(__name__)


class ReminderNotFound(NotFound):
    """Missing, or someone else's (a forged button): deliberately indistinguishable."""

    key = "rem-not-found"


async def get(session: AsyncSession, manager: Manager, reminder_id: int) -> Reminder:
    reminder = await store.owned(session, manager.id, reminder_id)
    if reminder is None:
        logger.warning("manager %s tapped reminder %s which is not theirs", manager.id, reminder_id)
        raise ReminderNotFound(reminder_id)
    return reminder


async def done(
    session: AsyncSession, manager: Manager, reminder_id: int, now: datetime
) -> Reminder:
    """Marks it done; a check-in or a birthday greeting done is a touch, so the cadence resets.
    Pressing Done twice does nothing more."""
    reminder = await get(session, manager, reminder_id)
    if reminder.state == ReminderState.DONE:
        return reminder
    reminder.state = ReminderState.DONE
    client = await session.get(Client, reminder.client_id) if reminder.client_id else None
    if reminder.kind == ReminderKind.FOLLOWUP and reminder.interaction_id is not None:
        await touch_service.complete_followup(session, manager, reminder.interaction_id, now)
    elif reminder.kind in (ReminderKind.CHECKIN, ReminderKind.BIRTHDAY) and client is not None:
        kind = (
            Channel.MESSAGE
            if reminder.kind == ReminderKind.BIRTHDAY
            else (client.preferred_channel or Channel.CALL)
        )
        await touch_service.record(
            session, manager, client.id, NewTouch(kind=kind, summary=""), now
        )
    await session.commit()
    return reminder


async def acknowledge(session: AsyncSession, manager: Manager, reminder_id: int) -> Reminder:
    """📞 Log: the touch itself is logged by the tap flow; the reminder is settled."""
    reminder = await get(session, manager, reminder_id)
    reminder.state = ReminderState.DONE
    await session.commit()
    return reminder


async def snooze(
    session: AsyncSession, manager: Manager, reminder_id: int, choice: str, now: datetime
) -> datetime:
    reminder = await get(session, manager, reminder_id)
    until = snooze_until(
        choice, now, manager.timezone, manager.digest_time, manager.quiet_start, manager.quiet_end
    )
    reminder.due_at = until
    reminder.state = ReminderState.PENDING
    reminder.attempts = 0
    await session.commit()
    return until


async def release_held(session: AsyncSession, manager: Manager, now: datetime) -> int:
    """After quiet hours change: pings they held go out at once (or at the end of the new
    window). Check-ins and birthdays keep waiting for the digest that lists them. Returns how
    many were released."""
    released = 0
    for reminder in await store.held_by_quiet(session, manager.id):
        if reminder.kind in (ReminderKind.CHECKIN, ReminderKind.BIRTHDAY):
            continue
        comes = push_out_of_quiet_hours(
            now, manager.timezone, manager.quiet_start, manager.quiet_end
        )
        if comes < reminder.due_at:
            reminder.due_at, reminder.last_error = comes, None
            released += comes <= now
    await session.commit()
    return released
