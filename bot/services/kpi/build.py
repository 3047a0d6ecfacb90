"""Building a KPI report: periods in the manager's timezone, numbers from storage/kpi.py.

Definitions (the README repeats them for users):
- the base: the manager's non-archived clients; "in work": those in status active (paused and
  lost clients are not expected to be called);
- touched within cadence: the last touch is less than the client's cadence ago (the client's own
  cadence, else the manager's default for its tier) — as of now;
- active client: a non-archived client who bought in the period, or was touched within cadence;
- coverage: touched within cadence ÷ clients in work;
- average check: period sales ÷ number of sales; sales per client: period sales ÷ clients who
  bought; both compared with the whole previous period — only when the sales history covers it
  (the first sale is within its first tenth), so a new user or the demo doesn't see "+790 %";
- new product line: a (client, product line) first sold in the period, to a client who had
  bought anything before the period;
- at risk: past the cadence (next check-in is in the past), or the average check of the last
  91 days at least 20% below the 91 days before (clients who bought in both windows).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.kpi.kpi_accounts import key_accounts
from bot.services.kpi.kpi_b2c import b2c_metrics
from bot.services.kpi.periods import (
    Period,
    calendar_for_timezone,
    local_today,
    period_of,
    previous,
    utc_bounds,
    working_days,
)
from bot.services.kpi.report import B2B, AtRisk, Compared, KpiReport, Pace, ratio
from storage import kpi as store
from storage.enums import PeriodKind, WorkMode
from storage.kpi import SalesTotals
from storage.models import Manager

TOP = 5
RISK_SHOWN = 5
RISK_WINDOW = timedelta(days=91)  # "three months", in whole days so windows don't drift


async def pace_for(
    session: AsyncSession, manager: Manager, period: Period, today: date, sold_minor: int
) -> Pace:
    plan = await store.own_plan(session, manager.id, period.kind, period.start)
    calendar = calendar_for_timezone(manager.timezone)
    days = working_days(period, today, calendar)
    today_counts = period.contains(today) and calendar.is_working(today)
    return Pace(
        plan_minor=plan,
        sold_minor=sold_minor,
        day=days.elapsed,
        total_days=days.total,
        days_to_go=days.left + (1 if today_counts else 0),
    )


async def build_kpi(
    session: AsyncSession,
    manager: Manager,
    kind: PeriodKind,
    now: datetime,
    *,
    risk_shown: int = RISK_SHOWN,
) -> KpiReport:
    """`risk_shown`: how many overdue clients the report names (the chat's message has room
    for RISK_SHOWN; the Mini App lists them all from the same query)."""
    zone = ZoneInfo(manager.timezone)
    today = local_today(now, zone)
    period = period_of(kind, today)
    start, end = utc_bounds(period, zone)
    earlier, _ = utc_bounds(previous(period), zone)
    current, before = await store.sales_two_periods(session, manager.id, earlier, start, end)
    first_sale = await store.first_sale_at(session, manager.id)
    history_covers_previous = (
        first_sale is not None and first_sale <= earlier + (start - earlier) / 10
    )
    report = KpiReport(
        mode=manager.work_mode,
        period=period,
        today=today,
        currency=manager.currency,
        sales=current,
        previous_sales=before,
        previous_comparable=history_covers_previous,
        pace=await pace_for(session, manager, period, today, current.total_minor),
    )
    if manager.work_mode == WorkMode.B2B:
        b2b = await _b2b(session, manager, report, (start, end), now, risk_shown)
        report = replace(report, b2b=b2b)
    elif manager.work_mode == WorkMode.B2C:
        report = replace(report, b2c=await b2c_metrics(session, manager.id, start, end, now))
    else:
        accounts = await key_accounts(session, manager.id, period, start, end)
        report = replace(report, key_accounts=accounts)
    return report


async def _b2b(
    session: AsyncSession,
    manager: Manager,
    report: KpiReport,
    bounds: tuple[datetime, datetime],
    now: datetime,
    risk_shown: int,
) -> B2B:
    start, end = bounds
    cur = report.sales
    prev = report.previous_sales if report.previous_comparable else SalesTotals(0, 0, 0)
    touches, touched_clients = await store.touches(session, manager.id, start, end)
    overdue_count, overdue = await store.overdue(session, manager.id, now, risk_shown)
    drops = await store.check_drops(
        session, manager.id, now - 2 * RISK_WINDOW, now - RISK_WINDOW, now
    )
    return B2B(
        clients=await store.client_counts(session, manager.id, start, end, now),
        touches=touches,
        touched_clients=touched_clients,
        average_check=Compared(
            ratio(cur.total_minor, cur.count), ratio(prev.total_minor, prev.count)
        ),
        per_client=Compared(
            ratio(cur.total_minor, cur.buyers), ratio(prev.total_minor, prev.buyers)
        ),
        new_lines=await store.new_lines(session, manager.id, start, end),
        top=await store.top_clients(session, manager.id, start, end, TOP),
        # In the manager's zone: "overdue by N days" counts calendar days, as /today does.
        risk=AtRisk(overdue_count, overdue, drops, now.astimezone(ZoneInfo(manager.timezone))),
    )
