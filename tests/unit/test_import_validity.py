"""Issue 17: one rule for what is valid at entry and at import; the preview names what it skips.

E-mails, namesakes, birth years and skipped columns, parsed the way /import reads a file and
the way /contact reads a chat line, so a rule that drifts apart in one place fails here.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.services.crm.birthdays import Birthday
from bot.services.exchange.importing import (
    SKIP_DUPLICATE,
    SKIP_EMPTY,
    SKIP_NO_HEADER,
    SKIP_OWN,
    SKIP_UNKNOWN,
    ParsedImport,
    group_clients,
    map_columns,
    parse_rows,
    preview,
    read_table,
)
from bot.services.parsing.contact_parse import parse_contact_line
from bot.services.parsing.emails import normalize_email
from tests.support.spreadsheets import Rows, csv_bytes

TODAY = date(2026, 11, 28)


def parse(rows: Rows) -> ParsedImport:
    table = read_table(csv_bytes(rows), "base.csv")
    return parse_rows(table, map_columns(table.headers), TODAY)


# --- e-mail ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("k.belova@vector.ru", "k.belova@vector.ru"),
        ("k.belova@vector.ru;", "k.belova@vector.ru"),  # as Outlook copies it
        ("  k.belova@vector.ru ; ", "k.belova@vector.ru"),
        ("k.belova@vector.ru,", "k.belova@vector.ru"),
        ("mailto:k.belova@vector.ru", "k.belova@vector.ru"),
        ("MAILTO:K.Belova@Vector.RU", "k.belova@vector.ru"),
        ("<k.belova@vector.ru>", "k.belova@vector.ru"),
        ("<k.belova@vector.ru>;", "k.belova@vector.ru"),
        ("<mailto:k.belova@vector.ru>", "k.belova@vector.ru"),
        ("Ivan.Petrov+crm@mail.example.com", "ivan.petrov+crm@mail.example.com"),
    ],
)
def test_an_address_is_normalised(text: str, expected: str) -> None:
    assert normalize_email(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        ";",
        "ivan",
        "ivan@",
        "@vector.ru",
        "a@b",
        "a b@c.ru",
        "a@b.ru, c@d.ru",
        "a@b.ru;c@d.ru",
        "a@@b.ru",
        "Иван <a@b.ru>",  # a display name is not an address
        "a@" + "b" * 250 + ".ru",
    ],
)
def test_what_is_not_one_address_is_refused(text: str) -> None:
    assert normalize_email(text) is None


@pytest.mark.parametrize("text", ["k.belova@vector.ru;", "<K.Belova@vector.ru>", "a@b.ru,"])
def test_chat_and_import_store_the_same_address(text: str) -> None:
    chat = parse_contact_line(f"Вектор: Ксения Белова, {text}", TODAY)
    [row] = parse([["Клиент", "Контакт", "E-mail"], ["Вектор", "Ксения Белова", text]]).rows

    assert chat.problems == []
    assert chat.email == row.contact_email == normalize_email(text)


def test_chat_refuses_what_import_refuses() -> None:
    chat = parse_contact_line("Вектор: Ксения Белова, e-mail: a@b", TODAY)
    parsed = parse([["Клиент", "Контакт", "E-mail"], ["Вектор", "Ксения Белова", "a@b"]])

    assert (chat.email, chat.problems) == (None, ["email-invalid"])
    assert [error.reason for error in parsed.errors] == ["import-error-email"]


@pytest.mark.parametrize(
    "line",
    [
        "Ксения, e-mail: a b@c.ru",
        "Ксения, a@b.ru, c@d.ru",
        "Ксения, mailto:K@B.RU;",
        "Ксения закупки k@b.ru; +7 916 123-45-67",
        "Ксения, <k@b.ru>",
    ],
)
def test_whatever_chat_stores_imports_unchanged(line: str) -> None:
    chat = parse_contact_line(f"Вектор: {line}", TODAY)
    assert chat.email is not None
    [row] = parse([["Клиент", "Контакт", "E-mail"], ["Вектор", "Ксения", chat.email]]).rows

    assert row.contact_email == chat.email


def test_an_older_stored_address_with_a_semicolon_imports_trimmed() -> None:
    [row] = parse(
        [["Клиент", "Контакт", "E-mail"], ["Вектор", "Ксения", "k.belova@vector.ru;"]]
    ).rows

    assert row.contact_email == "k.belova@vector.ru"


# --- two contacts with one name ----------------------------------------------------------------


def test_namesakes_that_differ_are_two_contacts() -> None:
    parsed = parse(
        [
            ["Клиент", "Контакт", "Должность", "Телефон контакта", "E-mail"],
            ["Ромашка", "Иван Петров", "закупки", "", ""],
            ["Ромашка", "Иван Петров", "склад", "+7 916 123-45-67", ""],
            ["Ромашка", "Иван Петров", "", "", "ivan@romashka.ru"],  # fills the first's blank
            ["Ромашка", "Иван Петров", "", "+7 916 000-00-01", ""],  # fits the first too
            ["Ромашка", "Иван Петров", "закупки", "+7 916 000-00-02", ""],  # a third phone
        ]
    )

    assert parsed.errors == []
    [romashka] = group_clients(parsed.rows)
    assert [(c.name, c.role, c.phone, c.email) for c in romashka.contacts] == [
        ("Иван Петров", "закупки", "+79160000001", "ivan@romashka.ru"),
        ("Иван Петров", "склад", "+79161234567", None),
        ("Иван Петров", "закупки", "+79160000002", None),
    ]
    assert parsed.clients == group_clients(parsed.rows)


def test_identical_and_blank_filling_rows_stay_one_contact() -> None:
    parsed = parse(
        [
            ["Клиент", "Контакт", "Должность", "Телефон контакта"],
            ["Ромашка", "Иван Петров", "закупки", ""],
            ["Ромашка", "иван петров", "закупки", "+7 916 123-45-67"],
            ["Ромашка", "Иван Петров", "", "+7 916 123-45-67"],
            ["Ромашка", "Иван Петров", "закупки", "+7 916 123-45-67"],
        ]
    )

    [romashka] = group_clients(parsed.rows)
    assert [(c.role, c.phone) for c in romashka.contacts] == [("закупки", "+79161234567")]


def test_a_different_client_field_is_still_a_conflict() -> None:
    parsed = parse([["Клиент", "Статус"], ["Ромашка", "активный"], ["Ромашка", "потерян"]])

    assert [(e.row, e.reason) for e in parsed.errors] == [(3, "import-error-conflict")]


# --- birth years -------------------------------------------------------------------------------


def test_a_childs_birth_year_is_kept_as_chat_keeps_it() -> None:
    chat = parse_contact_line("Ромашка: Маша, дочь, 12.03.2019", TODAY)
    parsed = parse([["Клиент", "Контакт", "ДР"], ["Ромашка", "Маша", "12.03.2019"]])

    assert chat.birthday == parsed.rows[0].birthday == Birthday(12, 3, 2019)
    assert parsed.recent_birthday_rows == [2]


def test_a_recent_year_is_named_in_the_preview_and_an_old_one_is_not() -> None:
    table = read_table(
        csv_bytes(
            [
                ["Клиент", "Контакт", "ДР"],
                ["Ромашка", "Иван", "12.03.1980"],
                ["Вектор", "Маша", "01.02.2026"],  # Excel's year for a typed "01.02"?
                ["Альфа", "Пётр", "12.03"],
            ]
        ),
        "base.csv",
    )
    mapping = map_columns(table.headers)
    parsed = parse_rows(table, mapping, TODAY)

    assert [row.birthday for row in parsed.rows] == [
        Birthday(12, 3, 1980),
        Birthday(1, 2, 2026),
        Birthday(12, 3, None),
    ]
    assert preview(table, mapping, parsed).recent_birthday_rows == [3]


def test_a_birthday_in_the_future_is_refused_in_both_places() -> None:
    chat = parse_contact_line("Ромашка: Маша, 12.12.2026", TODAY)
    parsed = parse([["Клиент", "Контакт", "ДР"], ["Ромашка", "Маша", "12.12.2026"]])

    assert "birthday-invalid" in chat.problems
    assert [error.reason for error in parsed.errors] == ["import-error-birthday"]


# --- skipped columns -------------------------------------------------------------------------


def test_every_skipped_column_has_its_reason() -> None:
    table = read_table(
        csv_bytes(
            [
                ["ID", "Клиент", "Адрес", "Телефон", "Телефон", "", "Комментарий", "Создан"],
                ["1", "Ромашка", "Москва", "+79161234567", "+79160000000", "x", "", "01.01.2026"],
                ["2", "Вектор", "", "", "", "", "", ""],
            ]
        ),
        "base.csv",
    )
    mapping = map_columns(table.headers)
    parsed = parse_rows(table, mapping, TODAY)

    skipped = preview(table, mapping, parsed).skipped

    assert [(c.header, c.number, c.reason) for c in skipped] == [
        ("ID", 1, SKIP_OWN),
        ("Адрес", 3, SKIP_UNKNOWN),
        ("Телефон", 5, SKIP_DUPLICATE),
        ("", 6, SKIP_NO_HEADER),
        ("Комментарий", 7, SKIP_EMPTY),
        ("Создан", 8, SKIP_OWN),
    ]


def test_a_file_that_maps_every_column_skips_none() -> None:
    table = read_table(csv_bytes([["Клиент", "Телефон"], ["Ромашка", "+79161234567"]]), "a.csv")
    mapping = map_columns(table.headers)

    assert preview(table, mapping, parse_rows(table, mapping, TODAY)).skipped == []
