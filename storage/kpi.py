"""KPI aggregates. Every function is one SQL statement that returns sums and counts, never rows
of sales or touches: the work stays in the database, on the (manager, time) and (client, time)
indexes, and grows with the period asked for, not with the years of history behind it.

Plain SQL functions only (SUM, COUNT, CASE, EXISTS): the same text runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage import access
from storage.enums import ClientStatus, PeriodKind, Tier
from storage.models import Client, Interaction, Plan, Sale


@dataclass(frozen=True, slots=True)
class SalesTotals:
    total_minor: int
    count: int
    buyers: int  # distinct clients


@dataclass(frozen=True, slots=True)
class ClientCounts:
    total: int  # non-archived clients in the base
    base: int  # of them, in status "active": the ones expected to be kept in touch with
    touched: int  # of the base, last touch within the client's cadence as of now
    active: int  # bought in the period, or touched within cadence


@dataclass(frozen=True, slots=True)
class ClientSum:
    client_id: int
    name: str
    total_minor: int
    count: int


@dataclass(frozen=True, slots=True)
class CheckDrop:
    client_id: int
    name: str
    recent_minor: int
    recent_count: int
    earlier_minor: int
    earlier_count: int
    next_checkin_at: datetime | None


@dataclass(frozen=True, slots=True)
class Overdue:
    client_id: int
    name: str
    next_checkin_at: datetime


def _int(value: int | Decimal | None) -> int:
    # PostgreSQL returns SUM(bigint) as Decimal, SQLite as int; both may be NULL.
    return int(value or 0)


async def own_plan(
    session: AsyncSession, manager_id: int, kind: PeriodKind, start: date
) -> int | None:
    """The manager's own plan for the period (per-client key-account plans excluded)."""
    amount = await session.scalar(
        select(Plan.amount_minor).where(
            access.authored(Plan, manager_id),
            Plan.client_id.is_(None),
            Plan.period_kind == kind,
            Plan.period_start == start,
        )
    )
    return None if amount is None else int(amount)


async def sales_two_periods(
    session: AsyncSession, manager_id: int, earlier: datetime, split: datetime, end: datetime
) -> tuple[SalesTotals, SalesTotals]:
    """The manager's sales in [split, end) and in [earlier, split), in one range scan."""
    now_part = Sale.sold_at >= split
    before_part = Sale.sold_at < split
    row = (
        await session.execute(
            select(
                func.sum(case((now_part, Sale.amount_minor))),
                func.count(case((now_part, Sale.id))),
                func.count(distinct(case((now_part, Sale.client_id)))),
                func.sum(case((before_part, Sale.amount_minor))),
                func.count(case((before_part, Sale.id))),
                func.count(distinct(case((before_part, Sale.client_id)))),
            ).where(access.authored(Sale, manager_id), Sale.sold_at >= earlier, Sale.sold_at < end)
        )
    ).one()
    current = SalesTotals(_int(row[0]), _int(row[1]), _int(row[2]))
    previous = SalesTotals(_int(row[3]), _int(row[4]), _int(row[5]))
    return current, previous


async def first_sale_at(session: AsyncSession, manager_id: int) -> datetime | None:
    """The start of the manager's sales history (the MIN of an index: no scan)."""
    return await session.scalar(
        select(func.min(Sale.sold_at)).where(access.authored(Sale, manager_id))
    )


async def sales_total(
    session: AsyncSession, manager_id: int, start: datetime, end: datetime
) -> int:
    total = await session.scalar(
        select(func.sum(Sale.amount_minor)).where(
            access.authored(Sale, manager_id), Sale.sold_at >= start, Sale.sold_at < end
        )
    )
    return _int(total)


async def top_clients(
    session: AsyncSession, manager_id: int, start: datetime, end: datetime, limit: int
) -> list[ClientSum]:
    total = func.sum(Sale.amount_minor).label("total")
    rows = await session.execute(
        select(Sale.client_id, Client.name, total, func.count(Sale.id))
        .join(Client, Client.id == Sale.client_id)
        .where(access.authored(Sale, manager_id), Sale.sold_at >= start, Sale.sold_at < end)
        .group_by(Sale.client_id, Client.name)
        .order_by(total.desc(), Client.name)
        .limit(limit)
    )
    return [ClientSum(r[0], r[1], _int(r[2]), _int(r[3])) for r in rows]


def _touched_within_cadence(now: datetime) -> ColumnElement[bool]:
    # next_checkin_at is kept equal to (last touch or creation) + the client's cadence, and is
    # NULL for paused, lost and archived clients: "touched within cadence as of now" is a
    # comparison on the stored column, no per-dialect date arithmetic.
    return and_(Client.last_touch_at.is_not(None), Client.next_checkin_at > now)


async def client_counts(
    session: AsyncSession, owner_id: int, start: datetime, end: datetime, now: datetime
) -> ClientCounts:
    bought = (
        select(Sale.id)
        .where(Sale.client_id == Client.id, Sale.sold_at >= start, Sale.sold_at < end)
        .exists()
    )
    touched = _touched_within_cadence(now)
    row = (
        await session.execute(
            select(
                func.count(Client.id),
                func.count(case((Client.status == ClientStatus.ACTIVE, Client.id))),
                func.count(case((and_(Client.status == ClientStatus.ACTIVE, touched), Client.id))),
                func.count(case((or_(touched, bought), Client.id))),
            ).where(access.clients(owner_id), Client.archived_at.is_(None))
        )
    ).one()
    return ClientCounts(_int(row[0]), _int(row[1]), _int(row[2]), _int(row[3]))


