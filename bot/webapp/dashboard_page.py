"""What the Mini App's dashboard shows beside /kpi's figures, composed from the services the chat
uses: the /kpi chart's series (plan line, cumulative sales, touches per week), one day's sales
behind a point of that chart, the at-risk clients /kpi counts, and /today's agenda with its ✅.

Nothing here recomputes a figure: the chart is chart_data itself (the series the PNG is drawn
from), a day's sales are the KPI engine's own queries over that local day, and the ✅ is the
chat's complete_followup.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import agenda as agenda_service
from bot.services.crm import touches as touch_service
from bot.services.crm.agenda import Agenda
from bot.services.kpi.chart_data import ChartData, chart_data
from bot.services.kpi.report import KpiReport
from storage import kpi as kpi_store
from storage.enums import PeriodKind
from storage.kpi import ClientSum
from storage.models import Manager

# A manager's base is ~100 clients: a day or an at-risk list longer than this is cut, with the
# rest counted, so one answer stays small on a phone's connection.
LISTED = 100


@dataclass(frozen=True, slots=True)
class DaySales:
    day: date  # the manager's local day
    currency: str
    total_minor: int
    clients: list[ClientSum]  # who bought that day, the biggest first
    cut: bool  # more buyers than listed: the total still counts them all


@dataclass(frozen=True, slots=True)
class RiskRow:
    client_id: int
    name: str
    reason: str  # "overdue": past the cadence; "check": the average check fell
    since: datetime | None  # overdue: when the check-in was due


@dataclass(frozen=True, slots=True)
class RiskList:
    rows: list[RiskRow]
    more: int  # /kpi's count minus the rows listed


async def chart(
    session: AsyncSession, manager: Manager, kind: PeriodKind, now: datetime
) -> ChartData:
    return await chart_data(session, manager, kind, now)


def _utc_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


async def day_sales(session: AsyncSession, manager: Manager, day: date) -> DaySales:
    """The asker's own sales on a local day, per client — the rows the chart's point sums
    (sales the manager recorded, as every KPI figure counts them)."""
    zone = ZoneInfo(manager.timezone)
    start, end = _utc_midnight(day, zone), _utc_midnight(day + timedelta(days=1), zone)
    total = await kpi_store.sales_total(session, manager.id, start, end)
    # One more than shown: enough to tell whether the list was cut.
    buyers = await kpi_store.top_clients(session, manager.id, start, end, LISTED + 1)
    return DaySales(day, manager.currency, total, buyers[:LISTED], len(buyers) > LISTED)


async def at_risk(
    session: AsyncSession, manager: Manager, report: KpiReport, now: datetime
) -> RiskList | None:
    """The clients behind /kpi's "at risk" count, by name: the overdue ones (longest first), then
    those whose check fell and are not overdue too — the engine's two lists, its own rule."""
    if report.b2b is None:
        return None
    risk = report.b2b.risk
    overdue = risk.overdue
    if risk.overdue_count > len(overdue):
        # The engine keeps a few for the chat's message; the page has room for the whole list,
        # from the same query.
        _, overdue = await kpi_store.overdue(session, manager.id, now, LISTED)
    zone = ZoneInfo(manager.timezone)  # "since" on the manager's clock, whatever the phone's
    rows = [
        RiskRow(o.client_id, o.name, "overdue", o.next_checkin_at.astimezone(zone)) for o in overdue
    ]
    drops = [d for d in risk.drops if not risk.is_overdue(d)]
    rows += [RiskRow(d.client_id, d.name, "check", None) for d in drops]
    return RiskList(rows[:LISTED], max(risk.count - min(len(rows), LISTED), 0))


async def agenda(session: AsyncSession, manager: Manager, now: datetime) -> Agenda:
    """/today's agenda, as the chat and the morning digest list it; due times on the manager's
    clock (a date-only step is stored at its local midnight: in UTC it reads as the day before)."""
    shown = await agenda_service.today(session, manager, now)
    zone = ZoneInfo(manager.timezone)
    followups = [replace(f, due_at=f.due_at.astimezone(zone)) for f in shown.followups]
    return replace(shown, followups=followups)


async def complete(session: AsyncSession, manager: Manager, touch_id: int, now: datetime) -> int:
    """The agenda's ✅, as the chat's: the follow-up is done, its reminder cancelled; done twice
    is done once. Another manager's touch raises TouchNotFound, like a missing one."""
    touch = await touch_service.complete_followup(session, manager, touch_id, now)
    return touch.id
