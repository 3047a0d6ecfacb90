"""The file layer of /import: a manager's spreadsheet (CSV or XLSX) -> validated client rows.

Pure: bytes in, dataclasses out; no aiogram, no database. Everything the user will read is an
i18n key plus arguments; the bot formats it with the manager's locale.

Pipeline::

    read_table(bytes, filename)  -> Table        strings only, empty rows skipped, limits enforced
    map_columns(headers)         -> ColumnMapping field -> column index, by ru/en header names
    parse_rows(table, mapping)   -> ParsedImport  one ImportRow per valid line, RowError for ALL
    group_clients(rows)          -> [ClientDraft] the flat "one row per contact" merged per client

Decisions (the brief left them open):

* Encoding. A UTF-16/UTF-8 BOM is trusted. Without one, bytes that decode as strict UTF-8 are
  UTF-8: Russian text in Windows-1251 is practically never valid UTF-8, because two Cyrillic
  letters in a row are two bytes >= 0xC0, i.e. a lead byte followed by a non-continuation byte.
  Otherwise the file is Windows-1251 (what Russian Excel writes) -- unless it also contains a
  run of two or more UTF-8-encoded Cyrillic letters (``[D0-D3][80-BF]`` pairs): that is UTF-8
  text inside a file that is not UTF-8, i.e. mixed encodings, refused with
  "import-file-encoding" rather than imported half as mojibake. Genuine cp1251 text would need
  two "Р/С/Т/У + punctuation" pairs back to back to look like that.
* Separator: ``csv.Sniffer`` looks at every character and is fooled by commas inside quoted
  Russian text ("Москва, ул. Ленина"). We parse the first 50 records with the real csv parser
  once per candidate (tab, ``;``, ``,``) and keep the one that splits the header into more than
  one column and gives the most records with the header's column count; quoted separators do
  not count because the parser honours the quotes. Ties go to tab, then ``;`` (what Russian
  Excel writes, and commas are common inside unquoted Russian text), then ``,``.
* Macros: a workbook with a VBA project (.xlsm or a vbaProject.bin part) is read for its values
  only, with the note "import-note-macros". openpyxl never executes or even parses the VBA
  part (``keep_vba=False``), so refusing would only cost the manager a re-save on the phone;
  the note is the clear reply. "import-file-macros" is therefore never raised.
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

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import Any, Final, TypeAlias
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]
from openpyxl.utils.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    InvalidFileException,
)
from rapidfuzz import fuzz, process

from bot.services.birthdays import Birthday, parse_birthday
from bot.services.names import NameProblem, normalize_name, validate_display_name
from bot.services.phones import normalize_phone
from bot.services.taxid import is_valid_inn, normalize_tax_id

MAX_FILE_BYTES: Final = 10 * 1024 * 1024
MAX_ROWS: Final = 20_000
# Columns past this are not read: no client base has a hundred meaningful columns, and a sheet
# with thousands of formatted-but-empty columns must not cost 20,000 x thousands of cells.
MAX_COLUMNS: Final = 100
# An XLSX is a zip: 10 MB can unpack to gigabytes (a zip bomb). A real 20,000-row base unpacks
# to a few tens of MB.
MAX_UNPACKED_BYTES: Final = 256 * 1024 * 1024
# Lengths of the database columns the values end up in (names: see names.MAX_NAME_LENGTH).
MAX_ROLE_LENGTH: Final = 200
MAX_EMAIL_LENGTH: Final = 254
MAX_TAG_LENGTH: Final = 64
MAX_CADENCE_DAYS: Final = 365
# A birth year that makes a contact younger than this is taken for Excel's auto-completed year.
MIN_CONTACT_AGE: Final = 14

TEXT_EXTENSIONS: Final = frozenset({"csv", "tsv", "txt"})
WORKBOOK_EXTENSIONS: Final = frozenset({"xlsx", "xlsm"})

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

NOTE_FORMULAS: Final = "import-note-formulas"
NOTE_SHEET: Final = "import-note-sheet"
NOTE_MACROS: Final = "import-note-macros"
NOTE_COLUMNS: Final = "import-note-columns"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, or an encrypted workbook
_SNIFF_CHARS = 64 * 1024
_SNIFF_RECORDS = 50
_DELIMITERS = ("\t", ";", ",")  # preference order on ties
_UTF8_CYRILLIC_RUN = re.compile(rb"(?:[\xd0-\xd3][\x80-\xbf]){2,}")
_NEUTRALIZED = re.compile(r"^'(?=[=+\-@\t\r'])")
_FORMULA = re.compile(r"^=\s*[\w(\"'$@+\-.]")
_DDE = re.compile(r"^[=+\-@].*\w\|.*!", re.DOTALL)
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_TAG_SPLIT = re.compile(r"[,;#\n]")
_NOT_WORD = re.compile(r"[\W_]+")
_CADENCE = re.compile(
    r"^(?:раз в |every |each )?(\d{1,3})?\s*"
    r"(д|дн|дня|дней|день|d|day|days|н|нед|недели|недель|неделю|неделя|w|wk|week|weeks"
    r"|м|мес|месяц|месяца|месяцев|m|mo|month|months)?$"
)


class ImportFileError(Exception):
    """A whole-file problem: ``key`` is the i18n key, ``params`` its arguments.

    The arguments are stored as ``params``, not ``args``: ``Exception.args`` is a tuple that
    pickling and tracebacks rely on.
    """

    def __init__(self, key: str, **params: str | int) -> None:
        super().__init__(key)
        self.key = key
        self.params: dict[str, str | int] = params


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
class Table:
    headers: list[str]
    rows: list[list[str]]  # each exactly len(headers) cells; fully empty rows are skipped
    sheet: str | None = None  # the sheet read from a workbook
    notes: list[str] = field(default_factory=list)  # i18n keys: "import-note-..."
    # The spreadsheet row of each entry of ``rows`` (header = ``header_row``), for error reports.
    row_numbers: list[int] = field(default_factory=list)
    header_row: int = 1
    encoding: str | None = None  # of a CSV: "utf-8", "utf-8-sig", "utf-16", "cp1251"
    delimiter: str | None = None  # of a CSV


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


# --- reading ---------------------------------------------------------------------------------


def read_table(content: bytes, filename: str) -> Table:
    """The first sheet-like table of the file, as strings. Raises ``ImportFileError``."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError("import-file-too-large", limit_mb=MAX_FILE_BYTES // (1024 * 1024))
    extension = PurePath(filename or "").suffix.lower().lstrip(".")
    if extension not in TEXT_EXTENSIONS | WORKBOOK_EXTENSIONS:
        raise ImportFileError("import-file-unsupported")
    if not content.strip():
        raise ImportFileError("import-file-empty")
    if content.startswith(_OLE_MAGIC):
        raise ImportFileError("import-file-unsupported")
    # Content beats extension: people rename files, and Telegram keeps whatever name they gave.
    if content.startswith(_ZIP_MAGIC):
        return _read_workbook(content)
    if extension in WORKBOOK_EXTENSIONS:
        raise ImportFileError("import-file-corrupt")
    return _read_text(content)


