"""Reminder rows: idempotent inserts by dedupe key, claiming due rows, and the planner's reads.

Every read here is bounded by what is due, not by the size of the base: contacts by birthday
(month, day), clients by next check-in, rows by (state, due_at) — all on indexes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

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


async def birthdays_on(
    session: AsyncSession, days: Sequence[tuple[int, int]]
) -> list[tuple[Contact, Client, Manager]]:
    """Contacts whose birthday (month, day) is one of `days`, at active clients of reachable
    managers."""
    if not days:
        return []
    rows = await session.execute(
        select(Contact, Client, Manager)
        .join(Client, Client.id == Contact.client_id)
        .join(Manager, Manager.id == Client.owner_id)
        .where(
            tuple_(Contact.birth_month, Contact.birth_day).in_(list(days)),
            Client.archived_at.is_(None),
            Manager.blocked_at.is_(None),
            Manager.is_active.is_(True),
        )
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def checkins_due(session: AsyncSession, before: datetime) -> list[tuple[Client, Manager]]:
    rows = await session.execute(
        select(Client, Manager)
        .join(Manager, Manager.id == Client.owner_id)
        .where(
            Client.next_checkin_at <= before,
            Client.archived_at.is_(None),
            Client.status == ClientStatus.ACTIVE,
            Manager.blocked_at.is_(None),
            Manager.is_active.is_(True),
        )
    )
    return [(r[0], r[1]) for r in rows]


async def reachable_managers(session: AsyncSession) -> list[Manager]:
    rows = await session.scalars(
        select(Manager).where(Manager.blocked_at.is_(None), Manager.is_active.is_(True))
    )
    return list(rows)


async def claim_due(
    session: AsyncSession, now: datetime, lease_until: datetime, worker: str, limit: int
) -> list[tuple[int, ReminderKind]]:
    """Takes up to `limit` due rows for this worker; on PostgreSQL rows another instance is
    holding are skipped, so instances side by side never take the same row."""
    due = and_(
        Reminder.due_at <= now,
        or_(
            Reminder.state == ReminderState.PENDING,
            and_(Reminder.state == ReminderState.CLAIMED, Reminder.lease_until < now),
        ),
    )
    # Digests first: check-ins and birthdays due at the same moment are folded into them.
    digest_first = case((Reminder.kind == ReminderKind.DIGEST, 0), else_=1)
    query = (
        select(Reminder.id, Reminder.kind)
        .where(due)
        .order_by(Reminder.due_at, digest_first, Reminder.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed = [(row[0], row[1]) for row in await session.execute(query)]
    if claimed:
        await session.execute(
            update(Reminder)
            .where(Reminder.id.in_([rid for rid, _ in claimed]))
            .values(state=ReminderState.CLAIMED, lease_until=lease_until, claimed_by=worker)
        )
    return claimed


async def by_ids(session: AsyncSession, ids: Sequence[int]) -> list[Reminder]:
    if not ids:
        return []
    rows = await session.scalars(select(Reminder).where(Reminder.id.in_(ids)).order_by(Reminder.id))
    return list(rows)


async def owned(session: AsyncSession, manager_id: int, reminder_id: int) -> Reminder | None:
    return await session.scalar(
        select(Reminder).where(Reminder.id == reminder_id, Reminder.manager_id == manager_id)
    )


async def overdue_clients(session: AsyncSession, owner_id: int, before: datetime) -> list[Client]:
    rows = await session.scalars(
        select(Client)
        .where(
            Client.owner_id == owner_id,
            Client.next_checkin_at <= before,
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
            Client.owner_id == owner_id,
            Client.archived_at.is_(None),
            Interaction.next_step_done_at.is_(None),
            Interaction.next_step_due_at <= before,
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
            Client.owner_id == owner_id,
            Client.archived_at.is_(None),
            tuple_(Contact.birth_month, Contact.birth_day).in_(list(days)),
        )
    )
    return [(r[0], r[1]) for r in rows]


async def fold_into_digest(
    session: AsyncSession, manager_id: int, now: datetime, message_id: int
) -> None:
    await session.execute(
        update(Reminder)
        .where(
            Reminder.manager_id == manager_id,
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
            Interaction.manager_id == owner_id,
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
            Interaction.manager_id == owner_id,
            Interaction.occurred_at >= start,
            Interaction.occurred_at < end,
        )
    )
    return int(count or 0)
