"""/today and /birthdays: the day's agenda and the coming birthdays, in the manager's clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import requests as request_service
from bot.services.crm.birthdays import Birthday, days_until, next_birthday
from bot.services.kpi import pace_line
from bot.services.teams.table import week_line as team_week_line
from storage import reminders as store
from storage.enums import WorkMode
from storage.models import Manager

BIRTHDAYS_AHEAD = 30


@dataclass(frozen=True, slots=True)
class Overdue:
    client_id: int
    client_name: str
    days: int  # 0: due today


@dataclass(frozen=True, slots=True)
class FollowUp:
    touch_id: int
    client_id: int
    client_name: str
    step: str
    due_at: datetime
    has_time: bool


@dataclass(frozen=True, slots=True)
class BirthdayItem:
    contact_name: str
    client_id: int
    client_name: str
    on: date
    days: int
    turns: int | None


@dataclass(frozen=True, slots=True)
class UrgentRequest:
    """A B2C request past its SLA ("response"/"resolution") or about to be ("soon-...")."""

    request_id: int
    client_name: str
    text: str
    state: str
    minutes: int  # past the SLA (breached) or left until it (soon), whole minutes


@dataclass(frozen=True, slots=True)
class Agenda:
    overdue: list[Overdue]
    followups: list[FollowUp]
    birthdays: list[BirthdayItem]
    # The KPI pace line; alone it does not make a digest worth sending.
    pace: str | None = None
    requests: list[UrgentRequest] = field(default_factory=list)  # B2C: past or near the SLA

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.followups or self.birthdays or self.requests)


# "Near the SLA": a first answer due within 15 minutes, a resolution within 2 hours.
SOON_RESPONSE = timedelta(minutes=15)
SOON_RESOLUTION = timedelta(hours=2)
MAX_OPEN_SCANNED = 200


def _urgency(r: request_service.RequestView, now: datetime) -> UrgentRequest | None:
    sla = request_service.SLA
    waited = now - r.opened_at
    if r.first_response_at is None:
        limit, kind, soon = sla.first_response, "response", SOON_RESPONSE
    else:
        limit, kind, soon = sla.resolution, "resolution", SOON_RESOLUTION
    breached = request_service.breach(r, now)
    if breached is not None:
        broken = sla.first_response if breached == "response" else sla.resolution
        past = waited - broken
        return UrgentRequest(r.id, r.client_name, r.text, breached, int(past.total_seconds() // 60))
    if limit - waited <= soon:
        left = int((limit - waited).total_seconds() // 60)
        return UrgentRequest(r.id, r.client_name, r.text, f"soon-{kind}", left)
    return None


async def urgent_requests(
    session: AsyncSession, manager: Manager, now: datetime
) -> list[UrgentRequest]:
    """Open requests past or near the SLA, the breached first (longest past first)."""
    page = await request_service.list_open(session, manager, 0, MAX_OPEN_SCANNED)
    found = [u for r in page.items if (u := _urgency(r, now)) is not None]
    return sorted(found, key=_most_urgent_first)


def _most_urgent_first(u: UrgentRequest) -> tuple[bool, int]:
    soon = u.state.startswith("soon")
    return soon, u.minutes if soon else -u.minutes


def _end_of_day(manager: Manager, now: datetime) -> tuple[date, datetime]:
    zone = ZoneInfo(manager.timezone)
    today = now.astimezone(zone).date()
    return today, datetime.combine(today + timedelta(days=1), time(0, 0), tzinfo=zone)


def _window(today: date, days: int) -> list[tuple[int, int]]:
    pairs = {
        ((today + timedelta(days=i)).month, (today + timedelta(days=i)).day)
        for i in range(days + 1)
    }
    if (2, 28) in pairs:
        pairs.add((2, 29))
    return sorted(pairs)


async def birthdays(
    session: AsyncSession, manager: Manager, now: datetime, days: int = BIRTHDAYS_AHEAD
) -> list[BirthdayItem]:
    today, _ = _end_of_day(manager, now)
    items = []
    for contact, client in await store.owner_birthdays(session, manager.id, _window(today, days)):
        assert contact.birth_day is not None
        assert contact.birth_month is not None
        b = Birthday(contact.birth_day, contact.birth_month, contact.birth_year)
        on = next_birthday(b, today)
        left = days_until(b, today)
        if left <= days:
            turns = on.year - contact.birth_year if contact.birth_year else None
            items.append(BirthdayItem(contact.name, client.id, client.name, on, left, turns))
    return sorted(items, key=lambda i: (i.days, i.contact_name))


async def today(session: AsyncSession, manager: Manager, now: datetime) -> Agenda:
    local_today, end = _end_of_day(manager, now)
    overdue = [
        Overdue(
            c.id,
            c.name,
            (local_today - c.next_checkin_at.astimezone(ZoneInfo(manager.timezone)).date()).days,
        )
        for c in await store.overdue_clients(session, manager.id, end)
        if c.next_checkin_at is not None
    ]
    followups = [
        FollowUp(
            t.id, t.client_id, name, t.next_step or "", t.next_step_due_at, t.next_step_has_time
        )
        for t, name in await store.due_followups(session, manager.id, end)
        if t.next_step_due_at is not None
    ]
    soon = await birthdays(session, manager, now, manager.birthday_lead_days)
    urgent = (
        await urgent_requests(session, manager, now) if manager.work_mode == WorkMode.B2C else []
    )
    return Agenda(overdue, followups, soon, await pace_line(session, manager, now), urgent)


@dataclass(frozen=True, slots=True)
class Week:
    touches: int  # logged last week (Monday to Sunday, the manager's clock)
    clients_touched: int
    overdue: int  # clients due for a touch now
    pace: str | None = None  # the KPI pace line of the month
    team: str | None = None  # a head's line of the team's month (issue 10)


async def last_week(session: AsyncSession, manager: Manager, now: datetime) -> Week:
    zone = ZoneInfo(manager.timezone)
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday - timedelta(days=7), time(0, 0), tzinfo=zone)
    end = datetime.combine(monday, time(0, 0), tzinfo=zone)
    touches = await store.touches_between(session, manager.id, start, end)
    clients = await store.clients_touched_between(session, manager.id, start, end)
    _, end_of_today = _end_of_day(manager, now)
    overdue = len(await store.overdue_clients(session, manager.id, end_of_today))
    pace = await pace_line(session, manager, now)
    return Week(touches, clients, overdue, pace, await team_week_line(session, manager, now))
