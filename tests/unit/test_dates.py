"""Dates in words, resolved in the manager's timezone (bot/services/parsing/dates.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.parsing.date_order import ambiguous, month_first
from bot.services.parsing.dates import (
    DateProblem,
    When,
    find_all_when,
    find_invalid_date,
    find_when,
    local_day,
    parse_when,
    warm_up,
)

MSK = "Europe/Moscow"
NY = "America/New_York"
# Friday 27 November 2026, 10:00 in Moscow.
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo(MSK))
# Saturday 7 March 2026, 10:00 in New York; clocks go forward at 02:00 on Sunday 8 March.
NY_NOW = datetime(2026, 3, 7, 10, 0, tzinfo=ZoneInfo(NY))


def local(when: When | None, tz: str = MSK) -> str | None:
    """ "2026-11-28 15:00" with the time, "2026-11-28" without."""
    if when is None:
        return None
    at = when.at.astimezone(ZoneInfo(tz))
    return at.strftime("%Y-%m-%d %H:%M") if when.has_time else at.strftime("%Y-%m-%d")


# (text, as a next step (future=True), as a backdate (future=False))
WHOLE: list[tuple[str, str, str]] = [
    # day words carry their own direction
    ("сегодня", "2026-11-27", "2026-11-27"),
    ("завтра", "2026-11-28", "2026-11-28"),
    ("Завтра", "2026-11-28", "2026-11-28"),
    ("послезавтра", "2026-11-29", "2026-11-29"),
    ("после завтра", "2026-11-29", "2026-11-29"),
    ("вчера", "2026-11-26", "2026-11-26"),
    ("позавчера", "2026-11-25", "2026-11-25"),
    ("на завтра", "2026-11-28", "2026-11-28"),
    ("today", "2026-11-27", "2026-11-27"),
    ("tomorrow", "2026-11-28", "2026-11-28"),
    ("tmrw", "2026-11-28", "2026-11-28"),
    ("yesterday", "2026-11-26", "2026-11-26"),
    ("the day after tomorrow", "2026-11-29", "2026-11-29"),
    ("tonight", "2026-11-27 18:00", "2026-11-27 18:00"),
    # weekdays: never today; next or previous occurrence
    ("в пятницу", "2026-12-04", "2026-11-20"),
    ("в пт", "2026-12-04", "2026-11-20"),
    ("пт", "2026-12-04", "2026-11-20"),
    ("до пт", "2026-12-04", "2026-11-20"),
    ("к пятнице", "2026-12-04", "2026-11-20"),
    ("до пятницы", "2026-12-04", "2026-11-20"),
    ("в понедельник", "2026-11-30", "2026-11-23"),
    ("во вторник", "2026-12-01", "2026-11-24"),
    ("в среду", "2026-12-02", "2026-11-25"),
    ("в четверг", "2026-12-03", "2026-11-26"),
    ("в субботу", "2026-11-28", "2026-11-21"),
    ("в воскресенье", "2026-11-29", "2026-11-22"),
    ("в сб", "2026-11-28", "2026-11-21"),
    ("on Friday", "2026-12-04", "2026-11-20"),
    ("by Friday", "2026-12-04", "2026-11-20"),
    ("by fri", "2026-12-04", "2026-11-20"),
    ("Monday", "2026-11-30", "2026-11-23"),
    # next / last / this: calendar weeks starting on Monday
    ("в следующий вторник", "2026-12-01", "2026-12-01"),
    ("в след. пт", "2026-12-04", "2026-12-04"),
    ("в следующую пятницу", "2026-12-04", "2026-12-04"),
    ("next Monday", "2026-11-30", "2026-11-30"),
    ("next friday", "2026-12-04", "2026-12-04"),
    ("в прошлый вторник", "2026-11-17", "2026-11-17"),
    ("в прошлую пятницу", "2026-11-20", "2026-11-20"),
    ("last Monday", "2026-11-16", "2026-11-16"),
    ("в эту пятницу", "2026-11-27", "2026-11-27"),
    ("this Sunday", "2026-11-29", "2026-11-22"),
    ("в среду на следующей неделе", "2026-12-02", "2026-12-02"),
    # periods
    ("на следующей неделе", "2026-11-30", "2026-11-30"),
    ("на след. неделе", "2026-11-30", "2026-11-30"),
    ("в начале следующей недели", "2026-11-30", "2026-11-30"),
    ("next week", "2026-11-30", "2026-11-30"),
    ("на прошлой неделе", "2026-11-16", "2026-11-16"),
    ("last week", "2026-11-16", "2026-11-16"),
    ("в конце недели", "2026-11-27", "2026-11-27"),
    ("end of week", "2026-11-27", "2026-11-27"),
    ("в конце месяца", "2026-11-30", "2026-10-31"),
    ("до конца месяца", "2026-11-30", "2026-10-31"),
    ("end of month", "2026-11-30", "2026-10-31"),
    ("by the end of the month", "2026-11-30", "2026-10-31"),
    ("в следующем месяце", "2026-12-01", "2026-12-01"),
    ("next month", "2026-12-01", "2026-12-01"),
    ("в прошлом месяце", "2026-10-01", "2026-10-01"),
    ("до конца дня", "2026-11-27", "2026-11-27"),
    ("EOD", "2026-11-27", "2026-11-27"),
    # relative
    ("через 2 недели", "2026-12-11", "2026-12-11"),
    ("через две недели", "2026-12-11", "2026-12-11"),
    ("через 3 дня", "2026-11-30", "2026-11-30"),
    ("через пару дней", "2026-11-29", "2026-11-29"),
    ("через неделю", "2026-12-04", "2026-12-04"),
    ("через месяц", "2026-12-27", "2026-12-27"),
    ("через полгода", "2027-05-27", "2027-05-27"),
    ("через год", "2027-11-27", "2027-11-27"),
    ("через час", "2026-11-27 11:00", "2026-11-27 11:00"),
    ("через 2 часа", "2026-11-27 12:00", "2026-11-27 12:00"),
    ("через 30 минут", "2026-11-27 10:30", "2026-11-27 10:30"),
    ("через полчаса", "2026-11-27 10:30", "2026-11-27 10:30"),
    ("спустя 2 дня", "2026-11-29", "2026-11-29"),
    ("in 2 weeks", "2026-12-11", "2026-12-11"),
    ("in 3 days", "2026-11-30", "2026-11-30"),
    ("in a week", "2026-12-04", "2026-12-04"),
    ("in an hour", "2026-11-27 11:00", "2026-11-27 11:00"),
    ("in a couple of days", "2026-11-29", "2026-11-29"),
    ("3 weeks from now", "2026-12-18", "2026-12-18"),
    ("2 дня назад", "2026-11-25", "2026-11-25"),
    ("неделю назад", "2026-11-20", "2026-11-20"),
    ("месяц назад", "2026-10-27", "2026-10-27"),
    ("час назад", "2026-11-27 09:00", "2026-11-27 09:00"),
    ("a week ago", "2026-11-20", "2026-11-20"),
    ("3 days ago", "2026-11-24", "2026-11-24"),
    # dates and times together; a bare hour from 1 to 7 is afternoon
    ("завтра в 15", "2026-11-28 15:00", "2026-11-28 15:00"),
    ("завтра в 15:30", "2026-11-28 15:30", "2026-11-28 15:30"),
    ("завтра в 15.30", "2026-11-28 15:30", "2026-11-28 15:30"),
    ("завтра 15:30", "2026-11-28 15:30", "2026-11-28 15:30"),
    ("в 15 завтра", "2026-11-28 15:00", "2026-11-28 15:00"),
    ("завтра в 3", "2026-11-28 15:00", "2026-11-28 15:00"),
    ("завтра в 9", "2026-11-28 09:00", "2026-11-28 09:00"),
    ("завтра утром", "2026-11-28 09:00", "2026-11-28 09:00"),
    ("сегодня вечером", "2026-11-27 18:00", "2026-11-27 18:00"),
    ("в пятницу в 10 утра", "2026-12-04 10:00", "2026-11-20 10:00"),
    ("в пятницу в 3 часа дня", "2026-12-04 15:00", "2026-11-20 15:00"),
    ("tomorrow at 3pm", "2026-11-28 15:00", "2026-11-28 15:00"),
    ("tomorrow at 3:30 pm", "2026-11-28 15:30", "2026-11-28 15:30"),
    ("at 3pm tomorrow", "2026-11-28 15:00", "2026-11-28 15:00"),
    ("tomorrow morning", "2026-11-28 09:00", "2026-11-28 09:00"),
    ("через 2 дня в 11", "2026-11-29 11:00", "2026-11-29 11:00"),
    # a time alone: the nearest one in the wanted direction
    ("в 15", "2026-11-27 15:00", "2026-11-26 15:00"),
    ("в 10 утра", "2026-11-28 10:00", "2026-11-27 10:00"),
    ("в 6 вечера", "2026-11-27 18:00", "2026-11-26 18:00"),
    ("в 11 вечера", "2026-11-27 23:00", "2026-11-26 23:00"),
    ("в 2 ночи", "2026-11-28 02:00", "2026-11-27 02:00"),
    ("в 9:15", "2026-11-28 09:15", "2026-11-27 09:15"),
    ("в полдень", "2026-11-27 12:00", "2026-11-26 12:00"),
    ("at noon", "2026-11-27 12:00", "2026-11-26 12:00"),
    ("в 12 часов", "2026-11-27 12:00", "2026-11-26 12:00"),
    ("at 9am", "2026-11-28 09:00", "2026-11-27 09:00"),
    ("15:00", "2026-11-27 15:00", "2026-11-26 15:00"),
    # numeric dates are day first
    ("12.03", "2027-03-12", "2026-03-12"),
    ("12.03.2027", "2027-03-12", "2027-03-12"),
    ("12.03.27", "2027-03-12", "2027-03-12"),
    ("12/03", "2027-03-12", "2026-03-12"),
    ("03/12", "2026-12-03", "2025-12-03"),
    ("27.11", "2026-11-27", "2026-11-27"),
    ("01.12", "2026-12-01", "2025-12-01"),
    ("1.12", "2026-12-01", "2025-12-01"),
    ("2027-03-12", "2027-03-12", "2027-03-12"),
    ("до 12.03", "2027-03-12", "2026-03-12"),
    ("12.03 в 15:00", "2027-03-12 15:00", "2026-03-12 15:00"),
    ("29.02", "2028-02-29", "2024-02-29"),
    # month names, in every case, both orders
    ("12 марта", "2027-03-12", "2026-03-12"),
    ("12 мар", "2027-03-12", "2026-03-12"),
    ("12-го марта", "2027-03-12", "2026-03-12"),
    ("12 марта 2027", "2027-03-12", "2027-03-12"),
    ("12 марта 2027 года", "2027-03-12", "2027-03-12"),
    ("12 марта в 11", "2027-03-12 11:00", "2026-03-12 11:00"),
    ("5 июня", "2027-06-05", "2026-06-05"),
    ("5 мая", "2027-05-05", "2026-05-05"),
    ("1 января", "2027-01-01", "2026-01-01"),
    ("30 ноября", "2026-11-30", "2025-11-30"),
    ("27 ноября", "2026-11-27", "2026-11-27"),
    ("к 1 декабря", "2026-12-01", "2025-12-01"),
    ("March 3", "2027-03-03", "2026-03-03"),
    ("3 March", "2027-03-03", "2026-03-03"),
    ("3rd of March", "2027-03-03", "2026-03-03"),
    ("March 3, 2027", "2027-03-03", "2027-03-03"),
    ("Jun 5", "2027-06-05", "2026-06-05"),
    ("june 5th", "2027-06-05", "2026-06-05"),
    ("on Dec 24 at 10am", "2026-12-24 10:00", "2025-12-24 10:00"),
    # a day of the month alone
    ("до 15-го", "2026-12-15", "2026-11-15"),
    ("к 30-му", "2026-11-30", "2026-10-30"),
    ("15-го числа", "2026-12-15", "2026-11-15"),
    ("by the 15th", "2026-12-15", "2026-11-15"),
    ("20 минут назад", "2026-11-27 09:40", "2026-11-27 09:40"),
    # dateparser, behind guards, for the rare rest of whole inputs
    ("первого декабря", "2026-12-01", "2025-12-01"),
    ("через 1,5 часа", "2026-11-27 11:30", "2026-11-27 11:30"),
    ("twenty minutes ago", "2026-11-27 09:40", "2026-11-27 09:40"),
    ("март", "2027-03-01", "2026-03-01"),
]


@pytest.mark.parametrize(("text", "ahead", "behind"), WHOLE)
def test_parse_when(text: str, ahead: str, behind: str) -> None:
    assert local(parse_when(text, NOW, MSK, future=True)) == ahead
    assert local(parse_when(text, NOW, MSK, future=False)) == behind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("завтра в 15", "2026-03-08 15:00"),
        ("завтра", "2026-03-08"),
        ("через 3 дня", "2026-03-10"),
        ("через 2 часа", "2026-03-07 12:00"),
        ("в понедельник в 9", "2026-03-09 09:00"),
        ("tomorrow at 3pm", "2026-03-08 15:00"),
        ("next week", "2026-03-09"),
    ],
)
def test_new_york_across_the_dst_change(text: str, expected: str) -> None:
    assert local(parse_when(text, NY_NOW, NY), NY) == expected


def test_dst_instants_are_exact() -> None:
    # 15:00 EDT (UTC-4) on the day the clocks change; midnight that day is still EST (UTC-5).
    assert parse_when("завтра в 15", NY_NOW, NY) == When(
        datetime(2026, 3, 8, 19, 0, tzinfo=UTC), True, 0, 11, "завтра в 15"
    )
    day = parse_when("завтра", NY_NOW, NY)
    assert day is not None
    assert day.at == datetime(2026, 3, 8, 5, 0, tzinfo=UTC)
    assert not day.has_time
    # Two hours of real time, whatever the wall clock does.
    hours = parse_when("через 2 часа", NY_NOW, NY)
    assert hours is not None
    assert hours.at == datetime(2026, 3, 7, 17, 0, tzinfo=UTC)
    # 02:30 does not exist on 8 March: read with the offset before the change (= 03:30 EDT).
    skipped = parse_when("завтра в 2:30 am", NY_NOW, NY)
    assert skipped is not None
    assert skipped.at == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)


def test_at_is_aware_utc_and_a_day_starts_at_local_midnight() -> None:
    found = parse_when("завтра", NOW, MSK)
    assert found is not None
    assert found.at.tzinfo is UTC
    assert found.at == datetime(2026, 11, 27, 21, 0, tzinfo=UTC)
    assert local_day(found, MSK).isoformat() == "2026-11-28"


def test_span_of_a_padded_whole_text() -> None:
    assert parse_when("  в пятницу. ", NOW, MSK) == When(
        datetime(2026, 12, 3, 21, 0, tzinfo=UTC), False, 2, 11, "в пятницу"
    )


def test_weekday_rules_on_a_monday() -> None:
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo(MSK))
    assert local(parse_when("во вторник", monday, MSK)) == "2026-12-01"
    assert local(parse_when("в следующий вторник", monday, MSK)) == "2026-12-08"
    assert local(parse_when("в понедельник", monday, MSK)) == "2026-12-07"
    assert local(parse_when("в прошлую пятницу", monday, MSK)) == "2026-11-27"
    assert local(parse_when("в пятницу", monday, MSK, future=False)) == "2026-11-27"


def test_month_arithmetic_clamps_to_the_month_end() -> None:
    january = datetime(2027, 1, 31, 12, 0, tzinfo=ZoneInfo(MSK))
    assert local(parse_when("через месяц", january, MSK)) == "2027-02-28"
    assert local(parse_when("в конце месяца", january, MSK)) == "2027-01-31"


def test_end_of_week_on_a_weekend_is_today() -> None:
    sunday = datetime(2026, 11, 29, 12, 0, tzinfo=ZoneInfo(MSK))
    assert local(parse_when("в конце недели", sunday, MSK)) == "2026-11-29"
    assert local(parse_when("на следующей неделе", sunday, MSK)) == "2026-11-30"


@pytest.mark.parametrize(
    "text",
    ["31 февраля", "30.02", "31.04", "29.02.2027", "32 марта", "31 февраля в 10", "31 June"],
)
def test_impossible_dates_raise(text: str) -> None:
    with pytest.raises(DateProblem) as caught:
        parse_when(text, NOW, MSK)
    assert caught.value.key == "date-invalid"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "150 000",
        "150к",
        "2027 год",
        "на 2027 год",
        "5 шт",
        "2 позиции",
        "на 10%",
        "в 2 раза",
        "обсудили",
        "hello",
        "1.5",
        "45.13",
        "12",
        "в марте",
        "это среда",
        "утром",
        "+7 999 123-45-67",
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_when(text, NOW, MSK) is None


# (sentence, the date found as typed, resolved as a next step)
INSIDE: list[tuple[str, str, str]] = [
    ("КП в пятницу", "в пятницу", "2026-12-04"),
    ("обсудили поставку, КП в пт", "в пт", "2026-12-04"),
    ("перезвонить завтра в 15 по поводу КП", "завтра в 15", "2026-11-28 15:00"),
    ("созвон в 15", "в 15", "2026-11-27 15:00"),
    ("созвон в 15, обсудить цены", "в 15", "2026-11-27 15:00"),
    ("созвон в 15 по поводу цен", "в 15", "2026-11-27 15:00"),
    ("в 15 созвон с бухгалтерией", "в 15", "2026-11-27 15:00"),
    ("прислать счёт 12.03", "12.03", "2027-03-12"),
    ("КП 12.03 к 15:00", "12.03 к 15:00", "2027-03-12 15:00"),
    ("встреча 12 марта в 11 у них", "12 марта в 11", "2027-03-12 11:00"),
    ("follow up next Monday", "next Monday", "2026-11-30"),
    ("send the deck by Friday please", "by Friday", "2026-12-04"),
    ("напомнить через 2 недели", "через 2 недели", "2026-12-11"),
    ("ответ к концу месяца", "к концу месяца", "2026-11-30"),
    ("созвон в 10.11", "в 10.11", "2026-11-27 10:11"),
    ("перенесли на 10.11", "на 10.11", "2027-11-10"),
    ("до 15-го числа оплатить", "до 15-го числа", "2026-12-15"),
    ("звонок на 15:00", "на 15:00", "2026-11-27 15:00"),
    ("созвон завтра, в 2 раза больше", "завтра", "2026-11-28"),
]


@pytest.mark.parametrize(("sentence", "span", "expected"), INSIDE)
def test_find_when(sentence: str, span: str, expected: str) -> None:
    found = find_when(sentence, NOW, MSK)
    assert found is not None
    assert found.text == span
    assert sentence[found.start : found.end] == span
    assert local(found) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "объемы на 2027 год",
        "в 2027 году планируют расширение",
        "150 000 руб за партию",
        "5 шт на складе",
        "2 позиции в заказе",
        "скидка на 10%",
        "продажи выросли в 2 раза",
        "открыли в 5 магазинах",
        "в 3 этапа",
        "цена 1.05 млн",
        "версия 1.5",
        "12.50 руб",
        "заняли 2-е место",
        "по пятницам у них планёрка",
        "sat down with the buyer",
        "we may call them",
        "среда разработки",
        "утром было тихо",
        "телефон +7 999 123-45-67",
        "счёт №12345 от поставщика",
        "на 2 часа задержались",
    ],
)
def test_no_date_in_sentence(sentence: str) -> None:
    assert find_when(sentence, NOW, MSK) is None


def test_find_all_when_left_to_right() -> None:
    found = find_all_when("вчера звонил, КП в пятницу в 10", NOW, MSK)
    assert [(w.text, local(w)) for w in found] == [
        ("вчера", "2026-11-26"),
        ("в пятницу в 10", "2026-12-04 10:00"),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("встреча 31 февраля", "31 февраля"),
        ("перенесли на 31.04", "31.04"),
        ("КП к 30.02", "30.02"),
        ("встреча 29.02.2027", "29.02.2027"),
        ("КП в пятницу", None),
        ("29.02", None),
        ("рост 45.13", None),
        ("", None),
    ],
)
def test_find_invalid_date(sentence: str, expected: str | None) -> None:
    assert find_invalid_date(sentence) == expected


def test_find_when_skips_an_impossible_date() -> None:
    found = find_when("31 февраля или 5 марта", NOW, MSK)
    assert found is not None
    assert found.text == "5 марта"


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("завтра", datetime(2026, 11, 27, 10, 0), MSK)  # noqa: DTZ001


def test_warm_up_runs() -> None:
    warm_up()


def test_long_hostile_input_is_fast() -> None:
    text = ("в 15 12.03 завтра " * 300)[:4096] + "1" * 5000
    found = find_all_when(text, NOW, MSK)
    assert found
    assert all(w.end <= 8192 for w in found)
    assert parse_when("9" * 10000, NOW, MSK) is None


@settings(deadline=timedelta(seconds=1), max_examples=300)
@given(st.text(max_size=300))
def test_find_when_never_raises(text: str) -> None:
    found = find_when(text, NOW, MSK)
    if found is not None:
        assert text[found.start : found.end] == found.text
    find_invalid_date(text)


def setup_module() -> None:
    warm_up()  # the first dateparser call must not count against a hypothesis deadline


_DATE_ALPHABET = st.sampled_from(list("завтрпяницуеслдю 0123456789.:/-nextfridaymonthwk"))


@settings(deadline=timedelta(seconds=1), max_examples=150)
@given(st.one_of(st.text(max_size=80), st.text(alphabet=_DATE_ALPHABET, max_size=40)))
def test_parse_when_raises_only_date_problem(text: str) -> None:
    try:
        found = parse_when(text, NOW, MSK)
    except DateProblem:
        return
    assert found is None or found.at.tzinfo is UTC


# Issue 15: Sunday 6 December 2026, 07:38 in Moscow.
EARLY = datetime(2026, 12, 6, 7, 38, tzinfo=ZoneInfo(MSK))


@pytest.mark.parametrize(
    ("text", "ahead", "behind"),
    [
        ("завтра в 7:30", "2026-12-07 07:30", "2026-12-07 07:30"),
        ("вчера в 7:30", "2026-12-05 07:30", "2026-12-05 07:30"),
        ("в 7:00", "2026-12-07 07:00", "2026-12-06 07:00"),
        ("в 11", "2026-12-06 11:00", "2026-12-05 11:00"),
        ("в 6", "2026-12-06 18:00", "2026-12-05 18:00"),  # 1-6 stays afternoon
        ("в 07:30", "2026-12-07 07:30", "2026-12-06 07:30"),
        ("завтра вечером в 7", "2026-12-07 19:00", "2026-12-07 19:00"),
        ("завтра в 8 вечером", "2026-12-07 20:00", "2026-12-07 20:00"),
        ("завтра утром в 7", "2026-12-07 07:00", "2026-12-07 07:00"),
        ("tonight at 8", "2026-12-06 20:00", "2026-12-06 20:00"),
        ("tomorrow at 9am", "2026-12-07 09:00", "2026-12-07 09:00"),
        ("tomorrow at 8:30 pm", "2026-12-07 20:30", "2026-12-07 20:30"),
        # «сегодня» with a morning hour already past: today's for a backdate, the evening ahead.
        ("сегодня в 7:00", "2026-12-06 19:00", "2026-12-06 07:00"),
        ("сегодня в 8", "2026-12-06 08:00", "2026-12-06 08:00"),
    ],
)
def test_morning_hours_mean_the_morning(text: str, ahead: str, behind: str) -> None:
    assert local(parse_when(text, EARLY, MSK, future=True)) == ahead
    assert local(parse_when(text, EARLY, MSK, future=False)) == behind


def test_a_day_month_without_a_year_is_marked_yearless() -> None:
    found = parse_when("25.12", EARLY, MSK, future=False)
    assert found is not None
    assert found.yearless
    assert local(found) == "2025-12-25"
    dated = parse_when("25.12.2026", EARLY, MSK, future=False)
    assert dated is not None
    assert not dated.yearless
    assert not parse_when("вчера", EARLY, MSK).yearless  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("language", "timezone", "code", "expected"),
    [
        ("en", "America/New_York", None, True),
        ("en", "America/Los_Angeles", "en", True),
        ("en", "Europe/London", "en", False),
        ("en", "Europe/Moscow", "en-US", True),  # the region in language_code wins
        ("en", "America/New_York", "en-GB", False),
        ("ru", "America/New_York", "en-US", False),  # Russian is day first
        ("en", "America/Toronto", None, False),
    ],
)
def test_month_first_for_us_users(
    language: str, timezone: str, code: str | None, expected: bool
) -> None:
    assert month_first(language, timezone, code) is expected


def test_slash_dates_swap_only_when_month_first() -> None:
    us = parse_when("12/03", EARLY, NY, future=False, month_first=True)
    assert local(us, NY) == "2026-12-03"
    assert local(parse_when("12/03", EARLY, NY, future=False), NY) == "2026-03-12"
    # A dotted date stays day first even for a US user.
    assert local(parse_when("12.03", EARLY, NY, future=False, month_first=True), NY) == "2026-03-12"
    assert local(parse_when("11/30/2026", EARLY, NY, month_first=True), NY) == "2026-11-30"
    assert ambiguous("born 12/03/1980")
    assert not ambiguous("11/30")
    assert not ambiguous("5/5")
