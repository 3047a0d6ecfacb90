"""What /export writes, as plain data: one dataclass per kind of record a manager owns.

The same dataclasses are the schema of ``kambot.json`` (bot/services/exchange/bundle_json.py), the
lossless copy inside the export ZIP, and what a restore reads back: ``id`` fields are the ids
the rows had in the exporting base, used only to link rows to each other (a touch to its client
and contact, a review to its request, a reminder to what it reminds of); a restore gives every
row a new id. Rows read from a spreadsheet have no ids and link by client name instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal, TypeAlias

Language: TypeAlias = Literal["ru", "en"]


@dataclass(frozen=True, slots=True)
class ExportContact:
    name: str
    id: int | None = None
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    birth_day: int | None = None
    birth_month: int | None = None
    birth_year: int | None = None


@dataclass(frozen=True, slots=True)
class ExportClient:
    id: int
    name: str
    segment: str = "b2b"
    tier: str = "regular"
    status: str = "active"
    cadence_days: int | None = None
    preferred_channel: str | None = None
    tax_id: str | None = None
    phone: str | None = None
    tags: Sequence[str] = ()
    archived: bool = False
    owner_name: str = ""
    created_at: datetime | None = None
    contacts: Sequence[ExportContact] = ()
    # The check-in clock: restored as it was, so nobody's clock restarts at a restore.
    archived_at: datetime | None = None
    last_touch_at: datetime | None = None
    next_checkin_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ExportTouch:
    client_name: str
    kind: str  # "call" | "message" | "email" | "visit" | "meeting"
    occurred_at: datetime  # aware
    outcome: str | None = None  # "positive" | "neutral" | "negative"
    summary: str = ""
    next_step: str | None = None
    next_step_due_at: datetime | None = None
    next_step_has_time: bool = False
    next_step_done_at: datetime | None = None
    contact_name: str | None = None
    id: int | None = None
    client_id: int | None = None
    contact_id: int | None = None


@dataclass(frozen=True, slots=True)
class ExportNote:
    client_name: str | None
    contact_name: str | None
    text: str
    created_at: datetime
    tags: Sequence[str] = ()
    is_private: bool = False
    remind_at: datetime | None = None
    id: int | None = None
    client_id: int | None = None
    contact_id: int | None = None


@dataclass(frozen=True, slots=True)
class ExportSale:
    client_name: str
    amount_minor: int
    currency: str
    sold_at: datetime
    product_line: str | None = None
    id: int | None = None
    client_id: int | None = None


@dataclass(frozen=True, slots=True)
class ExportRequest:
    client_name: str
    text: str
    opened_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    feedback: str | None = None
    id: int | None = None
    client_id: int | None = None


@dataclass(frozen=True, slots=True)
class ExportReview:
    client_name: str
    is_positive: bool
    created_at: datetime
    text: str | None = None
    id: int | None = None
    client_id: int | None = None
    request_id: int | None = None


@dataclass(frozen=True, slots=True)
class ExportPlan:
    period_kind: str  # "week" | "month" | "quarter" | "year"
    period_start: date
    amount_minor: int
    currency: str
    client_name: str | None = None  # a per-client plan; None for the manager's own
    client_id: int | None = None


@dataclass(frozen=True, slots=True)
class ExportReminder:
    kind: str  # "birthday" | "checkin" | "followup" | "note"
    due_at: datetime
    state: str  # storage.enums.ReminderState values
    client_name: str | None = None
    contact_name: str | None = None
    text: str | None = None  # the note's text or the follow-up's next step
    client_id: int | None = None
    contact_id: int | None = None
    touch_id: int | None = None
    note_id: int | None = None
    # The planner's key with the exporting base's ids; a restore rebuilds it with the new ids,
    # so a ping already sent there is not planned (and sent) again here.
    dedupe_key: str | None = None
    payload: dict[str, Any] | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ExportSettings:
    """The manager's settings (/settings): restored into a fresh account only."""

    language: str = "ru"
    timezone: str = "Europe/Moscow"
    work_mode: str = "b2b"
    currency: str = "RUB"
    digest_time: time = time(9, 0)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    birthday_lead_days: int = 3
    cadence_key_days: int = 7
    cadence_regular_days: int = 30


@dataclass(frozen=True, slots=True)
class ExportData:
    clients: Sequence[ExportClient] = ()
    touches: Sequence[ExportTouch] = ()
    notes: Sequence[ExportNote] = ()
    sales: Sequence[ExportSale] = ()
    requests: Sequence[ExportRequest] = ()
    reviews: Sequence[ExportReview] = ()
    plans: Sequence[ExportPlan] = ()
    reminders: Sequence[ExportReminder] = ()
    timezone: str = "Europe/Moscow"
    language: Language = "ru"
    settings: ExportSettings | None = None