def _table_from_records(records: Iterator[tuple[int, list[str]]]) -> Table:
    """Header = first non-empty record; trailing empty header cells are dropped."""
    headers: list[str] | None = None
    header_row = 1
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, raw in records:
        # Data cells keep a neutralizing apostrophe until _parse_cell: it marks deliberate text.
        cells = list(raw) if headers is not None else [_unneutralize(cell) for cell in raw]
        if headers is not None:
            # Cells past the last header have no field to go to: they neither count nor show.
            cells = (cells + [""] * len(headers))[: len(headers)]
        if not any(cell.strip() for cell in cells):
            continue
        if headers is None:
            headers, header_row = _header(cells), number
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError("import-file-too-many-rows", limit=MAX_ROWS)
        rows.append(cells)
        numbers.append(number)
    if headers is None:
        raise ImportFileError("import-file-empty")
    if not rows:
        raise ImportFileError("import-file-empty")
    return Table(headers=headers, rows=rows, row_numbers=numbers, header_row=header_row)


def _header(cells: list[str]) -> list[str]:
    headers = _trim_headers(cells)
    # A first row of numbers, dates or phones is data: the file has no header to map.
    if not any(any(ch.isalpha() for ch in header) for header in headers):
        raise ImportFileError("import-file-no-header")
    return headers


def _trim_headers(cells: list[str]) -> list[str]:
    headers = [" ".join(cell.split()) for cell in cells]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _unneutralize(cell: str) -> str:
    # The startswith test spares the regex on the 99.9% of cells without an apostrophe.
    return _NEUTRALIZED.sub("", cell, count=1) if cell.startswith("'") else cell


# --- CSV ---


def _read_text(content: bytes) -> Table:
    text, encoding = _decode(content)
    delimiter = _guess_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        table = _table_from_records((number, record) for number, record in enumerate(reader, 1))
    except csv.Error as exc:  # a field over csv.field_size_limit, a NUL byte
        raise ImportFileError("import-file-corrupt") from exc
    table.encoding = encoding
    table.delimiter = delimiter
    return table


