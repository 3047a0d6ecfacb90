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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Final, TypeAlias

from rapidfuzz import fuzz, process

from bot.services.birthdays import Birthday, parse_birthday
from bot.services.import_limits import (
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
from bot.services.import_readers import (
    NOTE_COLUMNS,
    NOTE_FORMULAS,
    NOTE_MACROS,
    NOTE_SHEET,
    TEXT_EXTENSIONS,
    WORKBOOK_EXTENSIONS,
    Table,
    read_table,
)
from bot.services.import_readers import header_key as _header_key
from bot.services.names import NameProblem, normalize_name, validate_display_name
from bot.services.phones import normalize_phone
from bot.services.taxid import is_valid_inn, normalize_tax_id

# Re-exported: callers and tests know them as importing.*.
__all__ = [
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
    "ImportFileError",
    "Table",
    "read_table",
]

MAX_ROLE_LENGTH: Final = 200
MAX_EMAIL_LENGTH: Final = 254
MAX_TAG_LENGTH: Final = 64
MAX_CADENCE_DAYS: Final = 365
# A birth year that makes a contact younger than this is taken for Excel's auto-completed year.
MIN_CONTACT_AGE: Final = 14

# The fields an import fills, in the order the export writes them.
FIELDS: Final = (
    "client",
    "tax_id",
    "phone",
    "segment",
    "tier",
    "status",
    "cadence",
    "channel",
    "tags",
    "contact_name",
    "contact_role",
    "contact_phone",
    "contact_email",
    "birthday",
)
CONTACT_FIELDS: Final = ("contact_role", "contact_phone", "contact_email", "birthday")

_NEUTRALIZED = re.compile(r"^'(?=[=+\-@\t\r'])")
_FORMULA = re.compile(r"^=\s*[\w(\"'$@+\-.]")
_DDE = re.compile(r"^[=+\-@].*\w\|.*!", re.DOTALL)
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_TAG_SPLIT = re.compile(r"[,;#\n]")
_CADENCE = re.compile(
    r"^(?:раз в |every |each )?(\d{1,3})?\s*"
    r"(д|дн|дня|дней|день|d|day|days|н|нед|недели|недель|неделю|неделя|w|wk|week|weeks"
    r"|м|мес|месяц|месяца|месяцев|m|mo|month|months)?$"
)


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # as Excel shows it: the header is row 1
    column: str  # the header as written in the file
    reason: str  # i18n key
    value: str  # the offending cell, for the report


@dataclass(frozen=True, slots=True)
class ImportRow:
    row: int
    client_name: str
    tax_id: str | None = None
    phone: str | None = None
    segment: str | None = None  # "b2b" | "b2c"
    tier: str | None = None  # "key" | "regular"
    status: str | None = None  # "active" | "paused" | "lost"
    cadence_days: int | None = None
    preferred_channel: str | None = None  # "call" | "message" | "email" | "visit" | "meeting"
    tags: tuple[str, ...] = ()
    contact_name: str | None = None  # a row has a contact exactly when this is set
    contact_role: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    birthday: Birthday | None = None


@dataclass(slots=True)
class ColumnMapping:
    columns: dict[str, int]  # field (see FIELDS) -> column index
    ignored: list[str] = field(default_factory=list)  # headers not recognised
    # Headers our own export writes for information (ID, archived, owner, created): known, but
    # deliberately not imported.
    not_imported: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ParsedImport:
    rows: list[ImportRow]
    errors: list[RowError]  # sorted by row, then column order
    # ``group_clients(rows)``, computed by the same pass that found the conflicts.
    clients: list[ClientDraft] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ContactDraft:
    name: str
    role: str | None
    phone: str | None
    email: str | None
    birthday: Birthday | None
    row: int


@dataclass(slots=True)
class ClientDraft:
    name: str
    tax_id: str | None
    phone: str | None
    segment: str | None
    tier: str | None
    status: str | None
    cadence_days: int | None
    preferred_channel: str | None
    tags: tuple[str, ...]
    contacts: list[ContactDraft]
    rows: list[int]  # the file rows this client was merged from


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


@dataclass(slots=True)
class ImportResult:
    table: Table
    mapping: ColumnMapping
    parsed: ParsedImport
    clients: list[ClientDraft]


# --- mapping columns -------------------------------------------------------------------------

_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "client": (
        "клиент", "компания", "организация", "наименование", "название", "контрагент",
        "название компании", "наименование организации", "наименование клиента",
        "название клиента", "имя клиента", "client", "company", "account", "organization",
        "organisation", "customer", "client name", "company name", "account name",
        "customer name",
    ),
    "tax_id": ("инн", "инн клиента", "инн организации", "inn", "tax id", "taxid", "tin", "vat",
               "vat id", "vat number"),
    "phone": ("телефон", "тел", "телефон компании", "телефон клиента", "номер телефона",
              "phone", "tel", "telephone", "phone number", "company phone"),
    "contact_name": ("контакт", "лпр", "контактное лицо", "фио контакта", "имя контакта",
                     "фио лпр", "contact", "contact name", "contact person", "decision maker",
                     "person"),
    "contact_role": ("должность", "роль", "должность контакта", "role", "position", "title",
                     "job title"),
    "contact_phone": ("телефон контакта", "тел контакта", "моб", "мобильный", "моб тел",
                      "моб телефон", "мобильный телефон", "сотовый", "телефон лпр",
                      "contact phone", "mobile", "mobile phone", "cell", "cell phone"),
    "contact_email": ("email", "e mail", "почта", "эл почта", "электронная почта", "емейл",
                      "имейл", "e mail контакта", "email контакта", "mail", "email address",
                      "e mail address"),
    "birthday": ("день рождения", "др", "дата рождения", "birthday", "dob", "date of birth",
                 "birth date", "birthdate"),
    "tags": ("теги", "тэги", "метки", "тег", "tags", "labels", "tag"),
    "segment": ("сегмент", "тип клиента", "segment", "client type"),
    "tier": ("уровень", "категория", "ключевой", "ключевой клиент", "tier", "key account",
             "key", "vip"),
    "status": ("статус", "состояние", "status"),
    "cadence": ("частота контакта", "частота контакта дней", "частота контактов", "частота",
                "каденция", "интервал", "интервал дней", "cadence", "cadence days",
                "contact frequency", "frequency"),
    "channel": ("канал", "предпочтительный канал", "канал связи", "channel",
                "preferred channel"),
}  # fmt: skip
# A bare "name" is the client when nothing else names the client (a B2C base, where the client
# is a person), else the contact.
_PERSON_ALIASES: Final = ("name", "full name", "имя", "фио", "полное имя")
# Written by our export for information; recognised so they are not reported as unknown.
_INFO_ALIASES: Final = ("id", "архив", "в архиве", "archived", "ответственный", "владелец",
                        "owner", "создан", "дата создания", "created", "created at")  # fmt: skip
