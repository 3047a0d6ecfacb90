"""The head's /team table: each member's plan %, coverage, overdue check-ins, touches and sales
for a period, and the team's total line; a member's own rank; the team chart; the Monday line.

The figures are the KPI engine's (bot/services/kpi): the same period words and bounds, the same
Pace for plan attainment, the same coverage (clients in work touched within cadence ÷ clients in
work) and overdue count — summed in SQL per member (storage/kpi_team.py), so the number of
statements is the same for a team of 5 and of 100. The period is read on the head's clock: one
table, one set of bounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot import workers
from bot.i18n import Translator, translator
from bot.services.kpi.chart_data import (
    ChartData,
    _bucket_seconds,
    _fold,
    _utc_midnight,
    cumulate,
    plan_cumulative,
    touch_weeks,
)
from bot.services.kpi.charts import chart_labels, render_png
from bot.services.kpi.periods import (
    Period,
    WorkingDays,
    calendar_for_timezone,
    local_today,
    period_of,
    utc_bounds,
    working_days,
)
from bot.services.kpi.report import Pace, ratio
from bot.services.kpi.text import percent
from bot.services.money import format_money
from bot.services.teams.membership import head_of_team, in_team
from bot.services.teams.people import display_name
from storage import kpi_team as store
from storage import teams as team_store
from storage.enums import PeriodKind, TeamRole
from storage.kpi_team import MemberClients, MemberWork
from storage.models import Manager

NO_WORK = MemberWork(0, 0)
NO_CLIENTS = MemberClients(0, 0, 0)


@dataclass(frozen=True, slots=True)
class Row:
    """One member's line, or the team's total (member_id 0)."""

    member_id: int
    name: str
    pace: Pace
    clients: MemberClients
    touches: int
    sold_minor: int

    @property
    def plan_share(self) -> Fraction | None:
        return self.pace.attainment

    @property
    def coverage(self) -> Fraction | None:
        return ratio(self.clients.touched, self.clients.base)


@dataclass(frozen=True, slots=True)
class TeamTable:
    team_name: str
    period: Period
    currency: str
    rows: list[Row]  # the best plan % first; members without a plan last
    total: Row
    rankings_visible: bool


def _rank_key(row: Row) -> tuple[bool, Fraction, int, str]:
    share = row.plan_share
    return (share is None, -(share or Fraction(0)), -row.sold_minor, row.name)


def _pace(plan: int | None, sold: int, days: WorkingDays, today_counts: bool) -> Pace:
    # bot/services/kpi/build.pace_for's figures, the working days counted once for the team.
    return Pace(plan, sold, days.elapsed, days.total, days.left + (1 if today_counts else 0))


def _total(rows: list[Row], days: WorkingDays, today_counts: bool) -> Row:
    plans = [r.pace.plan_minor for r in rows if r.pace.plan_minor]
    sold = sum(r.sold_minor for r in rows)
    return Row(
        member_id=0,
        name="",
        pace=_pace(sum(plans) if plans else None, sold, days, today_counts),
        clients=MemberClients(
            sum(r.clients.base for r in rows),
            sum(r.clients.touched for r in rows),
            sum(r.clients.overdue for r in rows),
        ),
        touches=sum(r.touches for r in rows),
        sold_minor=sold,
    )


async def _build(
    session: AsyncSession, asker: Manager, team_id: int, kind: PeriodKind, now: datetime
) -> TeamTable:
    """``asker`` must be a head of ``team_id``: the queries see the team through their row."""
    team = await team_store.team(session, team_id)
    assert team is not None  # the asker's own team
    members = await team_store.members(session, team_id)
    zone = ZoneInfo(asker.timezone)
    today = local_today(now, zone)
    period = period_of(kind, today)
    start, end = utc_bounds(period, zone)
    work = await store.work_by_member(session, asker.id, start, end)
    plans = await store.plans_by_member(session, asker.id, period.kind, period.start)
    clients = await store.clients_by_member(session, asker.id, now)
    calendar = calendar_for_timezone(asker.timezone)
    days = working_days(period, today, calendar)
    today_counts = period.contains(today) and calendar.is_working(today)
    rows = [
        Row(
            member_id=m.id,
            name=display_name(m),
            pace=_pace(plans.get(m.id), work.get(m.id, NO_WORK).sold_minor, days, today_counts),
            clients=clients.get(m.id, NO_CLIENTS),
            touches=work.get(m.id, NO_WORK).touches,
            sold_minor=work.get(m.id, NO_WORK).sold_minor,
        )
        for m in members
    ]
    rows.sort(key=_rank_key)
    return TeamTable(
        team.name,
        period,
        asker.currency,
        rows,
        _total(rows, days, today_counts),
        team.rankings_visible,
    )


async def team_table(
    session: AsyncSession, head: Manager, kind: PeriodKind, now: datetime
) -> TeamTable:
    return await _build(session, head, head_of_team(head), kind, now)


@dataclass(frozen=True, slots=True)
class Rank:
    place: int
    ranked: int  # members with a plan for the period


async def my_rank(
    session: AsyncSession, manager: Manager, kind: PeriodKind, now: datetime
) -> Rank | None:
    """The member's place by plan %, only when the head switched rankings on; None otherwise
    or without a plan. Computed as the team's head sees it (the queries read the team through a
    head's row); only the place leaves this function."""
    team_id = in_team(manager)
    team = await team_store.team(session, team_id)
    if team is None or not team.rankings_visible:
        return None
    heads = [m for m in await team_store.members(session, team_id) if m.role == TeamRole.HEAD]
    if not heads:
        return None
    table = await _build(session, heads[0], team_id, kind, now)
    ranked = [r for r in table.rows if r.plan_share is not None]
    for place, row in enumerate(ranked, 1):
        if row.member_id == manager.id:
            return Rank(place, len(ranked))
    return None


