"""Phone numbers as typed by managers, reduced to one E.164-like key for dedupe.

Decisions where the product brief was silent:
- Without "+" only Russian national forms are understood: 11 digits starting with 8 or 7
  ("8 (999) 123-45-67"), 10 digits starting with 3, 4, 8 or 9 (mobile "999 123-45-67" and city
  numbers with an area code, "(495) 123-45-67"), and the international prefix "00"
  ("0044 20 7946 0958"). Anything else without a country code is ambiguous and rejected.
- "+7" numbers must have exactly 10 national digits; other countries 7-14 digits after the
  country code (E.164 allows at most 15 digits in total).
- Letters (extensions such as "доб. 12") make the input unusable: the caller asks again.
"""

from __future__ import annotations

import re

__all__ = ["normalize_phone"]

# Digits with the separators people put between them; "+" only at the very start.
_PHONE_SHAPE = re.compile(r"^\+?[\d\s().\-–—/]+$", re.ASCII)
_E164_MIN, _E164_MAX = 8, 15
_RU_NATIONAL_LEADS = "3489"
_MAX_INPUT = 40


def normalize_phone(text: str) -> str | None:
    """ "+79991234567"-style key, or None when the text is not a usable phone number."""
    # str.split also breaks on the no-break spaces that copying from a signature brings along.
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > _MAX_INPUT or not _PHONE_SHAPE.match(cleaned):
        return None
    digits = "".join(ch for ch in cleaned if ch.isdigit())
    if cleaned.startswith("+"):
        return _international(digits)
    if digits.startswith("00"):
        return _international(digits[2:])
    if len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]
    if len(digits) == 10 and digits[0] in _RU_NATIONAL_LEADS:
        return "+7" + digits
    return None


def _international(digits: str) -> str | None:
    if not digits or digits[0] == "0":
        return None
    if digits[0] == "7":
        return "+" + digits if len(digits) == 11 else None
    if _E164_MIN <= len(digits) <= _E164_MAX:
        return "+" + digits
    return None
