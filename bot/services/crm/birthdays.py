"""Birthdays of decision-makers: parsing what managers type, the next celebration, formatting.

A regex plus Babel's month names, not dateparser: dateparser reads "12.03" as today at 12:03
(see ARCHITECTURE.md pitfalls), guesses month-first for "03/12", and accepts relative words
("завтра") that are never a birthday. Numeric dates are always day-first: Russian users write
day.month, and so do most of our English-speaking ones.

Decisions:
- A year is optional. Years before 1900 or birthdays after ``today`` are invalid.
- Two-digit years: "12.03.80" is 1980 and "12.03.05" is 2005: the century is the latest one
  that does not put the year after ``today.year``. A typed "12.07.25" in June 2025 is therefore
  in the future and invalid, not 1925.
- ISO "1980-03-12" is accepted (year first is unambiguous with four digits).
- 29 February is celebrated on 28 February in non-leap years, and ``age_on`` counts the new
  year of life from that day too, so the greeting and the age agree.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

__all__ = [
    "Birthday",
    "age_on",
    "days_until",
    "format_birthday",
    "looks_like_birthday",
    "next_birthday",
    "parse_birthday",
]

MIN_YEAR = 1900
# Longer input is not a birthday; the cap keeps regexes cheap on hostile text.
_MAX_INPUT = 64
_LEAP_YEAR = 2000
_MIN_TYPO_WORD = 4

_PREFIX = re.compile(
    r"^(?:др|д\s*\.\s*р\.?|д/р|день\s+рождения|дата\s+рождения|рожд(?:ения|\.)?|"
    r"родил(?:ся|ась)|birthday|birth\s*date|date\s+of\s+birth|b-?day|dob|born)"
    r"(?![a-zа-я])\s*[:\-–—]?\s*",
)
# "1980 г.", "1980 года", "1980г" -> "1980".
_YEAR_WORD = re.compile(r"(\d)\s*(?:г\.?|гг\.?|года?)\.?$")
_NUMERIC = re.compile(r"^(\d{1,2})\s*([./-])\s*(\d{1,2})(?:\s*\2\s*(\d{4}|\d{2}))?\s*\.?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ORDINAL = r"(?:-?(?:го|ого|е|ое|st|nd|rd|th))?"
# The year needs a space or a comma before it: "марта 1980" must not read as "марта 19, 80".
_YEAR_TAIL = r"(?:(?:\s*,\s*|\s+)(\d{4}|\d{2}))?$"
_DAY_MONTH = re.compile(rf"^(\d{{1,2}}){_ORDINAL}\s*(?:of\s+)?([a-zа-я]+)\.?{_YEAR_TAIL}")
_MONTH_DAY = re.compile(rf"^([a-zа-я]+)\.?\s*(\d{{1,2}}){_ORDINAL}{_YEAR_TAIL}")
# Case endings of Russian month names: hard stems ("март" -> "марта", "марту", "марте",
# "мартом") and soft ones ("январь", "май" -> "января", "январю", "январе", "январем").
_RU_HARD_ENDINGS = ("а", "у", "е", "ом")
_RU_SOFT_ENDINGS = ("я", "ю", "е", "ем")


@dataclass(frozen=True, slots=True)
class Birthday:
    day: int
    month: int
    year: int | None = None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")


def _ru_case_forms(nominative: str) -> set[str]:
    if nominative[-1] in "ьй":
        return {nominative} | {nominative[:-1] + ending for ending in _RU_SOFT_ENDINGS}
    return {nominative} | {nominative + ending for ending in _RU_HARD_ENDINGS}


@cache
def _full_spellings() -> dict[str, int]:
    """Whole month names from Babel's ru and en data, Russian in every case; built on first use."""
    spellings: dict[str, int] = {}
    for code in ("ru", "en"):
        months = Locale.parse(code).months
        for context in ("format", "stand-alone"):
            for month, name in months[context]["wide"].items():
                spellings[_fold(name)] = month
    for month, name in Locale.parse("ru").months["stand-alone"]["wide"].items():
        spellings.update(dict.fromkeys(_ru_case_forms(_fold(name)), month))
    return spellings


@cache
def _month_words() -> dict[str, int]:
    """Every spelling accepted as is: whole names, Babel's abbreviations, and beginnings."""
    forms: dict[int, set[str]] = {m: set() for m in range(1, 13)}
    for spelling, month in _full_spellings().items():
        forms[month].add(spelling)
    for code in ("ru", "en"):
        months = Locale.parse(code).months
        for context in ("format", "stand-alone"):
            for month, name in months[context]["abbreviated"].items():
                forms[month].add(_fold(name).rstrip("."))
    words: dict[str, int] = {}
    ambiguous: set[str] = set()
    for month, spellings in forms.items():
        # Any beginning of at least three letters is accepted ("мар", "сент", "sept"), unless it
        # is shared by two months; none is today, but the check keeps that true.
        for word in {s[:n] for s in spellings for n in range(3, len(s) + 1)}:
            if words.get(word, month) != month:
                ambiguous.add(word)
            words[word] = month
    for word in ambiguous:
        del words[word]
    return words


