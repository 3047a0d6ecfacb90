"""Dates and times typed in words, in Russian and English, in the manager's timezone.

Our own grammar (regexes below) reads the forms managers actually type; dateparser is only a
fallback for ``parse_when`` on a whole, short, guarded input. Measured on dateparser 1.5 (see
ARCHITECTURE.md pitfalls): it reads "12.03" as today at 12:03, drops the hour of "завтра в 15",
does not know "до пт" or "к пятнице", and ``search_dates`` finds "2027 год" inside "объемы на
2027 год". So ``find_when`` (a date inside a sentence) never uses dateparser at all.

Decisions:
- ``When.at`` is aware UTC. A date without a time has ``has_time=False`` and ``at`` is the local
  midnight that starts that day; callers choose the hour (the digest time, noon, ...).
  ``local_day`` gives the local date back.
- ``future`` only settles forms that could point either way: weekday names, a day and month
  without a year, a clock time alone. Words with a direction of their own ("вчера",
  "через 2 дня", "2 дня назад", "next week") are honoured whatever ``future`` says, so a caller
  can notice a next step dated in the past.
- A weekday name always means another day, never today: on a Friday "в пятницу" is the next
  Friday (``future``) or the previous one (past). "Следующий/next <weekday>" is that weekday of
  next calendar week (Monday first), "прошлый/last <weekday>" the one of the previous calendar
  week, "этот/this <weekday>" the coming one counting today.
- A day and month without a year ("12.03", "12 марта") counts today: the nearest such date on or
  after today (``future``) or on or before it (past). Numbers are day first ("03/12" is
  3 December) unless the caller says ``month_first`` (a US user, see ``date_order``), and then
  only for slashes ("12/03" is 3 December, "12.03" still 12 March); a numeric date needs a
  two-digit second number or a year ("1.5" is a number, not 1 May).
- A bare hour from 1 to 6 ("в 3", "at 5", "3:30") is afternoon (15:00, 17:00): managers do not
  book calls at 3 a.m. A bare hour from 7 to 11 ("в 7", "7:30") is morning, as people mean it
  (issue 15: "7:30" used to become 19:30). "утра/am" and "вечера/дня/ночи/pm" override both, and
  so does an evening word next to the time ("вечером в 7", "в 7 вечером", "tonight at 8").
- A clock time alone ("в 15") is today if still ahead (``future``), otherwise tomorrow.
- "сегодня" with a morning-read hour already past ("сегодня в 8" at 10:00): looking back it is
  today's 08:00 (a backdate); looking ahead it is the next time the clock shows 8, 20:00 today.
- "на следующей неделе"/"next week" is next Monday; "в конце недели"/"end of week" is this
  week's Friday; "в конце месяца"/"end of month" the last day of this month (of the previous
  one when looking back); "в следующем месяце"/"next month" the 1st of next month.
- "через N минут/часов" is ``now`` plus N, to the minute, ``has_time=True``; "через N
  дней/недель/месяцев" is a date (months clamp: 31 January + 1 month = 28 February).
- A date that cannot exist ("31 февраля", "31.04", "29.02.2027") is reported, never shifted:
  ``parse_when`` raises ``DateProblem("date-invalid")``; ``find_when`` skips it and
  ``find_invalid_date`` returns its text so the caller can warn.
- A bare "в 15" inside a sentence is a time only when nothing that counts follows it
  ("в 2 раза", "на 10%", "в 5 магазинов" are not times): end of text, punctuation, or one of a
  few linking words. Next to a date ("завтра в 15 созвон") it is always a time.
- A local time that does not exist (skipped by a DST change) is read with the offset before
  the change, as ``zoneinfo`` does.
- An unknown timezone name raises ``zoneinfo.ZoneInfoNotFoundError``: the caller stores only
  validated names, so this is a programming error, not user input.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

__all__ = [
    "DateProblem",
    "When",
    "find_all_when",
    "find_invalid_date",
    "find_when",
    "fold",
    "hour_of",
    "local_day",
    "parse_when",
    "warm_up",
]

# Longer text is cut before scanning; Telegram messages are at most 4,096 characters.
MAX_SCAN = 8192
# dateparser is slow and unpredictable on long input; a date expression is short.
_MAX_FALLBACK = 64
_MAX_YEARS_AHEAD = 20
_BARE_PM_HOURS = range(1, 7)


@dataclass(frozen=True, slots=True)
class When:
    at: datetime  # aware, UTC; local midnight of the day when ``has_time`` is False
    has_time: bool
    start: int  # span of the expression in the text given
    end: int
    text: str
    yearless: bool = False  # a day and month typed without a year ("25.12", "12 марта")


class DateProblem(ValueError):
    """A date was meant but cannot exist; ``key`` is the i18n message key, ``text`` the date."""

    def __init__(self, key: Literal["date-invalid"], text: str) -> None:
        super().__init__(key)
        self.key = key
        self.text = text


# --- folding ------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case and ё -> е without changing the length, so spans stay valid in ``text``."""
    # The rare characters whose lower case is longer (İ) stay as they are.
    chars = []
    for ch in text:
        low = ch.lower()
        chars.append(low if len(low) == 1 else ch)
    return "".join(chars).replace("ё", "е")


# --- vocabulary ---------------------------------------------------------------------------

