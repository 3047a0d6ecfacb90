"""Files that cost far more to read than their size suggests, for the import limit tests and
bench/bench_import_bombs.py. Built in memory; the zip parts are streamed into the archive so
that building a gigabyte member never holds the gigabyte."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from tests.support.spreadsheets import xlsx_bytes

_MB = 1024 * 1024
_SHEET = "xl/worksheets/sheet1.xml"
_STRINGS = "xl/sharedStrings.xml"
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Client</t></is></c></row>'
)
_TAIL = b"</sheetData></worksheet>"


def wide_csv_header(columns: int = 1_000_000, rows: int = 100) -> bytes:
    """A 2 MB header of a million columns; every row used to be padded to that width."""
    return b"Client" + b",a" * (columns - 1) + b"\n" + b"Romashka\n" * rows


def many_rows_csv(rows: int = 30_000) -> bytes:
    return b"Client\n" + b"".join(b"Romashka %d\n" % i for i in range(rows))


def blank_lines_csv(lines: int = 5_000_000) -> bytes:
    """5 MB of line breaks after a header: nothing to import, ten million things to skip."""
    return b"Client\nRomashka\n" + b"\n" * lines


def long_cell_csv(chars: int = 5 * _MB) -> bytes:
    return b"Client\n" + b"x" * chars + b"\n"


def _with_part(name: str, write: Callable[[io.BufferedIOBase], None]) -> bytes:
    """A valid one-sheet workbook whose part ``name`` is replaced by what ``write`` streams."""
    base = zipfile.ZipFile(io.BytesIO(xlsx_bytes({"Clients": [["Client"], ["Romashka"]]})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in base.infolist():
            if item.filename != name:
                target.writestr(item.filename, _declared(base, item.filename, name))
        with target.open(name, "w", force_zip64=True) as part:
            write(part)  # type: ignore[arg-type]
    return buffer.getvalue()


def _declared(base: zipfile.ZipFile, filename: str, added: str) -> bytes:
    """The part, with the content type of an added shared strings part declared."""
    data = base.read(filename)
    if filename == "[Content_Types].xml" and added == _STRINGS and b"sharedStrings" not in data:
        override = (
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        data = data.replace(b"</Types>", override + b"</Types>")
    return data


def _repeat(head: bytes, unit: bytes, total: int, tail: bytes) -> Callable[..., None]:
    def write(part: io.BufferedIOBase) -> None:
        part.write(head)
        block = unit * max(1, _MB // len(unit))
        written = 0
        while written < total:
            part.write(block)
            written += len(block)
        part.write(tail)

    return write


def empty_rows_xlsx(unpacked_mb: int) -> bytes:
    """``<row/>`` repeated: 24 MB unpacked is a ~37 KB file, 246 MB a ~360 KB one."""
    return _with_part(_SHEET, _repeat(_HEAD, b"<row/>", unpacked_mb * _MB, _TAIL))


def styled_cells_xlsx(cells: int = 2_000_000) -> bytes:
    """Formatted-but-empty cells: each one parsed, none of them data."""
    unit = b"<row>" + b'<c s="0"/>' * 20 + b"</row>"
    return _with_part(_SHEET, _repeat(_HEAD, unit, cells // 20 * len(unit), _TAIL))


def shared_strings_xlsx(strings: int = 2_000_000) -> bytes:
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    unit = b"<si><t>x</t></si>"
    return _with_part(_STRINGS, _repeat(head, unit, strings * len(unit), b"</sst>"))


def whitespace_member_xlsx(unpacked_mb: int) -> bytes:
    """A sheet padded with spaces between two tags: a plain zip bomb member."""
    unit = b"<row/>" + b" " * 4090  # a tag now and then: not one endless text run
    return _with_part(_SHEET, _repeat(_HEAD, unit, unpacked_mb * _MB, _TAIL))


def long_cell_xlsx(chars: int = 2 * _MB) -> bytes:
    cell = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"x" * chars + b"</t></is></c></row>"
    return _with_part(_SHEET, lambda part: part.write(_HEAD + cell + _TAIL))


def far_row_xlsx() -> bytes:
    """Two rows a million rows apart: must read as two rows, not a million empty ones."""
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Vector</t></is></c></row>'
    second = b'<row r="2"><c r="A2" t="inlineStr"><is><t>Romashka</t></is></c></row>'
    return _with_part(_SHEET, lambda part: part.write(_HEAD + second + far + _TAIL))
