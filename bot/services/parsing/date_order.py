"""Which number comes first in "12/03/1980": the day (most of the world) or the month (the US).

Decisions (issue 15, item 17):
- Month first only for English users in the United States: Telegram's ``language_code`` when
  it carries a region ("en-US" yes, "en-GB" no), otherwise the territory of the manager's
  timezone (America/New_York, America/Chicago, ... are US). Russian is always day first.
- Only slash dates change ("12/03"); a dotted "12.03" is day first for everyone.
- A date that reads differently the two ways ("12/03", both numbers 1-12 and unequal) is
  ambiguous: replies that show it should say which reading was used (``ambiguous``).
"""

from __future__ import annotations

import re
from functools import cache

from babel.core import get_global

_SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/\d{2,4})?(?![\d/])")


@cache
def _territory(timezone: str) -> str | None:
    found = get_global("zone_territories").get(timezone)
    return str(found) if found else None


def month_first(language: str, timezone: str, language_code: str | None = None) -> bool:
    """Whether this manager writes the month first in slash dates."""
    if language != "en":
        return False
    code = (language_code or "").replace("_", "-").lower()
    if "-" in code:
        return code.split("-", 1)[1] == "us"
    return _territory(timezone) == "US"


def ambiguous(text: str) -> bool:
    """Whether a slash date in ``text`` reads differently day first and month first."""
    for m in _SLASH.finditer(text):
        first, second = int(m[1]), int(m[2])
        if 1 <= first <= 12 and 1 <= second <= 12 and first != second:
            return True
    return False


def day_first(text: str, language: str, timezone: str) -> str:
    """``text`` with a US user's slash dates rewritten day first and dotted ("12/03" → "03.12").

    For readers that only know day-first dates (birthdays in contact lines): the user's
    order is settled here, once, and the reply shows the date in words, which says the reading.
    """
    if not month_first(language, timezone):
        return text
    return _SLASH.sub(_swap, text)


def _swap(m: re.Match[str]) -> str:
    first, second = m[1], m[2]
    if int(first) > 12:
        return m[0]  # "30/11" is day first whoever types it
    rest = m[0][len(first) + 1 + len(second) :].replace("/", ".")
    return f"{second}.{first}{rest}"