async def week_line(session: AsyncSession, manager: Manager, now: datetime) -> str | None:
    """The Monday summary's team line for a head: the month so far, like the pace line."""
    if manager.team_id is None or manager.role != TeamRole.HEAD:
        return None
    table = await team_table(session, manager, PeriodKind.MONTH, now)
    t = translator(manager.language)
    total = table.total
    lang = t.lang
    return t(
        "tt-week-line",
        team=table.team_name,
        plan=percent(total.plan_share, lang) if total.plan_share is not None else "—",
        coverage=percent(total.coverage, lang) if total.coverage is not None else "—",
        overdue=total.clients.overdue,
        touches=total.touches,
        sales=format_money(total.sold_minor, table.currency, lang),
    )


# ---------------------------------------------------------------- the team chart


async def team_chart_png(
    session: AsyncSession, head: Manager, kind: PeriodKind, now: datetime, t: Translator
) -> bytes:
    data = await team_chart_data(session, head, kind, now)
    return await workers.run_heavy(render_png, data, chart_labels(data, t))


async def team_chart_data(
    session: AsyncSession, head: Manager, kind: PeriodKind, now: datetime
) -> ChartData:
    """chart_data for the whole team: the members' sales against the sum of their plans."""
    head_of_team(head)
    tz = ZoneInfo(head.timezone)
    today = local_today(now, tz)
    period = period_of(kind, today)
    calendar = calendar_for_timezone(head.timezone)
    size = _bucket_seconds(period.start, period.end, tz)
    lower, upper = _utc_midnight(period.start, tz), _utc_midnight(period.end, tz)
    daily = _fold(await store.team_sales_by_bucket(session, head.id, lower, upper, size), size, tz)
    days = [period.start + timedelta(days=n) for n in range(period.days())]
    cumulative = cumulate(days, daily, today)
    plans = await store.plans_by_member(session, head.id, period.kind, period.start)
    plan = sum(plans.values()) or None
    work = working_days(period, today, calendar)
    today_counts = period.contains(today) and calendar.is_working(today)
    pace = _pace(plan, cumulative[(today - period.start).days] or 0, work, today_counts)
    weeks = touch_weeks(period, today)
    per_week = await _team_touches_by_week(session, head, weeks[0], weeks[-1] + timedelta(7), tz)
    this_week = today - timedelta(days=today.weekday())
    return ChartData(
        period=period,
        today=today,
        currency=head.currency,
        days=days,
        cumulative=cumulative,
        plan_minor=plan,
        plan_cumulative=plan_cumulative(days, plan, calendar) if plan is not None else None,
        forecast_minor=pace.forecast_minor,
        weeks=weeks,
        touches=[per_week.get(w, 0) if w <= this_week else None for w in weeks],
        current_week=weeks.index(this_week),
    )


async def _team_touches_by_week(
    session: AsyncSession, head: Manager, start: date, end: date, tz: ZoneInfo
) -> dict[date, int]:
    size = _bucket_seconds(start, end, tz)
    lower, upper = _utc_midnight(start, tz), _utc_midnight(end, tz)
    rows = await store.team_touches_by_bucket(session, head.id, lower, upper, size)
    weeks: dict[date, int] = {}
    for day, count in _fold(rows, size, tz).items():
        monday = day - timedelta(days=day.weekday())
        weeks[monday] = weeks.get(monday, 0) + count
    return weeks
