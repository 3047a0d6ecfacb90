"""/export's record tables (touches, notes, sales, requests, reviews, plans) read back.

Pure: a ``Table`` of strings in, ``export_model`` dataclasses out; no aiogram, no database.
Records link to clients by name (``client_name``); every ``id`` is None. Which table is which
kind is ``sheet_kinds``' business; this module parses a table whose kind is known.

Decisions:

* Errors are collected for every row, as in the client import; a row with any error is left out
  whole, so what is restored is exactly what the file says. Errors are ``RowError``: the row as
  the spreadsheet numbers it, the header as written, an i18n key ("import-error-...").
* Cells: one neutralizing apostrophe is stripped, and a formula-looking cell is refused, exactly
  as ``importing`` does for client cells. Names go through ``validate_display_name`` like the
  client import's, texts keep their line breaks.
* Times are the wall clock of the timezone named in the column's header ("Когда
  (Asia/Yekaterinburg)"), else of the ``timezone`` argument; they come back as aware UTC.
  Both of exporting's forms are read whatever the language: "DD.MM.YYYY HH:MM" (Russian CSV,
  and every XLSX date cell via ``import_readers``) and "YYYY-MM-DD HH:MM" (English CSV).
* A next step's due cell with a time is a timed step; a date alone is a step due that day
  (``next_step_has_time`` False, the local midnight, as ``dates.When`` keeps it). Known limit:
  an XLSX cell shows no time at 00:00, so a step timed at exactly midnight comes back from XLSX
  as due that day without a time (a CSV keeps "00:00"). A wall clock in the hour a DST change
  repeats is read as its first occurrence.
* Words: exporting's Russian words and the plain English values, whatever the language.
* Money: spaces are thousands separators; with both "," and "." the last one is the decimal
  point; a lone "," is the decimal point, except "1,500" (three digits after it) in an English
  table; several of one sign are thousands. The minor units are the currency's (Babel, as
  exporting); more decimals than the currency has is an error, never rounded. A sale's amount
  must be above zero and a plan's not below it, as the database requires.
* Reminders are recognised by ``sheet_kinds`` but not parsed: a restore replans them from the
  touches and notes it brings back, and the table says nothing they do not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Final, TypeAlias
from zoneinfo import ZoneInfo

from babel.numbers import get_currency_precision, is_currency

from bot.services.exchange.export_model import (
    ExportNote,
    ExportPlan,
    ExportRequest,
    ExportReview,
    ExportSale,
    ExportTouch,
    Language,
)
from bot.services.exchange.exporting import _WORDS
from bot.services.exchange.import_model import RowError
from bot.services.exchange.import_readers import Table, header_key

# One rule for a cell's apostrophe, formulas and tags with the client import.
from bot.services.exchange.importing import (
    _NEUTRALIZED,
    _TAG_SPLIT,
    MAX_TAG_LENGTH,
    _looks_like_formula,
)
from bot.services.exchange.sheet_kinds import FIELDS, Kind, columns, header_for, split_zone
from bot.services.kpi.periods import period_of
from bot.services.parsing.names import NameProblem, validate_display_name
from storage.enums import PeriodKind

Record: TypeAlias = (
    ExportTouch | ExportNote | ExportSale | ExportRequest | ExportReview | ExportPlan
)

MAX_PRODUCT_LINE_LENGTH: Final = 120  # storage: sales.product_line String(120)
MAX_TEXT_LENGTH: Final = 10_000  # a note or a touch far longer than the bot ever takes

ERROR_EMPTY: Final = "import-error-empty"
ERROR_DATE: Final = "import-error-date"
ERROR_AMOUNT: Final = "import-error-amount"
ERROR_AMOUNT_NOT_POSITIVE: Final = "import-error-amount-not-positive"
ERROR_AMOUNT_NEGATIVE: Final = "import-error-amount-negative"
ERROR_AMOUNT_PRECISION: Final = "import-error-amount-precision"
ERROR_CURRENCY: Final = "import-error-currency"
ERROR_PERIOD_START: Final = "import-error-period-start"

_DAY_FIRST = re.compile(
    r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_YEAR_FIRST = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


def _vocabulary(values: tuple[str, ...]) -> dict[str, str]:
    words: dict[str, str] = {}
    for value in values:
        for word in (value, _WORDS["ru"].get(value), _WORDS["en"].get(value)):
            if word:
                words[header_key(word)] = value
    return words


_TOUCH_KINDS: Final = _vocabulary(("call", "message", "email", "visit", "meeting"))
_OUTCOMES: Final = _vocabulary(("positive", "neutral", "negative"))
_RATINGS: Final = _vocabulary(("positive", "negative"))
_PERIODS: Final = _vocabulary(tuple(kind.value for kind in PeriodKind))
# XLSX booleans arrive as TRUE/FALSE (import_readers._cell_text).
_YES: Final = frozenset({"да", "yes", "true", "1", "истина"})
_NO: Final = frozenset({"нет", "no", "false", "0", "ложь"})


def wall_clock(value: str) -> tuple[datetime, bool] | None:
    """A cell's naive wall-clock time (day first or year first) and whether it had a time."""
    match = _DAY_FIRST.match(value) or _YEAR_FIRST.match(value)
    if match is None:
        return None
    parts = match.groupdict()
    try:
        local = datetime(  # noqa: DTZ001 - a wall clock; the caller attaches the zone
            int(parts["y"]), int(parts["m"]), int(parts["d"]),
            int(parts["H"] or 0), int(parts["M"] or 0), int(parts["S"] or 0),
        )  # fmt: skip
    except ValueError:
        return None
    return local, parts["H"] is not None