_B0 = r"(?<!\w)"
_B1 = r"(?!\w)"
_PREP = (
    r"(?:(?P<prep>в|во|на|до|к|ко|по|с|со|не\s+позднее|не\s+позже|on|by|until|till|before|"
    r"from|due|for)\s+)?"
)
_WEEKDAYS: tuple[tuple[str, ...], ...] = (
    ("понедельник", "понедельника", "понедельнику", "monday"),
    ("вторник", "вторника", "вторнику", "tuesday"),
    ("среда", "среду", "среды", "среде", "wednesday"),
    ("четверг", "четверга", "четвергу", "thursday"),
    ("пятница", "пятницу", "пятницы", "пятнице", "friday"),
    ("суббота", "субботу", "субботы", "субботе", "saturday"),
    ("воскресенье", "воскресенья", "воскресенью", "sunday"),
)
# Abbreviations count only after a preposition or a modifier ("в пт", "next fri") or as the
# whole text: alone inside a sentence "ср", "вс", "sat", "sun" are too often something else.
_WEEKDAY_ABBREVIATIONS: tuple[tuple[str, ...], ...] = (
    ("пн", "пнд", "пон", "понед", "mon"),
    ("вт", "втр", "tue", "tues"),
    ("ср", "срд", "wed"),
    ("чт", "чтв", "четв", "thu", "thur", "thurs"),
    ("пт", "птн", "пятн", "fri"),
    ("сб", "суб", "субб", "sat"),
    ("вс", "вскр", "воскр", "sun"),
)
_WEEKDAY_NUMBER = {
    word: index % 7
    for index, words in enumerate(_WEEKDAYS + _WEEKDAY_ABBREVIATIONS)
    for word in words
}
# Also the nominative "среда", "пятница", "суббота": "среда разработки" is no date, "в среду" is.
_NEEDS_PREPOSITION = frozenset(w for words in _WEEKDAY_ABBREVIATIONS for w in words) | {
    "среда",
    "пятница",
    "суббота",
}
_MOD = (
    r"след(?:ующ[а-я]*)?\.?|будущ[а-я]*|ближайш[а-я]*|эт(?:от|у|о|ой|ого|ому)|прошл[а-я]*|"
    r"прошедш[а-я]*|next|this|last|coming|the\s+coming|following|the\s+following|upcoming"
)
_MONTHS = (
    r"январ[ьяюе]|январем|янв|феврал[ьяюе]|февралем|февр|фев|март[ауе]?|мартом|мар|"
    r"апрел[ьяюе]|апрелем|апр|ма[йяюе]|маем|июн[ьяюе]|июнем|июн|июл[ьяюе]|июлем|июл|"
    r"август[ауе]?|августом|авг|сентябр[ьяюе]|сентябрем|сент|сен|октябр[ьяюе]|октябрем|окт|"
    r"ноябр[ьяюе]|ноябрем|нояб|ноя|декабр[ьяюе]|декабрем|дек|"
    r"january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|"
    r"september|sept|sep|october|oct|november|nov|december|dec"
)
# Every spelling in ``_MONTHS`` is told apart by its first three letters.
_MONTH_BY_PREFIX = {
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "маю": 5, "мае": 5,
    "июн": 6, "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_NUMBER_WORDS = {
    "один": 1, "одну": 1, "одна": 1, "одного": 1, "два": 2, "две": 2, "двух": 2, "пару": 2,
    "пара": 2, "три": 3, "трех": 3, "четыре": 4, "четырех": 4, "пять": 5, "пяти": 5,
    "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_NUMS = (
    r"\d{1,3}|одну|одного|одна|один|две|два|двух|пару|пара|три|трех|четыре|четырех|пять|пяти|"
    r"шесть|семь|восемь|девять|десять|a\s+couple\s+of|a\s+couple|couple\s+of|couple|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|an|a"
)
_UNITS = (
    r"минуту|минуты|минут|мин|часов|часа|час|ч|дней|дня|день|дн|суток|сутки|неделю|недели|"
    r"недель|неделя|нед|месяцев|месяца|месяц|мес|лет|года|год|полчаса|полгода|"
    r"minutes|minute|mins|min|hours|hour|hrs|hr|h|days|day|weeks|week|wks|wk|months|month|"
    r"years|year|yrs|fortnight"
)
_UNIT_KINDS: tuple[tuple[str, str], ...] = (
    # (prefix of the unit word, kind); the first prefix that matches wins.
    ("полчаса", "half-hour"),
    ("полгода", "half-year"),
    ("fortnight", "fortnight"),
    ("мин", "minute"),
    ("min", "minute"),
    ("ч", "hour"),
    ("h", "hour"),
    ("д", "day"),
    ("сут", "day"),
    ("day", "day"),
    ("нед", "week"),
    ("w", "week"),
    ("мес", "month"),
    ("mo", "month"),
    ("г", "year"),
    ("лет", "year"),
    ("y", "year"),
)
_TPREP = r"в|во|к|ко|до|на|около|часов\s+в|at|by|around|@|until|till"
# Words after a number that make it a quantity, not an hour ("в 2 раза", "на 10%", "до 5 шт").
_QUANTITY_WORDS = (
    r"%|раз|процент|шт|штук|позици|единиц|руб|₽|\$|€|тыс|млн|млрд|мест|человек|чел|"
    r"магазин|точ|клиент|недел|месяц|дн|день|год|лет|мин|times|units|pcs|percent|people|"
    r"items|days|weeks|months|years|minutes"
)
_QUANTITY_AFTER = re.compile(rf"\s*(?:{_QUANTITY_WORDS})")
# After a bare "в 15" standing alone, only these let it be a time: linking words, and what a
# manager books for an hour ("в 15 созвон").
_WEAK_TIME_FOLLOWERS = frozenset(
    {"и", "по", "для", "чтобы", "насчет", "про", "о", "об", "обсудить", "уточнить"}
    | {"созвон", "звонок", "встреча", "позвонить", "перезвонить", "созвониться"}
    | {"and", "to", "for", "about", "re", "call", "meeting"}
)
_NEXT_WORD = re.compile(r"\s*(\w+)")
_END_OF_CLAUSE = re.compile(r"\s*(?:$|[,;!?)\n]|\.(?!\d)|[—–-](?:\s|$))")
_GAP = re.compile(r"[\s,]{0,4}")


