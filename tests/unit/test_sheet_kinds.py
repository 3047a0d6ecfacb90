"""sheet_kinds: which /export table a sheet or CSV is, and which it is not."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped, unused-ignore]

from bot.services.exchange.exporting import (
    ExportData,
    ExportTouch,
    Language,
    build_csvs,
    build_workbook,
)
from bot.services.exchange.import_readers import read_table, read_workbook_tables
from bot.services.exchange.sheet_kinds import KINDS, sheet_title_kind, split_zone, table_kind

FILES = {f"{kind}.csv": kind for kind in KINDS}


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_exported_csv_is_recognised_by_its_headers(language: Language) -> None:
    files = build_csvs(ExportData(timezone="America/New_York", language=language))

    kinds = {name: table_kind(_headers(content, name)) for name, content in files.items()}

    assert kinds == FILES


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_exported_sheet_title_is_recognised(language: Language) -> None:
    workbook = load_workbook(io.BytesIO(build_workbook(ExportData(language=language))))

    assert [sheet_title_kind(title) for title in workbook.sheetnames] == list(KINDS)


def test_titles_that_are_not_ours_are_no_kind() -> None:
    assert sheet_title_kind("Лист1") is None
    assert sheet_title_kind(None) is None
    assert sheet_title_kind(" касания ") == "touches"


def _headers(content: bytes, name: str) -> list[str]:
    # A header-only CSV is "empty" to read_table; the header line is all the kind needs.
    text = content.decode("utf-8-sig").splitlines()[0]
    return text.split(";")


@pytest.mark.parametrize(
    "headers",
    [
        ["Клиент", "Телефон", "Дата"],
        ["Клиент", "Дата", "Сумма"],  # no currency: a client list with a deal size, not sales
        ["Компания", "ИНН", "Контакт", "Телефон", "Дата", "Итог"],
        ["Клиент", "Тип", "Когда"],  # no content: not a log of touches
        ["Client", "Date", "Amount", "Comment"],
        ["ФИО", "Телефон", "ДР"],
    ],
)
def test_a_client_list_with_dates_or_sums_is_neither_sales_nor_touches(
    headers: list[str],
) -> None:
    assert table_kind(headers) is None


def test_our_own_client_sheet_is_clients() -> None:
    content = build_csvs(ExportData())["clients.csv"]

    assert table_kind(_headers(content, "clients.csv")) == "clients"
    assert table_kind(["Client", "Tax ID", "Phone", "Contact", "Email"]) == "clients"


def test_a_table_that_fits_two_kinds_is_no_kind() -> None:
    touches_and_reminders = ["Клиент", "Тип", "Когда", "Содержание", "Состояние"]

    assert table_kind(touches_and_reminders) is None


def test_headers_match_whatever_their_timezone_case_and_punctuation() -> None:
    assert table_kind(["клиент", "ТИП", "Когда (Asia/Tokyo)", "Следующий шаг"]) == "touches"
    assert table_kind(["Client", "Date (UTC)", "Amount", "Currency"]) == "sales"
    # A bracket that is not a timezone stays part of the header, which is then not ours.
    assert table_kind(["Client", "Date (local)", "Amount", "Currency"]) is None


def test_split_zone() -> None:
    assert split_zone("Когда (Europe/Moscow)") == ("Когда", "Europe/Moscow")
    assert split_zone("Сумма (руб.)") == ("Сумма (руб.)", None)
    assert split_zone("Когда (Europe)") == ("Когда (Europe)", None)
    assert split_zone("Когда") == ("Когда", None)


def test_a_real_touches_csv_and_workbook_sheet_read_back_as_touches() -> None:
    data = ExportData(touches=[ExportTouch("Ромашка", "call", datetime(2026, 1, 5, tzinfo=UTC))])

    table = read_table(build_csvs(data)["touches.csv"], "touches.csv")
    sheets = {t.sheet: t for t in read_workbook_tables(build_workbook(data))}

    assert table_kind(table.headers) == "touches"
    assert list(sheets) == ["Касания"]
    assert table_kind(sheets["Касания"].headers) == "touches"
