"""Which of /export's tables a sheet or CSV is, from its headers or its sheet title.

Pure: strings in, a kind out. The header texts are exporting's own tables, read from there, so
the two cannot drift apart.

Decisions:

* A table is of a kind when it has that kind's distinctive columns, all of them (``_REQUIRED``):
  touches need client, type, when and a summary or a next step; sales need client, date,
  amount and currency; and so on. A client list with a "Дата" or "Сумма" column has no
  "Валюта" and stays a client list; only a table with a touch's type, time *and* content is
  taken for touches.
* A table that fits two kinds is no kind: guessing would turn someone's rows into the wrong
  records.
* "clients" is kambot's own client sheet: its "Клиент"/"Client" column and at least three more
  of its client columns, and no other kind. Anything else with clients in it is ``None``: the
  client import's column mapping (``import_mapping``) decides, as it always has.
* Time headers end in the timezone of their wall clock ("Когда (Asia/Yekaterinburg)"). A trailing
  parenthesised text is taken for a timezone only when zoneinfo knows it, so "Сумма (руб.)"
  keeps its brackets and is simply not one of our headers.
"""

from __future__ import annotations

import re
from typing import Final, Literal, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.services.exchange.exporting import (
    _NOTE_HEADERS,
    _PLAN_HEADERS,
    _REMINDER_HEADERS,
    _REQUEST_HEADERS,
    _REVIEW_HEADERS,
    _SALE_HEADERS,
    _SHEETS,
    _TOUCH_HEADERS,
    CLIENT_HEADERS,
    INFO_HEADERS,
    Language,
)
from bot.services.exchange.import_readers import header_key

Kind: TypeAlias = Literal[
    "clients", "touches", "notes", "sales", "requests", "reviews", "plans", "reminders"
]
KINDS: Final[tuple[Kind, ...]] = (
    "clients", "touches", "notes", "sales", "requests", "reviews", "plans", "reminders",
)  # fmt: skip

# The fields of each record table, in exporting's column order (zipped with its headers below).
FIELDS: Final[dict[Kind, tuple[str, ...]]] = {
    "touches": (
        "client", "kind", "when", "outcome", "summary", "next_step", "due", "contact", "done",
    ),
    "notes": ("client", "contact", "text", "tags", "private", "created", "remind"),
    "sales": ("client", "date", "amount", "currency", "product_line"),
    "requests": ("client", "text", "opened", "first_response", "resolved", "feedback"),
    "reviews": ("client", "rating", "text", "when"),
    "plans": ("period", "start", "client", "amount", "currency"),
    "reminders": ("kind", "client", "contact", "due", "state", "text"),
}  # fmt: skip
_HEADERS: Final = {
    "touches": _TOUCH_HEADERS,
    "notes": _NOTE_HEADERS,
    "sales": _SALE_HEADERS,
    "requests": _REQUEST_HEADERS,
    "reviews": _REVIEW_HEADERS,
    "plans": _PLAN_HEADERS,
    "reminders": _REMINDER_HEADERS,
}
# Each entry is a set of fields of which at least one must be there.
_REQUIRED: Final[dict[Kind, tuple[frozenset[str], ...]]] = {
    "touches": (
        frozenset({"client"}), frozenset({"kind"}), frozenset({"when"}),
        frozenset({"summary", "next_step"}),
    ),
    "notes": (frozenset({"text"}), frozenset({"private"}), frozenset({"created"})),
    "sales": (
        frozenset({"client"}), frozenset({"date"}), frozenset({"amount"}),
        frozenset({"currency"}),
    ),
    "requests": (frozenset({"client"}), frozenset({"text"}), frozenset({"opened"})),
    "reviews": (frozenset({"client"}), frozenset({"rating"}), frozenset({"when"})),
    "plans": (
        frozenset({"period"}), frozenset({"start"}), frozenset({"amount"}),
        frozenset({"currency"}),
    ),
    "reminders": (frozenset({"kind"}), frozenset({"due"}), frozenset({"state"})),
}  # fmt: skip
_MIN_CLIENT_COLUMNS: Final = 4  # "Клиент" and three more of the client sheet's columns

_ZONE_SUFFIX = re.compile(r"^(.*?)\s*\(\s*([^()]{1,64}?)\s*\)\s*$", re.DOTALL)


def _field_keys(kind: Kind) -> dict[str, str]:
    """header key -> field, both languages."""
    keys: dict[str, str] = {}
    for headers in _HEADERS[kind].values():
        assert len(headers) == len(FIELDS[kind]), kind  # exporting and FIELDS moved apart
        for field, header in zip(FIELDS[kind], headers, strict=True):
            keys.setdefault(header_key(header), field)
    return keys


_KEYS: Final[dict[Kind, dict[str, str]]] = {kind: _field_keys(kind) for kind in FIELDS}
_CLIENT_KEYS: Final = frozenset(
    header_key(names[language])
    for names in (*CLIENT_HEADERS.values(), *INFO_HEADERS.values())
    for language in ("ru", "en")
)
_CLIENT_NAME_KEYS: Final = frozenset(header_key(name) for name in CLIENT_HEADERS["client"].values())
_TITLES: Final[dict[str, Kind]] = {
    header_key(title): kind for kind in KINDS for title in _SHEETS[kind].values()
}


def split_zone(header: str) -> tuple[str, str | None]:
    """("Когда", "Asia/Yekaterinburg") for "Когда (Asia/Yekaterinburg)"; (header, None) else."""
    match = _ZONE_SUFFIX.match(header)
    if match is None or not _is_zone(match.group(2)):
        return header, None
    return match.group(1), match.group(2)


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder such as "Europe"
        return False
    return True


def column_key(header: str) -> str:
    """The header as compared: timezone suffix stripped, then ``header_key``."""
    return header_key(split_zone(header)[0])


def columns(kind: Kind, headers: list[str]) -> dict[str, int]:
    """field -> column index for a record table; the first column wins a field."""
    keys = _KEYS[kind]
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = keys.get(column_key(header))
        if field is not None:
            found.setdefault(field, index)
    return found


def header_for(kind: Kind, field: str, language: Language) -> str:
    """The header exporting writes for this field (without a timezone suffix)."""
    return _HEADERS[kind][language][FIELDS[kind].index(field)]


def table_kind(headers: list[str]) -> Kind | None:
    """The kind of /export table these headers are; None: not recognisably one of ours."""
    matches = [kind for kind in FIELDS if _has_required(kind, headers)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        return None
    keys = {column_key(header) for header in headers}
    if keys & _CLIENT_NAME_KEYS and len(keys & _CLIENT_KEYS) >= _MIN_CLIENT_COLUMNS:
        return "clients"
    return None


def _has_required(kind: Kind, headers: list[str]) -> bool:
    present = set(columns(kind, headers))
    return all(options & present for options in _REQUIRED[kind])


def sheet_title_kind(title: str | None) -> Kind | None:
    """The kind of an /export workbook sheet by its title ("Касания", "Touches", ...)."""
    if not title:
        return None
    return _TITLES.get(header_key(title))