def yes_no(value: str) -> bool | None:
    """«да»/«нет», yes/no, TRUE/FALSE (an XLSX boolean), 1/0; None for anything else."""
    key = header_key(value)
    if key in _YES or key in _NO:
        return key in _YES
    return None


@dataclass(slots=True)
class KindParse:
    kind: Kind
    records: list[Record] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)  # the spreadsheet row of each record
    errors: list[RowError] = field(default_factory=list)  # by row
    skipped: list[str] = field(default_factory=list)  # headers not read, in column order


class _Row:
    """One row's cells by field; each getter gives None and notes a RowError on a problem."""

    def __init__(
        self,
        number: int,
        cells: list[str],
        headers: list[str],
        found: dict[str, int],
        kind: Kind,
        zone: ZoneInfo,
        language: Language | None,
    ) -> None:
        self.number, self.cells, self.headers, self.found = number, cells, headers, found
        self.kind, self.zone, self.language = kind, zone, language
        self.errors: list[RowError] = []

    def _raw(self, name: str) -> str | None:
        """The cell, apostrophe stripped; "" when the table lacks the column; None: a formula."""
        index = self.found.get(name)
        if index is None:
            return ""
        raw = self.cells[index] if index < len(self.cells) else ""
        if raw.startswith("'") and _NEUTRALIZED.match(raw):
            return raw[1:]
        if _looks_like_formula(raw.strip()):
            self.fail(name, "import-error-formula")
            return None
        return raw

    def fail(self, name: str, reason: str) -> None:
        index = self.found[name]
        raw = self.cells[index] if index < len(self.cells) else ""
        self.errors.append(RowError(self.number, self.headers[index], reason, raw))

    def _empty(self, name: str, required: bool) -> None:
        if not required:
            return
        if name in self.found:
            self.fail(name, ERROR_EMPTY)
        else:  # a table given this kind without the column: name the header it lacks
            column = header_for(self.kind, name, self.language or "ru")
            self.errors.append(RowError(self.number, column, ERROR_EMPTY, ""))

    def text(self, name: str, required: bool = False, limit: int = MAX_TEXT_LENGTH) -> str | None:
        raw = self._raw(name)
        if raw is None:
            return None
        value = raw.strip()
        if not value:
            self._empty(name, required)
            return None
        if len(value) > limit:
            self.fail(name, "import-error-too-long")
            return None
        return value

    def name(self, name: str, required: bool = False) -> str | None:
        raw = self._raw(name)
        if raw is None:
            return None
        if not raw.strip():
            self._empty(name, required)
            return None
        try:
            return validate_display_name(raw)
        except NameProblem as problem:
            reasons = {"name-too-long": "import-error-too-long"}
            self.fail(name, reasons.get(problem.key, "import-error-name-no-letters"))
            return None

    def word(self, name: str, words: dict[str, str], required: bool = False) -> str | None:
        value = self.text(name, required)
        if value is None:
            return None
        found = words.get(header_key(value))
        if found is None:
            self.fail(name, "import-error-value")
        return found

    def flag(self, name: str) -> bool | None:
        before = len(self.errors)
        value = self.text(name)
        if value is None:
            return None if len(self.errors) > before else False
        answer = yes_no(value)
        if answer is None:
            self.fail(name, "import-error-value")
        return answer

    def tags(self, name: str) -> tuple[str, ...] | None:
        value = self.text(name)
        tags: list[str] = []
        for part in _TAG_SPLIT.split(value or ""):
            tag = " ".join(part.split())
            if len(tag) > MAX_TAG_LENGTH:
                self.fail(name, "import-error-too-long")
                return None
            if tag and tag.casefold() not in {t.casefold() for t in tags}:
                tags.append(tag)
        return tuple(tags)

    def _wall_clock(self, name: str, required: bool) -> tuple[datetime, bool] | None:
        """(naive wall-clock time, whether the cell had a time)."""
        value = self.text(name, required)
        if value is None:
            return None
        found = wall_clock(value)
        if found is None:
            self.fail(name, ERROR_DATE)
        return found

    def moment(self, name: str, required: bool = False) -> tuple[datetime, bool] | None:
        """(aware UTC, whether the cell had a time); a date alone is its local midnight."""
        found = self._wall_clock(name, required)
        if found is None:
            return None
        local, has_time = found
        return local.replace(tzinfo=self._zone(name)).astimezone(UTC), has_time

    def at(self, name: str, required: bool = False) -> datetime | None:
        found = self.moment(name, required)
        return found[0] if found else None

    def day(self, name: str, required: bool = False) -> date | None:
        found = self._wall_clock(name, required)
        if found is None:
            return None
        local, has_time = found
        if has_time and local.time() != datetime.min.time():
            self.fail(name, ERROR_DATE)
            return None
        return local.date()

    def _zone(self, name: str) -> ZoneInfo:
        zone = split_zone(self.headers[self.found[name]])[1]
        return ZoneInfo(zone) if zone else self.zone

    def currency(self, name: str) -> str | None:
        value = self.text(name, required=True)
        if value is None:
            return None
        code = value.upper()
        if len(code) != 3 or not code.isalpha() or not is_currency(code):
            self.fail(name, ERROR_CURRENCY)
            return None
        return code

    def amount(self, name: str, currency: str, minimum: int) -> int | None:
        """Minor units of ``currency``; ``minimum`` is the smallest allowed (1 or 0)."""
        value = self.text(name, required=True)
        if value is None:
            return None
        number = _decimal(value, self.language)
        if number is None:
            self.fail(name, ERROR_AMOUNT)
            return None
        minor = number.scaleb(int(get_currency_precision(currency)))
        if minor != minor.to_integral_value():
            self.fail(name, ERROR_AMOUNT_PRECISION)
            return None
        if minor < minimum:
            self.fail(name, ERROR_AMOUNT_NOT_POSITIVE if minimum > 0 else ERROR_AMOUNT_NEGATIVE)
            return None
        return int(minor)