# --- atoms --------------------------------------------------------------------------------

Role = Literal["date", "time", "instant", "daypart", "invalid"]


@dataclass(frozen=True, slots=True)
class _Atom:
    start: int
    end: int
    role: Role
    day: date | None = None
    clock: time | None = None
    instant: datetime | None = None
    weak: bool = False  # a bare "в 15": a time only next to a date or before a clause end
    rank: int = 0  # wins ties between atoms of the same length
    evening: bool = False  # "вечером", "tonight": a bare morning hour next to it is p.m.
    morning_read: bool = False  # a bare 7-11 read as morning; could also mean the evening
    yearless: bool = False  # a day and month typed without a year


@dataclass(frozen=True, slots=True)
class _Ctx:
    now: datetime  # UTC
    local: datetime  # the manager's wall clock
    zone: ZoneInfo
    future: bool
    whole: bool  # the whole text is meant as a date: abbreviations and bare hours are fine
    month_first: bool = False  # "12/03" is 3 December for a US user (see ``date_order``)

    @property
    def today(self) -> date:
        return self.local.date()


_Handler = Callable[[re.Match[str], _Ctx], _Atom | None]


def _invalid(m: re.Match[str]) -> _Atom:
    # The span starts at the date itself, not its preposition: "на 31.04" reports "31.04".
    groups = [name for name in ("d", "mon") if name in m.re.groupindex and m[name] is not None]
    start = min((m.start(name) for name in groups), default=m.start())
    return _Atom(start, m.end(), "invalid")


def _date_atom(m: re.Match[str], day: date, rank: int = 0) -> _Atom:
    return _Atom(m.start(), m.end(), "date", day=day, rank=rank)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _exists(year: int | None, month: int, day: int) -> bool:
    # Without a year, 29 February exists (it comes round in a leap year).
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(year or 2000, month)[1]


def _nearest(day: int, month: int, ctx: _Ctx) -> date:
    """The day and month nearest to today in the wanted direction, today included."""
    step = 1 if ctx.future else -1
    year = ctx.today.year
    # Eight years always reach a leap year, for 29 February.
    for _ in range(9):
        if _exists(year, month, day):
            found = date(year, month, day)
            if (found >= ctx.today) if ctx.future else (found <= ctx.today):
                return found
        year += step
    raise AssertionError("unreachable: a valid day and month recurs within 8 years")


def _full_year(raw: str) -> int:
    return int(raw) + 2000 if len(raw) == 2 else int(raw)


def _day_month(
    m: re.Match[str], ctx: _Ctx, month: int | None, rank: int = 0, *, day: int | None = None
) -> _Atom | None:
    if month is None:
        return None
    day = int(m["d"]) if day is None else day
    year = _full_year(m["y"]) if m["y"] else None
    if not _exists(year, month, day):
        return _invalid(m)
    if year is not None:
        if not ctx.today.year - 100 <= year <= ctx.today.year + _MAX_YEARS_AHEAD:
            return None  # "12 марта 1000 шт": the number is not a year
        return _date_atom(m, date(year, month, day), rank)
    return replace(_date_atom(m, _nearest(day, month, ctx), rank), yearless=True)


# Day words -------------------------------------------------------------------------------

_DAY_WORD = re.compile(
    _B0
    + _PREP
    + r"(?P<w>сегодня|седня|послезавтра|после\s+завтра|завтра|завтро|позавчера|вчера|today|"
    r"tonight|(?:the\s+)?day\s+after\s+tomorrow|tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr|"
    r"(?:the\s+)?day\s+before\s+yesterday|yesterday)" + _B1
)
_DAY_OFFSETS = (
    ("после", 2),
    ("day after", 2),
    ("позавч", -2),
    ("day before", -2),
    ("вчера", -1),
    ("yesterday", -1),
    ("завтр", 1),
    ("tom", 1),
    ("tm", 1),
)
_EVENING = time(18, 0)


def _day_word(m: re.Match[str], ctx: _Ctx) -> _Atom:
    word = " ".join(m["w"].split()).removeprefix("the ")
    offset = next((off for prefix, off in _DAY_OFFSETS if word.startswith(prefix)), 0)
    day = ctx.today + timedelta(days=offset)
    if word == "tonight":
        return _Atom(m.start(), m.end(), "date", day=day, clock=_EVENING, evening=True)
    return _date_atom(m, day)


# Weekdays --------------------------------------------------------------------------------

