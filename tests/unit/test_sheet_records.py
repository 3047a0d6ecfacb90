"""sheet_records: /export's record tables, written by exporting, read back as the same records."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]

from bot.services.exchange.export_model import (
    ExportClient,
    ExportData,
    ExportNote,
    ExportPlan,
    ExportReminder,
    ExportRequest,
    ExportReview,
    ExportSale,
    ExportTouch,
    Language,
)
from bot.services.exchange.exporting import build_csvs, build_workbook
from bot.services.exchange.import_limits import ImportFileError
from bot.services.exchange.import_model import RowError
from bot.services.exchange.import_readers import Table, read_table, read_workbook_tables
from bot.services.exchange.sheet_kinds import sheet_title_kind, table_kind
from bot.services.exchange.sheet_records import parse_kind_table

ZONE = "America/New_York"  # not the fallback, and with summer time
WINTER = datetime(2026, 11, 28, 14, 5, tzinfo=UTC)  # 09:05 in New York
SUMMER = datetime(2026, 7, 1, 15, 30, tzinfo=UTC)  # 11:30 in New York (EDT)
MIDNIGHT_DEC_7 = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)  # local midnight: a day-only due


def data(language: Language) -> ExportData:
    return ExportData(
        touches=[
            ExportTouch(
                "ООО «Ромашка»", "call", WINTER, "positive", "обсудили поставку\nи цены", "КП",
                datetime(2026, 12, 4, 20, 15, tzinfo=UTC), next_step_has_time=True,
                contact_name="Иван Петров", id=7, client_id=1, contact_id=3,
            ),
            ExportTouch(
                "+Плюс", "email", SUMMER, "negative", "=1+1", "позвонить", MIDNIGHT_DEC_7,
                next_step_done_at=datetime(2026, 12, 6, 16, 45, tzinfo=UTC),
            ),
            ExportTouch("Acme Ltd", "meeting", SUMMER),
            ExportTouch("Вектор", "message", WINTER, "neutral"),
            ExportTouch("Вектор", "visit", WINTER, summary="@склад"),
        ],
        notes=[
            ExportNote(
                "ООО «Ромашка»", "Иван Петров", "Сын сдаёт ЕГЭ\nв июне", WINTER, ("семья", "дети"),
                True, datetime(2027, 6, 1, 13, 0, tzinfo=UTC), id=1, client_id=1,
            ),
            ExportNote(None, None, "'цитата'", SUMMER),
        ],
        sales=[
            ExportSale("ООО «Ромашка»", 15_000_050, "RUB", WINTER, "Опт", id=5, client_id=1),
            ExportSale("Acme Ltd", 1500, "JPY", SUMMER),
            ExportSale("Acme Ltd", 123_456_789, "USD", SUMMER, "-скидка"),
        ],
        requests=[
            ExportRequest(
                "Вектор", "Не пришёл заказ", WINTER, datetime(2026, 11, 28, 15, 0, tzinfo=UTC),
                datetime(2026, 11, 29, 9, 0, tzinfo=UTC), "довольна",
            ),
            ExportRequest("Вектор", "Вернуть деньги", SUMMER),
        ],
        reviews=[
            ExportReview("Вектор", True, WINTER, "Спасибо!", request_id=1),
            ExportReview("Вектор", False, SUMMER),
        ],
        plans=[
            ExportPlan("month", date(2026, 12, 1), 500_000_000, "RUB"),
            ExportPlan("week", date(2026, 11, 30), 0, "RUB", "ООО «Ромашка»", client_id=1),
            ExportPlan("quarter", date(2026, 10, 1), 2_000_000, "JPY"),
            ExportPlan("year", date(2027, 1, 1), 12_345, "KWD"),
        ],
        reminders=[ExportReminder("followup", WINTER, "pending", "Вектор", text="позвонить")],
        timezone=ZONE,
        language=language,
    )  # fmt: skip


def without_ids(record: Any) -> Any:
    ids = {
        f.name: None for f in dataclasses.fields(record) if f.name == "id" or f.name.endswith("_id")
    }
    return dataclasses.replace(record, **ids)


EXPECTED = ("touches", "notes", "sales", "requests", "reviews", "plans")


def expected(source: ExportData, kind: str) -> list[Any]:
    return [without_ids(record) for record in getattr(source, kind)]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_csv_comes_back_as_the_records_it_was_written_from(language: Language) -> None:
    source = data(language)
    files = build_csvs(source)

    for kind in EXPECTED:
        table = read_table(files[f"{kind}.csv"], f"{kind}.csv")
        assert table_kind(table.headers) == kind
        # The fallback zone is wrong on purpose: the headers name the right one.
        parsed = parse_kind_table(kind, table, "Europe/Moscow", language)
        assert parsed.errors == [], kind
        assert parsed.skipped == [], kind
        assert parsed.records == expected(source, kind), kind
        assert parsed.row_numbers == list(range(2, len(parsed.records) + 2))


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_workbook_sheet_comes_back_as_the_records_it_was_written_from(
    language: Language,
) -> None:
    source = data(language)

    tables = read_workbook_tables(build_workbook(source))

    # Clients has only its header here, so it is no table.
    assert [sheet_title_kind(t.sheet) for t in tables] == [*EXPECTED, "reminders"]
    for table in tables:
        kind = table_kind(table.headers)
        assert kind == sheet_title_kind(table.sheet)
        assert kind is not None
        parsed = parse_kind_table(kind, table, "Europe/Moscow", language)
        assert parsed.errors == [], kind
        if kind == "reminders":  # recognised, deliberately not read
            assert parsed.records == []
            assert parsed.skipped == table.headers
            continue
        assert parsed.records == expected(source, kind), kind


def test_a_due_day_and_a_due_time_keep_their_difference() -> None:
    source = data("ru")
    table = read_table(build_csvs(source)["touches.csv"], "touches.csv")

    touches = parse_kind_table("touches", table, ZONE).records

    assert [(t.next_step_due_at, t.next_step_has_time) for t in touches[:2]] == [  # type: ignore[union-attr]
        (datetime(2026, 12, 4, 20, 15, tzinfo=UTC), True),
        (MIDNIGHT_DEC_7, False),
    ]
    assert table.rows[1][6] == "07.12.2026"


def test_a_bad_date_is_a_row_error_naming_the_row_and_column_and_the_rest_still_parse() -> None:
    content = build_csvs(data("ru"))["touches.csv"].decode("utf-8-sig")
    content = content.replace("28.11.2026 09:05", "31.02.2026 09:05", 1)

    table = read_table(content.encode("utf-8-sig"), "touches.csv")
    parsed = parse_kind_table("touches", table, ZONE)

    assert parsed.errors == [
        RowError(2, f"Когда ({ZONE})", "import-error-date", "31.02.2026 09:05")
    ]
    assert [t.client_name for t in parsed.records] == ["+Плюс", "Acme Ltd", "Вектор", "Вектор"]
    assert parsed.row_numbers == [3, 4, 5, 6]


def table(headers: list[str], *rows: list[str]) -> Table:
    return Table(headers, [list(row) for row in rows], row_numbers=list(range(2, len(rows) + 2)))


SALE_HEADERS = ["Клиент", "Дата", "Сумма", "Валюта"]


@pytest.mark.parametrize(
    ("amount", "currency", "language", "minor"),
    [
        ("150000,5", "RUB", None, 15_000_050),
        ("150000.5", "RUB", None, 15_000_050),
        ("150 000,50", "RUB", None, 15_000_050),
        ("150\u00a0000,50", "RUB", None, 15_000_050),
        ("1,500.50", "USD", None, 150_050),
        ("1.500,50", "EUR", None, 150_050),
        ("1,500", "USD", "en", 150_000),
        ("1,500", "RUB", "ru", 150),
        ("1,500", "RUB", None, 150),
        ("1,234,567", "JPY", "en", 1_234_567),
        ("1500", "JPY", None, 1500),
        ("12.345", "KWD", None, 12_345),
    ],
)
def test_amounts(amount: str, currency: str, language: Language | None, minor: int) -> None:
    sales = table(SALE_HEADERS, ["Ромашка", "01.12.2026", amount, currency.lower()])

    parsed = parse_kind_table("sales", sales, ZONE, language)

    assert parsed.errors == []
    assert [(s.amount_minor, s.currency) for s in parsed.records] == [(minor, currency)]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("amount", "currency", "reason"),
    [
        ("0", "RUB", "import-error-amount-not-positive"),
        ("-5", "RUB", "import-error-amount-not-positive"),
        ("1500,5", "JPY", "import-error-amount-precision"),
        ("10,001", "RUB", "import-error-amount-precision"),
        ("много", "RUB", "import-error-amount"),
        ("1e5", "RUB", "import-error-amount"),
        ("", "RUB", "import-error-empty"),
    ],
)
def test_amounts_that_are_refused(amount: str, currency: str, reason: str) -> None:
    sales = table(SALE_HEADERS, ["Ромашка", "01.12.2026", amount, currency])

    parsed = parse_kind_table("sales", sales, ZONE)

    assert parsed.records == []
    assert parsed.errors == [RowError(2, "Сумма", reason, amount)]


def test_an_unknown_currency_is_its_error_and_the_amount_is_not_judged() -> None:
    sales = table(SALE_HEADERS, ["Ромашка", "01.12.2026", "100", "ABC"])

    parsed = parse_kind_table("sales", sales, ZONE)

    assert parsed.errors == [RowError(2, "Валюта", "import-error-currency", "ABC")]


def test_a_plan_must_start_its_period_and_may_be_zero() -> None:
    plans = table(
        ["Период", "Начало", "Клиент", "Сумма", "Валюта"],
        ["месяц", "02.12.2026", "", "100", "RUB"],
        ["неделя", "2026-11-30", "", "0", "RUB"],
        ["week", "30.11.2026", "", "-1", "RUB"],
    )

    parsed = parse_kind_table("plans", plans, ZONE)

    assert parsed.errors == [
        RowError(2, "Начало", "import-error-period-start", "02.12.2026"),
        RowError(4, "Сумма", "import-error-amount-negative", "-1"),
    ]
    assert parsed.records == [ExportPlan("week", date(2026, 11, 30), 0, "RUB")]


def test_cells_are_read_as_the_client_import_reads_them() -> None:
    touches = table(
        ["Клиент", "Тип", "Когда", "Содержание", "Заметка"],
        ["Ромашка", "звонок", "01.12.2026 10:00", "'=SUM(A1)", "x"],
        ["Ромашка", "звонок", "01.12.2026 10:00", "=SUM(A1)", ""],
        ["Ромашка", "телепатия", "01.12.2026 10:00", "", ""],
        ["", "call", "2026-12-01 10:00", "", ""],
    )

    parsed = parse_kind_table("touches", touches, ZONE)

    assert parsed.records == [
        ExportTouch("Ромашка", "call", datetime(2026, 12, 1, 15, 0, tzinfo=UTC), summary="=SUM(A1)")
    ]
    assert parsed.errors == [
        RowError(3, "Содержание", "import-error-formula", "=SUM(A1)"),
        RowError(4, "Тип", "import-error-value", "телепатия"),
        RowError(5, "Клиент", "import-error-empty", ""),
    ]
    assert parsed.skipped == ["Заметка"]


def test_yes_and_no_in_both_languages_and_as_excel_booleans() -> None:
    notes = table(
        ["Text", "Private", "Created (UTC)"],
        ["a", "yes", "2026-12-01 10:00"],
        ["b", "НЕТ", "2026-12-01 10:00"],
        ["c", "TRUE", "2026-12-01 10:00"],
        ["d", "", "2026-12-01 10:00"],
        ["e", "maybe", "2026-12-01 10:00"],
    )

    parsed = parse_kind_table("notes", notes, ZONE)

    assert [n.is_private for n in parsed.records] == [True, False, True, False]  # type: ignore[union-attr]
    assert parsed.records[0].created_at == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # type: ignore[union-attr]
    assert parsed.errors == [RowError(6, "Private", "import-error-value", "maybe")]


def test_a_client_table_is_not_a_record_table() -> None:
    with pytest.raises(ValueError, match="clients"):
        parse_kind_table("clients", table(["Клиент"], ["Ромашка"]), ZONE)


def test_reading_every_sheet_leaves_the_client_import_as_it_was() -> None:
    with_clients = dataclasses.replace(data("ru"), clients=[ExportClient(1, "ООО «Ромашка»")])
    workbook = build_workbook(with_clients)

    assert read_table(workbook, "export.xlsx").sheet == "Клиенты"
    assert [t.sheet for t in read_workbook_tables(workbook)] == [
        "Клиенты", "Касания", "Заметки", "Продажи", "Запросы", "Отзывы", "Планы", "Напоминания",
    ]  # fmt: skip
    with pytest.raises(ImportFileError) as caught:
        read_workbook_tables(build_workbook(ExportData()))
    assert caught.value.key == "import-file-empty"
    with pytest.raises(ImportFileError) as caught:
        read_workbook_tables(build_csvs(data("ru"))["touches.csv"])
    assert caught.value.key == "import-file-unsupported"


def test_a_hidden_sheet_is_not_a_table() -> None:
    # Several rows of data, so only its being hidden keeps it out.
    workbook = Workbook()
    workbook.active.append(["Клиент", "Дата", "Сумма", "Валюта"])
    workbook.active.append(["Ромашка", "01.12.2026", "100", "RUB"])
    hidden = workbook.create_sheet("kambot")
    for row in (["a1"], ["b2"], ["c3"]):
        hidden.append(row)
    hidden.sheet_state = "veryHidden"
    buffer = io.BytesIO()
    workbook.save(buffer)

    tables = read_workbook_tables(buffer.getvalue())

    assert [t.sheet for t in tables] == ["Sheet"]
