"""Queries of the B2C KPI: requests opened in a period, their response and resolution times
ranked in SQL, the open ones past the SLA, and reviews. The SLA and the percentile rule are the
service's (bot/services/kpi/kpi_b2c.py); this module only counts and ranks.

Durations come from julianday() on SQLite (UTCDateTime stores naive UTC text there) and
EXTRACT(EPOCH ...) on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import ColumnElement, Float, and_, case, cast, extract, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage import access
from storage import requests as request_store
from storage.models import Client, ClientRequest, Review

Stamp = Literal["first_response_at", "resolved_at"]
Timestamp = ColumnElement[datetime] | InstrumentedAttribute[datetime]


def seconds_between(dialect: str, later: Timestamp, earlier: Timestamp) -> ColumnElement[float]:
    """The duration between two timestamp columns in seconds, as SQL for this dialect."""
    if dialect == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return cast(extract("epoch", later - earlier), Float)


def _opened_in(manager_id: int, start_utc: datetime, end_utc: datetime) -> ColumnElement[bool]:
    return and_(
        access.authored(ClientRequest, manager_id),
        ClientRequest.opened_at >= start_utc,
        ClientRequest.opened_at < end_utc,
    )


async def request_counts(
    session: AsyncSession, manager_id: int, start_utc: datetime, end_utc: datetime
) -> tuple[int, int]:
    """Requests opened in [start_utc, end_utc), and how many of them are resolved."""
    row = (
        await session.execute(
            select(func.count(), func.count(ClientRequest.resolved_at)).where(
                _opened_in(manager_id, start_utc, end_utc)
            )
        )
    ).one()
    return int(row[0]), int(row[1])


async def duration_ranks(
    session: AsyncSession,
    manager_id: int,
    start_utc: datetime,
    end_utc: datetime,
    stamp: Stamp,
    sla_s: float,
    percents: Sequence[int],
) -> list[tuple[int, int, int, int]]:
    """(seconds, rank, n, within SLA) of the rows at the nearest ranks of ``percents`` among the
    opened-to-``stamp`` durations of requests opened in the range (and stamped), in whole
    seconds; n and "within SLA" are over all of them. No rows: no request has the stamp."""
    column = getattr(ClientRequest, stamp)
    dialect = session.get_bind().dialect.name
    # Rounded to whole seconds in SQL, so ties and the SLA edge compare exactly.
    seconds = func.round(seconds_between(dialect, column, ClientRequest.opened_at))
    ranked = (
        select(
            seconds.label("d"),
            func.row_number().over(order_by=seconds).label("rn"),
            func.count().over().label("n"),
            func.sum(case((seconds <= sla_s, 1), else_=0)).over().label("ok"),
        )
        .where(_opened_in(manager_id, start_utc, end_utc), column.is_not(None))
        .subquery()
    )
    # ceil(p·n/100) in integers: SQLite's ceil() is an optional build feature.
    ranks = [(p * ranked.c.n + 99) // 100 for p in percents]
    rows = await session.execute(
        select(ranked.c.d, ranked.c.rn, ranked.c.n, ranked.c.ok).where(
            or_(*(ranked.c.rn == rank for rank in ranks))
        )
    )
    return [(int(r.d), int(r.rn), int(r.n), int(r.ok)) for r in rows]


async def overdue_requests(
    session: AsyncSession,
    manager_id: int,
    now: datetime,
    response_within: timedelta,
    resolve_within: timedelta,
    limit: int,
) -> tuple[int, list[tuple[ClientRequest, str]]]:
    """Open requests past either deadline as of ``now``: how many, and the oldest first."""
    where = and_(
        access.authored(ClientRequest, manager_id),
        request_store.overdue(now, response_within, resolve_within),
    )
    count = await session.scalar(select(func.count()).select_from(ClientRequest).where(where))
    rows = await session.execute(
        select(ClientRequest, Client.name)
        .join(Client, Client.id == ClientRequest.client_id)
        .where(where)
        .order_by(ClientRequest.opened_at, ClientRequest.id)
        .limit(limit)
    )
    return int(count or 0), [(request, name) for request, name in rows]


async def review_counts(
    session: AsyncSession, manager_id: int, start_utc: datetime, end_utc: datetime
) -> tuple[int, int]:
    """(positive, negative) reviews the manager recorded in [start_utc, end_utc)."""
    row = (
        await session.execute(
            select(
                func.count(case((Review.is_positive, 1))),
                func.count(case((~Review.is_positive, 1))),
            ).where(
                access.authored(Review, manager_id),
                Review.created_at >= start_utc,
                Review.created_at < end_utc,
            )
        )
    ).one()
    return int(row[0]), int(row[1])
