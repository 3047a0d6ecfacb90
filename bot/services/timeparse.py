"""Clock times typed by hand: "9", "9:30", "09.30", "21-8", "22:00–07:30", "off".

A regex, not dateparser: these are bare wall-clock times with no date, and dateparser turns
"9.30" into a date (see ARCHITECTURE.md pitfalls).
"""

from __future__ import annotations

import re
from datetime import time

_TIME = r"(\d{1,2})(?:\s*[:.hч]\s*(\d{2}))?"
_TIME_RE = re.compile(rf"^\s*{_TIME}\s*$", re.IGNORECASE)
_RANGE_RE = re.compile(rf"^\s*(?:с\s*|from\s*)?{_TIME}\s*(?:-|–|—|до|to|\.\.)\s*{_TIME}\s*$", re.I)
OFF_WORDS = {"off", "no", "none", "нет", "выкл", "выключить", "откл", "отключить", "0"}


def _make(hour: str, minute: str | None) -> time | None:
    h, m = int(hour), int(minute or 0)
    if h == 24 and m == 0:
        h = 0
    if 0 <= h <= 23 and 0 <= m <= 59:
        return time(h, m)
    return None


def parse_clock_time(text: str) -> time | None:
    match = _TIME_RE.match(text[:32])
    return _make(match.group(1), match.group(2)) if match else None


def parse_time_range(text: str) -> tuple[time, time] | None:
    """Quiet hours. Returns (start, end); "off" gives equal start and end, meaning none."""
    cleaned = text[:64].strip().lower()
    if cleaned in OFF_WORDS:
        return time(0, 0), time(0, 0)
    match = _RANGE_RE.match(cleaned)
    if not match:
        return None
    start = _make(match.group(1), match.group(2))
    end = _make(match.group(3), match.group(4))
    if start is None or end is None:
        return None
    return start, end
