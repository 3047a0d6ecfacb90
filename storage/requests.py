"""Queries on B2C client requests: the asker's own, the open ones, the ones past the SLA.

A request is the manager's own work (``access.authored``): it stays theirs to stamp and to
undo, whoever owns the client now.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.models import Client, ClientRequest


async def owned(session: AsyncSession, manager_id: int, request_id: int) -> ClientRequest | None:
    """The request if this manager opened it; None for someone else's or a missing id alike."""
    return await session.scalar(
        select(ClientRequest).where(
            ClientRequest.id == request_id, access.authored(ClientRequest, manager_id)
        )
    )


def _open(manager_id: int) -> tuple[ColumnElement[bool], ...]:
    return access.authored(ClientRequest, manager_id), ClientRequest.resolved_at.is_(None)


async def count_open(session: AsyncSession, manager_id: int) -> int:
    total = await session.scalar(
        select(func.count()).select_from(ClientRequest).where(*_open(manager_id))
    )
    return int(total or 0)


async def open_page(
    session: AsyncSession, manager_id: int, offset: int, limit: int
) -> list[tuple[ClientRequest, str]]:
    """Open requests with their client's name, oldest first (then by id, for a stable page)."""
    rows = await session.execute(
        select(ClientRequest, Client.name)
        .join(Client, Client.id == ClientRequest.client_id)
        .where(*_open(manager_id))
        .order_by(ClientRequest.opened_at, ClientRequest.id)
        .offset(offset)
        .limit(limit)
    )
    return [(request, name) for request, name in rows]


def overdue(
    now: datetime, response_within: timedelta, resolve_within: timedelta
) -> ColumnElement[bool]:
    """An open request past either deadline as of ``now`` (the SLA itself is the service's)."""
    return (ClientRequest.resolved_at.is_(None)) & or_(
        ClientRequest.opened_at < now - resolve_within,
        (ClientRequest.first_response_at.is_(None))
        & (ClientRequest.opened_at < now - response_within),
    )
