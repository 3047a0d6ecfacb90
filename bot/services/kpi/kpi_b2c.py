"""B2C KPI: response and resolution times, open requests past the SLA, reviews — in SQL.

Percentiles use the **nearest-rank** method: of N durations sorted ascending, the p-th percentile
is the one at 1-based rank ceil(p·N/100). So the median of 1..10 minutes is 5 (the lower middle)
and the 90th percentile is 9; of a single duration, every percentile is that duration. Nearest
rank always returns a duration that really happened, which is what a lead can check by hand.

SQLite has no percentile function, so both backends rank rows with ROW_NUMBER() over the
durations and keep the rows at the wanted ranks; ceil(p·N/100) is integer arithmetic,
(p·N + 99) / 100, because SQLite's ceil() is an optional build feature. The queries are in
storage/kpi_b2c.py; the SLA and the percentile rule are here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm.requests import SLA, SlaPolicy
from storage import kpi_b2c as store

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


async def _durations(
    session: AsyncSession,
    manager_id: int,
    start_utc: datetime,
    end_utc: datetime,
    stamp: store.Stamp,
    sla_s: float,
) -> DurationStats:
    rows = await store.duration_ranks(
        session, manager_id, start_utc, end_utc, stamp, sla_s, (MEDIAN, P90)
    )
    if not rows:
        return DurationStats(0, None, None, 0)
    _, _, n, ok = rows[0]
    by_rank = {rank: seconds for seconds, rank, _, _ in rows}
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
    opened, resolved = await store.request_counts(session, manager_id, start_utc, end_utc)
    first_response = await _durations(
        session,
        manager_id,
        start_utc,
        end_utc,
        "first_response_at",
        sla.first_response.total_seconds(),
    )
    resolution = await _durations(
        session, manager_id, start_utc, end_utc, "resolved_at", sla.resolution.total_seconds()
    )
    overdue_count, overdue_rows = await store.overdue_requests(
        session, manager_id, now, sla.first_response, sla.resolution, OVERDUE_SHOWN
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
    positive, negative = await store.review_counts(session, manager_id, start_utc, end_utc)

    return B2CMetrics(
        start_utc=start_utc,
        end_utc=end_utc,
        now=now,
        sla=sla,
        opened=opened,
        resolved=resolved,
        first_response=first_response,
        resolution=resolution,
        overdue_count=overdue_count,
        overdue=overdue,
        reviews_positive=positive,
        reviews_negative=negative,
    )
