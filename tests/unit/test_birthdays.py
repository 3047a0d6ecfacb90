from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.crm.birthdays import (
    Birthday,
    age_on,
    days_until,
    format_birthday,
    looks_like_birthday,
    next_birthday,
    parse_birthday,
)

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # numeric, always day-first
        ("12.03", Birthday(12, 3)),
        ("12.03.1980", Birthday(12, 3, 1980)),
        ("12/03/1980", Birthday(12, 3, 1980)),
        ("12-03", Birthday(12, 3)),
        ("12-03-1980", Birthday(12, 3, 1980)),
        ("03/12", Birthday(3, 12)),
        ("1.1", Birthday(1, 1)),
        ("01.01.2000", Birthday(1, 1, 2000)),
        ("12.03.", Birthday(12, 3)),
        (" 12 . 03 . 1980 ", Birthday(12, 3, 1980)),
        ("29.02", Birthday(29, 2)),
        ("29.02.1984", Birthday(29, 2, 1984)),
        ("29.02.2000", Birthday(29, 2, 2000)),
        ("1980-03-12", Birthday(12, 3, 1980)),
        # two-digit years: the latest century not after this year
        ("12.03.80", Birthday(12, 3, 1980)),
        ("12.03.05", Birthday(12, 3, 2005)),
        ("12.03.25", Birthday(12, 3, 2025)),
        ("12.03.26", Birthday(12, 3, 1926)),
        ("12.03.99", Birthday(12, 3, 1999)),
        ("12.03.00", Birthday(12, 3, 2000)),
        # Russian month names, all cases and abbreviations
        ("12 марта", Birthday(12, 3)),
        ("12 мар", Birthday(12, 3)),
        ("12 мар.", Birthday(12, 3)),
        ("12 март", Birthday(12, 3)),
        ("12 марта 1980", Birthday(12, 3, 1980)),
        ("12 марта 1980 г.", Birthday(12, 3, 1980)),
        ("12 марта 1980г", Birthday(12, 3, 1980)),
        ("12 марта 1980 года", Birthday(12, 3, 1980)),
        ("12 марта 80", Birthday(12, 3, 1980)),
        ("12-го марта", Birthday(12, 3)),
        ("12-е марта", Birthday(12, 3)),
        ("12марта", Birthday(12, 3)),
        ("12 МАРТА", Birthday(12, 3)),
        ("Март 12", Birthday(12, 3)),
        ("12 мая", Birthday(12, 5)),
        ("12 май", Birthday(12, 5)),
        ("1 января", Birthday(1, 1)),
        ("1 янв", Birthday(1, 1)),
        ("1 янв.", Birthday(1, 1)),
        ("29 февраля 1984", Birthday(29, 2, 1984)),
        ("3 февр.", Birthday(3, 2)),
        ("15 апреля", Birthday(15, 4)),
        ("7 июня", Birthday(7, 6)),
        ("7 июля", Birthday(7, 7)),
        ("7 июн", Birthday(7, 6)),
        ("7 июл", Birthday(7, 7)),
        ("30 августа", Birthday(30, 8)),
        ("1 сентября", Birthday(1, 9)),
        ("1 сент", Birthday(1, 9)),
        ("1 сен", Birthday(1, 9)),
        ("10 октября", Birthday(10, 10)),
        ("11 ноября 1975", Birthday(11, 11, 1975)),
        ("11 нояб.", Birthday(11, 11)),
        ("31 декабря", Birthday(31, 12)),
        ("31 дек", Birthday(31, 12)),
        ("сентябрь 12", Birthday(12, 9)),
        # typos in month names
        ("12 сентебря", Birthday(12, 9)),
        ("12 дикабря", Birthday(12, 12)),
        ("12 мрта", Birthday(12, 3)),
        ("12 мартa", Birthday(12, 3)),  # a Latin "a" at the end
        ("12 авгста 1980", Birthday(12, 8, 1980)),
        ("12 июнб", Birthday(12, 6)),
        # English
        ("12 March", Birthday(12, 3)),
        ("March 12", Birthday(12, 3)),
        ("march 12", Birthday(12, 3)),
        ("Mar 12", Birthday(12, 3)),
        ("Mar. 12", Birthday(12, 3)),
        ("Mar 12, 1980", Birthday(12, 3, 1980)),
        ("March 12 1980", Birthday(12, 3, 1980)),
        ("12 March 1980", Birthday(12, 3, 1980)),
        ("March 12th", Birthday(12, 3)),
        ("March 12th, 1980", Birthday(12, 3, 1980)),
        ("12th of March", Birthday(12, 3)),
        ("1st of May", Birthday(1, 5)),
        ("May 1", Birthday(1, 5)),
        ("Sept 3", Birthday(3, 9)),
        ("3 Sep", Birthday(3, 9)),
        ("February 29", Birthday(29, 2)),
        ("Feb 29, 1984", Birthday(29, 2, 1984)),
        ("12 Febuary", Birthday(12, 2)),
        ("Decmber 24", Birthday(24, 12)),
        ("Agust 3", Birthday(3, 8)),
        # prefixes
        ("др 12.03", Birthday(12, 3)),
        ("др12.03", Birthday(12, 3)),
        ("ДР 12 марта", Birthday(12, 3)),
        ("ДР: 12.03.1980", Birthday(12, 3, 1980)),
        ("др - 12 марта", Birthday(12, 3)),
        ("д.р. 12 марта", Birthday(12, 3)),
        ("Д.Р.: 12.03", Birthday(12, 3)),
        ("д/р 12.03", Birthday(12, 3)),
        ("день рождения 12 марта", Birthday(12, 3)),
        ("День рождения: 12.03.1980", Birthday(12, 3, 1980)),
        ("дата рождения 12.03.1980", Birthday(12, 3, 1980)),
        ("родился 12 марта 1980", Birthday(12, 3, 1980)),
        ("birthday March 12", Birthday(12, 3)),
        ("Birthday: 12/03", Birthday(12, 3)),
        ("bday 12/03", Birthday(12, 3)),
        ("b-day: Mar 12", Birthday(12, 3)),
        ("DOB 12.03.1980", Birthday(12, 3, 1980)),
        ("born March 12, 1980", Birthday(12, 3, 1980)),
        # the boundaries
        ("01.01.1900", Birthday(1, 1, 1900)),
        ("01.06.2025", Birthday(1, 6, 2025)),  # born today
    ],
)
def test_parse_birthday(text: str, expected: Birthday) -> None:
    assert parse_birthday(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31.02",
        "30.02",
        "31 февраля",
        "32.01",
        "00.01",
        "12.00",
        "12.13",
        "31.04",
        "31 апреля",
        "29.02.2023",
        "29 февраля 2023",
        "Feb 29, 1900",  # 1900 was not a leap year
        "12.03.1899",
        "12.03.1850",
        "12.03.2026",  # the future
        "02.06.2025",  # tomorrow
        "12.07.25",  # two-digit year resolving to the future
        "12.03.980",
        "12.03.19800",
        "12.03/1980",
        "12",
        "март",
        "марта 1980",
        "12 мартобря",
        "12 июкя",  # one letter from both июня and июля
        "12 ма",
        "12 сено",  # one letter from the abbreviation "сент", but not a month
        "45 марта",
        "March",
        "March 32",
        "завтра",
        "tomorrow",
        "др",
        "др завтра",
        "др 31 февраля",
        "др 45.13",
        "д.р.",
        "мусор",
        "",
        "   ",
        "12:30",
        "+7 999 123-45-67",
        "1980",
        "12.03.1980 12.03.1980",
        "12.03" + " " * 100,
        "1" * 1000,
    ],
)
def test_parse_birthday_invalid(text: str) -> None:
    assert parse_birthday(text, TODAY) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31.02", True),
        ("31 февраля", True),
        ("32.01", True),
        ("45.13", True),
        ("12.13", True),
        ("29.02.2023", True),
        ("12.03.2030", True),
        ("др 31 февраля", True),
        ("др 45.13", True),
        ("др завтра", True),
        ("ДР:", True),
        ("birthday soon", True),
        ("12.03", True),
        ("12 марта", True),
        ("закупки", False),
        ("CFO", False),
        ("Иван Петров", False),
        ("12 мартобря", False),
        ("+7 999 123-45-67", False),
        ("john@romashka.ru", False),
        ("дробь", False),  # starts with "др" but is a word
        ("12 лет в компании", False),
        ("", False),
    ],
)
def test_looks_like_birthday(text: str, expected: bool) -> None:
    assert looks_like_birthday(text) is expected