def _decode(content: bytes) -> tuple[str, str]:
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"))
    for bom, codec in (*boms, (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(bom):
            try:
                return content.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise ImportFileError("import-file-encoding") from exc
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_CYRILLIC_RUN.search(content):
        raise ImportFileError("import-file-encoding")
    try:
        return content.decode("cp1251"), "cp1251"
    except UnicodeDecodeError as exc:  # 0x98, the one byte cp1251 leaves undefined
        raise ImportFileError("import-file-encoding") from exc


def _guess_delimiter(text: str) -> str:
    sample = text[:_SNIFF_CHARS]
    truncated = len(text) > len(sample)
    best, best_score = ",", 0
    for delimiter in _DELIMITERS:
        widths = _record_widths(sample, delimiter, truncated)
        if not widths or widths[0] < 2:
            continue
        score = sum(1 for width in widths if width == widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _record_widths(sample: str, delimiter: str, truncated: bool) -> list[int]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    widths: list[int] = []
    try:
        for record in reader:
            if record:  # csv gives [] for a blank line
                widths.append(len(record))
            if len(widths) > _SNIFF_RECORDS:
                break
    except csv.Error:
        return []
    # The last record of a cut sample is probably cut too.
    return widths[:-1] if truncated and len(widths) > 1 else widths


# --- XLSX ---


def _read_workbook(content: bytes) -> Table:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError("import-file-corrupt") from exc
    names = {part.filename.lower() for part in parts}
    if "xl/workbook.xml" not in names:  # a .docx, an .ods, any other zip
        raise ImportFileError("import-file-unsupported")
    # zipfile never inflates a part past its declared size, so the declared sizes are a bound.
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise ImportFileError("import-file-too-large", limit_mb=MAX_FILE_BYTES // (1024 * 1024))
    has_macros = any(name.endswith("vbaproject.bin") for name in names)
    try:
        table = _read_sheet(content, archive)
    except (KeyError, ValueError, TypeError, OSError, ParseError, InvalidFileException) as exc:
        raise ImportFileError("import-file-corrupt") from exc
    if has_macros:
        table.notes.append(NOTE_MACROS)
    return table


def _read_sheet(content: bytes, archive: zipfile.ZipFile) -> Table:
    # openpyxl warns about each Excel feature it drops (data validation, conditional formats,
    # a missing default style); none of them matters for reading values.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        return _read_chosen_sheet(content, archive)


def _read_chosen_sheet(content: bytes, archive: zipfile.ZipFile) -> Table:
    workbook = load_workbook(
        io.BytesIO(content), read_only=True, data_only=True, keep_vba=False, keep_links=False
    )
    try:
        sheets = list(workbook.worksheets)
        for candidate in sheets:
            candidate.reset_dimensions()  # some writers store a wrong <dimension>: read it all
        sheet = _choose_sheet(sheets)
        if sheet is None:
            raise ImportFileError("import-file-empty")
        table = _table_from_records(_sheet_records(sheet))
        if len(sheets) > 1:
            table.notes.append(NOTE_SHEET)
        if len(table.headers) >= MAX_COLUMNS:  # the header reaches the cap: there may be more
            table.notes.append(NOTE_COLUMNS)
        path = getattr(sheet, "_worksheet_path", None)
        if isinstance(path, str) and _has_formulas(archive, path):
            table.notes.append(NOTE_FORMULAS)
        table.sheet = str(sheet.title)
        return table
    finally:
        workbook.close()


def _choose_sheet(sheets: Sequence[Any]) -> Any:
    """The non-empty sheet named "Клиенты"/"Clients" (our export's), else the first non-empty."""
    named = [s for s in sheets if _header_key(str(s.title)) in {"клиенты", "clients"}]
    others = [s for s in sheets if s not in named]
    return next((sheet for sheet in (*named, *others) if _sheet_has_content(sheet)), None)


def _sheet_has_content(sheet: Any) -> bool:
    rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    return any(any(_cell_text(value).strip() for value in row) for row in rows)


def _sheet_records(sheet: Any) -> Iterator[tuple[int, list[str]]]:
    rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    width: int | None = None
    for number, values in enumerate(rows, 1):
        # Rows come padded to MAX_COLUMNS; past the header's width nothing is read anyway.
        cells = [_cell_text(value) for value in values[:width]]
        if width is None and any(cell.strip() for cell in cells):
            width = len(_trim_headers(cells))
        yield number, cells


def _has_formulas(archive: zipfile.ZipFile, path: str) -> bool:
    """Whether the sheet XML has an ``<f>`` element; streamed, the XML can be large."""
    overlap = b""
    with archive.open(path.lstrip("/")) as stream:
        while chunk := stream.read(1024 * 1024):
            if _FORMULA_TAG.search(overlap + chunk):
                return True
            overlap = chunk[-8:]
    return False


def _cell_text(value: object) -> str:
    """A cell value as the text the manager sees: no "1.0", no "7.7e+09", dates day-first."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        day = _date_text(value.date())
        return day if value.time() == time(0) else f"{day} {value:%H:%M}"
    if isinstance(value, date):
        return _date_text(value)
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _number_text(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    # repr is the shortest exact form; Decimal prints it without an exponent.
    return format(Decimal(repr(value)), "f")


def _date_text(value: date) -> str:
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


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


def _header_key(text: str) -> str:
    """Case-, «ё»- and punctuation-insensitive: "E-mail" -> "e mail", "Тел." -> "тел"."""
    folded = text.casefold().replace("ё", "е")
    return " ".join(_NOT_WORD.sub(" ", folded).split())


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
