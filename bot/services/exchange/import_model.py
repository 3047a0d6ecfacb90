"""The shapes /import passes between its steps: rows, errors, column mappings, drafts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from bot.services.crm.birthdays import Birthday

# The fields an import fills, in the order the export writes them.
FIELDS: Final = (
    "client",
    "tax_id",
    "phone",
    "segment",
    "tier",
    "status",
    "cadence",
    "channel",
    "tags",
    "contact_name",
    "contact_role",
    "contact_phone",
    "contact_email",
    "birthday",
)
CONTACT_FIELDS: Final = ("contact_role", "contact_phone", "contact_email", "birthday")


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # as Excel shows it: the header is row 1
    column: str  # the header as written in the file
    reason: str  # i18n key
    value: str  # the offending cell, for the report


@dataclass(frozen=True, slots=True)
class ImportRow:
    row: int
    client_name: str
    tax_id: str | None = None
    phone: str | None = None
    segment: str | None = None  # "b2b" | "b2c"
    tier: str | None = None  # "key" | "regular"
    status: str | None = None  # "active" | "paused" | "lost"
    cadence_days: int | None = None
    preferred_channel: str | None = None  # "call" | "message" | "email" | "visit" | "meeting"
    tags: tuple[str, ...] = ()
    contact_name: str | None = None  # a row has a contact exactly when this is set
    contact_role: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    birthday: Birthday | None = None


@dataclass(slots=True)
class ColumnMapping:
    columns: dict[str, int]  # field (see FIELDS) -> column index
    ignored: list[str] = field(default_factory=list)  # headers not recognised
    # Headers our own export writes for information (ID, archived, owner, created): known, but
    # deliberately not imported.
    not_imported: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ParsedImport:
    rows: list[ImportRow]
    errors: list[RowError]  # sorted by row, then column order
    # ``group_clients(rows)``, computed by the same pass that found the conflicts.
    clients: list[ClientDraft] = field(default_factory=list)
    # Rows whose birthday year is recent enough to be Excel's and not the person's: kept, and
    # named in the preview so the manager can check them.
    recent_birthday_rows: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ContactDraft:
    name: str
    role: str | None
    phone: str | None
    email: str | None
    birthday: Birthday | None
    row: int


@dataclass(slots=True)
class ClientDraft:
    name: str
    tax_id: str | None
    phone: str | None
    segment: str | None
    tier: str | None
    status: str | None
    cadence_days: int | None
    preferred_channel: str | None
    tags: tuple[str, ...]
    contacts: list[ContactDraft]
    rows: list[int]  # the file rows this client was merged from
