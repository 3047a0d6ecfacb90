"""Periods in the manager's timezone and working days, against hand-counted calendars."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.kpi.periods import (
    Period,
    WorkCalendar,
    calendar_for_timezone,
    period_of,
    previous,
    shifted,
    utc_bounds,
    working_days,
)
from storage.enums import PeriodKind as K

RU = WorkCalendar("RU")


@pytest.mark.parametrize(
    ("kind", "day", "start", "end"),
    [
        (K.WEEK, date(2026, 11, 28), date(2026, 11, 23), date(2026, 11, 30)),  # Saturday
        (K.WEEK, date(2026, 11, 30), date(2026, 11, 30), date(2026, 12, 7)),  # Monday
        (K.WEEK, date(2026, 1, 1), date(2025, 12, 29), date(2026, 1, 5)),  # across the year
        (K.MONTH, date(2026, 2, 28), date(2026, 2, 1), date(2026, 3, 1)),
        (K.MONTH, date(2026, 12, 31), date(2026, 12, 1), date(2027, 1, 1)),
        (K.QUARTER, date(2026, 11, 28), date(2026, 10, 1), date(2027, 1, 1)),
        (K.QUARTER, date(2026, 3, 31), date(2026, 1, 1), date(2026, 4, 1)),
        (K.QUARTER, date(2026, 4, 1), date(2026, 4, 1), date(2026, 7, 1)),
        (K.YEAR, date(2024, 2, 29), date(2024, 1, 1), date(2025, 1, 1)),
    ],
)
def test_period_of(kind: K, day: date, start: date, end: date) -> None:
    assert period_of(kind, day) == Period(kind, start, end)


def test_previous_and_shifted() -> None:
    march = period_of(K.MONTH, date(2026, 3, 15))
    assert previous(march) == Period(K.MONTH, date(2026, 2, 1), date(2026, 3, 1))
    assert shifted(march, -3) == Period(K.MONTH, date(2025, 12, 1), date(2026, 1, 1))
    assert shifted(march, 10) == Period(K.MONTH, date(2027, 1, 1), date(2027, 2, 1))
    q1 = period_of(K.QUARTER, date(2026, 2, 1))
    assert previous(q1) == Period(K.QUARTER, date(2025, 10, 1), date(2026, 1, 1))


def test_utc_bounds_follow_the_local_midnight() -> None:
    month = period_of(K.MONTH, date(2026, 11, 28))
    start, end = utc_bounds(month, ZoneInfo("Asia/Vladivostok"))  # UTC+10
    assert start == datetime(2026, 10, 31, 14, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    # Across a DST change: New York's March starts at -05:00 and ends at -04:00.
    start, end = utc_bounds(period_of(K.MONTH, date(2026, 3, 10)), ZoneInfo("America/New_York"))
    assert (start.hour, end.hour) == (5, 4)


def test_russian_calendar_knows_moved_days() -> None:
    # November 2026: 21 weekdays, minus Wednesday 4 November (Unity Day) = 20.
    assert RU.count(date(2026, 11, 1), date(2026, 12, 1)) == 20
    # November 2025: Saturday 1st was a working day, Monday 3rd and Tuesday 4th were not.
    assert RU.is_working(date(2025, 11, 1))
    assert not RU.is_working(date(2025, 11, 3))
    assert RU.count(date(2025, 11, 1), date(2025, 12, 1)) == 19
    # January 2026: holidays until the 11th (the 9th moved from Saturday the 3rd).
    assert RU.count(date(2026, 1, 1), date(2026, 2, 1)) == 15


def test_plain_calendar_counts_weekdays() -> None:
    plain = WorkCalendar(None)
    assert plain.count(date(2026, 11, 1), date(2026, 12, 1)) == 21


def test_calendar_from_timezone() -> None:
    assert calendar_for_timezone("Europe/Moscow").country == "RU"
    assert calendar_for_timezone("Asia/Novosibirsk").country == "RU"
    assert calendar_for_timezone("Etc/GMT-3").country is None


@pytest.mark.parametrize(
    ("today", "elapsed", "left"),
    [
        (date(2026, 10, 31), 0, 20),  # before the month
        (date(2026, 11, 2), 1, 19),  # Monday the 2nd is working day 1
        (date(2026, 11, 4), 2, 18),  # a holiday: still 2 done
        (date(2026, 11, 28), 19, 1),  # Saturday: Monday 30th is the last one left
        (date(2026, 11, 30), 20, 0),  # the last working day itself
        (date(2026, 12, 1), 20, 0),  # after the month
    ],
)
def test_working_days_in_november(today: date, elapsed: int, left: int) -> None:
    november = period_of(K.MONTH, date(2026, 11, 1))
    days = working_days(november, today, RU)
    assert (days.total, days.elapsed, days.left) == (20, elapsed, left)