def test_parse_birthday_today_matters() -> None:
    assert parse_birthday("12.03.2026", date(2026, 3, 12)) == Birthday(12, 3, 2026)
    assert parse_birthday("12.03.2026", date(2026, 3, 11)) is None
    assert parse_birthday("12.03.26", date(2026, 6, 1)) == Birthday(12, 3, 2026)


# --- next_birthday, days_until, age_on ------------------------------------------------------


@pytest.mark.parametrize(
    ("birthday", "today", "expected"),
    [
        (Birthday(12, 3), date(2025, 3, 1), date(2025, 3, 12)),
        (Birthday(12, 3), date(2025, 3, 12), date(2025, 3, 12)),
        (Birthday(12, 3), date(2025, 3, 13), date(2026, 3, 12)),
        (Birthday(12, 3, 1980), date(2025, 12, 31), date(2026, 3, 12)),
        (Birthday(1, 1), date(2025, 12, 31), date(2026, 1, 1)),
        (Birthday(31, 12), date(2025, 12, 31), date(2025, 12, 31)),
        # 29 February: the 28th in non-leap years, the 29th in leap years
        (Birthday(29, 2), date(2025, 1, 10), date(2025, 2, 28)),
        (Birthday(29, 2), date(2025, 2, 28), date(2025, 2, 28)),
        (Birthday(29, 2), date(2025, 3, 1), date(2026, 2, 28)),
        (Birthday(29, 2), date(2027, 3, 1), date(2028, 2, 29)),
        (Birthday(29, 2), date(2028, 2, 28), date(2028, 2, 29)),
        (Birthday(29, 2, 1984), date(2028, 2, 29), date(2028, 2, 29)),
        (Birthday(28, 2), date(2028, 2, 28), date(2028, 2, 28)),
    ],
)
def test_next_birthday(birthday: Birthday, today: date, expected: date) -> None:
    assert next_birthday(birthday, today) == expected


