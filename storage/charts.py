"""Queries behind the KPI chart: the manager's sales and touches summed per UTC time bucket.

The caller folds the buckets into local days (bot/services/kpi/chart_data.py says why the database
does not). The only dialect branch is the expression that turns a timestamp into epoch seconds.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ColumnElement, Integer, cast, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage import access
from storage.models import Interaction, Sale


async def sales_by_bucket(
    session: AsyncSession, manager_id: int, lower: datetime, upper: datetime, bucket_size: int
) -> list[tuple[int, int]]:
    """(bucket, amount) of the manager's sales in [lower, upper); bucket = epoch // size."""
    return await _sales_buckets(
        session, access.authored(Sale, manager_id), lower, upper, bucket_size
    )


async def touches_by_bucket(
    session: AsyncSession, manager_id: int, lower: datetime, upper: datetime, bucket_size: int
) -> list[tuple[int, int]]:
    """(bucket, count) of the touches the manager logged in [lower, upper)."""
    return await _touch_buckets(
        session, access.authored(Interaction, manager_id), lower, upper, bucket_size
    )


async def _sales_buckets(
    session: AsyncSession,
    whose: ColumnElement[bool],
    lower: datetime,
    upper: datetime,
    bucket_size: int,
) -> list[tuple[int, int]]:
    """Sales matching ``whose`` (the caller's access rule) summed per bucket."""
    # Grouped over a subquery: with the bucket size as a bound parameter, PostgreSQL would not
    # recognise the SELECT and GROUP BY expressions as the same one.
    rows_in_range = (
        select(
            (_epoch(session, Sale.sold_at) // bucket_size).label("bucket"),
            Sale.amount_minor.label("value"),
        )
        .where(whose, Sale.sold_at >= lower, Sale.sold_at < upper)
        .subquery()
    )
    rows = await session.execute(
        select(rows_in_range.c.bucket, func.sum(rows_in_range.c.value)).group_by(
            rows_in_range.c.bucket
        )
    )
    return [(int(b), int(v)) for b, v in rows]


async def _touch_buckets(
    session: AsyncSession,
    whose: ColumnElement[bool],
    lower: datetime,
    upper: datetime,
    bucket_size: int,
) -> list[tuple[int, int]]:
    """Touches matching ``whose`` (the caller's access rule) counted per bucket."""
    rows_in_range = (
        select((_epoch(session, Interaction.occurred_at) // bucket_size).label("bucket"))
        .where(whose, Interaction.occurred_at >= lower, Interaction.occurred_at < upper)
        .subquery()
    )
    rows = await session.execute(
        select(rows_in_range.c.bucket, func.count()).group_by(rows_in_range.c.bucket)
    )
    return [(int(b), int(c)) for b, c in rows]


def _epoch(
    session: AsyncSession, column: ColumnElement[datetime] | InstrumentedAttribute[datetime]
) -> ColumnElement[int]:
    if session.get_bind().dialect.name == "sqlite":
        # UTCDateTime stores naive UTC text on SQLite; strftime('%s') reads it as UTC.
        return cast(func.strftime("%s", column), Integer)
    # floor first: PostgreSQL rounds a numeric cast to bigint, which would move 10:59:59.7 to 11.
    return cast(func.floor(extract("epoch", column)), BigInteger)
