"""Reading a manager's spreadsheet: encodings, separators, workbooks, limits, checks, merging."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest

from bot.services.crm.birthdays import Birthday
from bot.services.exchange.importing import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    NOTE_COLUMNS,
    NOTE_FORMULAS,
    NOTE_MACROS,
    NOTE_SHEET,
    ColumnMapping,
    ImportFileError,
    ImportRow,
    ParsedImport,
    RowError,
    Table,
    group_clients,
    map_columns,
    parse_file,
    parse_rows,
    preview,
    read_table,
)
from tests.support.spreadsheets import (
    Rows,
    csv_bytes,
    inn10,
    inn12,
    russian_clients,
    with_cached_formulas,
    with_vba_project,
    xlsx_bytes,
)

TODAY = date(2026, 11, 28)
INN = inn10(1)
INN_2 = inn10(2)


def file_error(content: bytes, filename: str = "base.csv") -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        read_table(content, filename)
    return caught.value


def parse(rows: Rows, **csv_options: object) -> ParsedImport:
    table = read_table(csv_bytes(rows, **csv_options), "base.csv")  # type: ignore[arg-type]
    return parse_rows(table, map_columns(table.headers), TODAY)


def only_row(rows: Rows) -> ImportRow:
    parsed = parse(rows)
    assert parsed.errors == []
    assert len(parsed.rows) == 1
    return parsed.rows[0]


# --- CSV: encodings and separators -----------------------------------------------------------


def test_windows_1251_semicolon_base_of_100_russian_clients() -> None:
    content = csv_bytes(russian_clients(100), encoding="cp1251", delimiter=";")

    result = parse_file(content, "Клиенты.csv", TODAY)

    assert (result.table.encoding, result.table.delimiter) == ("cp1251", ";")
    assert len(result.table.rows) == 100
    assert result.parsed.errors == []
    assert len(result.clients) == 100
    assert result.mapping.ignored == ["Адрес", "Комментарий"]
    first = result.parsed.rows[0]
    assert first.row == 2
    assert first.client_name == 'АО "Вектор 0"'
    assert first.tax_id == inn12(2000)
    assert first.contact_name == "Иван Иванов"
    assert first.contact_email == "client0@example.ru"
    assert first.birthday == Birthday(1, 1, None)  # "1 января"
    assert first.tags == ("ключевой", "опт")
    assert result.parsed.rows[1].birthday == Birthday(2, 2, 1961)
    assert result.parsed.rows[1].tags == ("розница", "москва")
    # The comment has a ";" and a line break inside quotes: still one cell of one row.
    comment = result.table.headers.index("Комментарий")
    assert result.table.rows[0][comment] == "Первый звонок в пятницу;\nпросил КП, скидка 5,5%"
    assert result.table.row_numbers[:3] == [2, 3, 4]


def test_utf8_with_bom() -> None:
    content = csv_bytes([["Клиент", "ИНН"], ["Ёлка", INN]], bom=True, delimiter=";")

    table = read_table(content, "base.csv")

    assert table.encoding == "utf-8-sig"
    assert table.headers == ["Клиент", "ИНН"]
    assert table.rows == [["Ёлка", INN]]


def test_utf8_without_bom_is_utf8_even_with_cp1251_lookalike_bytes() -> None:
    table = read_table(csv_bytes([["Клиент"], ["Рёбра «Ёж»"]]), "base.csv")

    assert table.encoding == "utf-8"
    assert table.rows == [["Рёбра «Ёж»"]]


def test_cp1251_with_quotes_and_yo_is_not_taken_for_mixed() -> None:
    rows: Rows = [["Клиент", "Контакт"], ["ООО «Ёлки-Палки»", "Пётр Ёжиков №1"]]

    table = read_table(csv_bytes(rows, encoding="cp1251", delimiter=";"), "base.csv")

    assert table.encoding == "cp1251"
    assert table.rows == [["ООО «Ёлки-Палки»", "Пётр Ёжиков №1"]]


def test_utf16_from_excel_unicode_text() -> None:
    content = csv_bytes([["Клиент", "ИНН"], ["Ромашка", INN]], delimiter="\t")
    utf16 = "\ufeff".encode("utf-16-le") + content.decode().encode("utf-16-le")

    assert read_table(utf16, "base.txt").rows == [["Ромашка", INN]]


def test_tab_separated() -> None:
    rows: Rows = [
        ["Клиент", "Телефон", "Теги"],
        ["Ромашка, ООО", "+7 916 123-45-67", "a; b"],
    ]

    table = read_table(csv_bytes(rows, delimiter="\t"), "base.tsv")

    assert table.delimiter == "\t"
    assert table.rows == [["Ромашка, ООО", "+7 916 123-45-67", "a; b"]]


def test_comma_csv_with_quoted_commas_semicolons_and_newlines() -> None:
    rows: Rows = [
        ["Company", "Address", "Comment"],
        ["Romashka, LLC", "Moscow, Lenina st., 1", "line one\nline two; still a cell"],
        ["Vector", "Kazan, Baumana st., 2", "x,y,z;q"],
    ]

    table = read_table(csv_bytes(rows, delimiter=","), "base.csv")

    assert table.delimiter == ","
    assert table.rows == [list(map(str, row)) for row in rows[1:]]
    # Excel shows a quoted multi-line cell in one row: numbering follows records, not lines.
    assert table.row_numbers == [2, 3]


def test_semicolon_csv_with_unquoted_commas_in_text() -> None:
    content = "Клиент;Адрес\nРомашка;Москва, Ленина, 1\nВектор;Казань, Баумана, 2\n".encode()

    table = read_table(content, "base.csv")

    assert table.delimiter == ";"
    assert table.rows[1] == ["Вектор", "Казань, Баумана, 2"]


def test_single_column_file() -> None:
    table = read_table("Клиент\nРомашка\nВектор\n".encode(), "base.csv")

    assert table.headers == ["Клиент"]
    assert table.rows == [["Ромашка"], ["Вектор"]]


@pytest.mark.parametrize(
    "content",
    [
        # the header written by a UTF-8 tool, rows appended by Russian Excel
        "Клиент;ИНН\n".encode() + "Ромашка;1\n".encode("cp1251"),
        # one line, two cells, two encodings
        "Ромашка;".encode("cp1251") + "Вектор\n".encode(),
        # valid in neither: 0x98 is undefined in Windows-1251
        b"\xcf\xf0\xe8\xe2\xe5\xf2;\x98\n",
    ],
    ids=["rows", "cells", "neither"],
)
def test_mixed_encodings_are_refused(content: bytes) -> None:
    assert file_error(content).key == "import-file-encoding"


def test_utf8_bom_with_cp1251_inside_is_refused() -> None:
    content = b"\xef\xbb\xbf" + "Клиент\n".encode() + "Ромашка\n".encode("cp1251")

    assert file_error(content).key == "import-file-encoding"


# --- whole-file problems ---------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \r\n", b";;;\r\n;;\r\n", b"\xef\xbb\xbf"])
def test_empty_file(content: bytes) -> None:
    assert file_error(content).key == "import-file-empty"


def test_header_only_is_empty() -> None:
    assert file_error(csv_bytes([["Клиент", "ИНН"], ["", ""]])).key == "import-file-empty"


def test_first_row_of_numbers_is_no_header() -> None:
    error = file_error(csv_bytes([[INN, "+79161234567"], [INN_2, "+79161234568"]]))

    assert error.key == "import-file-no-header"


def test_no_client_column_lists_the_headers_found() -> None:
    table = read_table(csv_bytes([["ИНН", "Адрес", ""], [INN, "Москва", ""]]), "base.csv")

    with pytest.raises(ImportFileError) as caught:
        parse_rows(table, map_columns(table.headers), TODAY)

    assert caught.value.key == "import-file-no-client-column"
    assert caught.value.params == {"headers": "ИНН, Адрес"}


@pytest.mark.parametrize("filename", ["base.csv", "base.xlsx"])
def test_30_mb_file_is_refused_before_parsing(filename: str) -> None:
    content = b"A" * (30 * 1024 * 1024)

    error = file_error(content, filename)

    assert (error.key, error.params) == ("import-file-too-large", {"limit_mb": 10})


def test_file_at_the_size_limit_is_read() -> None:
    header = b"Client;Comment\n"
    line = b"x;" + b"y" * 1021 + b"\n"
    count, rest = divmod(MAX_FILE_BYTES - len(header), len(line))
    content = header + line * count + b"z" * rest

    table = read_table(content, "base.csv")

    assert len(content) == MAX_FILE_BYTES
    assert len(table.rows) == count + 1


def test_a_cell_beyond_the_csv_field_limit_is_refused_as_too_long() -> None:
    content = b"Client\n" + b"x" * 200_000 + b"\n"

    error = file_error(content)
    assert (error.key, error.params) == ("import-file-cell-too-long", {"limit": 32_767})


def test_20001_rows_are_too_many_and_20000_are_fine() -> None:
    body = "".join(f"Клиент {i}\n" for i in range(MAX_ROWS))
    exactly = ("Клиент\n" + body).encode()
    assert len(read_table(exactly, "base.csv").rows) == MAX_ROWS

    error = file_error(exactly + "Ещё один\n".encode())

    assert (error.key, error.params) == ("import-file-too-many-rows", {"limit": 20_000})


def test_blank_rows_do_not_count_toward_the_row_limit() -> None:
    content = ("Клиент\n" + "\n" * (MAX_ROWS + 10) + "Ромашка\n").encode()

    table = read_table(content, "base.csv")

    assert table.rows == [["Ромашка"]]
    assert table.row_numbers == [MAX_ROWS + 12]


@pytest.mark.parametrize(
    ("content", "filename", "key"),
    [
        (b"%PDF-1.4", "base.pdf", "import-file-unsupported"),
        (b"Client\nx\n", "base", "import-file-unsupported"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "base.xls", "import-file-unsupported"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "base.xlsx", "import-file-unsupported"),
        (b"Client\nx\n", "base.xlsx", "import-file-corrupt"),
        (b"PK\x03\x04 truncated", "base.xlsx", "import-file-corrupt"),
    ],
    ids=["pdf", "no-extension", "xls", "encrypted-xlsx", "text-as-xlsx", "broken-zip"],
)
def test_unsupported_and_corrupt_files(content: bytes, filename: str, key: str) -> None:
    assert file_error(content, filename).key == key


def test_a_zip_that_is_not_a_workbook_is_unsupported() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")

    assert file_error(buffer.getvalue(), "base.xlsx").key == "import-file-unsupported"


@pytest.mark.parametrize(
    ("method", "flags"),
    [(99, 0), (0, 0x1)],  # 99: AES, a method zipfile can't read; flag bit 0: encrypted
    ids=["unsupported-compression", "encrypted"],
)
def test_a_workbook_zipfile_cannot_open_is_corrupt(method: int, flags: int) -> None:
    """Found by the fuzz test: a garbled compression method escaped as NotImplementedError."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes({"Clients": [["Client"], ["x"]]})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            archive.writestr(item.filename, source.read(item.filename))
    data = bytearray(buffer.getvalue())
    for signature, method_at, flags_at in ((b"PK\x03\x04", 8, 6), (b"PK\x01\x02", 10, 8)):
        start = data.find(signature)
        while start != -1:
            if method:
                data[start + method_at : start + method_at + 2] = method.to_bytes(2, "little")
            data[start + flags_at] |= flags
            start = data.find(signature, start + 4)

    assert file_error(bytes(data), "base.xlsx").key == "import-file-corrupt"


