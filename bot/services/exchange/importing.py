"""The file layer of /import: a manager's spreadsheet (CSV or XLSX) -> validated client rows.

Pure: bytes in, dataclasses out; no aiogram, no database. Everything the user will read is an
i18n key plus arguments; the bot formats it with the manager's locale.

Pipeline::

    read_table(bytes, filename)  -> Table        strings only, empty rows skipped, limits enforced
    map_columns(headers)         -> ColumnMapping field -> column index, by ru/en header names
    parse_rows(table, mapping)   -> ParsedImport  one ImportRow per valid line, RowError for ALL
    group_clients(rows)          -> [ClientDraft] the flat "one row per contact" merged per client

Decisions (the brief left them open):

* Reading (encodings, separators, workbooks, limits): see ``import_readers``,
  ``import_encoding`` and ``import_limits``; this module starts from a ``Table`` of strings.
* Macros: "import-file-macros" is never raised: a workbook with a VBA project is read for its
  values with a note, since openpyxl never parses the VBA part.
* Formulas: XLSX cells give Excel's cached values (``data_only=True``) and the table carries the
  note "import-note-formulas". A text value that looks like a formula (``=`` followed by
  something, or a DDE payload such as ``+cmd|' /C calc'!A0``) is refused per cell as
  "import-error-formula" in both formats: it is never a real name, and storing it would arm it
  for the next spreadsheet that opens an export made elsewhere. Negative numbers, "+7..." phones
  and "@handles" are data, not formulas.
* Apostrophes: our export neutralizes a text starting with ``= + - @ TAB CR`` or ``'`` by
  prefixing ``'`` (OWASP). Every cell read here loses one leading ``'`` when the next character
  is one of those, so export -> import is exact; a genuine "'quoted'" value stays as it is.
  Such a neutralized cell is deliberate text and is not refused as a formula: a role the
  manager typed as "=1+1" in the bot survives export -> import.
* A row with any error is left out of ``ParsedImport.rows`` entirely: what is imported is exactly
  what the file says, and the per-row report tells the manager what to fix.
* A contact without a name is named after its client: a B2C base ("ФИО; Телефон; ДР") has the
  person as the client, and birthdays live on contacts.
* Grouping: rows with the same ``normalize_name`` or the same tax id are one client; a later row
  whose non-empty client field differs from the client's is an "import-error-conflict", as is a
  row that would join two different clients. ``parse_rows`` reports those, so its rows group
  without conflicts.
  Two people with one name at a client are two contacts when their role, phone, e-mail or
  birthday differ (chat allows them); rows that only fill each other's blanks are one contact.
* One rule with chat: an e-mail is read by ``bot.services.parsing.emails.normalize_email`` (trailing
  ``;``/``,``, ``mailto:`` and angle brackets go), a birthday by ``parse_birthday`` as /contact
  does: a full year not in the future is kept, a child's too. A year under
  ``RECENT_BIRTH_YEARS`` ago may be the one Excel adds to a typed "12.03", and the reader cannot
  tell, so it is kept and the preview names its rows.
* Skipped columns each get a reason in the preview (``skipped_columns``): kambot's own
  informational columns, unknown headers, a second column for one field, empty ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Final, TypeAlias

from bot.services.crm.birthdays import Birthday, parse_birthday
from bot.services.exchange.import_grouping import (
    conflict_errors,
    group_clients,
    group_with_conflicts,
)
from bot.services.exchange.import_limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_LINES,
    MAX_RECORD_FIELDS,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    ImportFileError,
)
from bot.services.exchange.import_mapping import map_columns
from bot.services.exchange.import_model import (
    CONTACT_FIELDS,
    FIELDS,
    ClientDraft,
    ColumnMapping,
    ContactDraft,
    ImportRow,
    ParsedImport,
    RowError,
)
from bot.services.exchange.import_readers import (
    NOTE_COLUMNS,
    NOTE_FORMULAS,
    NOTE_MACROS,
    NOTE_SHEET,
    TEXT_EXTENSIONS,
    WORKBOOK_EXTENSIONS,
    Table,
    read_table,
)
from bot.services.exchange.import_readers import header_key as _header_key
from bot.services.parsing.emails import MAX_EMAIL_LENGTH, normalize_email
from bot.services.parsing.names import NameProblem, validate_display_name
from bot.services.parsing.phones import normalize_phone
from bot.services.parsing.taxid import is_valid_inn, normalize_tax_id

# Re-exported: callers and tests know them as importing.*.
__all__ = [
    "FIELDS",
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_LINES",
    "MAX_RECORD_FIELDS",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "NOTE_COLUMNS",
    "NOTE_FORMULAS",
    "NOTE_MACROS",
    "NOTE_SHEET",
    "TEXT_EXTENSIONS",
    "WORKBOOK_EXTENSIONS",
    "ClientDraft",
    "ColumnMapping",
    "ContactDraft",
    "ImportFileError",
    "ImportRow",
    "ParsedImport",
    "RowError",
    "Table",
    "group_clients",
    "map_columns",
    "read_table",
]

MAX_ROLE_LENGTH: Final = 200
MAX_TAG_LENGTH: Final = 64
MAX_CADENCE_DAYS: Final = 365
# A birth year that makes a contact younger than this is named in the preview: it may be the
# year Excel added to a typed "12.03" rather than a child's.
RECENT_BIRTH_YEARS: Final = 14

_NEUTRALIZED = re.compile(r"^'(?=[=+\-@\t\r'])")
_FORMULA = re.compile(r"^=\s*[\w(\"'$@+\-.]")
_DDE = re.compile(r"^[=+\-@].*\w\|.*!", re.DOTALL)
_TAG_SPLIT = re.compile(r"[,;#\n]")
_CADENCE = re.compile(
    r"^(?:раз в |every |each )?(\d{1,3})?\s*"
    r"(д|дн|дня|дней|день|d|day|days|н|нед|недели|недель|неделю|неделя|w|wk|week|weeks"
    r"|м|мес|месяц|месяца|месяцев|m|mo|month|months)?$"
)


# Why a column of the file is skipped: the i18n key of its reason in the preview.
SKIP_OWN: Final = "import-skip-own"  # kambot's own informational column (ID, Created, ...)
SKIP_UNKNOWN: Final = "import-skip-unknown"  # a header that names no field kambot knows
SKIP_DUPLICATE: Final = "import-skip-duplicate"  # a field that an earlier column already fills
SKIP_EMPTY: Final = "import-skip-empty"  # an unknown header over empty cells: nothing is lost
SKIP_NO_HEADER: Final = "import-skip-no-header"  # values under an empty header


@dataclass(frozen=True, slots=True)
class SkippedColumn:
    header: str  # as written; empty for a column without a header
    number: int  # 1-based, for a column without a header
    reason: str  # one of the SKIP_* keys


@dataclass(frozen=True, slots=True)
class Preview:
    """What the preview message needs; the bot does the wording."""

    mapping: list[tuple[str, str]]  # (header as written, field), in column order
    ignored: list[str]
    not_imported: list[str]
    first_rows: list[ImportRow]
    first_errors: list[RowError]
    sheet: str | None
    notes: list[str]
    total_rows: int  # non-empty data rows in the file
    valid_rows: int
    error_rows: int  # rows with at least one error
    errors: int
    clients: int  # distinct clients after merging rows
    contacts: int
    # Every column that is not read, with its reason, in column order.
    skipped: list[SkippedColumn] = field(default_factory=list)
    recent_birthday_rows: list[int] = field(default_factory=list)


@dataclass(slots=True)
class ImportResult:
    table: Table
    mapping: ColumnMapping
    parsed: ParsedImport
    clients: list[ClientDraft]


# --- parsing rows ----------------------------------------------------------------------------


def _vocabulary(entries: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_header_key(word): value for value, words in entries.items() for word in words}


_SEGMENTS: Final = _vocabulary(
    {
        "b2b": ("b2b", "в2в", "юрлицо", "юр лицо", "юридическое лицо", "компания", "бизнес",
                "корпоративный", "business", "company", "corporate"),
        "b2c": ("b2c", "в2с", "физлицо", "физ лицо", "физическое лицо", "частное лицо",
                "частный", "розница", "person", "individual", "consumer", "private", "retail"),
    }
)  # fmt: skip
_TIERS: Final = _vocabulary(
    {
        "key": ("key", "ключевой", "ключевая", "ключевые", "ключ", "vip", "вип", "kam", "top",
                "да", "yes", "y", "true", "истина", "1", "x", "х", "+", "✓", "✔"),
        "regular": ("regular", "обычный", "обычная", "обычные", "рядовой", "стандарт",
                    "стандартный", "standard", "normal", "нет", "no", "n", "false", "ложь", "0",
                    "-"),
    }
)  # fmt: skip
_STATUSES: Final = _vocabulary(
    {
        "active": ("active", "активный", "активная", "активен", "актив", "действующий",
                   "в работе", "работаем"),
        "paused": ("paused", "pause", "on hold", "пауза", "на паузе", "приостановлен",
                   "заморожен"),
        "lost": ("lost", "churned", "потерян", "потерянный", "потеряна", "ушел", "ушла",
                 "отток"),
    }
)  # fmt: skip
_CHANNELS: Final = _vocabulary(
    {
        "call": ("call", "phone", "звонок", "звонки", "звонить", "телефон", "по телефону"),
        "message": ("message", "messenger", "chat", "sms", "telegram", "whatsapp",
                    "сообщение", "сообщения", "мессенджер", "чат", "смс", "телеграм",
                    "телеграмм", "ватсап", "вотсап"),
        "email": ("email", "e mail", "mail", "почта", "эл почта", "электронная почта",
                  "письмо", "емейл", "имейл"),
        "visit": ("visit", "визит", "выезд"),
        "meeting": ("meeting", "встреча", "встречи", "переговоры", "zoom", "видеозвонок"),
    }
)  # fmt: skip
_CADENCE_WORDS: Final = _vocabulary(
    {
        "1": ("ежедневно", "каждый день", "daily", "every day"),
        "7": ("еженедельно", "раз в неделю", "weekly", "every week", "once a week"),
        "14": ("раз в две недели", "раз в 2 недели", "biweekly", "every two weeks"),
        "30": ("ежемесячно", "раз в месяц", "monthly", "every month", "once a month"),
        "90": ("ежеквартально", "раз в квартал", "quarterly", "every quarter"),
    }
)  # fmt: skip


_CellParser: TypeAlias = Callable[[str, date], object]


class _Problem(Exception):
    """One cell's problem inside ``_parse_row``: the i18n key of the RowError."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_rows(table: Table, mapping: ColumnMapping, today: date) -> ParsedImport:
    """Validate every row; errors are collected for all rows, none stops the parse."""
    if "client" not in mapping.columns:
        found = ", ".join(header for header in table.headers if header)
        raise ImportFileError("import-file-no-client-column", headers=found)
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        row, row_errors = _parse_row(number, cells, table.headers, mapping, today)
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    # A conflicting row was not merged, so the drafts are exactly those of the remaining rows.
    clients, conflicts = group_with_conflicts(rows)
    if conflicts:
        bad = {conflict.row for conflict in conflicts}
        rows = [row for row in rows if row.row not in bad]
        errors.extend(conflict_errors(conflicts, table, mapping))
    errors.sort(key=lambda error: error.row)  # stable: columns stay in file order within a row
    since = today.year - RECENT_BIRTH_YEARS
    recent = [
        row.row for row in rows if row.birthday and row.birthday.year and row.birthday.year > since
    ]
    return ParsedImport(rows=rows, errors=errors, clients=clients, recent_birthday_rows=recent)


