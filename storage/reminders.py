"""Reminder rows: idempotent inserts by dedupe key, claiming due rows, and the planner's reads.

Every read here is bounded by what is due, not by the size of the base: contacts by birthday
(month, day), clients by next check-in, rows by (state, due_at) — all on indexes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.enums import ClientStatus, ReminderKind, ReminderState
from storage.models import Client, Contact, Interaction, Manager, Reminder


async def insert_missing(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Inserts reminders whose dedupe key does not exist yet; planning twice adds nothing."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(Reminder).on_conflict_do_nothing(index_elements=[Reminder.dedupe_key])
    await session.execute(statement, rows)


def _on_days(days: Sequence[tuple[int, int]]) -> ColumnElement[bool]:
    """(month, day) in `days`, written so both databases search ix_contacts_birthday.

    A row-value IN `(birth_month, birth_day) IN ((11, 28), ...)` made SQLite scan every contact
    (EXPLAIN: SCAN contacts); one `birth_month = m AND birth_day IN (...)` per month (the window
    spans two or three) is a MULTI-INDEX OR on SQLite and a BitmapOr on PostgreSQL."""
    by_month: dict[int, list[int]] = {}
    for month, day in days:
        by_month.setdefault(month, []).append(day)
    return or_(
        *(
            and_(Contact.birth_month == month, Contact.birth_day.in_(sorted(month_days)))
            for month, month_days in sorted(by_month.items())
        )
    )


ID_CHUNK = 500  # ids per IN list: far below SQLite's 32,766 bound parameters
CLAIM_PER_CHAT = 60  # x 1.25 s a message = 75 s, far inside the 5-minute lease


async def birthdays_on(
    session: AsyncSession, days: Sequence[tuple[int, int]]
) -> list[tuple[Contact, Client, Manager]]:
    """Contacts whose birthday (month, day) is one of `days`, at active clients of reachable
    managers.

    Two steps on purpose: the contacts by the birthday index, then their clients and managers by
    primary key. As one join, PostgreSQL estimated a uniform spread of birthdays (~2.5% of the
    contacts for a 17-day window) and hashed sequential scans of every client and manager
    (EXPLAIN: Seq Scan on clients, 103 ms at 100,000 clients for 20 contacts)."""
    if not days:
        return []
    contacts = list(await session.scalars(select(Contact).where(_on_days(days))))
    ids = sorted({c.client_id for c in contacts})
    clients: dict[int, Client] = {}
    for start in range(0, len(ids), ID_CHUNK):
        rows = await session.scalars(
            select(Client).where(
                Client.id.in_(ids[start : start + ID_CHUNK]), Client.archived_at.is_(None)
            )
        )
        clients.update((c.id, c) for c in rows)
    managers = await _reachable(session, {c.owner_id for c in clients.values()})
    return [
        (contact, client, managers[client.owner_id])
        for contact in contacts
        if (client := clients.get(contact.client_id)) is not None and client.owner_id in managers
    ]


async def checkins_due(session: AsyncSession, before: datetime) -> list[tuple[Client, Manager]]:
    """Active clients whose check-in is due by `before`, of reachable managers. Clients by the
    next_checkin_at index, then their managers by primary key: as one join PostgreSQL hashed a
    sequential scan of every manager (25 ms at 10,000 managers for 20 clients)."""
    clients = list(
        await session.scalars(
            select(Client).where(
                Client.next_checkin_at <= before,
                Client.archived_at.is_(None),
                Client.status == ClientStatus.ACTIVE,
            )
        )
    )
    managers = await _reachable(session, {c.owner_id for c in clients})
    return [(c, managers[c.owner_id]) for c in clients if c.owner_id in managers]


async def _reachable(session: AsyncSession, ids: set[int]) -> dict[int, Manager]:
    """The managers among `ids` who can be pinged, by primary key."""
    ordered = sorted(ids)
    found: dict[int, Manager] = {}
    for start in range(0, len(ordered), ID_CHUNK):
        rows = await session.scalars(
            select(Manager).where(
                Manager.id.in_(ordered[start : start + ID_CHUNK]),
                Manager.blocked_at.is_(None),
                Manager.is_active.is_(True),
            )
        )
        found.update((m.id, m) for m in rows)
    return found


async def digests_near(session: AsyncSession, horizon: datetime) -> list[Manager]:
    """Reachable managers whose next digest moment is at or before `horizon`, or not yet worked
    out: an index range on managers.next_digest_at, however many managers there are."""
    rows = await session.scalars(
        select(Manager).where(
            or_(Manager.next_digest_at.is_(None), Manager.next_digest_at <= horizon),
            Manager.blocked_at.is_(None),
            Manager.is_active.is_(True),
        )
    )
    return list(rows)


async def move_digest_marks(
    session: AsyncSession, marks: Sequence[tuple[Manager, datetime]]
) -> None:
    """Sets each manager's next digest moment — unless their timezone or digest time changed
    since they were read (the new ones must be worked out again). Not a change of the
    manager's settings: updated_at stays."""
    if not marks:
        return
    # Core, not ORM: an ORM update with a list of parameters is a bulk update by primary key.
    table = cast(Table, Manager.__table__)
    managers = table.c
    await session.execute(
        update(table)
        .where(
            managers.id == bindparam("mid"),
            managers.timezone == bindparam("tz"),
            managers.digest_time == bindparam("at"),
        )
        .values(next_digest_at=bindparam("next"), updated_at=managers.updated_at),
        [
            {"mid": m.id, "tz": m.timezone, "at": m.digest_time, "next": moment}
            for m, moment in marks
        ],
    )


