"""One rule for an e-mail address, wherever it comes from: /contact, a card edit, /import.

What a manager pastes is normalised before it is checked, so the bot stores, and the importer
reads back, the same address:

* surrounding whitespace and trailing ``;``/``,`` go: Outlook copies "k.belova@vector.ru;";
* a ``mailto:`` prefix (any case) and enclosing angle brackets go: "<k.belova@vector.ru>";
* the address is lower-cased, as /contact always did: mail servers ignore case in practice,
  and one spelling lets an import recognise a contact it already has.

A value that is still not one address (no "@", two of them, a space, a comma or ``;`` inside,
no dot after the "@", longer than 254 characters) is refused, in chat and in import alike.
Old rows typed before this rule ("x@y.ru;") normalise, so an export holding them imports.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["MAX_EMAIL_LENGTH", "normalize_email"]

MAX_EMAIL_LENGTH: Final = 254

_EDGES: Final = re.compile(r"^[\s;,]+|[\s;,]+$")
_MAILTO: Final = re.compile(r"^mailto:", re.IGNORECASE)
# One "@"; no whitespace, separators or brackets anywhere; a dot inside the domain. As loose
# as the importer always was, so every address an earlier version exported still imports.
_ADDRESS: Final = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


def _trim(text: str) -> str:
    return _EDGES.sub("", text)


def normalize_email(text: str) -> str | None:
    """The address as kambot stores it, or None when ``text`` is not one e-mail address."""
    candidate = _trim(text)
    candidate = _trim(_MAILTO.sub("", candidate, count=1))
    if candidate.startswith("<") and candidate.endswith(">"):
        candidate = _trim(candidate[1:-1])
        candidate = _trim(_MAILTO.sub("", candidate, count=1))
    if not candidate or len(candidate) > MAX_EMAIL_LENGTH or not _ADDRESS.match(candidate):
        return None
    return candidate.lower()
