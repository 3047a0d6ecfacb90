import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.parsing.phones import normalize_phone
from bot.services.parsing.taxid import is_valid_inn, normalize_tax_id

# --- phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8 (999) 123-45-67", "+79991234567"),
        ("+7 999 1234567", "+79991234567"),
        ("9991234567", "+79991234567"),
        ("+79991234567", "+79991234567"),
        ("89991234567", "+79991234567"),
        ("79991234567", "+79991234567"),
        ("8-999-123-45-67", "+79991234567"),
        ("+7 (999) 123-45-67", "+79991234567"),
        ("+7(999)123-45-67", "+79991234567"),
        ("8 999 123 45 67", "+79991234567"),
        ("999 123-45-67", "+79991234567"),
        ("999.123.45.67", "+79991234567"),
        ("  +7 999 123 45 67  ", "+79991234567"),
        ("+7\u00a0999\u00a0123-45-67", "+79991234567"),  # no-break spaces from a signature
        ("8 (495) 123-45-67", "+74951234567"),
        ("(495) 123-45-67", "+74951234567"),
        ("8 800 555-35-35", "+78005553535"),
        ("(343) 222-33-44", "+73432223344"),
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+1 (212) 555-0100", "+12125550100"),
        ("+49 30 901820", "+4930901820"),
        ("+375 29 123-45-67", "+375291234567"),
        ("+86 138 0013 8000", "+8613800138000"),
        # Kazakhstan shares +7 and dials the 8 prefix like Russia.
        ("8 701 123-45-67", "+77011234567"),
        ("+7 727 123 45 67", "+77271234567"),
        # Accepted since the parsing moved to libphonenumber:
        ("8 10 44 20 7946 0958", "+442079460958"),  # Russia's own international prefix
        ("+44 (0) 20 7946 0958", "+442079460958"),  # the UK trunk 0 written in brackets
        ("+7 8 (495) 123-45-67", "+74951234567"),  # "+7" and "8" both typed
        # With "+" the country is stated and only the length is checked, so a number from a
        # range newer than the installed metadata still saves (2xx is in no range at all).
        ("+7 212 555 01 00", "+72125550100"),
    ],
)
def test_normalize_phone(text: str, expected: str) -> None:
    assert normalize_phone(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12345",
        "123-45-67",  # no area code: which city?
        "1234567890",  # ten digits not starting with 3, 4, 8 or 9
        "999123456",
        "99912345678",
        "+7 999 123 45 6",
        "+7 999 123 45 678",
        "+79991234567 доб 12",
        "8 999 123-45-67 ext 1",
        "abc",
        "+7 999 ABC-45-67",
        "+0 123 456 789",
        "+1 234",
        "+1234567890123456",  # 16 digits, over E.164
        # Stricter since the parsing moved to libphonenumber; the old rule took any 7-14 digits
        # after the country code, and any 11 digits after a leading 8.
        "+1234567",  # too short for the US and Canada
        "+12345678",
        "+1 212 555 010",  # a digit lost
        "+44 20 7946 09581",  # a digit doubled
        "+7 000 000 00 00",
        "8 212 555 01 00",  # no Russian or Kazakh range starts with 2: a foreign number's digits
        "2125550100",  # a New York number without its "+1"
        "8 600 123 45 67",
        "++79991234567",
        "7+9991234567",
        "٩٩٩١٢٣٤٥٦٧",  # Arabic-Indic digits
        "9" * 100,
    ],
)
def test_normalize_phone_rejects(text: str) -> None:
    assert normalize_phone(text) is None


def test_phone_variants_dedupe_to_one_key() -> None:
    variants = ["8 (999) 123-45-67", "+7 999 1234567", "9991234567", "7 999 123 45 67"]
    assert {normalize_phone(v) for v in variants} == {"+79991234567"}


