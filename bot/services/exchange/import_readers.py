"""Reading the bytes of /import into a ``Table`` of strings: CSV and XLSX, within the limits.

Every limit of ``import_limits`` is enforced while the file streams in (see there why). Decisions:

* Separator: ``csv.Sniffer`` looks at every character and is fooled by commas inside quoted
  Russian text ("Москва, ул. Ленина"). We parse the first 50 records with the real csv parser
  once per candidate (tab, ``;``, ``,``) and keep the one that splits the header into more than
  one column and gives the most records with the header's column count; quoted separators do
  not count because the parser honours the quotes. Ties go to tab, then ``;`` (what Russian
  Excel writes, and commas are common inside unquoted Russian text), then ``,``.
* XLSX: every XML part is first streamed once through a byte-pattern scan (C-speed) that
  refuses a bomb before openpyxl builds anything; then openpyxl's sheet parser is driven row by
  row here, not through ``iter_rows``, which would invent an empty row for every gap in the row
  numbers (``<row r="1048576">`` = a million rows from a few bytes).
* Macros: a workbook with a VBA project is read for its values only, with a note; openpyxl
  never executes or even parses the VBA part (``keep_vba=False``).
* Formulas: XLSX cells give Excel's cached values (``data_only=True``), with a note.
* Control characters: NUL and the other C0 controls except tab and line breaks are removed from
  every cell. They are invisible, PostgreSQL refuses NUL in text, and XML cannot carry them
  (Excel writes them as "_x0007_", which is decoded here and removed the same way).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import Any, Final
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]
from openpyxl.utils.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    InvalidFileException,
)
from openpyxl.worksheet._reader import (  # type: ignore[import-untyped, unused-ignore]
    WorkSheetParser,
)

from bot.services.exchange import import_limits as limits
from bot.services.exchange.import_encoding import decode
from bot.services.exchange.import_limits import ImportFileError

TEXT_EXTENSIONS: Final = frozenset({"csv", "tsv", "txt"})
WORKBOOK_EXTENSIONS: Final = frozenset({"xlsx", "xlsm"})

NOTE_FORMULAS: Final = "import-note-formulas"
NOTE_SHEET: Final = "import-note-sheet"
NOTE_MACROS: Final = "import-note-macros"
NOTE_COLUMNS: Final = "import-note-columns"

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, or an encrypted workbook
_SNIFF_CHARS = 64 * 1024
_SNIFF_RECORDS = 50
_DELIMITERS = ("\t", ";", ",")  # preference order on ties
_NEUTRALIZED = re.compile(r"^'(?=[=+\-@\t\r'])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# How Excel writes a control character into XML ("_x0007_"); openpyxl leaves it as it is.
_EXCEL_CONTROL = re.compile(r"_x00([01][0-9A-Fa-f])_")
_NOT_WORD = re.compile(r"[\W_]+")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_XML_PART = (".xml", ".rels", ".vml")


@dataclass(slots=True)
class Table:
    headers: list[str]
    rows: list[list[str]]  # each exactly len(headers) cells; fully empty rows are skipped
    sheet: str | None = None  # the sheet read from a workbook
    notes: list[str] = field(default_factory=list)  # i18n keys: "import-note-..."
    # The spreadsheet row of each entry of ``rows`` (header = ``header_row``), for error reports.
    row_numbers: list[int] = field(default_factory=list)
    header_row: int = 1
    encoding: str | None = None  # of a CSV: "utf-8", "utf-8-sig", "utf-16", "cp1251", ...
    delimiter: str | None = None  # of a CSV


def header_key(text: str) -> str:
    """Case-, «ё»- and punctuation-insensitive: "E-mail" -> "e mail", "Тел." -> "тел"."""
    folded = text.casefold().replace("ё", "е")
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def read_table(content: bytes, filename: str) -> Table:
    """The first sheet-like table of the file, as strings. Raises ``ImportFileError``."""
    if len(content) > limits.MAX_FILE_BYTES:
        raise ImportFileError(
            "import-file-too-large", limit_mb=limits.MAX_FILE_BYTES // (1024 * 1024)
        )
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


def read_workbook_tables(content: bytes) -> list[Table]:
    """Every visible sheet of an XLSX that has a header and data, each its own ``Table`` (title
    in ``Table.sheet``), in workbook order: an /export workbook carries eight kinds of records.

    The file-level checks and limits are ``read_table``'s; the row, line and cell budgets apply
    per sheet (the unpacked-size cap still bounds the workbook as a whole). A sheet that is
    empty, has only a header, or has no header row is left out; none left is "empty". The
    macros note goes on the first table only, since it is about the file.
    Raises ``ImportFileError``.
    """
    if len(content) > limits.MAX_FILE_BYTES:
        raise ImportFileError(
            "import-file-too-large", limit_mb=limits.MAX_FILE_BYTES // (1024 * 1024)
        )
    if not content.strip():
        raise ImportFileError("import-file-empty")
    if not content.startswith(_ZIP_MAGIC):
        raise ImportFileError("import-file-unsupported")
    tables = _read_workbook_with(content, _read_all_sheets)
    if not tables:
        raise ImportFileError("import-file-empty")
    return tables


def _table_from_records(records: Iterator[tuple[int, list[str]]]) -> Table:
    """Header = first non-empty record; trailing empty header cells are dropped."""
    headers: list[str] | None = None
    header_row = 1
    rows: list[list[str]] = []
    numbers: list[int] = []
    cells_seen = 0
    for number, raw in records:
        cells_seen += sum(1 for cell in raw if cell)
        if cells_seen > limits.MAX_CELLS:
            raise limits.too_many_cells()
        if any(len(cell) > limits.MAX_CELL_CHARS for cell in raw):
            raise limits.cell_too_long()
        # Data cells keep a neutralizing apostrophe until the cell parser: it marks deliberate
        # text. Cells past the last header have no field to go to: they neither count nor show.
        cells = [_unneutralize(cell) for cell in raw] if headers is None else raw
        if headers is not None:
            cells = (cells + [""] * len(headers))[: len(headers)]
        if not any(cell.strip() for cell in cells):
            continue
        if headers is None:
            headers, header_row = _header(cells), number
            continue
        if len(rows) >= limits.MAX_ROWS:
            raise limits.too_many_rows()
        rows.append(cells)
        numbers.append(number)
    if headers is None or not rows:
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


def _clean(text: str) -> str:
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


# --- CSV ---


def _read_text(content: bytes) -> Table:
    text, encoding = decode(content)
    text = _clean(text)  # once for the whole text: C-speed, and the csv parser never sees NUL
    delimiter = _guess_delimiter(text)
    reader = csv.reader(limits.guarded_lines(text, delimiter), delimiter=delimiter)
    try:
        table = _table_from_records(_csv_records(reader))
    except csv.Error as exc:  # a field over csv.field_size_limit (131,072 characters)
        if "field larger than field limit" in str(exc):
            raise limits.cell_too_long() from exc
        raise ImportFileError("import-file-corrupt") from exc
    if len(table.headers) >= limits.MAX_COLUMNS:  # the header reaches the cap: there may be more
        table.notes.append(NOTE_COLUMNS)
    table.encoding = encoding
    table.delimiter = delimiter
    return table


def _csv_records(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    # Columns past MAX_COLUMNS are not read, as in a workbook; the cap on fields per record
    # (guarded_lines) keeps the record itself small.
    for number, record in enumerate(reader, 1):
        yield number, record[: limits.MAX_COLUMNS]


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
    tables = _read_workbook_with(
        content, lambda book, formulas: [_read_chosen_sheet(book, formulas)]
    )
    return tables[0]


def _read_workbook_with(
    content: bytes, read: Callable[[Any, set[str]], list[Table]]
) -> list[Table]:
    """The checks around reading a workbook; ``read(workbook, formulas)`` reads its sheets."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError("import-file-corrupt") from exc
    names = {part.filename.lower() for part in parts}
    if "xl/workbook.xml" not in names:  # a .docx, an .ods, any other zip
        raise ImportFileError("import-file-unsupported")
    if sum(part.file_size for part in parts) > limits.MAX_UNPACKED_BYTES:
        raise limits.unpacked_too_large(limits.MAX_UNPACKED_BYTES)
    has_macros = any(name.endswith("vbaproject.bin") for name in names)
    try:
        formulas = _scan_parts(archive, parts)
        tables = _read_sheets(content, formulas, read)
    except (
        KeyError, ValueError, TypeError, OSError, ParseError, InvalidFileException, zlib.error,
        zipfile.BadZipFile, EOFError,
        NotImplementedError,  # zipfile: a compression method it can't read
        RuntimeError,  # zipfile: an encrypted member
    ) as exc:  # fmt: skip
        raise ImportFileError("import-file-corrupt") from exc
    if has_macros and tables:
        tables[0].notes.append(NOTE_MACROS)
    return tables