@cache
def _typo_targets() -> dict[str, int]:
    # Typos are matched against whole names only: one letter away from a beginning or an
    # abbreviation is too little to go on ("сено" is one letter from "сент").
    return {word: month for word, month in _full_spellings().items() if len(word) >= 4}


def _month(word: str) -> int | None:
    exact = _month_words().get(word)
    if exact is not None or len(word) < _MIN_TYPO_WORD:
        return exact
    # One wrong, missing or extra letter ("сентебря", "Febuary", or a Latin "a" in "мартa"),
    # accepted only when every spelling that close belongs to the same month: "июкя" is one
    # letter from both "июня" and "июля", so it stays unknown.
    words = _typo_targets()
    near = process.extract(
        word, list(words), scorer=Levenshtein.distance, score_cutoff=1, limit=None
    )
    months = {words[spelling] for spelling, _distance, _at in near}
    return months.pop() if len(months) == 1 else None


def _strip(text: str) -> str | None:
    """Folded text without the "др:" prefix and "г." suffix, or None when too long."""
    if len(text) > _MAX_INPUT:
        return None
    folded = " ".join(_fold(text).split())
    folded = _PREFIX.sub("", folded, count=1).strip(" .,;:")
    return _YEAR_WORD.sub(r"\1", folded).strip(" .,")


def _full_year(raw: str | None, today: date) -> int | None:
    if raw is None:
        return None
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if 2000 + year <= today.year else 1900
    return year


def _make(day: int, month: int, year: int | None, today: date) -> Birthday | None:
    if not 1 <= month <= 12:
        return None
    if not 1 <= day <= calendar.monthrange(year or _LEAP_YEAR, month)[1]:
        return None
    if year is not None and (year < MIN_YEAR or date(year, month, day) > today):
        return None
    return Birthday(day, month, year)


def _parts(text: str) -> tuple[str, str, str | None] | None:
    """(day, month, year) as typed, month possibly a word; None when the shape is not a date."""
    if match := _NUMERIC.match(text):
        return match.group(1), match.group(3), match.group(4)
    if match := _ISO.match(text):
        return match.group(3), match.group(2), match.group(1)
    if match := _DAY_MONTH.match(text):
        return match.group(1), match.group(2), match.group(3)
    if match := _MONTH_DAY.match(text):
        return match.group(2), match.group(1), match.group(3)
    return None


def _shape(text: str) -> tuple[int, int, str | None] | None:
    parts = _parts(text)
    if parts is None:
        return None
    day, month, year = parts
    month_number = int(month) if month.isdigit() else _month(month)
    if month_number is None:
        return None
    return int(day), month_number, year


def parse_birthday(text: str, today: date) -> Birthday | None:
    """A birthday typed by hand ("12.03", "др 12 марта 1980", "Mar 12, 1980") or None."""
    cleaned = _strip(text)
    if not cleaned:
        return None
    shape = _shape(cleaned)
    if shape is None:
        return None
    day, month, raw_year = shape
    return _make(day, month, _full_year(raw_year, today), today)


def looks_like_birthday(text: str) -> bool:
    """True when the text is meant as a birthday, valid or not ("др 31 февраля", "45.13").

    Callers use it to report a failed attempt instead of treating it as free text.
    """
    if len(text) > _MAX_INPUT:
        return False
    folded = " ".join(_fold(text).split())
    if _PREFIX.match(folded):
        return True
    cleaned = _strip(text)
    return cleaned is not None and _shape(cleaned) is not None


def _celebration(b: Birthday, year: int) -> date:
    if b.month == 2 and b.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, b.month, b.day)


def next_birthday(b: Birthday, today: date) -> date:
    """The next celebration on or after ``today`` (29 February -> 28 February when not leap)."""
    this_year = _celebration(b, today.year)
    return this_year if this_year >= today else _celebration(b, today.year + 1)


def days_until(b: Birthday, today: date) -> int:
    """0 on the day itself."""
    return (next_birthday(b, today) - today).days


def age_on(b: Birthday, day: date) -> int | None:
    """Completed years on ``day``; None when the year is unknown or ``day`` is before birth."""
    if b.year is None:
        return None
    age = day.year - b.year - (1 if day < _celebration(b, day.year) else 0)
    return age if age >= 0 else None


def _locale(code: str) -> Locale:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


def format_birthday(b: Birthday, locale: str) -> str:
    """ "12 марта" / "March 12", with the year when known: "12 марта 1980" / "March 12, 1980"."""
    loc = _locale(locale)
    if b.year is None:
        # A leap reference year, so 29 February can be formatted.
        return format_skeleton("MMMMd", date(_LEAP_YEAR, b.month, b.day), locale=loc)
    day = date(b.year, b.month, b.day)
    if loc.language == "ru":
        # The CLDR pattern adds " г." ("12 марта 1980 г."), which reads bureaucratic in a chat.
        return format_date(day, "d MMMM y", locale=loc)
    return format_skeleton("yMMMMd", day, locale=loc)
