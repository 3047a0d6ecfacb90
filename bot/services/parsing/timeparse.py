"""Clock times typed by hand: "9", "9:30", "09.30", "9am", "8:30 pm", "21-8", "10pm-7am", "off".

A regex, not dateparser: these are bare wall-clock times with no date, and dateparser turns
"9.30" into a date (see ARCHITECTURE.md pitfalls).

Decisions:
- Without a qualifier a setting is read on the 24-hour clock as typed ("7:30" is 07:30, "3" is
  03:00): a setting is a clock reading, not a phrase.
- "am"/"pm" (also "a.m.", "p.m.") and «утра»/«вечера»/«дня»/«ночи» go through
  ``dates.hour_of``, the one reading of them in the bot: "12am" is 00:00, "12pm" noon.
"""

from __future__ import annotations

import re
from datetime import time

from bot.services.parsing.dates import hour_of

_Q = r"(?:\s*(am|pm|a\.\s?m\.?|p\.\s?m\.?|утра|вечера|дня|ночи))?"
_TIME = r"(\d{1,2})(?:\s*[:.hч]\s*(\d{2}))?" + _Q
_TIME_RE = re.compile(rf"^\s*{_TIME}\s*$", re.IGNORECASE)
_RANGE_RE = re.compile(rf"^\s*(?:с\s*|from\s*)?{_TIME}\s*(?:-|–|—|до|to|\.\.)\s*{_TIME}\s*$", re.I)
OFF_WORDS = {"off", "no", "none", "нет", "выкл", "выключить", "откл", "отключить", "0"}


def _make(hour: str, minute: str | None, qualifier: str | None = None) -> time | None:
    h, m = int(hour), int(minute or 0)
    if qualifier:
        found = hour_of(h, qualifier.lower())
        if found is None:
            return None  # "13pm"
        h = found
    if h == 24 and m == 0:
        h = 0
    if 0 <= h <= 23 and 0 <= m <= 59:
        return time(h, m)
    return None


def parse_clock_time(text: str) -> time | None:
    match = _TIME_RE.match(text[:32])
    return _make(*match.groups()) if match else None


def parse_time_range(text: str) -> tuple[time, time] | None:
    """Quiet hours. Returns (start, end); "off" gives equal start and end, meaning none."""
    cleaned = text[:64].strip().lower()
    if cleaned in OFF_WORDS:
        return time(0, 0), time(0, 0)
    match = _RANGE_RE.match(cleaned)
    if not match:
        return None
    groups = match.groups()
    start = _make(*groups[:3])
    end = _make(*groups[3:])
    if start is None or end is None:
        return None
    return start, end
