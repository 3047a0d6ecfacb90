"""Reporting periods (week, month, quarter, year) in the manager's timezone, and working days.

A period is a half-open range of local calendar days [start, end). Working days follow the public
holiday calendar of the country of the manager's timezone (the `holidays` package knows Russia's
moved days off and working Saturdays); a zone with no known country counts Monday to Friday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from babel.core import get_global

from storage.enums import PeriodKind


@dataclass(frozen=True, slots=True)
class Period:
    kind: PeriodKind
    start: date
    end: date  # exclusive

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def days(self) -> int:
        return (self.end - self.start).days

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def period_of(kind: PeriodKind, day: date) -> Period:
    """The period of this kind that contains the local day."""
    if kind is PeriodKind.WEEK:
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=7))
    if kind is PeriodKind.MONTH:
        start = day.replace(day=1)
        return Period(kind, start, _add_months(start, 1))
    if kind is PeriodKind.QUARTER:
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(kind, start, _add_months(start, 3))
    start = date(day.year, 1, 1)
    return Period(kind, start, date(day.year + 1, 1, 1))


def previous(period: Period) -> Period:
    return period_of(period.kind, period.start - timedelta(days=1))


def shifted(period: Period, steps: int) -> Period:
    """The period `steps` periods later (negative: earlier)."""
    current = period
    for _ in range(abs(steps)):
        day = current.end if steps > 0 else current.start - timedelta(days=1)
        current = period_of(current.kind, day)
    return current


def local_today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


def utc_bounds(period: Period, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The period as a half-open UTC range, for indexed range scans on UTC timestamps."""
    return _utc_midnight(period.start, tz), _utc_midnight(period.end, tz)


def _utc_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Working days of one country (or plain Monday to Friday when `country` is None)."""

    country: str | None

    def is_working(self, day: date) -> bool:
        calendar = _holidays(self.country, day.year)
        if calendar is None:
            return day.weekday() < 5
        return bool(calendar.is_working_day(day))

    def count(self, start: date, end: date) -> int:
        """Working days in [start, end)."""
        return sum(1 for n in range((end - start).days) if self.is_working(start + timedelta(n)))


@cache
def _holidays(country: str | None, year: int) -> holidays.HolidayBase | None:
    if country is None:
        return None
    return holidays.country_holidays(country, years=year)


@cache
def calendar_for_timezone(zone: str) -> WorkCalendar:
    territory = get_global("zone_territories").get(zone)
    if territory and territory in holidays.list_supported_countries():
        return WorkCalendar(str(territory))
    return WorkCalendar(None)


@dataclass(frozen=True, slots=True)
class WorkingDays:
    """Where "today" stands in the period: "working day 14 of 22"."""

    total: int
    elapsed: int  # working days before today, plus today when it is one
    left: int  # working days after today


def working_days(period: Period, today: date, calendar: WorkCalendar) -> WorkingDays:
    total = calendar.count(period.start, period.end)
    if today < period.start:
        return WorkingDays(total, 0, total)
    if today >= period.end:
        return WorkingDays(total, total, 0)
    elapsed = calendar.count(period.start, today + timedelta(days=1))
    return WorkingDays(total, elapsed, total - elapsed)


def warm_up() -> None:
    """`holidays` imports its country modules on first use (~0.3 s): at start, not on a /kpi."""
    calendar_for_timezone("Europe/Moscow").is_working(date(2026, 1, 1))