_WEEKDAY = re.compile(
    _B0
    + _PREP
    + rf"(?:(?P<mod>{_MOD})(?:\s+|(?<=\.)))?"
    + rf"(?P<wd>{'|'.join(sorted(_WEEKDAY_NUMBER, key=len, reverse=True))})"
    + _B1
    + r"(?P<nw>\s+(?:на\s+)?(?:следующей|след\.?|будущей)\s+неделе|\s+next\s+week)?"
)


def _weekday_mod(mod: str | None) -> str:
    if mod is None:
        return "coming"
    mod = " ".join(mod.split()).removeprefix("the ")
    if mod.startswith(("след", "будущ", "next", "following")):
        return "next"
    if mod.startswith(("прошл", "прошедш", "last")):
        return "last"
    if mod.startswith(("эт", "this")):
        return "this"
    return "coming"


def _weekday(m: re.Match[str], ctx: _Ctx) -> _Atom | None:
    word = m["wd"]
    if word in _NEEDS_PREPOSITION and not (m["prep"] or m["mod"] or ctx.whole):
        return None
    if m["mod"] and m["mod"].strip() == "это":
        return None  # "это среда" is a statement, not a date
    target = _WEEKDAY_NUMBER[word]
    today = ctx.today
    monday = today - timedelta(days=today.weekday())
    mode = "next" if m["nw"] else _weekday_mod(m["mod"])
    if mode == "next":
        day = monday + timedelta(days=7 + target)
    elif mode == "last":
        day = monday + timedelta(days=target - 7)
    else:
        ahead = (target - today.weekday()) % 7
        behind = (today.weekday() - target) % 7
        if mode == "coming":
            # Another day, never today: on a Friday "в пятницу" is a week away.
            ahead, behind = ahead or 7, behind or 7
        day = today + timedelta(days=ahead) if ctx.future else today - timedelta(days=behind)
    return _date_atom(m, day)


# Relative: "через 2 недели", "in 3 days", "2 дня назад", "a week ago" ----------------------

_REL_FUTURE = re.compile(
    _B0 + rf"(?P<kw>через|спустя|in|within)\s+(?:(?P<num>{_NUMS})\s*)?(?P<unit>{_UNITS})" + _B1
)
_REL_SUFFIX = re.compile(
    _B0
    + rf"(?:(?P<num>{_NUMS})\s*)?(?P<unit>{_UNITS})\s+"
    + r"(?:тому\s+)?(?P<kw>назад|ago|спустя|later|from\s+now)"
    + _B1
)
_ENGLISH_KEYWORDS = frozenset({"in", "within", "ago", "later", "from now"})


def _unit_kind(unit: str) -> str:
    return next(kind for prefix, kind in _UNIT_KINDS if unit.startswith(prefix))


def _amount(raw: str | None) -> int:
    if raw is None:
        return 1
    raw = " ".join(raw.split())
    if raw.isdigit():
        return int(raw)
    if "couple" in raw:
        return 2
    return _NUMBER_WORDS[raw]


def _relative(m: re.Match[str], ctx: _Ctx) -> _Atom | None:
    keyword = " ".join(m["kw"].split())
    if keyword in _ENGLISH_KEYWORDS and m["num"] is None:
        return None  # "in week" is not English; "in h" even less
    sign = -1 if keyword in ("назад", "ago") else 1
    n = sign * _amount(m["num"])
    kind = _unit_kind(m["unit"])
    if kind in ("minute", "hour", "half-hour"):
        minutes = {"minute": 1, "hour": 60, "half-hour": 30}[kind] * n
        at = ctx.now.replace(second=0, microsecond=0) + timedelta(minutes=minutes)
        return _Atom(m.start(), m.end(), "instant", instant=at)
    months = {"month": 1, "half-year": 6, "year": 12}.get(kind)
    if months is not None:
        if abs(n * months) > 12 * _MAX_YEARS_AHEAD:
            return None
        return _date_atom(m, _add_months(ctx.today, n * months))
    days = {"day": 1, "week": 7, "fortnight": 14}[kind] * n
    return _date_atom(m, ctx.today + timedelta(days=days))


# Periods: next week, end of month, ... -----------------------------------------------------

_NEXT = r"(?:следующ(?:ей|ем|его)|след\.?|будущ(?:ей|ем|его))"
_PERIODS = {
    "next_week": rf"(?:на\s+)?{_NEXT}\s+неделе|(?:в\s+)?начале\s+{_NEXT}\s+недели|"
    r"(?:early\s+)?next\s+week|(?:the\s+)?(?:following|coming)\s+week",
    "last_week": r"(?:на\s+)?(?:прошлой|прошедшей)\s+неделе|last\s+week",
    "end_week": r"(?:в|к|до)\s+конц[уае]\s+(?:этой\s+)?недели|"
    r"(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?week|eow",
    "next_month": rf"(?:в\s+)?{_NEXT}\s+месяце|(?:в\s+)?начале\s+{_NEXT}\s+месяца|"
    r"(?:early\s+)?next\s+month",
    "last_month": r"(?:в\s+)?(?:прошлом|прошедшем)\s+месяце|last\s+month",
    "end_month": r"(?:в|к|до)\s+конц[уае]\s+(?:этого\s+)?месяца|"
    r"(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month|eom",
    "end_day": r"(?:в|к|до)\s+конц[уае]\s+(?:этого\s+|сегодняшнего\s+)?(?:рабочего\s+)?дня|"
    r"(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?day|eod|cob",
}
_PERIOD = re.compile(
    _B0 + "(?:" + "|".join(f"(?P<{name}>{alt})" for name, alt in _PERIODS.items()) + ")" + _B1
)


