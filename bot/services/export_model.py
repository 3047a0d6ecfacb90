"""What /export writes, as plain data: one dataclass per kind of record a manager owns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, TypeAlias

Language: TypeAlias = Literal["ru", "en"]


@dataclass(frozen=True, slots=True)
class ExportContact:
    name: str
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


@dataclass(frozen=True, slots=True)
class ExportTouch:
    client_name: str
    kind: str  # "call" | "message" | "email" | "visit" | "meeting"
    occurred_at: datetime  # aware
    outcome: str | None = None  # "positive" | "neutral" | "negative"
    summary: str = ""
    next_step: str | None = None
    next_step_due_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ExportNote:
    client_name: str | None
    contact_name: str | None
    text: str
    created_at: datetime
    tags: Sequence[str] = ()
    is_private: bool = False
    remind_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ExportSale:
    client_name: str
    amount_minor: int
    currency: str
    sold_at: datetime
    product_line: str | None = None


@dataclass(frozen=True, slots=True)
class ExportRequest:
    client_name: str
    text: str
    opened_at: datetime
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    feedback: str | None = None


@dataclass(frozen=True, slots=True)
class ExportReview:
    client_name: str
    is_positive: bool
    created_at: datetime
    text: str | None = None


@dataclass(frozen=True, slots=True)
class ExportPlan:
    period_kind: str  # "week" | "month" | "quarter" | "year"
    period_start: date
    amount_minor: int
    currency: str
    client_name: str | None = None  # a per-client plan; None for the manager's own


@dataclass(frozen=True, slots=True)
class ExportReminder:
    kind: str  # "birthday" | "checkin" | "followup" | "note"
    due_at: datetime
    state: str  # storage.enums.ReminderState values
    client_name: str | None = None
    contact_name: str | None = None
    text: str | None = None  # the note's text or the follow-up's next step


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