def test_a_workbook_with_a_broken_sheet_is_corrupt() -> None:
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes({"Clients": [["Client"], ["x"]]})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            archive.writestr(item.filename, data)

    assert file_error(buffer.getvalue(), "base.xlsx").key == "import-file-corrupt"


def test_renamed_workbook_is_read_by_content() -> None:
    content = xlsx_bytes({"Лист1": [["Клиент"], ["Ромашка"]]})

    assert read_table(content, "base.csv").rows == [["Ромашка"]]


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_dates_numbers_and_blank_rows() -> None:
    content = xlsx_bytes(
        {
            "Лист1": [
                ["Клиент", "ИНН", "Телефон", "Дата рождения", "Частота контакта", "Ключевой"],
                # Excel cells have no time zone: openpyxl gives naive datetimes.
                ["Ромашка", int(INN), 79161234567, datetime(1980, 3, 12), 14, True],  # noqa: DTZ001
                [None, None, None, None, None, None],
                ["Вектор", float(inn12(5)), 7.9161234568e10, date(1975, 12, 1), 30.0, False],
            ]
        }
    )

    table = read_table(content, "base.xlsx")
    parsed = parse_rows(table, map_columns(table.headers), TODAY)

    assert table.rows[0][:5] == ["Ромашка", INN, "79161234567", "12.03.1980", "14"]
    assert table.rows[1][1] == inn12(5)
    assert table.rows[1][2] == "79161234568"
    assert table.row_numbers == [2, 4]
    assert parsed.errors == []
    first, second = parsed.rows
    assert (first.birthday, first.cadence_days, first.tier) == (Birthday(12, 3, 1980), 14, "key")
    assert (second.birthday, second.tier, second.row) == (Birthday(1, 12, 1975), "regular", 4)
    assert first.contact_name == "Ромашка"  # a birthday with no person column: the client is one