def _period(m: re.Match[str], ctx: _Ctx) -> _Atom | None:
    today = ctx.today
    monday = today - timedelta(days=today.weekday())
    month_start = today.replace(day=1)
    match m.lastgroup:
        case "next_week":
            day = monday + timedelta(days=7)
        case "last_week":
            day = monday - timedelta(days=7)
        case "end_week":
            day = max(today, monday + timedelta(days=4))
        case "next_month":
            day = _add_months(month_start, 1)
        case "last_month":
            day = _add_months(month_start, -1)
        case "end_month":
            day = _month_end(today)
            if not ctx.future and day != today:
                day = month_start - timedelta(days=1)
        case _:
            day = today
    return _date_atom(m, day)


# Numeric dates: "12.03", "12.03.2027", "12/03/27", "2027-03-12" --------------------------

# A unit after the number makes it an amount: "1.05 млн", "12.50 руб".
_AMOUNT_AFTER = (
    r"(?!\s*(?:%|₽|\$|€|млн|млрд|тыс|руб|usd|eur|rub|шт|кг|тонн|литр|процент|mln|bn|mio))"
)
_NUMERIC = re.compile(
    _B0
    + _PREP
    + r"(?<![\w.,/$€₽-])(?P<d>\d{1,2})(?P<sep>[./])(?P<m>\d{1,2})"
    + r"(?:(?P=sep)(?P<y>\d{4}|\d{2}))?(?!\w|[.,/-]?\d)"
    + _AMOUNT_AFTER
)
_ISO = re.compile(_B0 + _PREP + r"(?<![\w.-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\w-])")


def _numeric(m: re.Match[str], ctx: _Ctx) -> _Atom | None:
    day, month = int(m["d"]), int(m["m"])
    if ctx.month_first and m["sep"] == "/":
        # Only the slash: a dotted date is day first everywhere, even from a US user.
        day, month = month, day
    if len(m["m"]) == 1 and not m["y"]:
        return None  # "1.5" is a number
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None  # "45.13" is a number, not a broken date
    return _day_month(m, ctx, month, day=day)


def _iso(m: re.Match[str], ctx: _Ctx) -> _Atom | None:
    if not 1 <= int(m["m"]) <= 12:
        return None
    return _day_month(m, ctx, int(m["m"]))


# Day and month in words: "12 марта", "3rd of March", "March 3, 2027" ------------------------

_DAY_MONTH = re.compile(
    _B0
    + _PREP
    + r"(?<![\d.,])(?P<d>\d{1,2})(?:-?(?:го|е|ое|st|nd|rd|th))?\s*(?:of\s+)?"
    + rf"(?P<mon>{_MONTHS})"
    + _B1
    + r"(?:,?\s*(?P<y>\d{4})(?!\d)"
    + _AMOUNT_AFTER
    + r"(?:\s*(?:года|год|г\.?)(?!\w))?)?"
)
_MONTH_DAY = re.compile(
    _B0
    + _PREP
    + rf"(?P<mon>{_MONTHS})\.?\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\w|[\d:.,]\d)"
    + r"(?:,?\s+(?P<y>\d{4})(?!\d))?"
)


def _month_number(word: str) -> int | None:
    return _MONTH_BY_PREFIX.get(word[:3])


def _words_date(m: re.Match[str], ctx: _Ctx) -> _Atom | None:
    day = int(m["d"])
    month = _month_number(m["mon"])
    if month is not None and not 1 <= day <= 31:
        return _invalid(m)  # "32 марта" was meant as a date
    return _day_month(m, ctx, month, rank=1)


# Day of month: "до 15-го", "к 15-му", "15-го числа", "by the 15th" --------------------------

_DAY_OF_MONTH = re.compile(
    _B0 + r"(?:(?P<prep>до|к|ко|на|с|со|by(?:\s+the)?|on(?:\s+the)?|until(?:\s+the)?|"
    r"till(?:\s+the)?)\s+)?"
    + r"(?P<d>\d{1,2})(?P<suf>-?(?:го|му|е)|st|nd|rd|th)(?P<ch>\s+числ[аоу])?"
    + _B1
)


def _day_of_month(m: re.Match[str], ctx: _Ctx) -> _Atom | None:
    suffix = m["suf"].lstrip("-")
    if not m["ch"] and (not m["prep"] or suffix == "е"):
        return None  # "2-е место", "2nd option"
    day = int(m["d"])
    if not 1 <= day <= 31:
        return _invalid(m)
    step = 1 if ctx.future else -1
    first = ctx.today.replace(day=1)
    for months in range(13):
        start = _add_months(first, step * months)
        if day > calendar.monthrange(start.year, start.month)[1]:
            continue
        found = start.replace(day=day)
        if (found >= ctx.today) if ctx.future else (found <= ctx.today):
            return _date_atom(m, found)
    return None


# Clock times -------------------------------------------------------------------------------