def _parse_row(
    number: int, cells: list[str], headers: list[str], mapping: ColumnMapping, today: date
) -> tuple[ImportRow | None, list[RowError]]:
    values: dict[str, object] = {}
    errors: list[RowError] = []
    for name, index in mapping.columns.items():
        raw = cells[index] if index < len(cells) else ""
        try:
            values[name] = _parse_cell(name, raw, today)
        except _Problem as problem:
            errors.append(RowError(number, headers[index], problem.reason, raw))
    if errors:
        return None, errors
    client = values.get("client")
    assert isinstance(client, str)  # _parse_cell raised for an empty name
    return _make_row(number, client, values), []


def _make_row(number: int, client: str, values: dict[str, object]) -> ImportRow:
    def text(name: str) -> str | None:
        value = values.get(name)
        return value if isinstance(value, str) else None

    cadence = values.get("cadence")
    tags = values.get("tags")
    birthday = values.get("birthday")
    contact = text("contact_name")
    if contact is None and any(values.get(name) for name in CONTACT_FIELDS):
        contact = client
    return ImportRow(
        row=number,
        client_name=client,
        tax_id=text("tax_id"),
        phone=text("phone"),
        segment=text("segment"),
        tier=text("tier"),
        status=text("status"),
        cadence_days=cadence if isinstance(cadence, int) else None,
        preferred_channel=text("channel"),
        tags=tags if isinstance(tags, tuple) else (),
        contact_name=contact,
        contact_role=text("contact_role") if contact else None,
        contact_phone=text("contact_phone") if contact else None,
        contact_email=text("contact_email") if contact else None,
        birthday=birthday if isinstance(birthday, Birthday) else None,
    )


