"""Planning reminders: make sure every reminder that should exist does, as a row.

`plan(now)` is idempotent — each reminder has one dedupe key — and reads only what is due
(birthdays by month/day, check-ins by next_checkin_at), so its cost follows the due work, not
the size of the base. Follow-ups and note reminders are written when they are logged.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm.birthdays import Birthday, next_birthday
from bot.services.schedule.schedule_rules import birthday_dedupe_key, birthday_pings, local_moment
from storage import reminders as store
from storage.enums import ReminderKind, ReminderState
from storage.models import Client, Contact, Manager

MAX_LEAD_DAYS = 14
CHECKIN_HORIZON = timedelta(days=1)


def _row(
    manager: Manager, kind: ReminderKind, due: datetime, key: str, now: datetime, **ids: Any
) -> dict[str, Any]:
    return {
        "manager_id": manager.id,
        "kind": kind,
        "due_at": due,
        "state": ReminderState.PENDING,
        "attempts": 0,
        "dedupe_key": key,
        "created_at": now,
        "updated_at": now,
        "client_id": ids.get("client_id"),
        "contact_id": ids.get("contact_id"),
        "interaction_id": None,
        "note_id": None,
        "payload": ids.get("payload"),
    }


def birthday_days(now: datetime) -> list[tuple[int, int]]:
    """(month, day) pairs that can have a ping soon in any timezone, 29 February included
    when 28 February is among them (celebrated then in non-leap years)."""
    start = now.date() - timedelta(days=1)
    days = {
        ((start + timedelta(days=i)).month, (start + timedelta(days=i)).day)
        for i in range(MAX_LEAD_DAYS + 3)
    }
    if (2, 28) in days:
        days.add((2, 29))
    return sorted(days)


def _birthday_rows(
    contact: Contact, client: Client, manager: Manager, now: datetime
) -> list[dict[str, Any]]:
    assert contact.birth_day is not None
    assert contact.birth_month is not None
    b = Birthday(contact.birth_day, contact.birth_month, contact.birth_year)
    today = now.astimezone(ZoneInfo(manager.timezone)).date()
    occurrence = next_birthday(b, today)
    rows = []
    for kind, day in birthday_pings(b, today, manager.birthday_lead_days):
        rows.append(
            _row(
                manager,
                ReminderKind.BIRTHDAY,
                local_moment(day, manager.digest_time, manager.timezone),
                birthday_dedupe_key(contact.id, kind, occurrence),
                now,
                client_id=client.id,
                contact_id=contact.id,
                payload={"ping": kind, "occurrence": occurrence.isoformat()},
            )
        )
    return rows


def _checkin_row(client: Client, manager: Manager, now: datetime) -> dict[str, Any]:
    assert client.next_checkin_at is not None
    day: date = client.next_checkin_at.astimezone(ZoneInfo(manager.timezone)).date()
    return _row(
        manager,
        ReminderKind.CHECKIN,
        local_moment(day, manager.digest_time, manager.timezone),
        f"checkin:{client.id}:{day.isoformat()}",
        now,
        client_id=client.id,
        payload={"due": client.next_checkin_at.isoformat()},
    )


DIGEST_AHEAD = timedelta(hours=1)
DIGEST_CATCH_UP = timedelta(hours=6)


def _digest_rows(
    manager: Manager, now: datetime, has_clients: bool
) -> tuple[list[dict[str, Any]], datetime]:
    """Today's digest (and Monday's summary of last week) once its moment is an hour away or has
    passed less than six hours ago — after downtime it still goes out, later than that it would
    be yesterday's news; and the moment the planner has to look at this manager again. No digest
    row for a manager without clients: their agenda is empty, the row would only be cancelled."""
    today = now.astimezone(ZoneInfo(manager.timezone)).date()
    due = local_moment(today, manager.digest_time, manager.timezone)
    if due > now + DIGEST_AHEAD:
        return [], due
    tomorrow = local_moment(today + timedelta(days=1), manager.digest_time, manager.timezone)
    if due < now - DIGEST_CATCH_UP:
        return [], tomorrow
    day = today.isoformat()
    rows = []
    if has_clients:
        rows.append(_row(manager, ReminderKind.DIGEST, due, f"digest:{manager.id}:{day}", now))
    if today.weekday() == 0:
        rows.append(_row(manager, ReminderKind.WEEKLY, due, f"weekly:{manager.id}:{day}", now))
    return rows, tomorrow


async def plan(session: AsyncSession, now: datetime) -> int:
    rows: list[dict[str, Any]] = []
    for contact, client, manager in await store.birthdays_on(session, birthday_days(now)):
        rows.extend(_birthday_rows(contact, client, manager, now))
    for client, manager in await store.checkins_due(session, now + CHECKIN_HORIZON):
        rows.append(_checkin_row(client, manager, now))
    # Only managers whose digest moment is near are read, so the cost follows the digests due,
    # not the number of managers; each is marked with the moment to look again.
    marks: list[tuple[Manager, datetime]] = []
    near = await store.digests_near(session, now + DIGEST_AHEAD)
    with_clients = await store.with_clients(session, [m.id for m in near])
    for manager in near:
        digest_rows, again = _digest_rows(manager, now, manager.id in with_clients)
        rows.extend(digest_rows)
        marks.append((manager, again))
    await store.insert_missing(session, rows)
    await store.move_digest_marks(session, marks)
    await session.commit()
    return len(rows)
