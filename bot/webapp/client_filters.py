"""The Mini App's client list: what its query string may ask (filters, a sort) and how a base is
filtered and ordered by it. Pure: rows in, rows out; client_page.listing reads the rows.

Overdue is the chat's two notions at once: a check-in past due (/clients' ⚠️, the KPI's "at
risk"), or an open promise whose due moment has passed (the digest's follow-ups). An archived
client is never overdue: the chat neither pings nor lists it. "Sales" is the client's all-time
total, as its sales list on the page sums up: a month's total ranks nothing early in a month.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from multidict import MultiMapping

from storage.clients import BaseRow
from storage.enums import ClientStatus, Segment, Tier

SORTS = ("name", "overdue", "sales")
# The chat's statuses, and the archive (/clients archive), which the model keeps apart.
STATUSES = (*(s.value for s in ClientStatus), "archived")
PARAMS = {"q", "overdue", "key", "tag", "status", "segment", "sort"}
FLAGS = {"1": True, "true": True, "0": False, "false": False, "": False}
MAX_TAG = 64  # ClientTag.tag's length


class BadQuery(ValueError):
    """A query string the list cannot answer: the message says which part, for the 400."""


@dataclass(frozen=True, slots=True)
class ListQuery:
    text: str = ""
    overdue: bool = False
    key: bool = False
    tag: str | None = None
    status: str | None = None
    segment: Segment | None = None
    sort: str | None = None  # None: by name, or by relevance when searching

    @property
    def filtered(self) -> bool:
        return bool(self.overdue or self.key or self.tag or self.status or self.segment)


def _flag(params: Mapping[str, str], name: str) -> bool:
    value = params.get(name, "").strip().lower()
    if value not in FLAGS:
        raise BadQuery(f"{name} must be 1 or 0, not {value[:20]!r}")
    return FLAGS[value]


def _choice(params: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str | None:
    value = params.get(name, "").strip().lower()
    if not value:
        return None
    if value not in allowed:
        raise BadQuery(f"unknown {name} {value[:20]!r}: one of {', '.join(allowed)}")
    return value


def parse(params: MultiMapping[str]) -> ListQuery:
    unknown = sorted(set(params) - PARAMS)
    if unknown:
        raise BadQuery(f"unknown parameter {unknown[0][:20]!r}")
    twice = sorted(name for name in PARAMS if len(params.getall(name, [])) > 1)
    if twice:
        raise BadQuery(f"{twice[0]} given twice")
    tag = params.get("tag", "").strip().lstrip("#").casefold() or None
    if tag is not None and len(tag) > MAX_TAG:
        raise BadQuery("tag too long")
    segment = _choice(params, "segment", tuple(s.value for s in Segment))
    return ListQuery(
        text=params.get("q", "").strip(),
        overdue=_flag(params, "overdue"),
        key=_flag(params, "key"),
        tag=tag,
        status=_choice(params, "status", STATUSES),
        segment=Segment(segment) if segment else None,
        sort=_choice(params, "sort", SORTS),
    )


def overdue_since(row: BaseRow, now: datetime) -> datetime | None:
    """Since when the client is overdue (the earlier of the two notions), None when it is not."""
    if row.archived:
        return None
    due = [d for d in (row.next_checkin_at, row.promise_due_at) if d is not None and d <= now]
    return min(due, default=None)


def keep(row: BaseRow, wanted: ListQuery, tags: Mapping[int, set[str]], now: datetime) -> bool:
    if wanted.overdue and overdue_since(row, now) is None:
        return False
    if wanted.key and row.tier != Tier.KEY:
        return False
    if wanted.tag is not None and wanted.tag not in tags.get(row.id, ()):
        return False
    if wanted.segment is not None and row.segment != wanted.segment:
        return False
    if wanted.status == "archived":
        return row.archived
    return wanted.status is None or (not row.archived and row.status.value == wanted.status)


def by_name(row: BaseRow) -> tuple[str, int]:
    return row.name.casefold(), row.id


def ordered(rows: list[BaseRow], sort: str, now: datetime) -> list[BaseRow]:
    if sort == "sales":
        return sorted(rows, key=lambda r: (-r.sales_minor, *by_name(r)))
    if sort == "overdue":
        # The longest overdue on top; the rest as the base reads, by name.
        def overdue_first(r: BaseRow) -> tuple[bool, datetime, str, int]:
            since = overdue_since(r, now)
            return since is None, since or now, *by_name(r)

        return sorted(rows, key=overdue_first)
    return sorted(rows, key=by_name)
