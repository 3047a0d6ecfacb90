"""Issue 13: imports bounded by what a file produces, control characters, encodings.

Each bomb is checked for the limit that refused it, not for wall time: the XLSX ones must be
refused by the streaming scan, before openpyxl builds anything (load_workbook is made to fail).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date

import pytest

from bot.i18n import Translator
from bot.services.exchange import import_readers
from bot.services.exchange.importing import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_LINES,
    MAX_RECORD_FIELDS,
    MAX_ROWS,
    NOTE_COLUMNS,
    ImportFileError,
    parse_file,
    read_table,
)
from tests.support import bombs
from tests.support.spreadsheets import _rewrite, csv_bytes, russian_clients, xlsx_bytes

TODAY = date(2026, 11, 28)


def refusal(content: bytes, filename: str) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        read_table(content, filename)
    return caught.value


@pytest.fixture
def no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the bomb reached openpyxl")

    monkeypatch.setattr(import_readers, "load_workbook", refuse)


CSV_BOMBS: list[tuple[str, Callable[[], bytes], str, dict[str, int]]] = [
    ("wide header", bombs.wide_csv_header, "import-file-too-many-columns",
     {"limit": MAX_RECORD_FIELDS}),
    ("many rows", bombs.many_rows_csv, "import-file-too-many-rows", {"limit": MAX_ROWS}),
    ("blank lines", bombs.blank_lines_csv, "import-file-too-many-lines", {"limit": MAX_LINES}),
    ("long cell", bombs.long_cell_csv, "import-file-cell-too-long", {"limit": MAX_CELL_CHARS}),
]  # fmt: skip


@pytest.mark.parametrize(("build", "key", "params"), [b[1:] for b in CSV_BOMBS],
                         ids=[b[0] for b in CSV_BOMBS])  # fmt: skip
def test_csv_bombs_are_refused_by_their_limit(
    build: Callable[[], bytes], key: str, params: dict[str, int]
) -> None:
    error = refusal(build(), "bomb.csv")
    assert (error.key, error.params) == (key, params)


XLSX_BOMBS: list[tuple[str, Callable[[], bytes], str, dict[str, int]]] = [
    # 24 MB of <row/> in a ~37 KB file: under every byte limit, refused by counting rows.
    ("row 37 KB", lambda: bombs.empty_rows_xlsx(24), "import-file-too-many-lines",
     {"limit": MAX_LINES}),
    # 246 MB in ~360 KB: the declared sizes are already over the limit.
    ("row 360 KB", lambda: bombs.empty_rows_xlsx(246), "import-file-unpacked-too-large",
     {"limit_mb": 160}),
    ("styled cells", bombs.styled_cells_xlsx, "import-file-too-many-cells", {"limit": MAX_CELLS}),
    ("shared strings", bombs.shared_strings_xlsx, "import-file-too-many-cells",
     {"limit": MAX_CELLS}),
    # 150 MB of padding: under the declared total, stopped by the streaming count of one sheet.
    ("padded sheet", lambda: bombs.whitespace_member_xlsx(150),
     "import-file-unpacked-too-large", {"limit_mb": 64}),
    ("zip bomb", lambda: bombs.whitespace_member_xlsx(200), "import-file-unpacked-too-large",
     {"limit_mb": 160}),
    ("long cell", bombs.long_cell_xlsx, "import-file-cell-too-long", {"limit": MAX_CELL_CHARS}),
]  # fmt: skip


@pytest.mark.usefixtures("no_openpyxl")
@pytest.mark.parametrize(("build", "key", "params"), [b[1:] for b in XLSX_BOMBS],
                         ids=[b[0] for b in XLSX_BOMBS])  # fmt: skip
def test_xlsx_bombs_are_refused_before_openpyxl_parses_them(
    build: Callable[[], bytes], key: str, params: dict[str, int]
) -> None:
    error = refusal(build(), "bomb.xlsx")
    assert (error.key, error.params) == (key, params)


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("bomb", [*CSV_BOMBS, *XLSX_BOMBS], ids=lambda b: b[0])
def test_every_refusal_says_the_limit_in_both_languages(
    lang: str, bomb: tuple[str, Callable[[], bytes], str, dict[str, int]]
) -> None:
    _, _, key, params = bomb
    text = Translator(lang)(key, **params)
    assert text != key
    shown = f"{next(iter(params.values())):,}".replace(",", "\xa0" if lang == "ru" else ",")
    assert shown in text, text


def test_a_row_a_million_rows_down_is_two_rows_not_a_million() -> None:
    table = read_table(bombs.far_row_xlsx(), "far.xlsx")
    assert [row[0] for row in table.rows] == ["Romashka", "Vector"]
    assert table.row_numbers == [2, 1_048_576]


def test_a_csv_wider_than_the_column_cap_reads_the_first_columns_with_a_note() -> None:
    headers = ["Клиент", *(f"Колонка {i}" for i in range(2, MAX_COLUMNS + 51))]
    table = read_table(csv_bytes([headers, ["Ромашка", *range(2, MAX_COLUMNS + 51)]]), "w.csv")
    assert len(table.headers) == MAX_COLUMNS
    assert len(table.rows[0]) == MAX_COLUMNS
    assert NOTE_COLUMNS in table.notes


def test_quoted_separators_do_not_count_as_columns() -> None:
    cell = '"' + "a;" * (MAX_RECORD_FIELDS + 10) + '"'
    content = f"Клиент;Комментарий\nРомашка;{cell}\n".encode()
    assert read_table(content, "q.csv").rows[0][0] == "Ромашка"


def test_a_real_base_of_the_row_limit_still_imports() -> None:
    content = xlsx_bytes({"Клиенты": russian_clients(MAX_ROWS)})
    result = parse_file(content, "base.xlsx", TODAY)
    assert len(result.clients) == MAX_ROWS
    assert result.parsed.errors == []


# --- control characters ---


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_nul_and_other_control_characters_are_removed(kind: str) -> None:
    rows = [["Клиент", "Должность"], ["Ром\x00ашка\x07", "закупки\nопт\x1f"]]
    if kind == "csv":
        content = csv_bytes(rows)
    else:
        # XML cannot carry them: Excel writes "_x0007_", which openpyxl leaves as it is.
        content = xlsx_bytes({"Clients": [rows[0], ["ROMA", "ROLE"]]})
        sheet = "xl/worksheets/sheet1.xml"
        xml = zipfile.ZipFile(io.BytesIO(content)).read(sheet).decode()
        xml = xml.replace("ROMA", "Ром_x0000_ашка_x0007_")
        xml = xml.replace("ROLE", "закупки_x000A_опт_x001F_")
        content = _rewrite(content, {sheet: xml.encode()}, {})
    table = read_table(content, f"base.{kind}")
    assert table.rows == [["Ромашка", "закупки\nопт"]]


# --- encodings ---

# KOI8-R has no «»: the base uses plain quotes.
BASE = [[cell.replace("«", '"').replace("»", '"') for cell in row] for row in russian_clients(30)]


HEADER_ONLY = [["Клиент", "Телефон", "Контактное лицо"], ["Ромашка", "+7 999 123-45-67", "Иван"]]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("koi8-r", "koi8-r"), ("cp1251", "cp1251"), ("utf-16-le", "utf-16-le"),
     ("utf-16-be", "utf-16-be")],
)  # fmt: skip
@pytest.mark.parametrize("rows", [HEADER_ONLY, BASE], ids=["short", "base"])
def test_encodings_without_a_bom_are_recognised(
    encoding: str, expected: str, rows: list[list[str]]
) -> None:
    table = read_table(csv_bytes(rows, encoding=encoding, delimiter=";"), "base.csv")
    assert table.encoding == expected
    assert table.headers == [" ".join(h.split()) for h in rows[0]]
    assert table.rows[0][0] == rows[1][0]


def test_koi8_r_russian_base_imports_with_the_right_names() -> None:
    result = parse_file(csv_bytes(BASE, encoding="koi8-r", delimiter=";"), "base.csv", TODAY)
    assert result.parsed.errors == []
    assert result.clients[1].name == 'ООО "Ромашка-1"'


def test_utf16_with_a_bom_still_works() -> None:
    content = csv_bytes(HEADER_ONLY, encoding="utf-16", delimiter="\t")
    assert read_table(content, "base.txt").rows[0][0] == "Ромашка"


def test_bytes_that_are_no_russian_in_any_code_page_get_the_encoding_message() -> None:
    # Valid in KOI8-R only (0x98 is undefined in Windows-1251), and as KOI8-R it is salad.
    content = "Клиент;Ромашка\n".encode("cp1251") + b"\x98\n"
    assert refusal(content, "x.csv").key == "import-file-encoding"