_CLOCK = re.compile(
    r"(?<![\w:.])"
    + rf"(?:(?P<prep>{_TPREP})\s*)?"
    + r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?:\s*(?P<q>am|pm|a\.m\.|p\.m\.))?(?![\w:]|[.,]\d)"
)
_PREP_HOUR = re.compile(
    r"(?<!\w)"
    + rf"(?P<prep>{_TPREP})\s+(?P<h>\d{{1,2}})(?:\.(?P<mi>\d{{2}}))?"
    + r"(?P<hq>\s*(?:часов|часа|час|ч))?"
    + r"(?:\s*(?P<q>утра|дня|вечера|ночи|am|pm|a\.m\.|p\.m\.|o'clock))?"
    + r"(?!\w|[.,:]\d)"
)
_HOUR_QUALIFIED = re.compile(
    r"(?<![\w.,:])(?P<h>\d{1,2})\s*(?P<q>утра|вечера|am|pm|a\.m\.|p\.m\.)(?!\w)"
)
_NOON = re.compile(_B0 + r"(?:(?:в|к|at|by)\s+)?(?:полдень|полудню|noon|midday)" + _B1)
_DAYPART = re.compile(
    _B0 + r"(?P<dp>утром|с\s+утра|днем|вечером|(?:in\s+the\s+)?morning|(?:in\s+the\s+)?afternoon|"
    r"(?:in\s+the\s+)?evening)" + _B1
)
_DAYPART_HOURS = (("утр", 9), ("с утр", 9), ("morn", 9), ("in the morn", 9), ("днем", 13))
_DOT_MINUTE_PREPS = frozenset({"в", "во", "at", "около", "around"})
# "на 2 часа" is a duration; "в 2 часа" is a time.
_HOUR_WORD_PREPS = frozenset({"в", "во", "к", "ко", "около", "at", "by", "around", "@"})


def hour_of(raw: int, qualifier: str | None) -> int | None:
    """The 24-hour hour of "7 pm", "9 утра", "3" (bare 1-6: afternoon); None if impossible.

    The one reading of am/pm and «утра/вечера» for dates in text and for the settings' clock
    times (``timeparse``), so "9am" means the same everywhere.
    """
    q = (qualifier or "").replace(".", "").replace(" ", "")
    if q in ("am", "pm") and not 1 <= raw <= 12:
        return None
    if q in ("pm", "вечера"):
        return raw + 12 if raw < 12 else raw
    if q == "am":
        return 0 if raw == 12 else raw
    if q == "дня":
        return raw + 12 if 1 <= raw <= 6 else raw
    if q == "ночи":
        return 0 if raw == 12 else (raw + 12 if raw >= 9 else raw)
    if q in ("утра", "o'clock"):
        return raw
    return raw + 12 if raw in _BARE_PM_HOURS else raw


def _time_atom(
    m: re.Match[str],
    hour: int | None,
    minute: int,
    *,
    weak: bool = False,
    rank: int = 0,
    bare: bool = False,
) -> _Atom | None:
    if hour is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    # A bare 7-11 typed without a leading zero is read as morning but may mean the evening.
    morning_read = bare and 7 <= hour <= 11 and not m["h"].startswith("0")
    return _Atom(
        m.start(),
        m.end(),
        "time",
        clock=time(hour, minute),
        weak=weak,
        rank=rank,
        morning_read=morning_read,
    )


def _clock(m: re.Match[str], ctx: _Ctx) -> _Atom | None:
    raw = int(m["h"])
    # "3:30" is afternoon like "в 3"; a typed leading zero ("03:30") means the night.
    hour = raw if len(m["h"]) == 2 and not m["q"] else hour_of(raw, m["q"])
    return _time_atom(m, hour, int(m["mi"]), rank=2, bare=not m["q"])


def _prep_hour(m: re.Match[str], ctx: _Ctx) -> _Atom | None:
    prep = " ".join(m["prep"].split())
    if m["mi"] and prep not in _DOT_MINUTE_PREPS:
        return None  # "на 10.11" is a date
    if m["hq"] and prep not in _HOUR_WORD_PREPS:
        return None
    if _QUANTITY_AFTER.match(m.string, m.end()):
        return None
    weak = not (m["mi"] or m["hq"] or m["q"])
    # Rank 2: "в 10.11" is 10:11, not 10 November; after «в» a dotted number is a time.
    hour = hour_of(int(m["h"]), m["q"])
    return _time_atom(m, hour, int(m["mi"] or 0), weak=weak, rank=2, bare=not m["q"])


def _hour_qualified(m: re.Match[str], ctx: _Ctx) -> _Atom | None:
    return _time_atom(m, hour_of(int(m["h"]), m["q"]), 0)


def _noon(m: re.Match[str], ctx: _Ctx) -> _Atom | None:
    return _time_atom(m, 12, 0)


def _daypart(m: re.Match[str], ctx: _Ctx) -> _Atom | None:
    word = " ".join(m["dp"].split())
    hour = next((h for prefix, h in _DAYPART_HOURS if word.startswith(prefix)), None)
    if hour is None:
        hour = 14 if "afternoon" in word else 18
    evening = hour == 18
    return _Atom(m.start(), m.end(), "daypart", clock=time(hour, 0), evening=evening)