@given(st.text(max_size=60))
def test_normalize_phone_never_raises(text: str) -> None:
    result = normalize_phone(text)
    # Some countries have short numbers (Niue's are 4 digits), so no lower bound past the code.
    assert result is None or re.fullmatch(r"\+[1-9]\d{3,14}", result)


@given(st.from_regex(r"9[0-9]{9}", fullmatch=True))
def test_every_russian_mobile_with_plus_seven_round_trips(digits: str) -> None:
    expected = "+7" + digits
    assert normalize_phone("+7" + digits) == expected
    assert normalize_phone(f"+7 ({digits[:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:]}") == (
        expected
    )


# Without "+" the number must fall in an allocated range; every 9xx code is allocated except
# parts of 930, so those are left out here.
@given(st.from_regex(r"9[0-24-9][0-9]{8}", fullmatch=True))
def test_every_russian_mobile_round_trips(digits: str) -> None:
    expected = "+7" + digits
    assert normalize_phone(digits) == expected
    assert normalize_phone("8" + digits) == expected
    assert normalize_phone(f"8 ({digits[:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:]}") == (
        expected
    )


# --- INN ------------------------------------------------------------------------------------

VALID_INNS = [
    "7707083893",  # Sberbank
    "7736050003",  # Gazprom
    "7702070139",  # VTB
    "7728168971",  # Alfa-Bank
    "500100732259",  # the commonly cited individual example
]


@pytest.mark.parametrize("inn", VALID_INNS)
def test_valid_inn(inn: str) -> None:
    assert is_valid_inn(inn)


@pytest.mark.parametrize(
    "inn",
    [
        "7707083894",  # Sberbank's INN with the control digit off by one
        "7707083983",  # two digits swapped
        "500100732258",
        "500100732249",  # the 11th digit wrong
        "0000000000",  # passes the checksum but region 00 does not exist
        "000000000000",
        "770708389",
        "77070838931",
        "7707083893a",
        "",
        "７７０７０８３８９３",  # full-width digits
    ],
)
def test_invalid_inn(inn: str) -> None:
    assert not is_valid_inn(inn)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7707083893", "7707083893"),
        ("ИНН 7707083893", "7707083893"),
        ("ИНН: 7707 083 893", "7707083893"),
        ("инн7707083893", "7707083893"),
        ("INN 7707-083-893", "7707083893"),
        (" 500100732259 ", "500100732259"),
        ("5001 0073 2259", "500100732259"),
        ("7707083894", "7707083894"),  # shape only; the checksum is is_valid_inn's job
        ("770708389", None),
        ("77070838931", None),
        ("ИНН", None),
        ("7707O83893", None),  # a letter O
        ("", None),
        ("1" * 100, None),
    ],
)
def test_normalize_tax_id(text: str, expected: str | None) -> None:
    assert normalize_tax_id(text) == expected


def _control(digits: str, weights: tuple[int, ...]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10)


@given(st.from_regex(r"[0-9][1-9][0-9]{7}", fullmatch=True))
def test_any_legal_inn_with_its_control_digit_is_valid(body: str) -> None:
    inn = body + _control(body, (2, 4, 10, 3, 5, 9, 4, 6, 8))
    assert is_valid_inn(inn)
    wrong = inn[:9] + str((int(inn[9]) + 1) % 10)
    assert not is_valid_inn(wrong)


@given(st.from_regex(r"[0-9][1-9][0-9]{8}", fullmatch=True))
def test_any_personal_inn_with_its_control_digits_is_valid(body: str) -> None:
    eleven = body + _control(body, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
    inn = eleven + _control(eleven, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
    assert is_valid_inn(inn)
    assert not is_valid_inn(inn[:11] + str((int(inn[11]) + 1) % 10))


@given(st.text(max_size=50))
def test_tax_id_functions_never_raise(text: str) -> None:
    normalized = normalize_tax_id(text)
    assert normalized is None or (normalized.isdigit() and len(normalized) in (10, 12))
    is_valid_inn(text)