class Claimed(NamedTuple):
    id: int
    kind: ReminderKind
    manager_id: int


# Reminders set for a moment ("remind me in a minute", a follow-up at 10:00) before the
# morning's digests, check-ins and birthdays due at the same lateness.
_TIMED_KINDS = (ReminderKind.NOTE, ReminderKind.FOLLOWUP)


async def claim_due(
    session: AsyncSession,
    now: datetime,
    lease_until: datetime,
    worker: str,
    limit: int,
    fresh_since: datetime | None = None,
) -> list[Claimed]:
    """Takes up to `limit` due rows for this worker; on PostgreSQL rows another instance is
    holding are skipped, so instances side by side never take the same row.

    Fresh before stale: rows due since `fresh_since` come first, so a reminder that just fell
    due is not queued behind a backlog of long-overdue ones; within each class timed reminders
    go before digests, and digests before the check-ins and birthdays they fold in."""
    due = and_(
        Reminder.due_at <= now,
        or_(
            Reminder.state == ReminderState.PENDING,
            and_(Reminder.state == ReminderState.CLAIMED, Reminder.lease_until < now),
        ),
    )
    lateness = case((Reminder.due_at >= (fresh_since or now), 0), else_=1)
    kind_rank = case(
        (Reminder.kind.in_(_TIMED_KINDS), 0), (Reminder.kind == ReminderKind.DIGEST, 1), else_=2
    )
    query = (
        select(Reminder.id, Reminder.kind, Reminder.manager_id)
        .where(due)
        .order_by(lateness, kind_rank, Reminder.due_at, Reminder.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    # A chat takes >= 1.25 s a message: a claim holds at most what one chat can send well
    # inside the lease, so no row outlives its lease and goes out from a second instance too.
    # The rest stay pending (their row locks end with this transaction) for the next claim.
    per_chat: Counter[int] = Counter()
    claimed: list[Claimed] = []
    for rid, kind, manager_id in await session.execute(query):
        per_chat[manager_id] += 1
        if per_chat[manager_id] <= CLAIM_PER_CHAT:
            claimed.append(Claimed(rid, kind, manager_id))
    if claimed:
        await session.execute(
            update(Reminder)
            .where(Reminder.id.in_([c.id for c in claimed]))
            .values(state=ReminderState.CLAIMED, lease_until=lease_until, claimed_by=worker)
        )
    return claimed


STALE_PAST_ITS_DAY = "stale: past its day"


async def cancel_stale(
    session: AsyncSession, kinds: Sequence[ReminderKind], before: datetime, now: datetime
) -> int:
    """Settles in one statement the due rows of `kinds` due before `before` (a digest whose
    day is over is yesterday's news): cancelled, never sent. Returns how many."""
    result = await session.execute(
        update(Reminder)
        .where(
            Reminder.kind.in_(list(kinds)),
            Reminder.due_at < before,
            or_(
                Reminder.state == ReminderState.PENDING,
                and_(Reminder.state == ReminderState.CLAIMED, Reminder.lease_until < now),
            ),
        )
        .values(
            state=ReminderState.CANCELLED,
            lease_until=None,
            last_error=STALE_PAST_ITS_DAY,
            updated_at=now,
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def with_clients(session: AsyncSession, manager_ids: Sequence[int]) -> set[int]:
    """The managers among `manager_ids` who own at least one client not archived: without one
    their morning agenda is empty (no check-in, step, birthday or request can be listed)."""
    ordered = sorted(set(manager_ids))
    found: set[int] = set()
    for start in range(0, len(ordered), ID_CHUNK):
        rows = await session.scalars(
            select(Client.owner_id)
            .where(
                Client.owner_id.in_(ordered[start : start + ID_CHUNK]),
                Client.archived_at.is_(None),
            )
            .distinct()
        )
        found.update(rows)
    return found


async def release_claims(session: AsyncSession, now: datetime) -> int:
    """Every claimed row back to pending, whoever claimed it; returns how many."""
    result = await session.execute(
        update(Reminder)
        .where(Reminder.state == ReminderState.CLAIMED)
        .values(state=ReminderState.PENDING, lease_until=None, updated_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Reminder]:
    if not ids:
        return []
    rows = await session.scalars(select(Reminder).where(Reminder.id.in_(ids)).order_by(Reminder.id))
    return list(rows)


async def owned(session: AsyncSession, manager_id: int, reminder_id: int) -> Reminder | None:
    return await session.scalar(
        select(Reminder).where(Reminder.id == reminder_id, access.authored(Reminder, manager_id))
    )


async def overdue_clients(session: AsyncSession, owner_id: int, before: datetime) -> list[Client]:
    """Clients due strictly before `before` (the start of tomorrow): a check-in at tomorrow's
    local midnight is tomorrow's."""
    rows = await session.scalars(
        select(Client)
        .where(
            access.clients(owner_id),
            Client.next_checkin_at < before,
            Client.archived_at.is_(None),
            Client.status == ClientStatus.ACTIVE,
        )
        .order_by(Client.next_checkin_at)
    )
    return list(rows)


async def due_followups(
    session: AsyncSession, owner_id: int, before: datetime
) -> list[tuple[Interaction, str]]:
    rows = await session.execute(
        select(Interaction, Client.name)
        .join(Client, Client.id == Interaction.client_id)
        .where(
            access.clients(owner_id),
            Client.archived_at.is_(None),
            Interaction.next_step_done_at.is_(None),
            # Strictly before: a date-only step is stored at its day's local midnight, so one
            # due tomorrow sits exactly on `before` (the start of tomorrow) and is not today's.
            Interaction.next_step_due_at < before,
        )
        .order_by(Interaction.next_step_due_at)
    )
    return [(r[0], r[1]) for r in rows]


async def owner_birthdays(
    session: AsyncSession, owner_id: int, days: Sequence[tuple[int, int]]
) -> list[tuple[Contact, Client]]:
    if not days:
        return []
    rows = await session.execute(
        select(Contact, Client)
        .join(Client, Client.id == Contact.client_id)
        .where(
            access.clients(owner_id),
            Client.archived_at.is_(None),
            _on_days(days),
        )
    )
    return [(r[0], r[1]) for r in rows]


async def fold_into_digest(
    session: AsyncSession, manager_id: int, now: datetime, message_id: int
) -> None:
    await session.execute(
        update(Reminder)
        .where(
            access.authored(Reminder, manager_id),
            Reminder.kind.in_([ReminderKind.CHECKIN, ReminderKind.BIRTHDAY]),
            Reminder.state.in_([ReminderState.PENDING, ReminderState.CLAIMED]),
            Reminder.due_at <= now,
        )
        .values(state=ReminderState.SENT, sent_at=now, chat_message_id=message_id)
    )


async def touches_between(
    session: AsyncSession, owner_id: int, start: datetime, end: datetime
) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Interaction)
        .where(
            access.authored(Interaction, owner_id),
            Interaction.occurred_at >= start,
            Interaction.occurred_at < end,
        )
    )
    return int(count or 0)


async def clients_touched_between(
    session: AsyncSession, owner_id: int, start: datetime, end: datetime
) -> int:
    count = await session.scalar(
        select(func.count(func.distinct(Interaction.client_id))).where(
            access.authored(Interaction, owner_id),
            Interaction.occurred_at >= start,
            Interaction.occurred_at < end,
        )
    )
    return int(count or 0)


# last_error of a row the deliverer held for quiet hours: changing quiet hours can release it.
HELD_BY_QUIET = "held: quiet hours"


async def held_by_quiet(session: AsyncSession, manager_id: int) -> list[Reminder]:
    rows = await session.scalars(
        select(Reminder).where(
            access.authored(Reminder, manager_id),
            Reminder.state == ReminderState.PENDING,
            Reminder.last_error == HELD_BY_QUIET,
        )
    )
    return list(rows)
