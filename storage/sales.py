"""Queries on sales: one the manager may change, and what they sold in a range."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.models import Client, Sale


async def owned(session: AsyncSession, manager_id: int, sale_id: int) -> Sale | None:
    """The sale if this manager recorded it on a client they still have; None otherwise."""
    return await session.scalar(
        select(Sale)
        .join(Client, Client.id == Sale.client_id)
        .where(Sale.id == sale_id, access.authored(Sale, manager_id), access.clients(manager_id))
    )


async def total(session: AsyncSession, manager_id: int, start: datetime, end: datetime) -> int:
    """The manager's sales in [start, end), minor units (0 when there are none)."""
    value = await session.scalar(
        select(func.coalesce(func.sum(Sale.amount_minor), 0)).where(
            access.authored(Sale, manager_id), Sale.sold_at >= start, Sale.sold_at < end
        )
    )
    return int(value or 0)


async def of_readable_client(
    session: AsyncSession, manager_id: int, client_id: int, limit: int
) -> list[Sale]:
    """A client's sales, newest first, when the asker may read the client (its owner or the
    head of its team, access.readable_clients); nothing otherwise."""
    rows = await session.scalars(
        select(Sale)
        .join(Client, Client.id == Sale.client_id)
        .where(Sale.client_id == client_id, access.readable_clients(manager_id))
        .order_by(Sale.sold_at.desc(), Sale.id.desc())
        .limit(limit)
    )
    return list(rows)
