"""Phone numbers as typed by managers, reduced to one E.164 key ("+79991234567") for dedupe.

Parsing and the per-country numbering rules are Google's libphonenumber (``phonenumbers``); this
module only decides which of its verdicts a manager's input must pass. One rule serves chat
entry, card edits and /import.

- Russia is the default country: "8 999 123-45-67", "8 (495) 123-45-67", "999 123-45-67" and
  "79991234567" are Russian numbers. Other countries need their code: "+44 20 7946 0958",
  "0044 20 7946 0958" (the "00" prefix most of Europe dials) or "810 44 ..." (Russia's own).
- A number typed with its country code must be *possible* there: the right length for that
  country. That catches the usual typo, a lost or doubled digit, and unlike ``is_valid_number``
  it does not turn a real number away because it sits in a range opened after the installed
  metadata was published (numbering plans change every year; a pinned install lags behind).
- A number typed without a country code must be *valid* in Russia (or Kazakhstan, which shares
  +7): the digits have to fall in an allocated range. Here the country is only our guess, and
  "2125550100" — a New York number without its "+1" — is the right length for Russia; only the
  range check tells the guess is wrong, so the manager is asked again instead of the number
  being filed under +7. Typing "+7" in front accepts a number the metadata does not know yet.
- Letters make the input unusable, so the caller asks again: the library would read "доб. 12"
  as an extension and "ABC" as keypad digits, and both would be lost or invented silently.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import CountryCodeSource, PhoneNumberFormat, ValidationResult

__all__ = ["normalize_phone"]

DEFAULT_REGION = "RU"

# Digits with the separators people put between them; "+" only at the very start.
_PHONE_SHAPE = re.compile(r"^\+?[\d\s().\-–—/]+$", re.ASCII)
_MAX_INPUT = 40
# E.164 allows 15 digits; libphonenumber accepts a few longer German ranges, which would not fit
# the phone_norm column (20 characters) on PostgreSQL.
_E164_MAX_DIGITS = 15
_EXPLICIT_COUNTRY = (
    CountryCodeSource.FROM_NUMBER_WITH_PLUS_SIGN,
    CountryCodeSource.FROM_NUMBER_WITH_IDD,
)


def normalize_phone(text: str) -> str | None:
    """ "+79991234567"-style key, or None when the text is not a usable phone number."""
    # str.split also breaks on the no-break spaces that copying from a signature brings along.
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > _MAX_INPUT or not _PHONE_SHAPE.match(cleaned):
        return None
    if cleaned.startswith("00"):
        # Russia's international prefix is 810, so the library would read "00" as national digits.
        cleaned = "+" + cleaned[2:]
    try:
        number = phonenumbers.parse(cleaned, DEFAULT_REGION, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        return None
    if not number.national_number:
        # All zeros ("+7 000 000 00 00"): the library formats such a number as the raw input.
        return None
    if number.country_code_source in _EXPLICIT_COUNTRY:
        # Exactly IS_POSSIBLE: is_possible_number also passes IS_POSSIBLE_LOCAL_ONLY, a city
        # number without its area code ("123-45-67"), which names no city.
        usable = phonenumbers.is_possible_number_with_reason(number) == ValidationResult.IS_POSSIBLE
    else:
        usable = phonenumbers.is_valid_number(number)
    if not usable:
        return None
    key = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return key if len(key) - 1 <= _E164_MAX_DIGITS else None