async def touches(
    session: AsyncSession, manager_id: int, start: datetime, end: datetime
) -> tuple[int, int]:
    """Touches logged in the range and the distinct clients they reached."""
    row = (
        await session.execute(
            select(func.count(Interaction.id), func.count(distinct(Interaction.client_id))).where(
                access.authored(Interaction, manager_id),
                Interaction.occurred_at >= start,
                Interaction.occurred_at < end,
            )
        )
    ).one()
    return _int(row[0]), _int(row[1])


async def new_lines(
    session: AsyncSession, manager_id: int, start: datetime, end: datetime
) -> list[tuple[str, str]]:
    """(client name, product line) pairs first sold in the range to a client who had bought
    anything before it. History is the client's, whoever sold it: the base is the company's."""
    earlier = aliased(Sale)
    line_before = (
        select(earlier.id)
        .where(
            earlier.client_id == Sale.client_id,
            earlier.product_line == Sale.product_line,
            earlier.sold_at < start,
        )
        .exists()
    )
    bought_before = (
        select(earlier.id)
        .where(earlier.client_id == Sale.client_id, earlier.sold_at < start)
        .exists()
    )
    rows = await session.execute(
        select(Client.name, Sale.product_line)
        .join(Client, Client.id == Sale.client_id)
        .where(
            access.authored(Sale, manager_id),
            Sale.sold_at >= start,
            Sale.sold_at < end,
            Sale.product_line.is_not(None),
            ~line_before,
            bought_before,
        )
        .group_by(Sale.client_id, Client.name, Sale.product_line)
        .order_by(Client.name, Sale.product_line)
    )
    return [(r[0], str(r[1])) for r in rows]


async def overdue(
    session: AsyncSession, owner_id: int, now: datetime, limit: int
) -> tuple[int, list[Overdue]]:
    """Clients past their cadence: how many, and the longest overdue first."""
    where = (
        access.clients(owner_id),
        Client.archived_at.is_(None),
        Client.next_checkin_at < now,
    )
    count = await session.scalar(select(func.count(Client.id)).where(*where))
    rows = await session.execute(
        select(Client.id, Client.name, Client.next_checkin_at)
        .where(*where)
        .order_by(Client.next_checkin_at, Client.name)
        .limit(limit)
    )
    return _int(count), [Overdue(r[0], r[1], r[2]) for r in rows if r[2] is not None]


async def check_drops(
    session: AsyncSession, owner_id: int, earlier: datetime, split: datetime, end: datetime
) -> list[CheckDrop]:
    """Clients whose average check in [split, end) is at least 20% below [earlier, split).

    avg_recent <= 0.8 * avg_earlier, cross-multiplied to stay in integers:
    recent_sum * earlier_count * 5 <= earlier_sum * recent_count * 4.
    """
    recent = Sale.sold_at >= split
    recent_sum = func.sum(case((recent, Sale.amount_minor), else_=0))
    recent_count = func.count(case((recent, Sale.id)))
    earlier_sum = func.sum(case((recent, 0), else_=Sale.amount_minor))
    earlier_count = func.count(case((recent, None), else_=Sale.id))
    rows = await session.execute(
        select(
            Sale.client_id,
            Client.name,
            recent_sum,
            recent_count,
            earlier_sum,
            earlier_count,
            Client.next_checkin_at,
        )
        .join(Client, Client.id == Sale.client_id)
        .where(
            access.clients(owner_id),
            Client.archived_at.is_(None),
            Sale.sold_at >= earlier,
            Sale.sold_at < end,
        )
        .group_by(Sale.client_id, Client.name, Client.next_checkin_at)
        .having(
            recent_count > 0,
            earlier_count > 0,
            recent_sum * earlier_count * 5 <= earlier_sum * recent_count * 4,
        )
        .order_by(Client.name)
    )
    return [
        CheckDrop(r[0], r[1], _int(r[2]), _int(r[3]), _int(r[4]), _int(r[5]), r[6]) for r in rows
    ]


async def key_account_rows(
    session: AsyncSession,
    manager_id: int,
    kind: PeriodKind,
    period_start: date,
    start: datetime,
    end: datetime,
) -> list[tuple[int, str, int, int | None]]:
    """(client id, name, turnover, plan) of the manager's non-archived key clients: the sales
    this manager recorded in [start, end) and the client's plan of exactly this period. Every
    key client is listed, a silent one with 0; the biggest turnover first, then by name."""
    turnover = func.coalesce(func.sum(Sale.amount_minor), 0)
    rows = await session.execute(
        select(Client.id, Client.name, turnover, Plan.amount_minor)
        .outerjoin(
            Sale,
            and_(
                Sale.client_id == Client.id,
                access.authored(Sale, manager_id),
                Sale.sold_at >= start,
                Sale.sold_at < end,
            ),
        )
        .outerjoin(
            Plan,
            and_(
                Plan.client_id == Client.id,
                access.authored(Plan, manager_id),
                Plan.period_kind == kind,
                Plan.period_start == period_start,
            ),
        )
        .where(
            access.clients(manager_id),
            Client.tier == Tier.KEY,
            Client.archived_at.is_(None),
        )
        .group_by(Client.id, Client.name, Plan.amount_minor)
        .order_by(turnover.desc(), Client.name, Client.id)
    )
    return [(r[0], r[1], int(r[2]), None if r[3] is None else int(r[3])) for r in rows]
