"""Pure time rules of the reminders engine: when a ping is due, in the manager's own clock.

No database, no aiogram, no network: the planner and the deliverer call these with a chosen
``now``. Every datetime taken or returned is aware (naive ones raise ``ValueError``); results
are in UTC. Time zones are IANA names resolved with ``zoneinfo`` (an unknown name raises
``zoneinfo.ZoneInfoNotFoundError``).

Decisions:
- A wall-clock time on a local day (``local_moment``) is the earliest instant whose local wall
  time is at or after the one asked for. Inside a DST gap (02:30 on a spring-forward night does
  not exist) that is the end of the gap: the first instant the clock shows, 03:00. Inside a fold
  (01:30 happens twice on a fall-back night) it is the first occurrence (``fold=0``). A 02:30
  digest therefore still arrives exactly once on both DST nights, never an hour early and never
  twice.
- Quiet hours are a half-open wall-clock window ``[start, end)``: a ping at exactly ``start`` is
  held, one at exactly ``end`` goes. ``start > end`` crosses midnight (21:00-08:00);
  ``start == end`` means no quiet hours. Because the window is on the wall clock, the repeated
  hour of a fall-back night is quiet twice when the window covers it.
- Times anchored to the digest ("tomorrow morning", "in 3 days", "next week", the digest itself,
  birthdays) use the digest time the manager chose, even if it lies inside quiet hours: choosing
  it is asking for it (PRODUCT.md principle 5). Only "1 hour" is pushed out of quiet hours.
- The manager's day during the night: between midnight and the end of a quiet window that
  crossed midnight, the manager has not started a new day yet, so "tomorrow morning" pressed at
  00:30 on Saturday means Saturday morning, not Sunday; "3 days" and "next week" count from the
  same day. Snoozes always land strictly after ``now``.
- "1 hour" is one real hour (UTC arithmetic), even across a DST change; days are calendar days
  on the local clock, so "3 days" at 09:00 stays at 09:00 across a DST change. A check-in
  cadence, which has no time zone here, is counted in whole 24-hour days.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from bot.services.crm.birthdays import Birthday, next_birthday
from bot.services.parsing.dates import When

__all__ = [
    "BIRTHDAY_KINDS",
    "SNOOZE_CHOICES",
    "birthday_dedupe_key",
    "birthday_pings",
    "checkin_due",
    "in_quiet_hours",
    "is_due",
    "local_moment",
    "next_digest_at",
    "push_out_of_quiet_hours",
    "snooze_until",
    "weekly_summary_at",
]

BIRTHDAY_KINDS = ("ahead", "day")
SNOOZE_CHOICES = ("1h", "tomorrow", "3d", "week")

_MONDAY = 0
_DAYS_IN_WEEK = 7
# A push lands at the end of a quiet window; it can only land inside quiet hours again when a
# DST gap swallowed the whole allowed window of that day, and then the next day's end is free.
_MAX_PUSHES = 4


@cache
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")


def _require_naive_time(value: time, name: str) -> None:
    if value.tzinfo is not None:
        raise ValueError(f"{name} is a wall-clock time and must not carry a tzinfo")


def _local(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(_zone(tz))


def _gap_end(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """The first instant after a DST gap, between two UTC instants with different offsets.

    ``before`` carries the offset before the transition, ``after`` the one after it; the
    transition is found by bisection on whole seconds (tzdata transitions are whole seconds),
    which also copes with unusual gaps such as Samoa skipping a whole day in 2011.
    """
    old_offset = before.astimezone(zone).utcoffset()
    low = int(before.timestamp())  # offset is the old one here
    high = int(after.timestamp()) + 1  # offset is the new one here
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(zone).utcoffset() == old_offset:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


def local_moment(day: date, at: time, tz: str) -> datetime:
    """The instant (aware, UTC) when the clock in ``tz`` shows ``at`` on the local ``day``.

    Gap (the wall time does not exist): the first valid instant after the gap, e.g. 02:30 on
    2026-03-29 in Europe/Berlin is 03:00 CEST (01:00 UTC). Fold (the wall time happens twice):
    the first occurrence, e.g. 02:30 on 2026-10-25 in Berlin is 02:30 CEST (00:30 UTC). Both
    follow one rule: the earliest instant whose wall time is at or after the one asked for.
    ``at.fold`` is ignored.
    """
    _require_naive_time(at, "at")
    zone = _zone(tz)
    naive = datetime.combine(day, at.replace(fold=0))
    first = naive.replace(tzinfo=zone, fold=0)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive:
        return first.astimezone(UTC)
    # In a gap, fold=0 reads the wall time with the offset before the transition (a later UTC
    # instant) and fold=1 with the offset after it (an earlier one); the transition lies between.
    second = naive.replace(tzinfo=zone, fold=1)
    earlier, later = sorted((first.astimezone(UTC), second.astimezone(UTC)))
    return _gap_end(earlier, later, zone)


def _quiet_window(start: time, end: time) -> tuple[time, time] | None:
    _require_naive_time(start, "quiet_start")
    _require_naive_time(end, "quiet_end")
    start, end = start.replace(fold=0), end.replace(fold=0)
    return None if start == end else (start, end)


def _wall_in_window(wall: time, start: time, end: time) -> bool:
    if start < end:
        return start <= wall < end
    return wall >= start or wall < end


def in_quiet_hours(moment: datetime, tz: str, quiet_start: time, quiet_end: time) -> bool:
    """True when the local wall time of ``moment`` is inside ``[quiet_start, quiet_end)``."""
    _require_aware(moment, "moment")
    window = _quiet_window(quiet_start, quiet_end)
    if window is None:
        return False
    wall = _local(moment, tz).time().replace(fold=0)
    return _wall_in_window(wall, *window)


def _after_midnight_quiet(local: datetime, start: time, end: time) -> bool:
    """The part of a midnight-crossing quiet window that lies after midnight (the night)."""
    window = _quiet_window(start, end)
    if window is None or window[0] < window[1]:
        return False
    return local.time().replace(fold=0) < window[1]


def _end_of_window(moment: datetime, tz: str, start: time, end: time) -> datetime:
    """The end of the quiet window ``moment`` is in, as the first such instant after it."""
    local = _local(moment, tz)
    wall = local.time().replace(fold=0)
    # The end is on the same local day unless the window crosses midnight and we are before it.
    end_day = local.date() + timedelta(days=1) if start > end and wall >= start else local.date()
    candidate = local_moment(end_day, end, tz)
    if candidate <= moment:
        # Only in the repeated hour of a fall-back night: the wall time 01:15 read the second
        # time ends at the second 01:30, not the first one, which is already past.
        naive = datetime.combine(end_day, end)
        candidate = naive.replace(tzinfo=_zone(tz), fold=1).astimezone(UTC)
    return candidate


def push_out_of_quiet_hours(
    moment: datetime, tz: str, quiet_start: time, quiet_end: time
) -> datetime:
    """``moment`` unchanged when allowed, else the end of its quiet window (aware UTC).

    The end is local ``quiet_end`` on the right day: the next day for 22:00 in a 21:00-08:00
    window, the same day for 01:30. In the repeated hour of a fall-back night the end is the
    first ``quiet_end`` after ``moment``. When ``quiet_end`` falls into a DST gap, the end is
    the first instant after the gap; should that instant be quiet again (the gap swallowed the
    whole allowed part of the day), the push goes on to the next window's end. The result is
    never before ``moment`` and never inside quiet hours.
    """
    _require_aware(moment, "moment")
    window = _quiet_window(quiet_start, quiet_end)
    if window is None or not in_quiet_hours(moment, tz, quiet_start, quiet_end):
        return moment
    pushed = moment
    for _ in range(_MAX_PUSHES):
        pushed = _end_of_window(pushed, tz, *window)
        if not in_quiet_hours(pushed, tz, quiet_start, quiet_end):
            return pushed
    raise AssertionError("quiet hours never end")  # pragma: no cover - unreachable by design


def next_digest_at(now: datetime, tz: str, digest_time: time) -> datetime:
    """The next digest at or after ``now``: today's when still ahead (or exactly now), else
    tomorrow's. One digest per local day: on a fall-back night a digest time in the repeated
    hour happens at its first occurrence only.
    """
    _require_aware(now, "now")
    today = _local(now, tz).date()
    todays = local_moment(today, digest_time, tz)
    if todays >= now:
        return todays
    return local_moment(today + timedelta(days=1), digest_time, tz)


def birthday_pings(b: Birthday, today: date, lead_days: int) -> list[tuple[str, date]]:
    """The pings of the next celebration on or after ``today``, earliest first.

    ``("ahead", celebration - lead_days)`` when ``lead_days > 0`` and ``("day", celebration)``;
    a ping dated before ``today`` is left out (on the day itself it is kept). The celebration
    comes from ``next_birthday``, so 29 February is 28 February in a non-leap year and the
    "ahead" ping counts back from that day. Pings are dates: the planner puts them at the
    manager's digest time with ``local_moment``. ``lead_days < 0`` raises ``ValueError``.
    """
    if lead_days < 0:
        raise ValueError("lead_days must not be negative")
    occurrence = next_birthday(b, today)
    pings: list[tuple[str, date]] = []
    if lead_days > 0:
        ahead = occurrence - timedelta(days=lead_days)
        if ahead >= today:
            pings.append(("ahead", ahead))
    pings.append(("day", occurrence))
    return pings


def birthday_dedupe_key(contact_id: int, kind: str, occurrence: date) -> str:
    """``"birthday:42:day:2027-03-12"``: one row per contact, kind and celebration.

    ``occurrence`` is the celebration date (not the ping date), so both pings of one year share
    it and next year's celebration is a new key. Editing a birthday changes the key; the
    planner must cancel the pending rows of the old date.
    """
    if kind not in BIRTHDAY_KINDS:
        raise ValueError(f"unknown birthday ping kind: {kind!r}")
    return f"birthday:{contact_id}:{kind}:{occurrence.isoformat()}"


def checkin_due(
    last_touch_at: datetime | None, created_at: datetime, cadence_days: int
) -> datetime:
    """When a check-in falls due: the last touch (or the client's creation) + the cadence.

    The last touch wins when there is one, even if it predates ``created_at`` (imported history).
    Whole 24-hour days; the deliverer applies quiet hours. ``cadence_days < 1`` raises.
    """
    _require_aware(created_at, "created_at")
    if last_touch_at is not None:
        _require_aware(last_touch_at, "last_touch_at")
    if cadence_days < 1:
        raise ValueError("cadence_days must be at least 1")
    since = last_touch_at if last_touch_at is not None else created_at
    return (since + timedelta(days=cadence_days)).astimezone(UTC)


def _at_digest_after(day: date, now: datetime, tz: str, digest_time: time) -> datetime:
    """Digest time on ``day``, or on the first later day when that is not after ``now``."""
    moment = local_moment(day, digest_time, tz)
    while moment <= now:
        day += timedelta(days=1)
        moment = local_moment(day, digest_time, tz)
    return moment


def snooze_until(
    choice: str,
    now: datetime,
    tz: str,
    digest_time: time,
    quiet_start: time,
    quiet_end: time,
) -> datetime:
    """Where a snoozed reminder moves to (aware UTC), always strictly after ``now``.

    - ``"1h"``: ``now`` + one real hour, pushed out of quiet hours;
    - ``"tomorrow"``: the manager's next day at the digest time;
    - ``"3d"``: three calendar days after the manager's day, at the digest time;
    - ``"week"``: the first Monday after the manager's day, at the digest time (from a Monday,
      the Monday after).

    The manager's day is the local date, except between midnight and the end of a quiet window
    that crossed midnight, when it is still the previous day (see the module docstring).
    Digest-anchored choices are not pushed out of quiet hours. Unknown choices raise
    ``ValueError``.
    """
    _require_aware(now, "now")
    if choice not in SNOOZE_CHOICES:
        raise ValueError(f"unknown snooze choice: {choice!r}")
    if choice == "1h":
        pushed = push_out_of_quiet_hours(now + timedelta(hours=1), tz, quiet_start, quiet_end)
        return pushed.astimezone(UTC)
    local = _local(now, tz)
    day = local.date()
    if _after_midnight_quiet(local, quiet_start, quiet_end):
        day -= timedelta(days=1)
    if choice == "tomorrow":
        target = day + timedelta(days=1)
    elif choice == "3d":
        target = day + timedelta(days=3)
    else:
        target = day + timedelta(days=(_MONDAY - day.weekday()) % _DAYS_IN_WEEK or _DAYS_IN_WEEK)
    return _at_digest_after(target, now, tz, digest_time)


def weekly_summary_at(now: datetime, tz: str, digest_time: time) -> datetime:
    """The next Monday at the digest time; today when it is Monday and that is at or after now."""
    _require_aware(now, "now")
    today = _local(now, tz).date()
    days = (_MONDAY - today.weekday()) % _DAYS_IN_WEEK
    moment = local_moment(today + timedelta(days=days), digest_time, tz)
    if moment >= now:
        return moment
    return local_moment(today + timedelta(days=days + _DAYS_IN_WEEK), digest_time, tz)


def is_due(due_at: datetime, now: datetime) -> bool:
    """True when ``due_at`` is at or before ``now`` (instants compared, zones irrelevant)."""
    _require_aware(due_at, "due_at")
    _require_aware(now, "now")
    return due_at <= now


# A relative next step ("завтра", "через неделю", a quick button) that lands on a weekend moves
# to Monday: business clients don't answer on Sundays. A day the manager named ("в субботу",
# "12.03", "в выходные") stays: naming it is asking for it.
_NAMED_DAY = re.compile(
    r"(?<![а-яёa-z])(?:\d|суббот|воскрес|выходн|пн|вт|ср|чт|пт|сб|вс|понедельн|вторник|сред[уа]|четверг|пятниц|"
    r"saturday|sunday|weekend|monday|tuesday|wednesday|thursday|friday|янв|фев|мар|апр|ма[йя]|"
    r"июн|июл|авг|сен|окт|ноя|дек|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.IGNORECASE,
)
_RELATIVE_NUMBER = re.compile(r"через\s+\d+|in\s+\d+", re.IGNORECASE)
_SATURDAY = 5


def is_named_day(phrase: str) -> bool:
    """True when the phrase names its day itself (a weekday, a date, the weekend)."""
    if _RELATIVE_NUMBER.search(phrase):
        phrase = _RELATIVE_NUMBER.sub("", phrase)
    return _NAMED_DAY.search(phrase) is not None


def weekday_or_monday(day: date) -> date:
    """Saturday and Sunday move to the Monday after; a weekday stays."""
    if day.weekday() >= _SATURDAY:
        return day + timedelta(days=_DAYS_IN_WEEK - day.weekday())
    return day


def business_step_due(when: When | None, tz: str) -> When | None:
    """A date-only relative next step moved off a weekend (see ``weekday_or_monday``)."""
    if when is None or when.has_time or is_named_day(when.text):
        return when
    zone = _zone(tz)
    day = when.at.astimezone(zone).date()
    moved = weekday_or_monday(day)
    if moved == day:
        return when
    at = datetime.combine(moved, time(0, 0), tzinfo=zone).astimezone(UTC)
    return replace(when, at=at)
