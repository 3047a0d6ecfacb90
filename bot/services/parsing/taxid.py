"""Russian taxpayer numbers (ИНН) of clients: normalization and the official checksum.

``normalize_tax_id`` only checks the shape, so the caller can tell "this is not an INN at all"
from "the checksum is wrong, probably a typo" (``is_valid_inn``) and say which.
"""

from __future__ import annotations

import re

__all__ = ["is_valid_inn", "normalize_tax_id"]

_LABEL = re.compile(r"^\s*(?:инн|inn|tin)\s*[:№#.\-]?\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-–—.]")
_LEGAL_LENGTH, _PERSON_LENGTH = 10, 12
_MAX_INPUT = 40

# Weights from the Federal Tax Service order on INN assignment (control digits).
_LEGAL_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_PERSON_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_PERSON_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def normalize_tax_id(text: str) -> str | None:
    """The digits of an INN ("ИНН 7707 083 893" -> "7707083893") when 10 or 12 long, else None.

    Does not verify the checksum: see ``is_valid_inn``.
    """
    if len(text) > _MAX_INPUT:
        return None
    digits = _SEPARATORS.sub("", _LABEL.sub("", text, count=1))
    if not digits.isascii() or not digits.isdigit():
        return None
    return digits if len(digits) in (_LEGAL_LENGTH, _PERSON_LENGTH) else None


def _control(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def is_valid_inn(inn: str) -> bool:
    """The real checksum for 10-digit (organisation) and 12-digit (individual) INNs.

    The first two digits are a region code, 01 and up, so "00..." (including all zeros, which
    the checksum alone would accept) is rejected.
    """
    if not inn.isascii() or not inn.isdigit() or inn.startswith("00"):
        return False
    if len(inn) == _LEGAL_LENGTH:
        return _control(inn, _LEGAL_WEIGHTS) == int(inn[9])
    if len(inn) == _PERSON_LENGTH:
        return _control(inn, _PERSON_WEIGHTS_11) == int(inn[10]) and _control(
            inn, _PERSON_WEIGHTS_12
        ) == int(inn[11])
    return False