def test_xlsx_formulas_give_their_cached_values_with_a_note() -> None:
    content = xlsx_bytes({"Clients": [["Client", "Tax ID"], ["placeholder", "placeholder"]]})
    content = with_cached_formulas(
        content,
        {"A2": ('CONCATENATE("Рома","шка")', "Ромашка"), "B2": ("7707083893*1", 7707083893)},
    )

    table = read_table(content, "base.xlsx")

    assert table.rows == [["Ромашка", "7707083893"]]
    assert NOTE_FORMULAS in table.notes


def test_xlsx_without_formulas_has_no_formula_note() -> None:
    table = read_table(xlsx_bytes({"Clients": [["Client"], ["Ромашка"]]}), "base.xlsx")

    assert table.notes == []
    assert table.sheet == "Clients"


def test_xlsx_sheet_named_clients_wins_over_the_first() -> None:
    content = xlsx_bytes(
        {
            "Сводка": [["Итого", 5]],
            "КЛИЕНТЫ": [["Клиент"], ["Ромашка"]],
            "Касания": [["Клиент", "Когда"], ["Ромашка", "вчера"]],
        }
    )

    table = read_table(content, "base.xlsx")

    assert table.sheet == "КЛИЕНТЫ"
    assert table.rows == [["Ромашка"]]
    assert NOTE_SHEET in table.notes