_PATTERNS: tuple[tuple[re.Pattern[str], _Handler], ...] = (
    (_DAY_WORD, _day_word),
    (_WEEKDAY, _weekday),
    (_REL_FUTURE, _relative),
    (_REL_SUFFIX, _relative),
    (_PERIOD, _period),
    (_NUMERIC, _numeric),
    (_ISO, _iso),
    (_DAY_MONTH, _words_date),
    (_MONTH_DAY, _words_date),
    (_DAY_OF_MONTH, _day_of_month),
    (_CLOCK, _clock),
    (_PREP_HOUR, _prep_hour),
    (_HOUR_QUALIFIED, _hour_qualified),
    (_NOON, _noon),
    (_DAYPART, _daypart),
)


# --- scanning -----------------------------------------------------------------------------


def _atoms(folded: str, ctx: _Ctx) -> list[_Atom]:
    found = [
        atom
        for pattern, handler in _PATTERNS
        for m in pattern.finditer(folded)
        if (atom := handler(m, ctx)) is not None
    ]
    # Longest first, then the stronger reading, then leftmost; overlaps lose.
    found.sort(key=lambda a: (a.start - a.end, -a.rank, a.start))
    taken: list[_Atom] = []
    for atom in found:
        if all(atom.end <= t.start or atom.start >= t.end for t in taken):
            taken.append(atom)
    taken.sort(key=lambda a: a.start)
    return taken


def _adjacent(folded: str, left: _Atom, right: _Atom) -> bool:
    gap = _GAP.fullmatch(folded, left.end, right.start)
    return gap is not None


def _weak_time_stands(folded: str, atom: _Atom) -> bool:
    if _END_OF_CLAUSE.match(folded, atom.end):
        return True
    word = _NEXT_WORD.match(folded, atom.end)
    return word is not None and word.group(1) in _WEAK_TIME_FOLLOWERS


def _evening_clock(atom: _Atom) -> _Atom:
    """A morning-read hour said in the evening: "вечером в 7" is 19:00."""
    if not atom.morning_read or atom.clock is None:
        return atom
    clock = atom.clock.replace(hour=atom.clock.hour + 12)
    return replace(atom, clock=clock, morning_read=False)


def _join_dayparts(folded: str, atoms: list[_Atom]) -> list[_Atom]:
    """A day part next to a time only qualifies it: "вечером в 7", "в 8 вечером"."""
    joined: list[_Atom] = []
    for atom in atoms:
        prev = joined[-1] if joined else None
        if prev is not None and _adjacent(folded, prev, atom):
            roles = {prev.role, atom.role}
            if roles == {"daypart", "time"}:
                part, clock = (prev, atom) if prev.role == "daypart" else (atom, prev)
                timed = _evening_clock(clock) if part.evening else clock
                joined[-1] = replace(
                    timed, start=prev.start, end=atom.end, weak=False, morning_read=False
                )
                continue
            if prev.role == "date" and prev.evening and atom.role == "time":
                # "tonight at 8": the evening day word sets the half of the day.
                timed = _evening_clock(atom)
                joined[-1] = replace(prev, end=atom.end, clock=timed.clock, evening=False)
                continue
        joined.append(atom)
    return joined


def _merge(folded: str, atoms: list[_Atom], ctx: _Ctx) -> list[_Atom]:
    """Joins a date with a time next to it ("завтра в 15", "at 3pm tomorrow")."""
    atoms = _join_dayparts(folded, atoms)
    merged: list[_Atom] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        pairable = atom.role in ("date", "invalid") and atom.clock is None
        if nxt is not None and _adjacent(folded, atom, nxt):
            if pairable and nxt.role in ("time", "daypart"):
                merged.append(
                    replace(atom, end=nxt.end, clock=nxt.clock, morning_read=nxt.morning_read)
                )
                i += 2
                continue
            joinable = nxt.role in ("date", "invalid") and nxt.clock is None
            if atom.role in ("time", "daypart") and joinable:
                merged.append(
                    replace(nxt, start=atom.start, clock=atom.clock, morning_read=atom.morning_read)
                )
                i += 2
                continue
        if _stands_alone(folded, atom, ctx):
            merged.append(atom)
        i += 1
    return merged


def _stands_alone(folded: str, atom: _Atom, ctx: _Ctx) -> bool:
    if atom.role == "daypart":
        return False  # "утром" alone says too little: which day?
    if atom.role == "time" and atom.weak and not ctx.whole:
        return _weak_time_stands(folded, atom)
    return True


def _at(atom: _Atom, ctx: _Ctx) -> tuple[datetime, bool]:
    if atom.instant is not None:
        return atom.instant, True
    if atom.day is None:
        # A time alone: the nearest such time in the wanted direction.
        assert atom.clock is not None
        local = datetime.combine(ctx.today, atom.clock, tzinfo=ctx.zone)
        if ctx.future and local <= ctx.local:
            local = datetime.combine(ctx.today + timedelta(days=1), atom.clock, tzinfo=ctx.zone)
        elif not ctx.future and local > ctx.local:
            local = datetime.combine(ctx.today - timedelta(days=1), atom.clock, tzinfo=ctx.zone)
        return local.astimezone(UTC), True
    clock = atom.clock or time(0, 0)
    local = datetime.combine(atom.day, clock, tzinfo=ctx.zone)
    if atom.morning_read and ctx.future and atom.day == ctx.today and local <= ctx.local:
        # "сегодня в 8" at 10:00 as a next step: the next time the clock shows 8 is 20:00.
        local = local + timedelta(hours=12)
    return local.astimezone(UTC), atom.clock is not None


