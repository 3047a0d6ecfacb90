"""Merging the flat "one row per contact" of a file into one draft per client.

Rows with the same ``normalize_name`` or the same tax id are one client; a later row whose
non-empty client field differs from the client's is an "import-error-conflict", as is a row
that would join two different clients.

Contacts: chat allows two people with one name at a client (Иван Петров, закупки and Иван
Петров, склад), so import does too. A row whose person has the name of a contact already
drafted for the client is that contact when no role, phone, e-mail or birthday of the two
differs (it may fill the other's blanks, as flat files repeat a person over several rows);
a real difference makes it a second contact with that name, never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Final

from bot.services.exchange.import_model import (
    ClientDraft,
    ColumnMapping,
    ContactDraft,
    ImportRow,
    RowError,
)
from bot.services.exchange.import_readers import Table
from bot.services.parsing.names import normalize_name


@dataclass(frozen=True, slots=True)
class _Conflict:
    row: int
    field: str  # see FIELDS
    value: str


# ImportRow attribute -> the FIELDS name whose column an error points at.
_CLIENT_ATTRIBUTES: Final = (
    ("tax_id", "tax_id"),
    ("phone", "phone"),
    ("segment", "segment"),
    ("tier", "tier"),
    ("status", "status"),
    ("cadence_days", "cadence"),
    ("preferred_channel", "channel"),
)
# What tells two contacts with one name apart.
_CONTACT_ATTRIBUTES: Final = ("role", "phone", "email", "birthday")


def group_clients(rows: list[ImportRow]) -> list[ClientDraft]:
    """One draft per client, in order of first appearance, contacts merged by person name.

    Rows of ``parse_rows`` group without conflicts (it reports and drops those); given other
    rows, a conflicting row is left out here too.
    """
    drafts, _ = group_with_conflicts(rows)
    return drafts


@dataclass(slots=True)
class _Grouping:
    drafts: list[ClientDraft] = field(default_factory=list)
    by_name: dict[str, int] = field(default_factory=dict)
    by_tax_id: dict[str, int] = field(default_factory=dict)
    # Per client: person name key -> indexes of its contacts with that name.
    contacts: list[dict[str, list[int]]] = field(default_factory=list)

    def find(self, name_key: str, tax_id: str | None) -> set[int]:
        found = {self.by_name.get(name_key), self.by_tax_id.get(tax_id) if tax_id else None}
        return {index for index in found if index is not None}

    def remember(self, index: int, name_key: str, tax_id: str | None) -> None:
        self.by_name.setdefault(name_key, index)
        if tax_id:
            self.by_tax_id.setdefault(tax_id, index)


def group_with_conflicts(rows: Sequence[ImportRow]) -> tuple[list[ClientDraft], list[_Conflict]]:
    state = _Grouping()
    conflicts: list[_Conflict] = []
    for row in rows:
        name_key = normalize_name(row.client_name)
        contact = _row_contact(row)
        contact_key = normalize_name(contact.name) if contact else ""
        found = state.find(name_key, row.tax_id)
        if len(found) > 1:  # the name says one client, the tax id another
            conflicts.append(_Conflict(row.row, "tax_id", row.tax_id or ""))
            continue
        if not found:
            state.drafts.append(_new_draft(row))
            state.contacts.append({})
            index = len(state.drafts) - 1
        else:
            index = found.pop()
            conflict = _client_conflict(state.drafts[index], row)
            if conflict is not None:
                conflicts.append(conflict)
                continue
            _merge_client(state.drafts[index], row)
        _merge_contact(state.drafts[index], state.contacts[index], contact, contact_key)
        state.remember(index, name_key, row.tax_id)
    return state.drafts, conflicts


def _new_draft(row: ImportRow) -> ClientDraft:
    return ClientDraft(
        name=row.client_name,
        tax_id=row.tax_id,
        phone=row.phone,
        segment=row.segment,
        tier=row.tier,
        status=row.status,
        cadence_days=row.cadence_days,
        preferred_channel=row.preferred_channel,
        tags=row.tags,
        contacts=[],
        rows=[row.row],
    )


def _client_conflict(draft: ClientDraft, row: ImportRow) -> _Conflict | None:
    for attribute, name in _CLIENT_ATTRIBUTES:
        mine, theirs = getattr(draft, attribute), getattr(row, attribute)
        if mine is not None and theirs is not None and mine != theirs:
            return _Conflict(row.row, name, str(theirs))
    return None


def _merge_client(draft: ClientDraft, row: ImportRow) -> None:
    # Flat files often fill the client's columns on its first row only: later rows fill gaps.
    for attribute, _ in _CLIENT_ATTRIBUTES:
        if getattr(draft, attribute) is None:
            setattr(draft, attribute, getattr(row, attribute))
    seen = {tag.casefold() for tag in draft.tags}
    draft.tags += tuple(tag for tag in row.tags if tag.casefold() not in seen)
    draft.rows.append(row.row)


def _row_contact(row: ImportRow) -> ContactDraft | None:
    if row.contact_name is None:
        return None
    return ContactDraft(
        name=row.contact_name,
        role=row.contact_role,
        phone=row.contact_phone,
        email=row.contact_email,
        birthday=row.birthday,
        row=row.row,
    )


def same_person(known: ContactDraft, other: ContactDraft) -> bool:
    """Whether two drafts with one name are one person: nothing both have set differs."""
    for attribute in _CONTACT_ATTRIBUTES:
        mine, theirs = getattr(known, attribute), getattr(other, attribute)
        if mine is not None and theirs is not None and mine != theirs:
            return False
    return True


def _merge_contact(
    draft: ClientDraft, contacts: dict[str, list[int]], contact: ContactDraft | None, key: str
) -> None:
    if contact is None:
        return
    namesakes = contacts.setdefault(key, [])
    index = next((i for i in namesakes if same_person(draft.contacts[i], contact)), None)
    if index is None:
        namesakes.append(len(draft.contacts))
        draft.contacts.append(contact)
        return
    known = draft.contacts[index]
    draft.contacts[index] = replace(
        known,
        role=known.role or contact.role,
        phone=known.phone or contact.phone,
        email=known.email or contact.email,
        birthday=known.birthday or contact.birthday,
    )


def conflict_errors(
    conflicts: list[_Conflict], table: Table, mapping: ColumnMapping
) -> list[RowError]:
    def header(name: str) -> str:
        index = mapping.columns.get(name, mapping.columns["client"])
        return table.headers[index]

    return [RowError(c.row, header(c.field), "import-error-conflict", c.value) for c in conflicts]