def test_xlsx_first_non_empty_sheet_otherwise() -> None:
    content = xlsx_bytes({"Пустой": [], "База": [["Компания"], ["Ромашка"]], "Ещё": [["x"]]})

    table = read_table(content, "base.xlsx")

    assert table.sheet == "База"
    assert NOTE_SHEET in table.notes


def test_an_empty_clients_sheet_does_not_hide_the_data() -> None:
    content = xlsx_bytes({"Клиенты": [], "Лист2": [["Клиент"], ["Ромашка"]]})

    assert read_table(content, "base.xlsx").sheet == "Лист2"


def test_xlsx_wider_than_the_column_limit_is_cut_with_a_note() -> None:
    headers = ["Клиент", *(f"Колонка {i}" for i in range(2, MAX_COLUMNS + 21))]
    content = xlsx_bytes({"Клиенты": [headers, ["Ромашка", *range(2, MAX_COLUMNS + 21)]]})

    table = read_table(content, "base.xlsx")

    assert len(table.headers) == MAX_COLUMNS
    assert table.rows[0][:2] == ["Ромашка", "2"]
    assert NOTE_COLUMNS in table.notes


def test_xlsx_with_only_empty_sheets_is_empty() -> None:
    assert file_error(xlsx_bytes({"A": [], "B": [[None]]}), "base.xlsx").key == "import-file-empty"


def test_xlsm_with_macros_is_read_for_values_only() -> None:
    content = with_vba_project(xlsx_bytes({"Клиенты": [["Клиент"], ["Ромашка"]]}))
    assert "xl/vbaProject.bin" in zipfile.ZipFile(io.BytesIO(content)).namelist()

    table = read_table(content, "base.xlsm")

    assert table.rows == [["Ромашка"]]
    assert NOTE_MACROS in table.notes


def test_xlsx_too_many_rows() -> None:
    rows: Rows = [["Клиент"], *([f"Клиент {i}"] for i in range(MAX_ROWS + 1))]

    error = file_error(xlsx_bytes({"Клиенты": rows}), "base.xlsx")

    assert error.key == "import-file-too-many-rows"


# --- columns ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Клиент", "client"),
        ("Компания", "client"),
        ("ОРГАНИЗАЦИЯ", "client"),
        ("Наименование", "client"),
        ("Название", "client"),
        ("Client", "client"),
        ("Company", "client"),
        ("Account", "client"),
        ("ИНН", "tax_id"),
        ("INN", "tax_id"),
        ("Tax ID", "tax_id"),
        ("VAT", "tax_id"),
        ("Телефон", "phone"),
        ("Тел.", "phone"),
        ("Phone", "phone"),
        ("Tel", "phone"),
        ("Контакт", "contact_name"),
        ("ЛПР", "contact_name"),
        ("Контактное лицо", "contact_name"),
        ("Decision maker", "contact_name"),
        ("Decision-maker", "contact_name"),
        ("Person", "contact_name"),
        ("Должность", "contact_role"),
        ("Роль", "contact_role"),
        ("Position", "contact_role"),
        ("Title", "contact_role"),
        ("Телефон контакта", "contact_phone"),
        ("Моб.", "contact_phone"),
        ("Мобильный", "contact_phone"),
        ("Contact phone", "contact_phone"),
        ("Mobile", "contact_phone"),
        ("Email", "contact_email"),
        ("E-mail", "contact_email"),
        ("Почта", "contact_email"),
        ("Эл. почта", "contact_email"),
        ("День рождения", "birthday"),
        ("ДР", "birthday"),
        ("Дата рождения", "birthday"),
        ("Birthday", "birthday"),
        ("DOB", "birthday"),
        ("Date of birth", "birthday"),
        ("Теги", "tags"),
        ("Метки", "tags"),
        ("Tags", "tags"),
        ("Labels", "tags"),
        ("Сегмент", "segment"),
        ("Segment", "segment"),
        ("Уровень", "tier"),
        ("Категория", "tier"),
        ("Ключевой", "tier"),
        ("Tier", "tier"),
        ("Key account", "tier"),
        ("Статус", "status"),
        ("Status", "status"),
        ("Частота контакта", "cadence"),
        ("Каденция", "cadence"),
        ("Интервал", "cadence"),
        ("Cadence", "cadence"),
        ("Канал", "channel"),
        ("Предпочтительный канал", "channel"),
        ("Channel", "channel"),
        ("  «Клиент»: ", "client"),
        ("ТЕЛЕФОН КОНТАКТА", "contact_phone"),
    ],
)
def test_header_names(header: str, field: str) -> None:
    mapping = map_columns(["x", header])

    assert mapping.columns == {field: 1}
    assert mapping.ignored == ["x"]


