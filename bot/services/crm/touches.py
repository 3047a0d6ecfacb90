"""Touches (calls, meetings, messages, e-mails, visits), follow-ups and undo.

Every logged touch resets the client's check-in clock; a next step with a date becomes an
open promise and a follow-up reminder row, planned in the same transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from bot.services.crm import clients as client_service
from bot.services.crm.clients import refresh_checkin
from bot.services.errors import NotFound
from bot.services.parsing.touch_parse import TouchDraft
from bot.services.schedule.schedule_rules import weekday_or_monday
from storage import touches as store
from storage import updates as update_store
from storage.enums import Channel, Outcome, ReminderKind, ReminderState
from storage.models import Client, Interaction, Manager, Reminder

logger = logging.getLogger(__name__)
UNDO_WINDOW = timedelta(minutes=10)
MAX_SUMMARY = 4000


class TouchNotFound(NotFound):
    """Missing, or someone else's: deliberately indistinguishable."""

    key = "touch-not-found"


@dataclass(frozen=True, slots=True)
class NewTouch:
    kind: Channel
    summary: str
    outcome: Outcome | None = None
    occurred_at: datetime | None = None  # None: now
    next_step: str | None = None
    next_step_due: datetime | None = None
    next_step_has_time: bool = False


def followup_due(manager: Manager, due: datetime, has_time: bool) -> datetime:
    """A date without a time falls due at the manager's digest time that day, local."""
    if has_time:
        return due
    zone = ZoneInfo(manager.timezone)
    day = due.astimezone(zone).date()
    return datetime.combine(day, manager.digest_time or time(9, 0), tzinfo=zone)


def _sync_followup(
    manager: Manager, touch: Interaction, reminder: Reminder | None
) -> Reminder | None:
    """Returns a new reminder row to add, or adjusts/cancels the existing one."""
    wanted = touch.next_step_due_at is not None and touch.next_step_done_at is None
    if reminder is None:
        if not wanted:
            return None
        assert touch.next_step_due_at is not None
        return Reminder(
            manager_id=manager.id,
            kind=ReminderKind.FOLLOWUP,
            client_id=touch.client_id,
            interaction_id=touch.id,
            due_at=followup_due(manager, touch.next_step_due_at, touch.next_step_has_time),
            state=ReminderState.PENDING,
            dedupe_key=f"followup:{touch.id}",
        )
    if not wanted:
        if reminder.state == ReminderState.PENDING:
            reminder.state = ReminderState.CANCELLED
        return None
    assert touch.next_step_due_at is not None
    reminder.due_at = followup_due(manager, touch.next_step_due_at, touch.next_step_has_time)
    if reminder.state in (ReminderState.CANCELLED, ReminderState.DONE):
        reminder.state = ReminderState.PENDING
    return None


async def _reset_cadence(
    session: AsyncSession, manager: Manager, client: Client, now: datetime
) -> None:
    client.last_touch_at = await store.latest_activity_time(session, client.id)
    refresh_checkin(client, manager, now)


@dataclass(frozen=True, slots=True)
class Recorded:
    touch: Interaction
    client: Client


async def record(
    session: AsyncSession, manager: Manager, client_id: int, new: NewTouch, now: datetime
) -> Recorded:
    # The client row is usually in the session already (found by name a moment ago): get()
    # takes it from there without a query. Ownership is checked here, as owned_bare would.
    client = await session.get(Client, client_id, options=[raiseload("*")])
    if client is None or client.owner_id != manager.id:
        raise client_service.ClientNotFound(client_id)
    touch = Interaction(
        client_id=client.id,
        manager_id=manager.id,
        kind=new.kind,
        occurred_at=min(new.occurred_at or now, now),
        outcome=new.outcome,
        summary=new.summary.strip()[:MAX_SUMMARY],
        next_step=(new.next_step or "").strip()[:MAX_SUMMARY] or None,
        next_step_due_at=new.next_step_due,
        next_step_has_time=new.next_step_has_time,
        created_at=now,
    )
    if touch.next_step is None and touch.next_step_due_at is not None:
        touch.next_step = touch.summary or "—"
    session.add(touch)
    await session.flush()
    # A new touch can only move the last touch forward: no need to ask the database.
    if client.last_touch_at is None or touch.occurred_at > client.last_touch_at:
        client.last_touch_at = touch.occurred_at
    refresh_checkin(client, manager, now)
    if touch.next_step_due_at is not None and client.next_checkin_at is not None:
        # An agreed next step moves the check-in to its date: not overdue before it.
        client.next_checkin_at = max(client.next_checkin_at, touch.next_step_due_at)
    reminder = _sync_followup(manager, touch, None)
    if reminder is not None:
        session.add(reminder)
    await session.commit()
    return Recorded(touch, client)


