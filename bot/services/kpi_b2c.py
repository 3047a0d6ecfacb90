"""B2C KPI: response and resolution times, open requests past the SLA, reviews — in SQL.

Percentiles use the **nearest-rank** method: of N durations sorted ascending, the p-th percentile
is the one at 1-based rank ceil(p·N/100). So the median of 1..10 minutes is 5 (the lower middle)
and the 90th percentile is 9; of a single duration, every percentile is that duration. Nearest
rank always returns a duration that really happened, which is what a lead can check by hand.

SQLite has no percentile function, so both backends rank rows with ROW_NUMBER() over the
durations and keep the rows at the wanted ranks; ceil(p·N/100) is integer arithmetic,
(p·N + 99) / 100, because SQLite's ceil() is an optional build feature. Durations come from
julianday() on SQLite (UTCDateTime stores naive UTC text there) and EXTRACT(EPOCH ...) on
PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Float, and_, case, cast, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.services.requests import SLA, SlaPolicy, overdue_condition
from storage.models import Client, ClientRequest, Review

MEDIAN, P90 = 50, 90
OVERDUE_SHOWN = 5


@dataclass(frozen=True, slots=True)
class DurationStats:
    """One duration figure over the requests that have it (seconds, whole)."""

    count: int  # requests the figures are computed over (0: no figures)
    median_s: int | None  # nearest-rank 50th percentile
    p90_s: int | None  # nearest-rank 90th percentile
    within_sla: int  # how many of `count` were within the SLA


@dataclass(frozen=True, slots=True)
class OverdueRequest:
    id: int
    client_id: int
    client_name: str
    text: str
    opened_at: datetime  # aware UTC
    breach: str  # "response": nobody answered within the SLA; "resolution": not solved in time


@dataclass(frozen=True, slots=True)
class B2CMetrics:
    """B2C figures of one manager.

    `opened`, `resolved`, `first_response` and `resolution` are about requests **opened** in
    [start_utc, end_utc), whenever they were answered or solved (up to `now`). The overdue list
    is the state as of `now`, whatever the period: an open request past its SLA is urgent
    today. Reviews are counted by the time they were recorded, within the period.
    """

    start_utc: datetime
    end_utc: datetime
    now: datetime
    sla: SlaPolicy
    opened: int
    resolved: int
    first_response: DurationStats
    resolution: DurationStats
    overdue_count: int
    overdue: list[OverdueRequest]  # the oldest first, at most OVERDUE_SHOWN
    reviews_positive: int
    reviews_negative: int


def seconds_between(
    dialect: str, later: ColumnElement[datetime], earlier: ColumnElement[datetime]
) -> ColumnElement[float]:
    """The duration between two timestamp columns in seconds, as SQL for this dialect."""
    if dialect == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0
    return cast(extract("epoch", later - earlier), Float)


def _period(manager_id: int, start_utc: datetime, end_utc: datetime) -> ColumnElement[bool]:
    return and_(
        ClientRequest.manager_id == manager_id,
        ClientRequest.opened_at >= start_utc,
        ClientRequest.opened_at < end_utc,
    )


async def _durations(
    session: AsyncSession,
    period: ColumnElement[bool],
    stamp: InstrumentedAttribute[datetime | None],
    sla_s: float,
) -> DurationStats:
    dialect = session.get_bind().dialect.name
    # Rounded to whole seconds in SQL, so ties and the SLA edge compare exactly.
    seconds = func.round(seconds_between(dialect, stamp, ClientRequest.opened_at))  # type: ignore[arg-type]
    ranked = (
        select(
            seconds.label("d"),
            func.row_number().over(order_by=seconds).label("rn"),
            func.count().over().label("n"),
            func.sum(case((seconds <= sla_s, 1), else_=0)).over().label("ok"),
        )
        .where(period, stamp.is_not(None))
        .subquery()
    )
    ranks = {p: (p * ranked.c.n + 99) // 100 for p in (MEDIAN, P90)}
    rows = (
        await session.execute(
            select(ranked.c.d, ranked.c.rn, ranked.c.n, ranked.c.ok).where(
                (ranked.c.rn == ranks[MEDIAN]) | (ranked.c.rn == ranks[P90])
            )
        )
    ).all()
    if not rows:
        return DurationStats(0, None, None, 0)
    n, ok = int(rows[0].n), int(rows[0].ok)
    by_rank = {int(row.rn): int(row.d) for row in rows}
    return DurationStats(
        count=n,
        median_s=by_rank[nearest_rank(MEDIAN, n)],
        p90_s=by_rank[nearest_rank(P90, n)],
        within_sla=ok,
    )


def nearest_rank(percent: int, n: int) -> int:
    """1-based rank of the p-th percentile among n sorted values: ceil(p·n/100)."""
    return max(1, (percent * n + 99) // 100)


async def b2c_metrics(
    session: AsyncSession,
    manager_id: int,
    start_utc: datetime,
    end_utc: datetime,
    now: datetime,
    sla: SlaPolicy = SLA,
) -> B2CMetrics:
    period = _period(manager_id, start_utc, end_utc)
    counts = (
        await session.execute(
            select(
                func.count(),
                func.count(ClientRequest.resolved_at),
            ).where(period)
        )
    ).one()
    first_response = await _durations(
        session, period, ClientRequest.first_response_at, sla.first_response.total_seconds()
    )
    resolution = await _durations(
        session, period, ClientRequest.resolved_at, sla.resolution.total_seconds()
    )

    overdue_where = and_(ClientRequest.manager_id == manager_id, overdue_condition(now, sla))
    overdue_count = int(
        await session.scalar(select(func.count()).select_from(ClientRequest).where(overdue_where))
        or 0
    )
    overdue_rows = await session.execute(
        select(ClientRequest, Client.name)
        .join(Client, Client.id == ClientRequest.client_id)
        .where(overdue_where)
        .order_by(ClientRequest.opened_at, ClientRequest.id)
        .limit(OVERDUE_SHOWN)
    )
    overdue = [
        OverdueRequest(
            id=r.id,
            client_id=r.client_id,
            client_name=name,
            text=r.text,
            opened_at=r.opened_at,
            breach="response"
            if r.first_response_at is None and now - r.opened_at > sla.first_response
            else "resolution",
        )
        for r, name in overdue_rows
    ]

    reviews = (
        await session.execute(
            select(
                func.count(case((Review.is_positive, 1))),
                func.count(case((~Review.is_positive, 1))),
            ).where(
                Review.manager_id == manager_id,
                Review.created_at >= start_utc,
                Review.created_at < end_utc,
            )
        )
    ).one()

    return B2CMetrics(
        start_utc=start_utc,
        end_utc=end_utc,
        now=now,
        sla=sla,
        opened=int(counts[0]),
        resolved=int(counts[1]),
        first_response=first_response,
        resolution=resolution,
        overdue_count=overdue_count,
        overdue=overdue,
        reviews_positive=int(reviews[0]),
        reviews_negative=int(reviews[1]),
    )