def test_headers_are_yo_insensitive() -> None:
    assert map_columns(["Ёмкость", "Телефон контакта"]).columns == {"contact_phone": 1}
    assert map_columns(["Частота контакта"]).columns == map_columns(["частота контакта"]).columns


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Name", "Phone"], {"client": 0, "phone": 1}),
        (["ФИО", "Телефон", "ДР"], {"client": 0, "phone": 1, "birthday": 2}),
        (["Company", "Name"], {"client": 0, "contact_name": 1}),
        (["Name", "Company"], {"contact_name": 0, "client": 1}),
        (["Компания", "ЛПР", "ФИО"], {"client": 0, "contact_name": 1}),
    ],
)
def test_a_bare_name_column_is_the_client_unless_another_names_it(
    headers: list[str], expected: dict[str, int]
) -> None:
    assert map_columns(headers).columns == expected


def test_near_miss_spellings_are_recognised() -> None:
    mapping = map_columns(["Наименовние", "Телефн", "Дата рожденя", "Должнсть"])

    assert mapping.columns == {"client": 0, "phone": 1, "birthday": 2, "contact_role": 3}
    assert mapping.ignored == []


def test_short_and_unrelated_headers_are_not_guessed() -> None:
    mapping = map_columns(["Клиент", "Тег?", "Сумма", "Адрес", "Примечание"])

    assert mapping.columns["client"] == 0
    assert "Сумма" in mapping.ignored
    assert "Адрес" in mapping.ignored


def test_the_first_of_two_columns_for_one_field_wins() -> None:
    mapping = map_columns(["Клиент", "Телефон", "Компания", "Тел."])

    assert mapping.columns == {"client": 0, "phone": 1}
    assert mapping.ignored == ["Компания", "Тел."]


def test_our_informational_columns_are_known_but_not_imported() -> None:
    mapping = map_columns(["Клиент", "ID", "В архиве", "Ответственный", "Создан", "Прочее"])

    assert mapping.not_imported == ["ID", "В архиве", "Ответственный", "Создан"]
    assert mapping.ignored == ["Прочее"]


# --- row validation --------------------------------------------------------------------------

HEADERS = ["Клиент", "ИНН", "Телефон", "Контакт", "Эл. почта", "ДР", "Теги"]


def test_all_errors_of_all_rows_with_their_spreadsheet_row_numbers() -> None:
    bad_inn = INN[:-1] + str((int(INN[-1]) + 1) % 10)
    rows: Rows = [
        HEADERS,
        ["Ромашка", INN, "+7 916 123-45-67", "Иван", "ivan@example.ru", "12.03", "опт"],  # 2
        ["", INN_2, "", "", "", "", ""],  # 3: no name
        ["", "", "", "", "", "", ""],  # 4: blank, skipped but counted
        ["Вектор", bad_inn, "", "Пётр", "", "31.02", ""],  # 5: bad INN and birthday
        ['=HYPERLINK("http://x","клик")', "", "", "", "", "", ""],  # 6: formula
        ["Альфа", "", "12", "Анна", "anna@", "", "=1+2"],  # 7: phone, e-mail, formula tag
        ["---", "", "", "", "", "", ""],  # 8: no letters
        ["Б" * 201, "", "", "", "", "", ""],  # 9: too long
        ["Гамма", "", "", "", "", "вчера", ""],  # 10: not a birthday
    ]

    parsed = parse(rows)

    assert [row.row for row in parsed.rows] == [2]
    assert [(e.row, e.column, e.reason) for e in parsed.errors] == [
        (3, "Клиент", "import-error-name-empty"),
        (5, "ИНН", "import-error-tax-id"),
        (5, "ДР", "import-error-birthday"),
        (6, "Клиент", "import-error-formula"),
        (7, "Телефон", "import-error-phone"),
        (7, "Эл. почта", "import-error-email"),
        (7, "Теги", "import-error-formula"),
        (8, "Клиент", "import-error-name-no-letters"),
        (9, "Клиент", "import-error-too-long"),
        (10, "ДР", "import-error-birthday"),
    ]
    assert parsed.errors[1].value == bad_inn
    assert parsed.errors[3].value == '=HYPERLINK("http://x","клик")'


