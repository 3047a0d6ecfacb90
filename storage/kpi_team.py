"""The head's /team table and read-only views (issue 10): the KPI aggregates of storage/kpi.py,
for every member of the asker's team at once, GROUP BY manager.

Every function takes the asking head's ``manager_id`` and reaches the team through
``storage.access.headed_team``, decided from the head's own row at the time of the query: a
stranger, a plain member or a demoted head gets nothing, whatever ids a button carried. The
number of statements does not depend on the number of members (the /team benchmark counts them).
Client rows shown to the head come through ``access.readable_clients``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.charts import _sales_buckets, _touch_buckets
from storage.enums import ClientStatus, PeriodKind
from storage.kpi import _int, _touched_within_cadence
from storage.models import Client, Contact, Interaction, Manager, Note, Plan, Sale


@dataclass(frozen=True, slots=True)
class MemberClients:
    base: int  # clients in work (status active, not archived): coverage's denominator
    touched: int  # of them, touched within cadence as of now (storage.kpi's definition)
    overdue: int  # not archived, next check-in in the past (storage.kpi.overdue's count)


def _team_members(manager_id: int) -> Select[Any]:
    """Ids of the members of the team ``manager_id`` heads; empty for anyone else."""
    return select(Manager.id).where(Manager.team_id.in_(access.headed_team(manager_id)))


@dataclass(frozen=True, slots=True)
class MemberWork:
    touches: int  # logged in the range
    sold_minor: int  # sales recorded in the range


async def work_by_member(
    session: AsyncSession, manager_id: int, start: datetime, end: datetime
) -> dict[int, MemberWork]:
    """Touches and sales of each member in [start, end), in one statement.

    Two subqueries per member row rather than one GROUP BY over the whole table: each is a
    range scan of the (manager, time) index, as /kpi's own, so the work is the team's rows of the
    period, never the other teams' (a GROUP BY over ``manager_id IN (...)`` read the whole
    table sequentially on PostgreSQL). COUNT(*) lets the touch count be an index-only scan.
    """
    member = (
        select(Manager.id.label("id"))
        .where(Manager.team_id.in_(access.headed_team(manager_id)))
        .subquery()
    )
    touches = (
        select(func.count())
        .select_from(Interaction)
        .where(
            Interaction.manager_id == member.c.id,
            Interaction.occurred_at >= start,
            Interaction.occurred_at < end,
        )
        .scalar_subquery()
    )
    sold = (
        select(func.sum(Sale.amount_minor))
        .where(Sale.manager_id == member.c.id, Sale.sold_at >= start, Sale.sold_at < end)
        .scalar_subquery()
    )
    rows = await session.execute(select(member.c.id, touches, sold))
    return {int(r[0]): MemberWork(_int(r[1]), _int(r[2])) for r in rows}


async def plans_by_member(
    session: AsyncSession, manager_id: int, kind: PeriodKind, period_start: date
) -> dict[int, int]:
    """Each member's own plan of the period (storage.kpi.own_plan, for the whole team)."""
    rows = await session.execute(
        select(Plan.manager_id, Plan.amount_minor).where(
            Plan.manager_id.in_(_team_members(manager_id)),
            Plan.client_id.is_(None),
            Plan.period_kind == kind,
            Plan.period_start == period_start,
        )
    )
    return {int(r[0]): int(r[1]) for r in rows}


async def clients_by_member(
    session: AsyncSession, manager_id: int, now: datetime
) -> dict[int, MemberClients]:
    """Per owner, the counts /kpi shows that member (storage.kpi.client_counts and overdue)."""
    in_work = Client.status == ClientStatus.ACTIVE
    rows = await session.execute(
        select(
            Client.owner_id,
            func.count(case((in_work, Client.id))),
            func.count(case((and_(in_work, _touched_within_cadence(now)), Client.id))),
            func.count(case((Client.next_checkin_at < now, Client.id))),
        )
        .where(Client.owner_id.in_(_team_members(manager_id)), Client.archived_at.is_(None))
        .group_by(Client.owner_id)
    )
    return {int(r[0]): MemberClients(_int(r[1]), _int(r[2]), _int(r[3])) for r in rows}


