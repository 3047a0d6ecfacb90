"""The numbers behind the KPI chart: sales by local day and touches by local week, summed in SQL.

Local days in SQL are awkward: SQLite has no time zones and PostgreSQL's `AT TIME ZONE` has no
SQLite twin. So the database groups by UTC time bucket (one hour, at most 24 × 366 rows for a
year) and Python folds the buckets into the manager's local days with zoneinfo, which is correct
across DST changes. The only dialect branch is the one expression that turns a timestamp into
epoch seconds (storage/charts.py). A bucket never straddles a local midnight as long as every
midnight of the range falls on a whole UTC hour; for the few zones with half- and quarter-hour
offsets (India, Nepal, Adelaide, ...) the bucket shrinks to 15 minutes, which every real offset
is a multiple of.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.kpi.build import pace_for
from bot.services.kpi.periods import (
    Period,
    WorkCalendar,
    calendar_for_timezone,
    local_today,
    period_of,
)
from storage import charts as store
from storage.enums import PeriodKind
from storage.models import Manager

HOUR = 3600
QUARTER_HOUR = 900
# Week and month charts show the touch rhythm of the last quarter; longer periods their own weeks.
RECENT_WEEKS = 12


@dataclass(frozen=True, slots=True)
class ChartData:
    period: Period
    today: date  # the manager's local day
    currency: str
    days: list[date]  # every day of the period
    # Sales so far at the end of each day; None for the days still ahead.
    cumulative: list[int | None]
    plan_minor: int | None
    # The plan so far at the end of each day, spread over working days; None without a plan.
    plan_cumulative: list[int] | None
    # The period's total if the pace of the working days so far holds; None before the first one.
    forecast_minor: int | None
    weeks: list[date]  # Mondays
    touches: list[int | None]  # per week; None for the weeks still ahead
    current_week: int  # index into weeks

    @property
    def sold_minor(self) -> int:
        done = [value for value in self.cumulative if value is not None]
        return done[-1] if done else 0

    @property
    def today_index(self) -> int:
        return (self.today - self.period.start).days


async def chart_data(
    session: AsyncSession, manager: Manager, kind: PeriodKind, now: datetime
) -> ChartData:
    tz = ZoneInfo(manager.timezone)
    today = local_today(now, tz)
    period = period_of(kind, today)
    calendar = calendar_for_timezone(manager.timezone)

    daily = await sales_by_local_day(session, manager.id, period.start, period.end, tz)
    days = [period.start + timedelta(days=n) for n in range(period.days())]
    cumulative = cumulate(days, daily, today)
    # The plan and the forecast come from the KPI engine, so the chart and the /kpi text agree.
    pace = await pace_for(
        session, manager, period, today, cumulative[(today - period.start).days] or 0
    )
    plan = pace.plan_minor
    plan_line = plan_cumulative(days, plan, calendar) if plan is not None else None

    weeks = touch_weeks(period, today)
    per_week = await touches_by_local_week(
        session, manager.id, weeks[0], weeks[-1] + timedelta(days=7), tz
    )
    this_week = today - timedelta(days=today.weekday())
    touches = [per_week.get(w, 0) if w <= this_week else None for w in weeks]

    return ChartData(
        period=period,
        today=today,
        currency=manager.currency,
        days=days,
        cumulative=cumulative,
        plan_minor=plan,
        plan_cumulative=plan_line,
        forecast_minor=pace.forecast_minor,
        weeks=weeks,
        touches=touches,
        current_week=weeks.index(this_week),
    )


def cumulate(days: Sequence[date], daily: dict[date, int], today: date) -> list[int | None]:
    running = 0
    out: list[int | None] = []
    for day in days:
        running += daily.get(day, 0)
        out.append(running if day <= today else None)
    return out


def plan_cumulative(days: Sequence[date], plan: int, calendar: WorkCalendar) -> list[int]:
    """The plan line: it climbs on working days only, reaching the plan on the period's last day.

    Working days rather than calendar days, because B2B sales happen on working days and the /kpi
    text measures the pace in them ("working day 14 of 22"): a calendar-day line would show the
    manager behind plan every Monday and after every holiday. A period with no working day at all
    (the New Year week in Russia) falls back to calendar days so the line still reaches the plan.
    """
    working = [calendar.is_working(day) for day in days]
    if not any(working):
        working = [True] * len(days)
    total = sum(working)
    done = 0
    line = []
    for is_working in working:
        done += is_working
        line.append(plan * done // total)
    return line


def touch_weeks(period: Period, today: date) -> list[date]:
    """The Mondays of the bars: the last 12 weeks for a week or month, the period's own weeks for
    a quarter or year (so the bars and the sales curve cover the same stretch of time)."""
    if period.kind in (PeriodKind.WEEK, PeriodKind.MONTH):
        this_week = today - timedelta(days=today.weekday())
        return [this_week - timedelta(weeks=n) for n in range(RECENT_WEEKS - 1, -1, -1)]
    first = period.start - timedelta(days=period.start.weekday())
    count = (period.last_day - first).days // 7 + 1
    return [first + timedelta(weeks=n) for n in range(count)]


async def sales_by_local_day(
    session: AsyncSession, manager_id: int, start: date, end: date, tz: ZoneInfo
) -> dict[date, int]:
    """Sales per local day in [start, end). Like the KPI totals, all of the manager's sales:
    the sales service takes amounts in the manager's currency only."""
    bucket_size = _bucket_seconds(start, end, tz)
    lower, upper = _utc_midnight(start, tz), _utc_midnight(end, tz)
    rows = await store.sales_by_bucket(session, manager_id, lower, upper, bucket_size)
    return _fold(rows, bucket_size, tz)


async def touches_by_local_week(
    session: AsyncSession, manager_id: int, start: date, end: date, tz: ZoneInfo
) -> dict[date, int]:
    """Touches per local week (keyed by its Monday) in [start, end)."""
    bucket_size = _bucket_seconds(start, end, tz)
    lower, upper = _utc_midnight(start, tz), _utc_midnight(end, tz)
    rows = await store.touches_by_bucket(session, manager_id, lower, upper, bucket_size)
    weeks: dict[date, int] = defaultdict(int)
    for day, count in _fold(rows, bucket_size, tz).items():
        weeks[day - timedelta(days=day.weekday())] += count
    return dict(weeks)


def _fold(rows: Iterable[tuple[int, int]], bucket_size: int, tz: ZoneInfo) -> dict[date, int]:
    days: dict[date, int] = defaultdict(int)
    for bucket, value in rows:
        days[datetime.fromtimestamp(bucket * bucket_size, tz).date()] += value
    return dict(days)


def _bucket_seconds(start: date, end: date, tz: ZoneInfo) -> int:
    midnights = (_utc_midnight(start + timedelta(days=n), tz) for n in range((end - start).days))
    if all(m.minute == 0 and m.second == 0 for m in midnights):
        return HOUR
    return QUARTER_HOUR


def _utc_midnight(day: date, tz: ZoneInfo) -> datetime:
    # The same instant as periods.utc_bounds, for ranges that are not one period.
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