@lru_cache(maxsize=64)
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def _context(
    now: datetime, tz: str, *, future: bool, whole: bool, month_first: bool = False
) -> _Ctx:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = _zone(tz)
    return _Ctx(now.astimezone(UTC), now.astimezone(zone), zone, future, whole, month_first)


def _scan(text: str, ctx: _Ctx) -> list[_Atom]:
    folded = fold(text[:MAX_SCAN])
    return _merge(folded, _atoms(folded, ctx), ctx)


def _when(text: str, atom: _Atom, ctx: _Ctx) -> When:
    at, has_time = _at(atom, ctx)
    return When(at, has_time, atom.start, atom.end, text[atom.start : atom.end], atom.yearless)


def find_all_when(
    text: str, now: datetime, tz: str, *, future: bool = True, month_first: bool = False
) -> list[When]:
    """Every date expression inside ``text``, left to right, invalid ones skipped."""
    ctx = _context(now, tz, future=future, whole=False, month_first=month_first)
    return [_when(text, atom, ctx) for atom in _scan(text, ctx) if atom.role != "invalid"]


def find_when(
    text: str, now: datetime, tz: str, *, future: bool = True, month_first: bool = False
) -> When | None:
    """The first date expression inside a sentence: "КП в пятницу" -> span of "в пятницу"."""
    found = find_all_when(text, now, tz, future=future, month_first=month_first)
    return found[0] if found else None


def find_invalid_date(text: str) -> str | None:
    """The text of a date that cannot exist ("31 февраля", "31.04"), for a warning."""
    # Validity does not depend on the clock; any fixed moment will do.
    ctx = _context(datetime(2000, 1, 1, tzinfo=UTC), "UTC", future=True, whole=False)
    for atom in _scan(text, ctx):
        if atom.role == "invalid":
            return text[atom.start : atom.end]
    return None


_EDGE = " \t\r\n.,;:!?"


def parse_when(
    text: str, now: datetime, tz: str, *, future: bool = True, month_first: bool = False
) -> When | None:
    """The whole ``text`` read as one date expression, or None.

    Raises ``DateProblem("date-invalid")`` for a date that cannot exist ("31 февраля").
    """
    ctx = _context(now, tz, future=future, whole=True, month_first=month_first)
    head = text[:MAX_SCAN]
    stripped = head.strip(_EDGE)
    if not stripped:
        return None
    offset = len(head) - len(head.lstrip(_EDGE))
    atoms = _scan(stripped, ctx)
    if len(atoms) == 1 and atoms[0].start == 0 and atoms[0].end == len(stripped):
        atom = atoms[0]
        if atom.role == "invalid":
            raise DateProblem("date-invalid", stripped)
        found = _when(stripped, atom, ctx)
        return replace(found, start=found.start + offset, end=found.end + offset)
    at = _fallback(stripped, ctx)
    if at is None:
        return None
    return When(at[0], at[1], offset, offset + len(stripped), stripped)


# --- dateparser, guarded ------------------------------------------------------------------

# Our grammar reads every form with a year, a bare number or an amount; when those reach the
# fallback they are something else ("2027 год", "150 000", "5 шт").
_FALLBACK_REJECT = re.compile(r"\d{3,}|^[\W\d_]*$|%|[₽$€]|\d\s*(?:раз|шт|руб|тыс|млн|позици)")
_FALLBACK_HAS_TIME = re.compile(
    r"\d:\d|\d\s*(?:am|pm)|утра|вечера|ночи|минут|час|hour|minute|\bmin|noon|полдень"
)
_MAX_FALLBACK_WORDS = 6


def _fallback(text: str, ctx: _Ctx) -> tuple[datetime, bool] | None:
    folded = fold(text)
    if len(folded) > _MAX_FALLBACK or len(folded.split()) > _MAX_FALLBACK_WORDS:
        return None
    if _FALLBACK_REJECT.search(folded):
        return None
    found = _dateparser(folded, ctx)
    if found is None:
        return None
    found = found.astimezone(UTC)
    if abs(found - ctx.now) > timedelta(days=366 * _MAX_YEARS_AHEAD):
        return None
    if _FALLBACK_HAS_TIME.search(folded):
        return found, True
    day = found.astimezone(ctx.zone).date()
    return datetime.combine(day, time(0, 0), tzinfo=ctx.zone).astimezone(UTC), False


def _dateparser(text: str, ctx: _Ctx) -> datetime | None:
    # Imported here: the import alone costs ~0.2 s and most processes never need it.
    import dateparser

    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "future" if ctx.future else "past",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": ctx.zone.key,
        "RELATIVE_BASE": ctx.local.replace(tzinfo=None),
        # A month alone ("март") is its 1st, not today's day number in that month.
        "PREFER_DAY_OF_MONTH": "first",
    }
    try:
        found = dateparser.parse(text, languages=["ru", "en"], settings=settings)
    except Exception:  # noqa: BLE001 - a third-party parser must not break message handling
        return None
    if not isinstance(found, datetime) or found.tzinfo is None:
        return None
    return found


def warm_up() -> None:
    """Loads dateparser's language data (~0.3 s) at start, not on a manager's first message."""
    now = datetime.now(UTC)
    _dateparser("через 3 недели", _context(now, "UTC", future=True, whole=True))


def local_day(when: When, tz: str) -> date:
    """The manager's calendar day of ``when``."""
    return when.at.astimezone(_zone(tz)).date()
