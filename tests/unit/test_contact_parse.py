from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.crm.birthdays import Birthday
from bot.services.parsing.contact_parse import PROBLEM_KEYS, ContactDraft, parse_contact_line

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ромашка: Иван Петров, закупки, др 12 марта",
            ContactDraft("Ромашка", "Иван Петров", "закупки", Birthday(12, 3)),
        ),
        (
            "Romashka: John Smith, CFO, March 3, +7 999 123-45-67, john@romashka.ru",
            ContactDraft(
                "Romashka",
                "John Smith",
                "CFO",
                Birthday(3, 3),
                phone="+79991234567",
                email="john@romashka.ru",
            ),
        ),
        (
            "ЁлкаСтрой: Мария, 12.03.1985",
            ContactDraft("ЁлкаСтрой", "Мария", birthday=Birthday(12, 3, 1985)),
        ),
        # any order after the name
        (
            "Ромашка: Иван Петров, 8 (999) 123-45-67, ivan@romashka.ru, 12.03, закупки",
            ContactDraft(
                "Ромашка",
                "Иван Петров",
                "закупки",
                Birthday(12, 3),
                phone="+79991234567",
                email="ivan@romashka.ru",
            ),
        ),
        (
            "ООО «Ромашка»: Иван Петров, ген. директор",
            ContactDraft("ООО «Ромашка»", "Иван Петров", "ген. директор"),
        ),
        (
            "ромашка:иван,закупки,д.р. 1 января 1970",
            ContactDraft("ромашка", "иван", "закупки", Birthday(1, 1, 1970)),
        ),
        (
            "Ромашка :  Иван   Петров ,  главный   бухгалтер ",
            ContactDraft("Ромашка", "Иван Петров", "главный бухгалтер"),
        ),
        (
            "Romashka: John, CFO, Mar 12, 1980",
            ContactDraft("Romashka", "John", "CFO", Birthday(12, 3, 1980)),
        ),
        (
            "Romashka: John, Mar 12, 1980, CFO",
            ContactDraft("Romashka", "John", "CFO", Birthday(12, 3, 1980)),
        ),
        (
            "Romashka: Jane Doe, head of procurement, bday 12/03",
            ContactDraft("Romashka", "Jane Doe", "head of procurement", Birthday(12, 3)),
        ),
        (
            "Ромашка: Иван, ДР: 12.03",
            ContactDraft("Ромашка", "Иван", birthday=Birthday(12, 3)),
        ),
        (
            "Ромашка: Иван, день рождения 12 сентебря",
            ContactDraft("Ромашка", "Иван", birthday=Birthday(12, 9)),
        ),
        (
            "Ромашка: Иван, тел. +7 (495) 123-45-67, e-mail: Ivan@Romashka.RU",
            ContactDraft("Ромашка", "Иван", phone="+74951234567", email="ivan@romashka.ru"),
        ),
        (
            "Ромашка: Иван, моб: 9991234567",
            ContactDraft("Ромашка", "Иван", phone="+79991234567"),
        ),
        (
            "Northwind: Anna, +44 20 7946 0958, <anna@northwind.co.uk>",
            ContactDraft("Northwind", "Anna", phone="+442079460958", email="anna@northwind.co.uk"),
        ),
        # semicolons and new lines split too
        (
            "Ромашка: Иван; закупки; 12.03",
            ContactDraft("Ромашка", "Иван", "закупки", Birthday(12, 3)),
        ),
        (
            "Ромашка: Иван\nзакупки\nдр 12.03",
            ContactDraft("Ромашка", "Иван", "закупки", Birthday(12, 3)),
        ),
        # no client
        ("Иван Петров", ContactDraft(None, "Иван Петров")),
        (
            "Иван Петров, закупки, 12.03",
            ContactDraft(None, "Иван Петров", "закупки", Birthday(12, 3)),
        ),
        (
            "Иван Петров, ДР: 12.03",
            ContactDraft(None, "Иван Петров", birthday=Birthday(12, 3)),
        ),
        (
            "Иван Петров, тел: 89991234567",
            ContactDraft(None, "Иван Петров", phone="+79991234567"),
        ),
        # extra free text is kept as notes
        (
            "Ромашка: Иван, закупки, любит рыбалку, сын сдаёт ЕГЭ",
            ContactDraft("Ромашка", "Иван", "закупки", notes=["любит рыбалку", "сын сдаёт ЕГЭ"]),
        ),
        (
            "Ромашка: Иван, 12.03, 14.03",
            ContactDraft("Ромашка", "Иван", birthday=Birthday(12, 3), notes=["14.03"]),
        ),
        # data first: the name is the first free text
        (
            "Ромашка: 12.03, Иван",
            ContactDraft("Ромашка", "Иван", birthday=Birthday(12, 3)),
        ),
    ],
)
def test_parse_contact_line(text: str, expected: ContactDraft) -> None:
    assert parse_contact_line(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "problems", "problem_parts"),
    [
        (
            "Ромашка: Иван, др 31 февраля",
            ["birthday-invalid"],
            {"birthday-invalid": "др 31 февраля"},
        ),
        ("Ромашка: Иван, др 45.13", ["birthday-invalid"], {"birthday-invalid": "др 45.13"}),
        ("Ромашка: Иван, 31.02", ["birthday-invalid"], {"birthday-invalid": "31.02"}),
        ("Ромашка: Иван, 29.02.2023", ["birthday-invalid"], {"birthday-invalid": "29.02.2023"}),
        ("Ромашка: Иван, 31 апреля", ["birthday-invalid"], {"birthday-invalid": "31 апреля"}),
        ("Ромашка: Иван, др завтра", ["birthday-invalid"], {"birthday-invalid": "др завтра"}),
        (
            "Romashka: John, CFO, Mar 12, 2030",
            ["birthday-invalid"],
            {"birthday-invalid": "Mar 12, 2030"},
        ),
        ("Ромашка: Иван, тел: 123", ["phone-invalid"], {"phone-invalid": "тел: 123"}),
        ("Ромашка: Иван, +7 999 123", ["phone-invalid"], {"phone-invalid": "+7 999 123"}),
        ("Ромашка: Иван, 123-45", ["phone-invalid"], {"phone-invalid": "123-45"}),
        ("Ромашка: Иван, john@", ["email-invalid"], {"email-invalid": "john@"}),
        ("Ромашка: Иван, john@romashka", ["email-invalid"], {"email-invalid": "john@romashka"}),
        ("Ромашка: Иван, @romashka.ru", ["email-invalid"], {"email-invalid": "@romashka.ru"}),
        ("Ромашка:", ["name-empty"], {"name-empty": ""}),
        ("Ромашка: , закупки", ["name-empty"], {"name-empty": ""}),
        ("Ромашка: 12.03", ["name-empty"], {"name-empty": ""}),
        ("", ["name-empty"], {"name-empty": ""}),
        (",,,", ["name-empty"], {"name-empty": ""}),
        ("Ромашка: 🙂, CFO", ["name-no-letters"], {"name-no-letters": "🙂"}),
        ("Ромашка: " + "я" * 201, ["name-too-long"], {"name-too-long": "я" * 201}),
        (": Иван", ["client-empty"], {"client-empty": ""}),
        (":", ["client-empty", "name-empty"], {"client-empty": "", "name-empty": ""}),
        ("🙂: Иван", ["client-no-letters"], {"client-no-letters": "🙂"}),
        (
            "Ромашка: , др 31.02, тел 12345, x@",
            ["name-empty", "birthday-invalid", "phone-invalid", "email-invalid"],
            {
                "name-empty": "",
                "birthday-invalid": "др 31.02",
                "phone-invalid": "тел 12345",
                "email-invalid": "x@",
            },
        ),
    ],
)
def test_problems_are_reported(
    text: str, problems: list[str], problem_parts: dict[str, str]
) -> None:
    draft = parse_contact_line(text, TODAY)
    assert draft.problems == problems
    assert draft.problem_parts == problem_parts