# Near-miss spellings ("Телефн", "Email адресс") within this score are accepted; shorter headers
# are too close to each other for fuzzy matching ("тел" vs "тег").
_FUZZY_CUTOFF: Final = 90.0
_FUZZY_MIN_LENGTH: Final = 5


def _compact(key: str) -> str:
    return key.replace(" ", "")


_ALIAS_INDEX: Final[dict[str, str]] = {
    _compact(_header_key(alias)): name for name, aliases in _ALIASES.items() for alias in aliases
}
_FUZZY_CHOICES: Final = list(_ALIAS_INDEX)
_PERSON_KEYS: Final = frozenset(_compact(_header_key(alias)) for alias in _PERSON_ALIASES)
_INFO_KEYS: Final = frozenset(_compact(_header_key(alias)) for alias in _INFO_ALIASES)


def map_columns(headers: list[str]) -> ColumnMapping:
    """Recognise each header; the first column wins when two mean the same field."""
    columns: dict[str, int] = {}
    pending: list[int] = []
    person: list[int] = []
    not_imported: list[str] = []
    for index, header in enumerate(headers):
        key = _compact(_header_key(header))
        if not key:
            continue
        name = _ALIAS_INDEX.get(key)
        if name is not None and name not in columns:
            columns[name] = index
        elif key in _PERSON_KEYS:
            person.append(index)
        elif key in _INFO_KEYS:
            not_imported.append(header)
        else:
            pending.append(index)
    for index in person:
        name = next((f for f in ("client", "contact_name") if f not in columns), None)
        if name is None:
            pending.append(index)
        else:
            columns[name] = index
    ignored = [
        headers[index] for index in sorted(pending) if not _fuzzy_map(headers, index, columns)
    ]
    return ColumnMapping(
        columns=dict(sorted(columns.items(), key=lambda item: item[1])),
        ignored=ignored,
        not_imported=not_imported,
    )