def _scan_parts(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo]) -> set[str]:
    """Stream every XML part once within its limits; the sheets that have formulas."""
    formulas: set[str] = set()
    for part in parts:
        name = part.filename.lower()
        if not name.endswith(_XML_PART) or part.file_size == 0:
            continue  # media and the VBA project are never parsed
        is_sheet = name.startswith("xl/worksheets/") and name.count("/") == 2
        kind = "sheet" if is_sheet else "strings" if name.endswith("sharedstrings.xml") else "other"
        with archive.open(part) as source:
            found = limits.scan_xml(source, kind, formula_tag=_FORMULA_TAG if is_sheet else None)
        if found:
            formulas.add(part.filename)
    return formulas


def _read_sheets(
    content: bytes, formulas: set[str], read: Callable[[Any, set[str]], list[Table]]
) -> list[Table]:
    # openpyxl warns about each Excel feature it drops (data validation, conditional formats,
    # a missing default style); none of them matters for reading values.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        workbook = load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_vba=False, keep_links=False
        )
        try:
            return read(workbook, formulas)
        finally:
            workbook.close()


def _read_chosen_sheet(workbook: Any, formulas: set[str]) -> Table:
    sheets = [s for s in workbook.worksheets if hasattr(s, "_worksheet_path")]
    sheet = _choose_sheet(workbook, sheets)
    if sheet is None:
        raise ImportFileError("import-file-empty")
    table = _table_from_records(_sheet_records(workbook, sheet))
    if len(sheets) > 1:
        table.notes.append(NOTE_SHEET)
    if len(table.headers) >= limits.MAX_COLUMNS:  # the header reaches the cap: there may be more
        table.notes.append(NOTE_COLUMNS)
    if str(sheet._worksheet_path).lstrip("/") in formulas:
        table.notes.append(NOTE_FORMULAS)
    table.sheet = str(sheet.title)
    return table