def _parse_cell(name: str, raw: str, today: date) -> object:
    """The value of one cell for ``name``, None when empty, or ``_Problem``."""
    if raw.startswith("'") and _NEUTRALIZED.match(raw):
        # Neutralized by an export (ours or Excel's quote prefix): text the owner meant to
        # keep, such as a role typed as "=1+1" in the bot. Stored as text, never evaluated.
        raw = raw[1:]
    elif _looks_like_formula(raw.strip()):
        raise _Problem("import-error-formula")
    if name == "client":
        return _parse_client_name(raw)
    if name == "tags":
        return _parse_tags(raw)
    value = " ".join(raw.split())
    if not value:
        return None
    parser = _CELL_PARSERS[name]
    return parser(value, today)


def _looks_like_formula(value: str) -> bool:
    return bool(_FORMULA.match(value) or _DDE.match(value))


def _parse_client_name(raw: str) -> str:
    try:
        return validate_display_name(raw)
    except NameProblem as problem:
        reasons = {
            "name-empty": "import-error-name-empty",
            "name-too-long": "import-error-too-long",
            "name-no-letters": "import-error-name-no-letters",
        }
        raise _Problem(reasons[problem.key]) from problem


def _parse_tags(raw: str) -> tuple[str, ...]:
    tags: list[str] = []
    seen: set[str] = set()
    for part in _TAG_SPLIT.split(raw):
        tag = " ".join(part.split())
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise _Problem("import-error-too-long")
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tuple(tags)