def test_invalid_birthday_is_not_saved_or_noted() -> None:
    draft = parse_contact_line("Ромашка: Иван, закупки, др 31 февраля", TODAY)
    assert draft.birthday is None
    assert draft.role == "закупки"
    assert draft.notes == []


def test_invalid_name_keeps_the_typed_text() -> None:
    draft = parse_contact_line("Ромашка: 🙂, CFO", TODAY)
    assert draft.name == "🙂"
    assert draft.role == "CFO"


@pytest.mark.parametrize(
    ("text", "client"),
    [
        ("Ромашка: Иван", "Ромашка"),
        ("ООО «Ромашка»: Иван", "ООО «Ромашка»"),
        ("Иван, ДР: 12.03", None),
        ("др: 12.03", None),
        ("тел: +79991234567", None),
        ("email: a@b.ru", None),
        ("Иван", None),
    ],
)
def test_client_split(text: str, client: str | None) -> None:
    assert parse_contact_line(text, TODAY).client == client


@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    draft = parse_contact_line(text, TODAY)
    assert set(draft.problems) <= PROBLEM_KEYS
    assert set(draft.problem_parts) == set(draft.problems)
    assert draft.name or "name-empty" in draft.problems
    assert draft.phone is None or draft.phone.startswith("+")


@given(
    st.text(alphabet="ромашкаROMASHKA: ,;.-+@0123456789др\n", max_size=80),
)
def test_never_raises_on_near_miss_text(text: str) -> None:
    draft = parse_contact_line(text, TODAY)
    assert set(draft.problems) <= PROBLEM_KEYS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Нептун: Пётр Сидоров закупки 12.03 +79001234567",
            ContactDraft(
                "Нептун", "Пётр Сидоров", "закупки", Birthday(12, 3), phone="+79001234567"
            ),
        ),
        (
            "Нептун: Ольга директор др 05.07.1985 olga@neptun.ru",
            ContactDraft(
                "Нептун", "Ольга", "директор", Birthday(5, 7, 1985), email="olga@neptun.ru"
            ),
        ),
        ("Нептун: пётр сидоров закупки", ContactDraft("Нептун", "пётр сидоров", "закупки")),
        ("Нептун: Анна отвечает за склад", ContactDraft("Нептун", "Анна", "отвечает за склад")),
        (
            "Нептун: Пётр 12.03 1985",
            ContactDraft("Нептун", "Пётр", birthday=Birthday(12, 3, 1985)),
        ),
    ],
)
def test_a_line_without_commas_is_read_word_by_word(text: str, expected: ContactDraft) -> None:
    assert parse_contact_line(text, TODAY) == expected