def _read_all_sheets(workbook: Any, formulas: set[str]) -> list[Table]:
    tables: list[Table] = []
    for sheet in workbook.worksheets:
        if not hasattr(sheet, "_worksheet_path"):  # a chartsheet
            continue
        # A hidden sheet is not what the manager sees and edits (the export's own hidden sheet
        # carries kambot.json, read by workbook_bundle, never as a table).
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        try:
            table = _table_from_records(_sheet_records(workbook, sheet))
        except ImportFileError as exc:
            if exc.key in {"import-file-empty", "import-file-no-header"}:
                continue
            raise
        if len(table.headers) >= limits.MAX_COLUMNS:
            table.notes.append(NOTE_COLUMNS)
        if str(sheet._worksheet_path).lstrip("/") in formulas:
            table.notes.append(NOTE_FORMULAS)
        table.sheet = str(sheet.title)
        tables.append(table)
    return tables


def _choose_sheet(workbook: Any, sheets: Sequence[Any]) -> Any:
    """The non-empty sheet named "Клиенты"/"Clients" (our export's), else the first non-empty."""
    named = [s for s in sheets if header_key(str(s.title)) in {"клиенты", "clients"}]
    others = [s for s in sheets if s not in named]
    candidates = (*named, *others)
    return next((s for s in candidates if _sheet_has_content(workbook, s)), None)


def _sheet_has_content(workbook: Any, sheet: Any) -> bool:
    return any(any(cell.strip() for cell in cells) for _, cells in _sheet_rows(workbook, sheet))


def _sheet_records(workbook: Any, sheet: Any) -> Iterator[tuple[int, list[str]]]:
    width: int | None = None
    for number, cells in _sheet_rows(workbook, sheet):
        # Past the header's width nothing is read anyway.
        cells = cells[:width]
        if width is None and any(cell.strip() for cell in cells):
            width = len(_trim_headers(cells))
        yield number, cells


def _sheet_rows(workbook: Any, sheet: Any) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts of the first MAX_COLUMNS columns) for each <row> in the XML.

    Rows the XML does not have are not invented; every limit is checked as the rows stream.
    """
    lines = cells = 0
    with workbook._archive.open(sheet._worksheet_path) as raw:
        source = limits.CountingReader(raw, limits.MAX_SHEET_XML_BYTES)
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, row in parser.parse():
            lines += 1
            cells += len(row)
            if lines > limits.MAX_LINES:
                raise limits.too_many_lines()
            if cells > limits.MAX_CELLS:
                raise limits.too_many_cells()
            texts: list[str] = []
            for cell in row:
                column = cell["column"]
                if column > limits.MAX_COLUMNS:
                    continue
                if column > len(texts):
                    texts.extend([""] * (column - len(texts)))
                texts[column - 1] = _cell_text(cell["value"])
            yield number, texts


def _cell_text(value: object) -> str:
    """A cell value as the text the manager sees: no "1.0", no "7.7e+09", dates day-first."""
    if value is None:
        return ""
    if isinstance(value, str):
        if "_x00" in value:
            value = _EXCEL_CONTROL.sub(_excel_control, value)
        return _clean(value)
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
    return _clean(str(value))


def _excel_control(match: re.Match[str]) -> str:
    character = chr(int(match.group(1), 16))
    return character if character in "\t\n\r" else ""


def _number_text(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    # repr is the shortest exact form; Decimal prints it without an exponent.
    return format(Decimal(repr(value)), "f")


def _date_text(value: date) -> str:
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