def _decimal(text: str, language: Language | None) -> Decimal | None:
    value = _SPACES.sub("", text)
    if "," in value and "." in value:
        point = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if point == "," else ","
        value = value.replace(thousands, "").replace(point, ".")
    elif value.count(",") > 1 or value.count(".") > 1:
        value = value.replace(",", "").replace(".", "")
    elif "," in value:
        whole, _, fraction = value.partition(",")
        english_thousands = language == "en" and len(fraction) == 3 and whole.lstrip("+-")
        value = whole + fraction if english_thousands else f"{whole}.{fraction}"
    if not _NUMBER.match(value):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


# --- the kinds -------------------------------------------------------------------------------


def _touch(row: _Row) -> ExportTouch | None:
    client = row.name("client", required=True)
    kind = row.word("kind", _TOUCH_KINDS, required=True)
    occurred = row.at("when", required=True)
    outcome = row.word("outcome", _OUTCOMES)
    summary = row.text("summary")
    next_step = row.text("next_step")
    due = row.moment("due")
    contact = row.name("contact")
    done = row.at("done")
    if row.errors or client is None or kind is None or occurred is None:
        return None
    return ExportTouch(
        client_name=client,
        kind=kind,
        occurred_at=occurred,
        outcome=outcome,
        summary=summary or "",
        next_step=next_step,
        next_step_due_at=due[0] if due else None,
        next_step_has_time=due[1] if due else False,
        next_step_done_at=done,
        contact_name=contact,
    )