async def team_sales_by_bucket(
    session: AsyncSession, manager_id: int, lower: datetime, upper: datetime, bucket_size: int
) -> list[tuple[int, int]]:
    """storage.charts.sales_by_bucket for the whole team."""
    whose = Sale.manager_id.in_(_team_members(manager_id))
    return await _sales_buckets(session, whose, lower, upper, bucket_size)


async def team_touches_by_bucket(
    session: AsyncSession, manager_id: int, lower: datetime, upper: datetime, bucket_size: int
) -> list[tuple[int, int]]:
    """storage.charts.touches_by_bucket for the whole team."""
    whose = Interaction.manager_id.in_(_team_members(manager_id))
    return await _touch_buckets(session, whose, lower, upper, bucket_size)


# ---------------------------------------------------------------- read-only client views


def _of_owner(manager_id: int, owner_id: int) -> Any:
    return and_(
        access.readable_clients(manager_id),
        Client.owner_id.in_(_team_members(manager_id)),
        Client.owner_id == owner_id,
        Client.archived_at.is_(None),
    )


async def member_clients(
    session: AsyncSession, manager_id: int, owner_id: int, offset: int, limit: int
) -> tuple[list[tuple[int, str]], int]:
    """A page of (id, name) of a member's clients the head may read, by name; and how many."""
    where = _of_owner(manager_id, owner_id)
    total = await session.scalar(select(func.count(Client.id)).where(where))
    rows = await session.execute(
        select(Client.id, Client.name)
        .where(where)
        .order_by(Client.name_norm, Client.id)
        .offset(offset)
        .limit(limit)
    )
    return [(int(i), str(n)) for i, n in rows], _int(total)


async def member_overdue(
    session: AsyncSession, manager_id: int, owner_id: int, now: datetime, offset: int, limit: int
) -> tuple[list[tuple[int, str]], int]:
    """A page of a member's overdue clients the head may read, the longest overdue first."""
    where = and_(_of_owner(manager_id, owner_id), Client.next_checkin_at < now)
    total = await session.scalar(select(func.count(Client.id)).where(where))
    rows = await session.execute(
        select(Client.id, Client.name)
        .where(where)
        .order_by(Client.next_checkin_at, Client.name_norm, Client.id)
        .offset(offset)
        .limit(limit)
    )
    return [(int(i), str(n)) for i, n in rows], _int(total)


async def readable_client(session: AsyncSession, manager_id: int, client_id: int) -> Client | None:
    """The client if the asker owns it or heads its team (access.readable_clients)."""
    return await session.scalar(
        select(Client).where(Client.id == client_id, access.readable_clients(manager_id))
    )


async def shared_notes(
    session: AsyncSession, manager_id: int, client_id: int, limit: int
) -> list[Note]:
    """Notes on a readable client and its people, newest first: a private note only when the
    asker wrote it (a 🔒 note is its author's alone, issue 10)."""
    readable = select(Client.id).where(Client.id == client_id, access.readable_clients(manager_id))
    contacts = select(Contact.id).where(Contact.client_id.in_(readable))
    rows = await session.scalars(
        select(Note)
        .where(
            or_(Note.client_id.in_(readable), Note.contact_id.in_(contacts)),
            or_(Note.is_private.is_(False), access.authored(Note, manager_id)),
        )
        .order_by(Note.created_at.desc(), Note.id.desc())
        .limit(limit)
    )
    return list(rows)


async def readable_touches(
    session: AsyncSession, manager_id: int, client_id: int, limit: int
) -> list[Interaction]:
    readable = select(Client.id).where(Client.id == client_id, access.readable_clients(manager_id))
    rows = await session.scalars(
        select(Interaction)
        .where(Interaction.client_id.in_(readable))
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(limit)
    )
    return list(rows)


async def readable_clients_of(
    session: AsyncSession, manager_id: int, owner_id: int
) -> dict[int, str]:
    """id → name of the member's clients the head may read (archived ones too): the team's."""
    rows = await session.execute(
        select(Client.id, Client.name).where(
            access.readable_clients(manager_id),
            Client.owner_id.in_(_team_members(manager_id)),
            Client.owner_id == owner_id,
        )
    )
    return {int(i): str(n) for i, n in rows}
