"""Queries on sales plans: the manager's own and per-client ones, and what is sold against them.

A plan is the manager's own work (``access.authored``); a per-client plan is listed only while
the client is still theirs (``access.clients``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.enums import PeriodKind
from storage.models import Client, Plan, Sale


async def owned(session: AsyncSession, manager_id: int, plan_id: int) -> Plan | None:
    return await session.scalar(
        select(Plan).where(Plan.id == plan_id, access.authored(Plan, manager_id))
    )


async def find(
    session: AsyncSession,
    manager_id: int,
    client_id: int | None,
    kind: PeriodKind,
    period_start: date,
) -> Plan | None:
    """The plan of one period: the manager's own (``client_id`` None) or one client's."""
    client_cond = Plan.client_id.is_(None) if client_id is None else Plan.client_id == client_id
    return await session.scalar(
        select(Plan).where(
            access.authored(Plan, manager_id),
            client_cond,
            Plan.period_kind == kind,
            Plan.period_start == period_start,
        )
    )


async def sold(
    session: AsyncSession,
    manager_id: int,
    start: datetime,
    end: datetime,
    client_id: int | None = None,
) -> int:
    """The manager's sales in [start, end), to one client when ``client_id`` is given."""
    query = select(func.coalesce(func.sum(Sale.amount_minor), 0)).where(
        access.authored(Sale, manager_id), Sale.sold_at >= start, Sale.sold_at < end
    )
    if client_id is not None:
        query = query.where(Sale.client_id == client_id)
    return int(await session.scalar(query) or 0)


async def client_plans(
    session: AsyncSession,
    manager_id: int,
    kind: PeriodKind,
    period_start: date,
    start: datetime,
    end: datetime,
) -> list[tuple[int, int, int, str]]:
    """(plan, sold in [start, end), client id, name) of the period's per-client plans, the
    biggest plan first."""
    sold_to_client = (
        select(func.coalesce(func.sum(Sale.amount_minor), 0))
        .where(
            access.authored(Sale, manager_id),
            Sale.client_id == Plan.client_id,
            Sale.sold_at >= start,
            Sale.sold_at < end,
        )
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Plan.amount_minor, sold_to_client, Client.id, Client.name)
        .join(Client, Client.id == Plan.client_id)
        .where(
            access.authored(Plan, manager_id),
            access.clients(manager_id),
            Plan.period_kind == kind,
            Plan.period_start == period_start,
        )
        .order_by(Plan.amount_minor.desc(), Client.name)
    )
    return [(int(r[0]), int(r[1] or 0), r[2], r[3]) for r in rows]