def _note(row: _Row) -> ExportNote | None:
    client = row.name("client")
    contact = row.name("contact")
    text = row.text("text", required=True)
    tags = row.tags("tags")
    private = row.flag("private")
    created = row.at("created", required=True)
    remind = row.at("remind")
    if row.errors or text is None or created is None or tags is None or private is None:
        return None
    return ExportNote(client, contact, text, created, tags, private, remind)


def _sale(row: _Row) -> ExportSale | None:
    client = row.name("client", required=True)
    sold = row.at("date", required=True)
    currency = row.currency("currency")
    amount = row.amount("amount", currency, minimum=1) if currency else None
    product_line = row.text("product_line", limit=MAX_PRODUCT_LINE_LENGTH)
    if row.errors or client is None or sold is None or currency is None or amount is None:
        return None
    return ExportSale(client, amount, currency, sold, product_line)


def _request(row: _Row) -> ExportRequest | None:
    client = row.name("client", required=True)
    text = row.text("text", required=True)
    opened = row.at("opened", required=True)
    first_response = row.at("first_response")
    resolved = row.at("resolved")
    feedback = row.text("feedback")
    if row.errors or client is None or text is None or opened is None:
        return None
    return ExportRequest(client, text, opened, first_response, resolved, feedback)


def _review(row: _Row) -> ExportReview | None:
    client = row.name("client", required=True)
    rating = row.word("rating", _RATINGS, required=True)
    text = row.text("text")
    created = row.at("when", required=True)
    if row.errors or client is None or rating is None or created is None:
        return None
    return ExportReview(client, rating == "positive", created, text)


def _plan(row: _Row) -> ExportPlan | None:
    period = row.word("period", _PERIODS, required=True)
    start = row.day("start", required=True)
    client = row.name("client")
    currency = row.currency("currency")
    amount = row.amount("amount", currency, minimum=0) if currency else None
    if (
        period is not None
        and start is not None
        and period_of(PeriodKind(period), start).start != start
    ):
        row.fail("start", ERROR_PERIOD_START)
    if row.errors or period is None or start is None or currency is None or amount is None:
        return None
    return ExportPlan(period, start, amount, currency, client)


_PARSERS: Final[dict[Kind, Callable[[_Row], Record | None]]] = {
    "touches": _touch,
    "notes": _note,
    "sales": _sale,
    "requests": _request,
    "reviews": _review,
    "plans": _plan,
}


def parse_kind_table(
    kind: Kind, table: Table, timezone: str, language: Language | None = None
) -> KindParse:
    """Every row of a table of ``kind`` as records; errors for all rows, none stops the parse.

    ``timezone``: the wall clock of time columns whose header names none. ``language``: the
    table's, when known; it only settles "1,500" (English: fifteen hundred; else 1.5).
    Raises ValueError for "clients" (the client import reads those) or an unknown kind.
    """
    if kind not in FIELDS or kind == "clients":
        raise ValueError(f"not a record table: {kind}")
    found = columns(kind, table.headers)
    parser = _PARSERS.get(kind)
    used = set(found.values()) if parser is not None else set()
    result = KindParse(
        kind=kind,
        skipped=[h for i, h in enumerate(table.headers) if h and i not in used],
    )
    if parser is None:  # reminders: recognised, deliberately not read (see the docstring)
        return result
    zone = ZoneInfo(timezone)
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        row = _Row(number, cells, table.headers, found, kind, zone, language)
        record = parser(row)
        result.errors.extend(row.errors)
        if record is not None and not row.errors:
            result.records.append(record)
            result.row_numbers.append(number)
    return result