def test_a_valid_row_with_every_field() -> None:
    row = only_row(
        [
            [*HEADERS, "Должность", "Моб.", "Сегмент", "Уровень", "Статус", "Интервал", "Канал"],
            [
                "  ООО «Ромашка»  ",
                f" {INN} ",
                "8 (495) 123-45-67",
                "Иван  Петров",
                "ivan@example.ru",
                "12 марта",
                "#опт #Москва, опт",
                "Закупщик",
                "+7 916 123 45 67",
                "юрлицо",
                "VIP",
                "на паузе",
                "2 недели",
                "мессенджер",
            ],
        ]
    )

    assert row == ImportRow(
        row=2,
        client_name="ООО «Ромашка»",
        tax_id=INN,
        phone="+74951234567",
        segment="b2b",
        tier="key",
        status="paused",
        cadence_days=14,
        preferred_channel="message",
        tags=("опт", "Москва"),
        contact_name="Иван Петров",
        contact_role="Закупщик",
        contact_phone="+79161234567",
        contact_email="ivan@example.ru",
        birthday=Birthday(12, 3, None),
    )


def test_a_row_without_contact_cells_has_no_contact() -> None:
    row = only_row([["Клиент", "Контакт", "Должность"], ["Ромашка", "", ""]])

    assert (row.contact_name, row.contact_role) == (None, None)


def test_a_contact_without_a_name_is_named_after_the_client() -> None:
    row = only_row([["Клиент", "Контакт", "Должность"], ["Ромашка", "", "директор"]])

    assert (row.contact_name, row.contact_role) == ("Ромашка", "директор")


@pytest.mark.parametrize(
    ("header", "value", "attribute", "expected"),
    [
        ("Сегмент", "B2B", "segment", "b2b"),
        ("Сегмент", "b2c", "segment", "b2c"),
        ("Сегмент", "В2В", "segment", "b2b"),  # Cyrillic letters
        ("Сегмент", "Физлицо", "segment", "b2c"),
        ("Segment", "Business", "segment", "b2b"),
        ("Уровень", "ключевой", "tier", "key"),
        ("Уровень", "Обычный", "tier", "regular"),
        ("Tier", "key", "tier", "key"),
        ("Tier", "VIP", "tier", "key"),
        ("Ключевой", "да", "tier", "key"),
        ("Ключевой", "нет", "tier", "regular"),
        ("Key account", "yes", "tier", "key"),
        ("Key account", "No", "tier", "regular"),
        ("Статус", "Активный", "status", "active"),
        ("Статус", "пауза", "status", "paused"),
        ("Статус", "ПОТЕРЯН", "status", "lost"),
        ("Status", "lost", "status", "lost"),
        ("Статус", "ушёл", "status", "lost"),
        ("Канал", "звонок", "preferred_channel", "call"),
        ("Канал", "почта", "preferred_channel", "email"),
        ("Канал", "E-mail", "preferred_channel", "email"),
        ("Канал", "мессенджер", "preferred_channel", "message"),
        ("Канал", "Визит", "preferred_channel", "visit"),
        ("Канал", "встреча", "preferred_channel", "meeting"),
        ("Channel", "meeting", "preferred_channel", "meeting"),
        ("Частота контакта", "30", "cadence_days", 30),
        ("Частота контакта", "30 дней", "cadence_days", 30),
        ("Частота контакта", "раз в неделю", "cadence_days", 7),
        ("Частота контакта", "2 нед.", "cadence_days", 14),
        ("Cadence", "3 months", "cadence_days", 90),
        ("Cadence", "monthly", "cadence_days", 30),
        ("Cadence", "10 days", "cadence_days", 10),
    ],
)
def test_values_in_russian_and_english(
    header: str, value: str, attribute: str, expected: object
) -> None:
    row = only_row([["Клиент", header], ["Ромашка", value]])

    assert getattr(row, attribute) == expected


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Сегмент", "b2g"),
        ("Уровень", "средний"),
        ("Статус", "думает"),
        ("Канал", "голубиная почта"),
        ("Частота контакта", "0"),
        ("Частота контакта", "400"),
        ("Частота контакта", "иногда"),
    ],
)
def test_unknown_values_are_errors(header: str, value: str) -> None:
    parsed = parse([["Клиент", header], ["Ромашка", value]])

    assert [(e.row, e.column, e.reason, e.value) for e in parsed.errors] == [
        (2, header, "import-error-value", value)
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("опт, розница", ("опт", "розница")),
        ("опт;розница", ("опт", "розница")),
        ("#опт #розница", ("опт", "розница")),
        ("#опт#розница", ("опт", "розница")),
        ("важный клиент, опт", ("важный клиент", "опт")),
        ("опт, Опт, ОПТ", ("опт",)),
        (" , ;# ", ()),
        ("-5", ("-5",)),
        ("=)", ("=)",)),
    ],
)
def test_tags(cell: str, expected: tuple[str, ...]) -> None:
    assert only_row([["Клиент", "Теги"], ["Ромашка", cell]]).tags == expected


def test_a_tag_longer_than_the_database_allows_is_an_error() -> None:
    parsed = parse([["Клиент", "Теги"], ["Ромашка", "опт, " + "т" * 65]])

    assert [e.reason for e in parsed.errors] == ["import-error-too-long"]