def _parse_tax_id(value: str, today: date) -> str:
    candidate = normalize_tax_id(value)
    if candidate is not None and is_valid_inn(candidate):
        return candidate
    # A numeric cell loses the leading zero of region codes 01-09 ("0274062111" -> 274062111).
    digits = "".join(ch for ch in value if ch.isdigit())
    padded = normalize_tax_id("0" + digits) if len(digits) in (9, 11) else None
    if padded is not None and is_valid_inn(padded):
        return padded
    raise _Problem("import-error-tax-id")


def _parse_phone(value: str, today: date) -> str:
    phone = normalize_phone(value)
    if phone is None:
        raise _Problem("import-error-phone")
    return phone


def _parse_email(value: str, today: date) -> str:
    # One rule with chat (bot.services.parsing.emails): "k.belova@vector.ru;" as Outlook copies it,
    # and as older versions of the bot stored it, imports trimmed.
    email = normalize_email(value)
    if email is not None:
        return email
    if len(value) > MAX_EMAIL_LENGTH:
        raise _Problem("import-error-too-long")
    raise _Problem("import-error-email")


def _parse_birthday(value: str, today: date) -> Birthday:
    # The rule of /contact: a year typed in full and not in the future is the person's, a
    # child's too ("Маша, дочь, 12.03.2019"). The reader cannot tell Excel's auto-completed
    # year from a typed one, so a recent year is kept and the preview says so.
    birthday = parse_birthday(value, today)
    if birthday is None:
        raise _Problem("import-error-birthday")
    return birthday


def _limited(limit: int) -> _CellParser:
    def parse(value: str, today: date) -> str:
        if len(value) > limit:
            raise _Problem("import-error-too-long")
        return value

    return parse


