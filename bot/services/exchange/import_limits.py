"""What an import may cost, enforced while the file is read, never after.

A file's size says little about its cost: a 37 KB XLSX unpacks to 24 MB of ``<row/>``, a 2 MB
CSV header can hold a million columns. Every limit here bounds what a file *produces* (rows,
columns, cells, unpacked XML, one cell's length) and is checked as the bytes stream in, so a
bomb is refused after reading about as much as the limit, in well under a second.

The numbers come from what a real base needs: a 20,000-row base with 15-20 columns is ~400,000
cells and its sheet XML 10-20 MB (Excel's shared strings) or ~17 MB (inline strings, what
openpyxl and our own export write).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterator
from typing import IO, Final

MAX_FILE_BYTES: Final = 10 * 1024 * 1024
# Non-empty data rows: what the manager can have checked in one preview.
MAX_ROWS: Final = 20_000
# Rows including empty ones (CSV lines, XLSX <row> elements): empty rows cost a parse too, and a
# file of ten million line breaks must not take seconds to find nothing in.
MAX_LINES: Final = 100_000
# Columns past this are not read (with a note): no client base has a hundred meaningful
# columns, but a sheet with formatted-but-empty columns is common and must still import.
MAX_COLUMNS: Final = 100
# A record with more fields than this is refused outright: it is not a client base, and even
# splitting it into fields would cost memory in proportion (a 2 MB header = a million fields).
MAX_RECORD_FIELDS: Final = 1_000
# Cells (CSV fields, XLSX <c> elements, formatted-empty included: they are parsed too).
# 20,000 rows x 50 columns; openpyxl parses ~50,000-100,000 cells a second.
MAX_CELLS: Final = 1_000_000
# One cell: Excel's own limit. Longer text is no name, phone or note anyone typed.
MAX_CELL_CHARS: Final = 32_767
# Unpacked XML of one worksheet, and of the shared strings, counted while it streams.
MAX_SHEET_XML_BYTES: Final = 64 * 1024 * 1024
MAX_STRINGS_XML_BYTES: Final = 32 * 1024 * 1024
# Any other XML part openpyxl parses whole (styles, workbook, rels): real ones are kilobytes,
# a bloated corporate styles.xml a few MB.
MAX_OTHER_XML_BYTES: Final = 16 * 1024 * 1024
MAX_OTHER_XML_ELEMENTS: Final = 500_000
# The declared sizes of all parts together; zipfile never inflates a part past its declared
# size, so this is a true bound on everything that could be read.
MAX_UNPACKED_BYTES: Final = 160 * 1024 * 1024
# Text between two tags longer than this (in bytes) is certainly over MAX_CELL_CHARS (an XML
# character takes at most 6 bytes, "&quot;"), so the scan refuses it without parsing. The scan
# is sure to see runs over twice this; shorter ones are caught when the cell is read.
_MAX_TEXT_RUN_BYTES: Final = 6 * MAX_CELL_CHARS + 64

_CHUNK: Final = 256 * 1024


class ImportFileError(Exception):
    """A whole-file problem: ``key`` is the i18n key, ``params`` its arguments.

    The arguments are stored as ``params``, not ``args``: ``Exception.args`` is a tuple that
    pickling and tracebacks rely on.
    """

    def __init__(self, key: str, **params: str | int) -> None:
        super().__init__(key)
        self.key = key
        self.params: dict[str, str | int] = params


def too_many_rows() -> ImportFileError:
    return ImportFileError("import-file-too-many-rows", limit=MAX_ROWS)


def too_many_lines() -> ImportFileError:
    return ImportFileError("import-file-too-many-lines", limit=MAX_LINES)


def too_many_cells() -> ImportFileError:
    return ImportFileError("import-file-too-many-cells", limit=MAX_CELLS)


def too_many_columns() -> ImportFileError:
    return ImportFileError("import-file-too-many-columns", limit=MAX_RECORD_FIELDS)


def cell_too_long() -> ImportFileError:
    return ImportFileError("import-file-cell-too-long", limit=MAX_CELL_CHARS)


def unpacked_too_large(limit_bytes: int) -> ImportFileError:
    return ImportFileError("import-file-unpacked-too-large", limit_mb=limit_bytes // 2**20)


class CountingReader(io.RawIOBase):
    """A binary stream that refuses to yield more than ``limit`` bytes in total.

    Wrapped around a zip member, it measures the unpacked XML as the parser pulls it, so a
    bomb stops at the limit instead of after the parser has built it.
    """

    def __init__(self, source: IO[bytes], limit: int) -> None:
        super().__init__()
        self._source = source
        self._limit = limit
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        want = _CHUNK if size is None or size < 0 else size
        # One byte past the limit is enough to know it is exceeded.
        data = self._source.read(min(want, self._limit - self.count + 1))
        self.count += len(data)
        if self.count > self._limit:
            raise unpacked_too_large(self._limit)
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def scan_xml(source: IO[bytes], kind: str, formula_tag: re.Pattern[bytes] | None = None) -> bool:
    """Stream one zip member once, refusing it as soon as it exceeds the limits of its kind.

    ``kind`` is "sheet", "strings" or "other". Counting is by byte patterns on chunks, which is
    C-speed: a 246 MB ``<row/>`` sheet is refused after its first chunk. Returns whether
    ``formula_tag`` occurs (a sheet's formulas, found in the same pass).
    """
    found = False
    limit = {
        "sheet": MAX_SHEET_XML_BYTES,
        "strings": MAX_STRINGS_XML_BYTES,
        "other": MAX_OTHER_XML_BYTES,
    }[kind]
    stream = CountingReader(source, limit)
    rows = cells = strings = elements = 0
    carry = b""
    while chunk := stream.read(_CHUNK):
        if kind == "other":  # a "<" cannot be cut in two: no carry needed
            elements += chunk.count(b"<")
            if elements > MAX_OTHER_XML_ELEMENTS:
                raise unpacked_too_large(MAX_OTHER_XML_BYTES)
            continue
        data = carry + chunk
        # Count only up to the last "<": a tag cut by the chunk boundary is counted next time.
        cut = data.rfind(b"<")
        whole, carry = (data[:cut], data[cut:]) if cut > 0 else (b"", data)
        # Cell text lives in sheets and shared strings: other parts have only the byte and
        # element limits.
        if len(carry) > _MAX_TEXT_RUN_BYTES or _longest_text(whole) > _MAX_TEXT_RUN_BYTES:
            raise cell_too_long()
        if formula_tag is not None and not found:
            found = formula_tag.search(whole) is not None
        if kind == "sheet":
            rows += _count_tag(whole, b"row")
            cells += _count_tag(whole, b"c")
            if rows > MAX_LINES:
                raise too_many_lines()
            if cells > MAX_CELLS:
                raise too_many_cells()
        else:
            strings += _count_tag(whole, b"si")
            if strings > MAX_CELLS:
                raise too_many_cells()
    return found


def _count_tag(data: bytes, name: bytes) -> int:
    """Opening (and empty) elements ``name``, counted from above: ``"<c"`` also counts the
    ``<col>``/``<cfRule>`` of a sheet (a few, at most 16,384 column ranges), which is noise
    next to the limits, and one bytes.count is 5-20 times faster than an exact regex. A
    namespace prefix ("<x:row>", written by some .NET tools) is rare and gets the regex."""
    count = data.count(b"<" + name)
    if b":" + name in data:
        count += len(_prefixed(name).findall(data))
    return count


@functools.cache
def _prefixed(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"<[A-Za-z_][\w.-]*:" + re.escape(name) + rb"[\s/>]")


def _longest_text(data: bytes) -> int:
    """A lower bound of the longest text run, exact enough to catch every run over twice the
    limit: a "<" is looked for from every _MAX_TEXT_RUN_BYTES-th byte (a few finds a chunk),
    instead of splitting the chunk at every tag."""
    longest, step = 0, _MAX_TEXT_RUN_BYTES
    for start in range(0, len(data), step):
        end = data.find(b"<", start)
        longest = max(longest, (len(data) if end < 0 else end) - start)
    return longest


def guarded_lines(text: str, delimiter: str) -> Iterator[str]:
    """The physical lines of a CSV text, for ``csv.reader``, refusing absurd widths early.

    A line with more than MAX_RECORD_FIELDS separators outside quotes would make the csv
    module build a list of as many strings; it is refused before it is split. Counting
    separators is C-speed, the quote-aware recount runs only for such lines.
    """
    for number, line in enumerate(io.StringIO(text, newline=""), 1):
        if number > MAX_LINES:
            raise too_many_lines()
        if (
            line.count(delimiter) >= MAX_RECORD_FIELDS
            and _unquoted(line).count(delimiter) >= MAX_RECORD_FIELDS
        ):
            raise too_many_columns()
        yield line


_QUOTED = re.compile(r'"[^"]*"')


def _unquoted(line: str) -> str:
    # A doubled quote inside a quoted field is two adjacent quoted segments: removed as well.
    return _QUOTED.sub("", line)