@pytest.mark.parametrize(
    "value",
    [
        "=SUM(A1:A3)",
        "=1+2",
        "= A1",
        "=cmd|' /C calc'!A0",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+9)*cmd|' /C calc'!A0",
    ],
)
def test_formulas_are_refused(value: str) -> None:
    parsed = parse([["Клиент", "Должность"], ["Ромашка", value]])

    assert [(e.column, e.reason) for e in parsed.errors] == [("Должность", "import-error-formula")]


def test_a_neutralized_formula_is_kept_as_the_text_it_was() -> None:
    # The apostrophe is how our export (and Excel) marks deliberate text; it is stored as text.
    row = only_row([["Клиент", "Должность"], ["Ромашка", '\'=HYPERLINK("http://evil")']])
    assert row.contact_role == '=HYPERLINK("http://evil")'


@pytest.mark.parametrize("value", ["-5", "+7 916 123-45-67", "@ivanov", "=", "=)", "- менеджер"])
def test_data_that_merely_starts_like_a_formula_is_kept(value: str) -> None:
    assert only_row([["Клиент", "Должность"], ["Ромашка", value]]).contact_role == value


def test_a_leading_apostrophe_is_stripped_only_where_our_export_adds_it() -> None:
    row = only_row(
        [
            ["Клиент", "Телефон", "Должность", "Контакт"],
            ["'Ромашка'", "'+79161234567", "'-менеджер", "''Иван"],
        ]
    )

    assert row.client_name == "'Ромашка'"
    assert row.phone == "+79161234567"
    assert row.contact_role == "-менеджер"
    assert row.contact_name == "'Иван"


def test_tax_ids() -> None:
    bad = INN[:-1] + str((int(INN[-1]) + 1) % 10)
    zero = inn10(4321, region=2)
    parsed = parse(
        [
            ["Клиент", "ИНН"],
            ["A", inn12(7)],
            ["B", zero[1:]],  # Excel turned it into a number and dropped the leading 0
            ["C", bad],
            ["D", "12345"],
            ["E", f"ИНН {INN}"],
        ]
    )

    assert zero.startswith("0")
    assert [(row.client_name, row.tax_id) for row in parsed.rows] == [
        ("A", inn12(7)),
        ("B", zero),
        ("E", INN),
    ]
    assert [(e.row, e.reason) for e in parsed.errors] == [
        (4, "import-error-tax-id"),
        (5, "import-error-tax-id"),
    ]


@pytest.mark.parametrize("value", ["ivan@example.ru", "Ivan.Petrov+crm@mail.example.com"])
def test_good_emails(value: str) -> None:
    # Lower-cased, as /contact always stored them: one rule for chat and import.
    assert only_row([["Клиент", "Email"], ["Ромашка", value]]).contact_email == value.lower()


@pytest.mark.parametrize(
    "value", ["ivan", "ivan@", "@example.ru", "a@b", "a b@c.ru", "a@b.ru, c@d.ru"]
)
def test_bad_emails(value: str) -> None:
    parsed = parse([["Клиент", "Email"], ["Ромашка", value]])

    assert [e.reason for e in parsed.errors] == ["import-error-email"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12.03", Birthday(12, 3, None)),
        ("12 марта", Birthday(12, 3, None)),
        ("12/03/1980", Birthday(12, 3, 1980)),
        ("March 12", Birthday(12, 3, None)),
        ("12.03.1980", Birthday(12, 3, 1980)),
    ],
)
def test_birthdays(value: str, expected: Birthday) -> None:
    assert only_row([["Клиент", "ДР"], ["Ромашка", value]]).birthday == expected


# --- merging rows into clients ---------------------------------------------------------------


def test_one_client_on_several_rows_becomes_one_client_with_contacts() -> None:
    parsed = parse(
        [
            ["Клиент", "ИНН", "Сегмент", "Теги", "Контакт", "Должность", "ДР"],
            ["ООО «Ромашка»", INN, "B2B", "опт", "Иван Петров", "директор", "12.03"],
            ["Ромашка", "", "", "москва", "Анна Смирнова", "бухгалтер", ""],
            ["ромашка", INN, "b2b", "опт", "иван петров", "", "12.03"],  # Иван again
            ["Вектор", INN_2, "", "", "", "", ""],
        ]
    )

    clients = group_clients(parsed.rows)

    assert parsed.errors == []
    assert [client.name for client in clients] == ["ООО «Ромашка»", "Вектор"]
    romashka = clients[0]
    assert (romashka.tax_id, romashka.segment, romashka.tags) == (INN, "b2b", ("опт", "москва"))
    assert [(c.name, c.role, c.birthday) for c in romashka.contacts] == [
        ("Иван Петров", "директор", Birthday(12, 3, None)),
        ("Анна Смирнова", "бухгалтер", None),
    ]
    assert romashka.rows == [2, 3, 4]
    assert clients[1].contacts == []