def _fuzzy_map(headers: list[str], index: int, columns: dict[str, int]) -> bool:
    key = _compact(_header_key(headers[index]))
    if len(key) < _FUZZY_MIN_LENGTH:
        return False
    match = process.extractOne(key, _FUZZY_CHOICES, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
    if match is None or _ALIAS_INDEX[match[0]] in columns:
        return False
    columns[_ALIAS_INDEX[match[0]]] = index
    return True


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
    clients, conflicts = _group(rows)
    if conflicts:
        bad = {conflict.row for conflict in conflicts}
        rows = [row for row in rows if row.row not in bad]
        errors.extend(_conflict_errors(conflicts, table, mapping))
    errors.sort(key=lambda error: error.row)  # stable: columns stay in file order within a row
    return ParsedImport(rows=rows, errors=errors, clients=clients)


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
    if len(value) > MAX_EMAIL_LENGTH:
        raise _Problem("import-error-too-long")
    email = value.removeprefix("mailto:")
    if not _EMAIL.match(email):
        raise _Problem("import-error-email")
    return email


def _parse_birthday(value: str, today: date) -> Birthday:
    birthday = parse_birthday(value, today)
    if birthday is None:
        raise _Problem("import-error-birthday")
    if birthday.year is not None and birthday.year > today.year - MIN_CONTACT_AGE:
        # Excel turns a typed "12.03" into 12.03 of the current year: a contact cannot be a
        # toddler, so such a year is Excel's, not the person's.
        return replace(birthday, year=None)
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


# --- grouping --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Conflict:
    row: int
    field: str  # see FIELDS
    value: str


# ImportRow attribute -> the FIELDS name whose column an error points at.
_CLIENT_ATTRIBUTES: Final = (
    ("tax_id", "tax_id"),
    ("phone", "phone"),
    ("segment", "segment"),
    ("tier", "tier"),
    ("status", "status"),
    ("cadence_days", "cadence"),
    ("preferred_channel", "channel"),
)
_CONTACT_ATTRIBUTES: Final = (
    ("role", "contact_role"),
    ("phone", "contact_phone"),
    ("email", "contact_email"),
    ("birthday", "birthday"),
)


def group_clients(rows: list[ImportRow]) -> list[ClientDraft]:
    """One draft per client, in order of first appearance, contacts merged by person name.

    Rows of ``parse_rows`` group without conflicts (it reports and drops those); given other
    rows, a conflicting row is left out here too.
    """
    drafts, _ = _group(rows)
    return drafts


@dataclass(slots=True)
class _Grouping:
    drafts: list[ClientDraft] = field(default_factory=list)
    by_name: dict[str, int] = field(default_factory=dict)
    by_tax_id: dict[str, int] = field(default_factory=dict)
    contacts: list[dict[str, int]] = field(default_factory=list)  # person key -> index

    def find(self, name_key: str, tax_id: str | None) -> set[int]:
        found = {self.by_name.get(name_key), self.by_tax_id.get(tax_id) if tax_id else None}
        return {index for index in found if index is not None}

    def remember(self, index: int, name_key: str, tax_id: str | None) -> None:
        self.by_name.setdefault(name_key, index)
        if tax_id:
            self.by_tax_id.setdefault(tax_id, index)


def _group(rows: Sequence[ImportRow]) -> tuple[list[ClientDraft], list[_Conflict]]:
    state = _Grouping()
    conflicts: list[_Conflict] = []
    for row in rows:
        name_key = normalize_name(row.client_name)
        contact = _row_contact(row)
        contact_key = normalize_name(contact.name) if contact else ""
        found = state.find(name_key, row.tax_id)
        if len(found) > 1:  # the name says one client, the tax id another
            conflicts.append(_Conflict(row.row, "tax_id", row.tax_id or ""))
            continue
        if not found:
            state.drafts.append(_new_draft(row))
            state.contacts.append({})
            index = len(state.drafts) - 1
        else:
            index = found.pop()
            conflict = _client_conflict(state.drafts[index], row) or _contact_conflict(
                state.drafts[index], state.contacts[index], contact, contact_key
            )
            if conflict is not None:
                conflicts.append(conflict)
                continue
            _merge_client(state.drafts[index], row)
        _merge_contact(state.drafts[index], state.contacts[index], contact, contact_key)
        state.remember(index, name_key, row.tax_id)
    return state.drafts, conflicts


def _new_draft(row: ImportRow) -> ClientDraft:
    return ClientDraft(
        name=row.client_name,
        tax_id=row.tax_id,
        phone=row.phone,
        segment=row.segment,
        tier=row.tier,
        status=row.status,
        cadence_days=row.cadence_days,
        preferred_channel=row.preferred_channel,
        tags=row.tags,
        contacts=[],
        rows=[row.row],
    )


def _client_conflict(draft: ClientDraft, row: ImportRow) -> _Conflict | None:
    for attribute, name in _CLIENT_ATTRIBUTES:
        mine, theirs = getattr(draft, attribute), getattr(row, attribute)
        if mine is not None and theirs is not None and mine != theirs:
            return _Conflict(row.row, name, str(theirs))
    return None


def _merge_client(draft: ClientDraft, row: ImportRow) -> None:
    # Flat files often fill the client's columns on its first row only: later rows fill gaps.
    for attribute, _ in _CLIENT_ATTRIBUTES:
        if getattr(draft, attribute) is None:
            setattr(draft, attribute, getattr(row, attribute))
    seen = {tag.casefold() for tag in draft.tags}
    draft.tags += tuple(tag for tag in row.tags if tag.casefold() not in seen)
    draft.rows.append(row.row)


def _row_contact(row: ImportRow) -> ContactDraft | None:
    if row.contact_name is None:
        return None
    return ContactDraft(
        name=row.contact_name,
        role=row.contact_role,
        phone=row.contact_phone,
        email=row.contact_email,
        birthday=row.birthday,
        row=row.row,
    )


def _contact_conflict(
    draft: ClientDraft, contacts: dict[str, int], contact: ContactDraft | None, key: str
) -> _Conflict | None:
    index = contacts.get(key) if contact else None
    if contact is None or index is None:
        return None
    known = draft.contacts[index]
    for attribute, name in _CONTACT_ATTRIBUTES:
        mine, theirs = getattr(known, attribute), getattr(contact, attribute)
        if mine is not None and theirs is not None and mine != theirs:
            shown = _birthday_text(theirs) if isinstance(theirs, Birthday) else str(theirs)
            return _Conflict(contact.row, name, shown)
    return None


def _merge_contact(
    draft: ClientDraft, contacts: dict[str, int], contact: ContactDraft | None, key: str
) -> None:
    if contact is None:
        return
    index = contacts.get(key)
    if index is None:
        contacts[key] = len(draft.contacts)
        draft.contacts.append(contact)
        return
    known = draft.contacts[index]
    draft.contacts[index] = replace(
        known,
        role=known.role or contact.role,
        phone=known.phone or contact.phone,
        email=known.email or contact.email,
        birthday=known.birthday or contact.birthday,
    )


def _birthday_text(birthday: Birthday) -> str:
    text = f"{birthday.day:02d}.{birthday.month:02d}"
    return f"{text}.{birthday.year:04d}" if birthday.year else text


def _conflict_errors(
    conflicts: list[_Conflict], table: Table, mapping: ColumnMapping
) -> list[RowError]:
    def header(name: str) -> str:
        index = mapping.columns.get(name, mapping.columns["client"])
        return table.headers[index]

    return [RowError(c.row, header(c.field), "import-error-conflict", c.value) for c in conflicts]


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
    )


def parse_file(content: bytes, filename: str, today: date) -> ImportResult:
    """read_table -> map_columns -> parse_rows -> group_clients, for callers that need it all."""
    table = read_table(content, filename)
    mapping = map_columns(table.headers)
    parsed = parse_rows(table, mapping, today)
    return ImportResult(table, mapping, parsed, parsed.clients)