@pytest.mark.parametrize(
    ("birthday", "today", "expected"),
    [
        (Birthday(12, 3), date(2025, 3, 12), 0),
        (Birthday(12, 3), date(2025, 3, 11), 1),
        (Birthday(12, 3), date(2025, 3, 13), 364),
        (Birthday(12, 3), date(2027, 3, 13), 365),  # 2028 is leap
        (Birthday(1, 1), date(2025, 12, 31), 1),
        (Birthday(29, 2), date(2025, 2, 27), 1),
    ],
)
def test_days_until(birthday: Birthday, today: date, expected: int) -> None:
    assert days_until(birthday, today) == expected


@pytest.mark.parametrize(
    ("birthday", "day", "expected"),
    [
        (Birthday(12, 3, 1980), date(2025, 3, 11), 44),
        (Birthday(12, 3, 1980), date(2025, 3, 12), 45),
        (Birthday(12, 3, 1980), date(2025, 12, 31), 45),
        (Birthday(12, 3, 1980), date(1980, 3, 12), 0),
        (Birthday(12, 3, 1980), date(1980, 3, 11), None),
        (Birthday(12, 3), date(2025, 3, 12), None),
        (Birthday(29, 2, 1984), date(2025, 2, 27), 40),
        (Birthday(29, 2, 1984), date(2025, 2, 28), 41),
        (Birthday(29, 2, 1984), date(2028, 2, 28), 43),
        (Birthday(29, 2, 1984), date(2028, 2, 29), 44),
    ],
)
def test_age_on(birthday: Birthday, day: date, expected: int | None) -> None:
    assert age_on(birthday, day) == expected


# --- format_birthday ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birthday", "locale", "expected"),
    [
        (Birthday(12, 3), "ru", "12 марта"),
        (Birthday(12, 3, 1980), "ru", "12 марта 1980"),
        (Birthday(1, 5), "ru", "1 мая"),
        (Birthday(29, 2), "ru", "29 февраля"),
        (Birthday(12, 3), "en", "March 12"),
        (Birthday(12, 3, 1980), "en", "March 12, 1980"),
        (Birthday(29, 2), "en", "February 29"),
        (Birthday(12, 3), "ru_RU", "12 марта"),
        (Birthday(12, 3), "ru-RU", "12 марта"),
        (Birthday(12, 3), "en_US", "March 12"),
        (Birthday(12, 3), "en_GB", "12 March"),
        (Birthday(12, 3), "xx", "March 12"),
        (Birthday(12, 3), "", "March 12"),
    ],
)
def test_format_birthday(birthday: Birthday, locale: str, expected: str) -> None:
    assert format_birthday(birthday, locale) == expected


# --- properties -----------------------------------------------------------------------------

birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)


@given(st.text(max_size=80))
def test_parse_birthday_never_raises(text: str) -> None:
    result = parse_birthday(text, TODAY)
    if result is not None:
        date(result.year or 2000, result.month, result.day)  # a real calendar day
        assert result.year is None or 1900 <= result.year <= TODAY.year
        assert looks_like_birthday(text)


@given(birth_dates)
def test_numeric_round_trip(day: date) -> None:
    text = f"{day.day:02d}.{day.month:02d}.{day.year}"
    assert parse_birthday(text, TODAY) == Birthday(day.day, day.month, day.year)


@given(birth_dates, st.sampled_from(["ru", "en", "en_GB"]), st.booleans())
def test_format_then_parse_round_trip(day: date, locale: str, with_year: bool) -> None:
    birthday = Birthday(day.day, day.month, day.year if with_year else None)
    assert parse_birthday(format_birthday(birthday, locale), TODAY) == birthday


@given(birth_dates, st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_next_birthday_properties(born: date, today: date) -> None:
    birthday = Birthday(born.day, born.month, born.year)
    upcoming = next_birthday(birthday, today)
    assert today <= upcoming < today + timedelta(days=366)
    if (born.month, born.day) == (2, 29) and upcoming.month == 2:
        assert upcoming.day in {28, 29}
    else:
        assert (upcoming.month, upcoming.day) == (born.month, born.day)
    assert days_until(birthday, today) == (upcoming - today).days