def test_identical_rows_are_one_client_and_one_contact() -> None:
    row: list[object] = ["Ромашка", INN, "Иван", "директор"]
    parsed = parse([["Клиент", "ИНН", "Контакт", "Должность"], row, row, row])

    clients = group_clients(parsed.rows)

    assert len(clients) == 1
    assert [c.name for c in clients[0].contacts] == ["Иван"]


def test_the_same_tax_id_under_another_name_is_the_same_client() -> None:
    parsed = parse(
        [["Клиент", "ИНН", "Контакт"], ["Ромашка", INN, "Иван"], ["Romashka", INN, "Анна"]]
    )

    clients = group_clients(parsed.rows)

    assert [(c.name, [p.name for p in c.contacts]) for c in clients] == [
        ("Ромашка", ["Иван", "Анна"])
    ]


def test_two_tax_ids_for_one_name_is_a_conflict_on_the_later_row() -> None:
    parsed = parse(
        [
            ["Клиент", "ИНН", "Контакт"],
            ["Ромашка", INN, "Иван"],
            ["Вектор", "", ""],
            ["Ромашка", INN_2, "Анна"],
        ]
    )

    assert parsed.errors == [RowError(4, "ИНН", "import-error-conflict", INN_2)]
    assert [row.row for row in parsed.rows] == [2, 3]
    assert [len(c.contacts) for c in group_clients(parsed.rows)] == [1, 0]


def test_other_conflicting_client_fields() -> None:
    parsed = parse(
        [
            ["Клиент", "Статус", "Контакт", "ДР"],
            ["Ромашка", "активный", "Иван", "12.03"],
            ["Ромашка", "потерян", "Анна", ""],
            ["Ромашка", "", "Иван", "13.03"],
        ]
    )

    # A person's differing birthday is no conflict: chat allows two Иванs at one client.
    assert [(e.row, e.column, e.reason) for e in parsed.errors] == [
        (3, "Статус", "import-error-conflict"),
    ]
    [romashka] = group_clients(parsed.rows)
    assert [(c.name, c.birthday) for c in romashka.contacts] == [
        ("Иван", Birthday(12, 3, None)),
        ("Иван", Birthday(13, 3, None)),
    ]


def test_a_row_naming_one_client_with_the_tax_id_of_another_is_a_conflict() -> None:
    parsed = parse([["Клиент", "ИНН"], ["Ромашка", INN], ["Вектор", INN_2], ["Ромашка", INN_2]])

    assert [(e.row, e.reason) for e in parsed.errors] == [(4, "import-error-conflict")]
    assert len(group_clients(parsed.rows)) == 2


def test_group_clients_drops_conflicting_rows_it_is_given_directly() -> None:
    rows = [
        ImportRow(row=2, client_name="Ромашка", tax_id=INN),
        ImportRow(row=3, client_name="Ромашка", tax_id=INN_2),
    ]

    assert [(c.name, c.tax_id, c.rows) for c in group_clients(rows)] == [("Ромашка", INN, [2])]


# --- preview ---------------------------------------------------------------------------------


def test_preview_has_what_the_preview_message_needs() -> None:
    content = csv_bytes(
        [
            ["Клиент", "Адрес", "Контакт", "ДР", "ID"],
            ["Ромашка", "Москва", "Иван", "12.03", "1"],
            ["Ромашка", "Москва", "Анна", "", "1"],
            ["Вектор", "Казань", "", "", "2"],
            ["", "Тула", "Пётр", "", "3"],
            ["Альфа", "", "Ольга", "32.13", "4"],
        ]
    )
    table = read_table(content, "base.csv")
    mapping = map_columns(table.headers)
    parsed = parse_rows(table, mapping, TODAY)

    shown = preview(table, mapping, parsed, limit=2)

    assert shown.mapping == [("Клиент", "client"), ("Контакт", "contact_name"), ("ДР", "birthday")]
    assert shown.ignored == ["Адрес"]
    assert shown.not_imported == ["ID"]
    assert [row.row for row in shown.first_rows] == [2, 3]
    assert [error.row for error in shown.first_errors] == [5, 6]
    assert (shown.total_rows, shown.valid_rows, shown.error_rows, shown.errors) == (5, 3, 2, 2)
    assert (shown.clients, shown.contacts) == (2, 2)
    assert shown.sheet is None


def test_an_edited_mapping_is_honoured() -> None:
    table = Table(headers=["Фирма", "Номер"], rows=[["Ромашка", "+79161234567"]], row_numbers=[2])
    mapping = ColumnMapping(columns={"client": 0, "phone": 1})

    parsed = parse_rows(table, mapping, TODAY)

    assert parsed.rows[0].client_name == "Ромашка"
    assert parsed.rows[0].phone == "+79161234567"