async def get(session: AsyncSession, manager: Manager, touch_id: int) -> Interaction:
    touch = await store.owned_touch(session, manager.id, touch_id)
    if touch is None:
        logger.warning(
            "manager %s asked for touch %s which is not theirs or gone", manager.id, touch_id
        )
        raise TouchNotFound(touch_id)
    return touch


async def set_kind(
    session: AsyncSession, manager: Manager, touch_id: int, kind: str
) -> Interaction:
    touch = await get(session, manager, touch_id)
    try:
        touch.kind = Channel(kind)
    except ValueError as exc:
        raise client_service.ClientProblem("client-invalid-value") from exc
    await session.commit()
    return touch


async def set_due(
    session: AsyncSession,
    manager: Manager,
    touch_id: int,
    due: datetime | None,
    has_time: bool,
) -> Interaction:
    touch = await get(session, manager, touch_id)
    touch.next_step_due_at = due
    touch.next_step_has_time = has_time if due else False
    if due is not None and touch.next_step is None:
        touch.next_step = touch.summary or "—"
    reminder = _sync_followup(manager, touch, await store.followup_reminder(session, touch.id))
    if reminder is not None:
        session.add(reminder)
    await session.commit()
    return touch


async def move(
    session: AsyncSession, manager: Manager, touch_id: int, client_id: int, now: datetime
) -> Interaction:
    """The parser picked the wrong client: move the touch, keep both cadences right."""
    touch = await get(session, manager, touch_id)
    target = await client_service.get(session, manager, client_id)
    source = await client_service.get(session, manager, touch.client_id)
    touch.client_id = target.id
    reminder = await store.followup_reminder(session, touch.id)
    if reminder is not None:
        reminder.client_id = target.id
    await session.flush()
    await _reset_cadence(session, manager, source, now)
    await _reset_cadence(session, manager, target, now)
    await session.commit()
    return touch


async def complete_followup(
    session: AsyncSession, manager: Manager, touch_id: int, now: datetime
) -> Interaction:
    touch = await get(session, manager, touch_id)
    if touch.next_step_done_at is None:
        touch.next_step_done_at = now
        _sync_followup(manager, touch, await store.followup_reminder(session, touch.id))
    await session.commit()
    return touch


async def delete(
    session: AsyncSession, manager: Manager, touch_id: int, now: datetime
) -> Interaction:
    touch = await get(session, manager, touch_id)
    client = await client_service.get(session, manager, touch.client_id)
    await session.delete(touch)  # its follow-up reminder goes with it (ON DELETE CASCADE)
    await session.flush()
    await _reset_cadence(session, manager, client, now)
    await session.commit()
    return touch


QUICK_DUE_DAYS = {"tomorrow": 1, "3d": 3, "week": 7, "2w": 14}


def quick_due(choice: str, manager: Manager, now: datetime) -> datetime | None:
    """A next-step date chosen by button: that many days ahead, local date, no time."""
    days = QUICK_DUE_DAYS.get(choice)
    if days is None:
        return None
    zone = ZoneInfo(manager.timezone)
    day = weekday_or_monday(now.astimezone(zone).date() + timedelta(days=days))
    return datetime.combine(day, time(0, 0), tzinfo=zone)


async def add_details(
    session: AsyncSession,
    manager: Manager,
    touch_id: int,
    summary: str,
    draft: TouchDraft,
    now: datetime,
) -> Interaction:
    """The comment typed after tap logging: summary, outcome and next step if it names one."""
    touch = await get(session, manager, touch_id)
    touch.summary = summary.strip()[:MAX_SUMMARY]
    if touch.outcome is None:
        touch.outcome = draft.outcome
    if draft.next_step or draft.next_step_due is not None:
        touch.next_step = (draft.next_step or touch.summary or "—")[:MAX_SUMMARY]
        touch.next_step_due_at = draft.next_step_due.at if draft.next_step_due else None
        touch.next_step_has_time = bool(draft.next_step_due and draft.next_step_due.has_time)
        reminder = _sync_followup(manager, touch, await store.followup_reminder(session, touch.id))
        if reminder is not None:
            session.add(reminder)
    await session.commit()
    return touch


async def first_press(
    session: AsyncSession, chat_id: int, message_id: int, data: str, now: datetime
) -> bool:
    """False when this button under this message already logged its touch (a double tap)."""
    return await update_store.first_press(session, chat_id, message_id, data, now)
