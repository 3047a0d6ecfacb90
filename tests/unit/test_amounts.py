"""Amounts as people type them: values in kopecks, refusals with their reason, and the search
for the amount inside a sentence. Expected values are written out by hand."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.parsing.amounts import (
    Amount,
    AmountError,
    AmountErrorKind,
    find_amounts,
    has_number_words,
    parse_amount,
)

RUB = "RUB"


@pytest.mark.parametrize(
    ("typed", "minor", "currency"),
    [
        # plain and grouped digits
        ("150000", 15_000_000, None),
        ("150 000", 15_000_000, None),
        ("150\u00a0000", 15_000_000, None),  # no-break space, as Telegram pastes from Excel
        ("150\u202f000", 15_000_000, None),  # narrow no-break space, as macOS formats
        ("1 250 000", 125_000_000, None),
        ("150'000", 15_000_000, None),
        ("150,000", 15_000_000, None),
        ("150.000", 15_000_000, None),
        ("1.200.000", 120_000_000, None),
        ("1,200,000", 120_000_000, None),
        ("1.200.000,50", 120_000_050, None),
        ("1,200,000.50", 120_000_050, None),
        # kopecks
        ("150 000,50", 15_000_050, None),
        ("150000.5", 15_000_050, None),
        ("150000.00", 15_000_000, None),
        ("12.50", 1_250, None),
        ("0,99", 99, None),
        # thousands
        ("150к", 15_000_000, None),
        ("150 к", 15_000_000, None),
        ("150К", 15_000_000, None),
        ("150k", 15_000_000, None),
        ("150K", 15_000_000, None),
        ("150 тыс", 15_000_000, None),
        ("150 тыс.", 15_000_000, None),
        ("150 тысяч", 15_000_000, None),
        ("1,5 тысячи", 150_000, None),
        ("150т.р.", 15_000_000, RUB),
        ("150 т.р.", 15_000_000, RUB),
        ("150 тр", 15_000_000, RUB),
        ("2.5k", 250_000, None),
        ("150 thousand", 15_000_000, None),
        # millions and billions
        ("1,2 млн", 120_000_000, None),
        ("1.2 млн", 120_000_000, None),
        ("1,2млн.", 120_000_000, None),
        ("3 миллиона", 300_000_000, None),
        ("1.2m", 120_000_000, None),
        ("1.5M", 150_000_000, None),
        ("1.5 mln", 150_000_000, None),
        ("2 ляма", 200_000_000, None),
        ("1кк", 100_000_000, None),
        ("1.250 млн", 125_000_000, None),  # with a multiplier the separator is a decimal mark
        ("1,5 млрд", 150_000_000_000, None),
        ("2bn", 200_000_000_000, None),
        # currencies, before or after, with or without a space
        ("150 000 ₽", 15_000_000, RUB),
        ("150000₽", 15_000_000, RUB),
        ("₽150,000", 15_000_000, RUB),
        ("150 000 руб", 15_000_000, RUB),
        ("150 000 руб.", 15_000_000, RUB),
        ("150 000 рублей", 15_000_000, RUB),
        ("150 000 р.", 15_000_000, RUB),
        ("150000р", 15_000_000, RUB),
        ("150000 rub", 15_000_000, RUB),
        ("150000 RUB", 15_000_000, RUB),
        ("150к руб", 15_000_000, RUB),
        ("1,2 млн ₽", 120_000_000, RUB),
        ("$1.2m", 120_000_000, "USD"),
        ("$500", 50_000, "USD"),
        ("500 usd", 50_000, "USD"),
        ("€1,5k", 150_000, "EUR"),
        ("1500 евро", 150_000, "EUR"),
        # edges
        ("  150000  ", 15_000_000, None),
        ("150000.", 15_000_000, None),
        ("1 000 000 000 000", 100_000_000_000_000, None),  # exactly 10^12 roubles: allowed
        ("0.01", 1, None),
    ],
)
def test_amounts_as_people_write_them(typed: str, minor: int, currency: str | None) -> None:
    assert parse_amount(typed) == Amount(minor, currency)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("-5", AmountErrorKind.NEGATIVE),
        ("−5", AmountErrorKind.NEGATIVE),  # the typographic minus
        ("-150 000", AmountErrorKind.NEGATIVE),
        ("-150к", AmountErrorKind.NEGATIVE),
        ("минус 5", AmountErrorKind.NEGATIVE),
        ("0", AmountErrorKind.ZERO),
        ("0,00", AmountErrorKind.ZERO),
        ("0 ₽", AmountErrorKind.ZERO),
        ("1e99", AmountErrorKind.SCIENTIFIC),
        ("1E5", AmountErrorKind.SCIENTIFIC),
        ("1.5e6", AmountErrorKind.SCIENTIFIC),
        ("1e-3", AmountErrorKind.SCIENTIFIC),
        ("1 000 000 000 001", AmountErrorKind.TOO_LARGE),
        ("10000000000000", AmountErrorKind.TOO_LARGE),
        ("2000 млрд", AmountErrorKind.TOO_LARGE),
        ("9" * 5000, AmountErrorKind.TOO_LARGE),
        ("150,5555", AmountErrorKind.FRACTION),
        ("0.001", AmountErrorKind.FRACTION),
        ("сто тысяч", AmountErrorKind.WORDS),
        ("полтора миллиона", AmountErrorKind.WORDS),
        ("пятьсот", AmountErrorKind.WORDS),
        ("five hundred", AmountErrorKind.WORDS),
        ("", AmountErrorKind.GARBAGE),
        ("abc", AmountErrorKind.GARBAGE),
        ("кабель", AmountErrorKind.GARBAGE),
        ("1,2,3", AmountErrorKind.GARBAGE),
        ("1.2.3", AmountErrorKind.GARBAGE),
        ("5 шт", AmountErrorKind.GARBAGE),
        ("150 000 кабель", AmountErrorKind.GARBAGE),  # the whole text must be the amount
        ("12:30", AmountErrorKind.GARBAGE),
    ],
)
def test_refusals_say_why(typed: str, kind: AmountErrorKind) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(typed)
    assert caught.value.kind is kind


def test_words_are_found_only_as_whole_words() -> None:
    assert has_number_words("сто тысяч")
    assert not has_number_words("просто кабель")
    assert not has_number_words("стол")


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("Ромашка 150 000 кабель ВВГ вчера", ["150 000"]),
        ("Ромашка - 150000 кабель", ["150000"]),  # a dash apart is a separator, not a minus
        ("Ромашка -5", ["-5"]),
        ("Ромашка 150к, провод 3х2,5", ["150к"]),  # "2,5" glued to "х" is part of a word
        ("Ромашка 1,2 млн за трубы", ["1,2 млн"]),
        ("Ромашка 150 000 руб. кабель", ["150 000 руб."]),
        ("кабель 150кабель", []),  # "150кабель" is a word, not an amount
    ],
)
def test_amounts_inside_a_sentence(sentence: str, found: list[str]) -> None:
    assert [m.text for m in find_amounts(sentence)] == found


def test_a_sentence_reports_each_amount_with_its_value_or_error() -> None:
    good, bad = find_amounts("Ромашка 150к и ещё 1e9")
    assert (good.amount, good.error, good.marked) == (Amount(15_000_000, None), None, True)
    assert bad.amount is None
    assert bad.error is not None
    assert bad.error.kind is AmountErrorKind.SCIENTIFIC
    assert not find_amounts("Ромашка 150000")[0].marked  # a bare number could be a date


def test_grouped_numbers_offer_the_readings_that_leave_a_number_in_the_name() -> None:
    readings = find_amounts("Завод 101 150к", alternatives=True)
    assert [(m.text, m.amount.minor if m.amount else None) for m in readings] == [
        ("101 150к", 10_115_000_000),
        ("150к", 15_000_000),
    ]
    assert len(find_amounts("Завод 101 150к")) == 1


@settings(max_examples=400, deadline=500)
@given(st.text(max_size=200))
def test_any_text_gives_an_amount_or_our_error(text: str) -> None:
    try:
        amount = parse_amount(text)
    except AmountError:
        return
    assert 0 < amount.minor <= 10**14


_PIECES = st.sampled_from(
    ["1", "0", "150", "000", " ", ",", ".", "-", "к", "млн", "e", "9", "₽", "$", "руб", "'", "м"]
)


@settings(max_examples=400, deadline=500)
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_amount_like_text_gives_an_amount_or_our_error(text: str) -> None:
    try:
        amount = parse_amount(text)
    except AmountError:
        pass
    else:
        assert 0 < amount.minor <= 10**14
        assert isinstance(amount.minor, int)
    for match in find_amounts(text, alternatives=True):
        assert (match.amount is None) != (match.error is None)
        assert text[match.start : match.end] == match.text


@settings(max_examples=50, deadline=1000)
@given(st.text(alphabet="1 ,.", min_size=1000, max_size=4000))
def test_long_digit_soup_never_hangs(text: str) -> None:
    with contextlib.suppress(AmountError):
        parse_amount(text)
    find_amounts(text, alternatives=True)
