"""Spreadsheet files for the import and export tests, built in memory.

CSV in any encoding and separator; XLSX with several sheets, dates and numeric cells; formulas
with the cached values Excel would have stored (openpyxl writes formulas without them, so the
sheet XML is patched); a macro-enabled workbook with a vbaProject.bin part (zip surgery, since
openpyxl cannot create a VBA project).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]

Cell = object
Rows = Sequence[Sequence[Cell]]

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN11_WEIGHTS = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: str, weights: Sequence[int]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10)


def inn10(seed: int, region: int = 77) -> str:
    """A valid 10-digit INN (legal entity); ``region`` 2 gives one with a leading zero."""
    body = f"{region:02d}{seed % 10**7:07d}"
    return body + _check_digit(body, _INN10_WEIGHTS)


def inn12(seed: int, region: int = 77) -> str:
    """A valid 12-digit INN (a person, an individual entrepreneur)."""
    body = f"{region:02d}{seed % 10**8:08d}"
    body += _check_digit(body, _INN11_WEIGHTS)
    return body + _check_digit(body, _INN12_WEIGHTS)


def csv_bytes(
    rows: Rows,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    bom: bool = False,
    lineterminator: str = "\r\n",
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerows([["" if cell is None else str(cell) for cell in row] for row in rows])
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(sheets: Mapping[str, Rows]) -> bytes:
    """A workbook with the given sheets, in order; cells keep their Python types."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _timeless(buffer.getvalue())


_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def _timeless(content: bytes) -> bytes:
    """The same workbook with fixed times (openpyxl stamps the clock into docProps/core.xml and
    every zip entry), so a seeded fuzz run garbles the same bytes on every run."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = _STAMP.sub(b"2026-01-01T00:00:00Z", source.read(item.filename))
            fixed = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, data)
    return buffer.getvalue()


def _rewrite(content: bytes, changes: Mapping[str, bytes], extra: Mapping[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, changes.get(item.filename, source.read(item.filename)))
        for name, data in extra.items():
            target.writestr(name, data)
    return buffer.getvalue()


def with_cached_formulas(
    content: bytes, cells: Mapping[str, tuple[str, object]], sheet_number: int = 1
) -> bytes:
    """Turn cells of one sheet into formulas with cached values, as Excel saves them.

    ``cells`` maps "B2" to (formula without "=", cached value).
    """
    path = f"xl/worksheets/sheet{sheet_number}.xml"
    xml = zipfile.ZipFile(io.BytesIO(content)).read(path).decode()
    for ref, (formula, cached) in cells.items():
        kind = ' t="str"' if isinstance(cached, str) else ""
        new = f'<c r="{ref}"{kind}><f>{escape(formula)}</f><v>{escape(str(cached))}</v></c>'
        pattern = re.compile(rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)', re.DOTALL)
        xml, count = pattern.subn(new, xml)
        assert count == 1, f"cell {ref} must exist in the sheet to become a formula"
    return _rewrite(content, {path: xml.encode()}, {})


def with_vba_project(content: bytes) -> bytes:
    """The workbook as an .xlsm: a vbaProject.bin part, its relationship and content types."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    types = archive.read("[Content_Types].xml").decode()
    types = types.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    ).replace(
        '<Default Extension="xml"',
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject" />'
        '<Default Extension="xml"',
    )
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
        ' Target="vbaProject.bin" Id="rIdVBA" /></Relationships>',
    )
    # Not a real VBA project: nothing may ever parse or run it.
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b'Sub AutoOpen(): Shell "calc": End Sub' * 8
    return _rewrite(
        content,
        {"[Content_Types].xml": types.encode(), "xl/_rels/workbook.xml.rels": rels.encode()},
        {"xl/vbaProject.bin": vba},
    )


RUSSIAN_HEADERS = [
    "Наименование",
    "ИНН",
    "Телефон",
    "Адрес",
    "Контактное лицо",
    "Должность",
    "Моб.",
    "E-mail",
    "Дата рождения",
    "Метки",
    "Комментарий",
]
_FIRST = ["Иван", "Пётр", "Анна", "Ольга", "Сергей", "Елена", "Дмитрий", "Наталья"]
_LAST = ["Иванов", "Петров", "Смирнова", "Кузнецова", "Соколов", "Попова", "Лебедев", "Фёдорова"]
_ROLES = ["Генеральный директор", "Закупщик", "Главный бухгалтер", "Коммерческий директор"]
_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа"]


def russian_clients(count: int) -> list[list[str]]:
    """A header and ``count`` rows of a typical Russian base: commas inside quoted fields
    ("Москва, ул. Ленина"), quotes in names, a line break inside a comment, birthdays in
    "12.03.1980" and "5 марта" forms."""
    rows = [list(RUSSIAN_HEADERS)]
    for i in range(count):
        first, last = _FIRST[i % len(_FIRST)], _LAST[i % len(_LAST)]
        day = i % 28 + 1
        birthday = (
            f"{day:02d}.{i % 12 + 1:02d}.19{60 + i % 40}" if i % 2 else f"{day} {_MONTHS[i % 8]}"
        )
        rows.append(
            [
                f"ООО «Ромашка-{i}»" if i % 3 else f'АО "Вектор {i}"',
                inn10(1000 + i) if i % 4 else inn12(2000 + i),
                f"8 (495) {100 + i % 900:03d}-{i % 100:02d}-{(i * 7) % 100:02d}",
                f"Москва, ул. Ленина, д. {i + 1}",
                f"{first} {last}",
                _ROLES[i % len(_ROLES)],
                f"+7 916 {i % 1000:03d} {(i * 3) % 100:02d} {(i * 11) % 100:02d}",
                f"client{i}@example.ru",
                birthday,
                "ключевой, опт" if i % 5 == 0 else "#розница #москва",
                "Первый звонок в пятницу;\nпросил КП, скидка 5,5%",
            ]
        )
    return rows