def _from_vocabulary(vocabulary: dict[str, str]) -> _CellParser:
    def parse(value: str, today: date) -> str:
        found = vocabulary.get(_header_key(value))
        if found is None:
            raise _Problem("import-error-value")
        return found

    return parse


def _parse_cadence(value: str, today: date) -> int:
    key = _header_key(value)
    days: int | None = int(_CADENCE_WORDS[key]) if key in _CADENCE_WORDS else None
    match = _CADENCE.match(key) if days is None else None
    if match and (match.group(1) or match.group(2)):
        count = int(match.group(1) or 1)
        unit = (match.group(2) or "d")[:1]
        days = count * {"д": 1, "d": 1, "н": 7, "w": 7, "м": 30, "m": 30}[unit]
    if days is None or not 1 <= days <= MAX_CADENCE_DAYS:
        raise _Problem("import-error-value")
    return days


def _parse_person(value: str, today: date) -> str:
    try:
        return validate_display_name(value)
    except NameProblem as problem:
        reason = "import-error-too-long" if problem.key == "name-too-long" else ""
        raise _Problem(reason or "import-error-name-no-letters") from problem


_CELL_PARSERS: Final[dict[str, _CellParser]] = {
    "tax_id": _parse_tax_id,
    "phone": _parse_phone,
    "segment": _from_vocabulary(_SEGMENTS),
    "tier": _from_vocabulary(_TIERS),
    "status": _from_vocabulary(_STATUSES),
    "cadence": _parse_cadence,
    "channel": _from_vocabulary(_CHANNELS),
    "contact_name": _parse_person,
    "contact_role": _limited(MAX_ROLE_LENGTH),
    "contact_phone": _parse_phone,
    "contact_email": _parse_email,
    "birthday": _parse_birthday,
}


# --- preview and the whole pipeline ----------------------------------------------------------


def preview(table: Table, mapping: ColumnMapping, parsed: ParsedImport, limit: int = 5) -> Preview:
    clients = parsed.clients
    return Preview(
        mapping=[(table.headers[index], name) for name, index in mapping.columns.items()],
        ignored=list(mapping.ignored),
        not_imported=list(mapping.not_imported),
        first_rows=parsed.rows[:limit],
        first_errors=parsed.errors[:limit],
        sheet=table.sheet,
        notes=list(table.notes),
        total_rows=len(table.rows),
        valid_rows=len(parsed.rows),
        error_rows=len({error.row for error in parsed.errors}),
        errors=len(parsed.errors),
        clients=len(clients),
        contacts=sum(len(client.contacts) for client in clients),
        skipped=skipped_columns(table, mapping),
        recent_birthday_rows=list(parsed.recent_birthday_rows),
    )


def skipped_columns(table: Table, mapping: ColumnMapping) -> list[SkippedColumn]:
    """Each column the import will not read and why, so no value is dropped unannounced."""
    mapped = set(mapping.columns.values())
    own = set(mapping.not_imported)
    unknown = set(mapping.ignored)
    skipped: list[SkippedColumn] = []
    for index, header in enumerate(table.headers):
        if index in mapped:
            continue
        filled = any(index < len(cells) and cells[index].strip() for cells in table.rows)
        if header in own:
            reason = SKIP_OWN
        elif not _header_key(header):
            if not filled:
                continue  # an empty spacer column: nothing there to lose
            reason = SKIP_NO_HEADER
        elif header not in unknown:
            continue  # mapped under another field by map_columns, never skipped
        elif not filled:
            reason = SKIP_EMPTY
        elif map_columns([header]).columns:
            reason = SKIP_DUPLICATE
        else:
            reason = SKIP_UNKNOWN
        skipped.append(SkippedColumn(header, index + 1, reason))
    return skipped


def parse_file(content: bytes, filename: str, today: date) -> ImportResult:
    """read_table -> map_columns -> parse_rows -> group_clients, for callers that need it all."""
    table = read_table(content, filename)
    mapping = map_columns(table.headers)
    parsed = parse_rows(table, mapping, today)
    return ImportResult(table, mapping, parsed, parsed.clients)
