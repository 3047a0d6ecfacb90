"""The client base in and out: applying a validated import, collecting an export.

Import is all or nothing: the caller only gets here with a file that has no bad rows, and
everything is written in one transaction, so a failure half-way leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm.birthdays import Birthday
from bot.services.exchange.import_grouping import same_person
from bot.services.exchange.importing import ClientDraft, ContactDraft
from bot.services.history import undo_journal
from bot.services.parsing.emails import normalize_email
from bot.services.parsing.names import normalize_name
from bot.services.parsing.phones import normalize_phone
from storage import transfer as store
from storage.enums import ClientStatus, Tier
from storage.models import ClientTag, Contact, Manager

CHUNK = 500
Progress = Callable[[int, int], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class ImportReport:
    created: int
    existing: int
    contacts_added: int
    contacts_existing: int


def _cadence(draft: ClientDraft, manager: Manager) -> int:
    if draft.cadence_days:
        return draft.cadence_days
    return manager.cadence_key_days if draft.tier == Tier.KEY else manager.cadence_regular_days


def _client_values(draft: ClientDraft, manager: Manager, now: datetime) -> dict[str, Any]:
    status = draft.status or ClientStatus.ACTIVE.value
    active = status == ClientStatus.ACTIVE.value
    return {
        "owner_id": manager.id,
        "team_id": manager.team_id,
        "name": draft.name,
        "name_norm": normalize_name(draft.name),
        "segment": draft.segment or "b2b",
        "tier": draft.tier or Tier.REGULAR.value,
        "status": status,
        "cadence_days": draft.cadence_days,
        "preferred_channel": draft.preferred_channel,
        "tax_id": draft.tax_id,
        "phone": draft.phone,
        "phone_norm": draft.phone,
        "is_demo": False,
        "created_at": now,
        "updated_at": now,
        # A new client has never been touched: the first check-in is one cadence from now.
        "next_checkin_at": now + timedelta(days=_cadence(draft, manager)) if active else None,
    }


def _contact_values(client_id: int, draft: ClientDraft, now: datetime) -> list[dict[str, Any]]:
    out = []
    for c in draft.contacts:
        b = c.birthday
        out.append(
            {
                "client_id": client_id,
                "name": c.name,
                "name_norm": normalize_name(c.name),
                "role": c.role,
                "phone": c.phone,
                "email": c.email,
                "birth_day": b.day if b else None,
                "birth_month": b.month if b else None,
                "birth_year": b.year if b else None,
                "created_at": now,
                "updated_at": now,
            }
        )
    return out


async def _known_contacts(
    session: AsyncSession, client_ids: list[int]
) -> dict[tuple[int, str], list[ContactDraft]]:
    """The contacts of clients the import matched, by (client id, name), in import terms."""
    found: dict[tuple[int, str], list[ContactDraft]] = {}
    if not client_ids:
        return found
    for start in range(0, len(client_ids), CHUNK):
        rows = await store.contacts_of(session, client_ids[start : start + CHUNK])
        for cid, norm, name, role, phone, email, day, month, year in rows:
            # Normalised as a file's cell would be, so a value stored by an older version
            # ("x@y.ru;", a role with double spaces) still matches its export.
            found.setdefault((cid, norm), []).append(
                ContactDraft(
                    name=name,
                    role=" ".join((role or "").split()) or None,
                    phone=(normalize_phone(phone) or phone) if phone else None,
                    email=(normalize_email(email) or email) if email else None,
                    birthday=Birthday(day, month, year) if day and month else None,
                    row=0,
                )
            )
    return found


async def _split_known(
    session: AsyncSession, manager: Manager, drafts: list[ClientDraft]
) -> tuple[list[ClientDraft], list[tuple[int, ClientDraft]]]:
    """(new clients, (client id, draft) of clients already in the base by name, INN or phone)."""
    by_name: dict[str, int] = {}
    by_tax: dict[str, int] = {}
    by_phone: dict[str, int] = {}
    for cid, norm, tax_id, phone in await store.existing_keys(session, manager.id):
        by_name.setdefault(norm, cid)
        if tax_id:
            by_tax.setdefault(tax_id, cid)
        if phone:
            by_phone.setdefault(phone, cid)

    new: list[ClientDraft] = []
    matched: list[tuple[int, ClientDraft]] = []
    for draft in drafts:
        existing: int | None = (
            by_name.get(normalize_name(draft.name))
            or (by_tax.get(draft.tax_id) if draft.tax_id else None)
            or (by_phone.get(draft.phone) if draft.phone else None)
        )
        if existing is None:
            new.append(draft)
        else:
            matched.append((existing, draft))
    return new, matched


async def _insert_new(
    session: AsyncSession,
    manager: Manager,
    new: list[ClientDraft],
    total: int,
    now: datetime,
    progress: Progress | None,
) -> list[int]:
    """Inserts the new clients with their tags and contacts, a chunk at a time; their ids."""
    done = 0
    created: list[int] = []
    for start in range(0, len(new), CHUNK):
        chunk = new[start : start + CHUNK]
        ids = await store.insert_clients(session, [_client_values(d, manager, now) for d in chunk])
        created.extend(ids)
        tags = [
            {"client_id": i, "tag": tag}
            for i, d in zip(ids, chunk, strict=True)
            for tag in dict.fromkeys(d.tags)
        ]
        contacts = [v for i, d in zip(ids, chunk, strict=True) for v in _contact_values(i, d, now)]
        await store.insert_rows(session, ClientTag, tags)
        await store.insert_rows(session, Contact, contacts)
        done += len(chunk)
        if progress is not None:
            await progress(done, total)
    return created


async def _add_missing_contacts(
    session: AsyncSession, matched: list[tuple[int, ClientDraft]], now: datetime
) -> tuple[list[int], int, int]:
    """Adds the contacts matched clients do not have yet: (their ids, how many were added,
    how many were there already)."""
    known = await _known_contacts(session, [cid for cid, _ in matched])
    added_existing = 0
    skipped = 0
    extra: list[dict[str, Any]] = []
    for cid, draft in matched:
        for person, value in zip(draft.contacts, _contact_values(cid, draft, now), strict=True):
            # Chat allows two people with one name at a client: only the same person
            # (nothing both have set differs) is already there; a namesake is added.
            namesakes = known.setdefault((cid, value["name_norm"]), [])
            if any(same_person(k, person) for k in namesakes):
                skipped += 1
                continue
            namesakes.append(person)
            extra.append(value)
            added_existing += 1
    added: list[int] = []
    if extra:
        added = await store.insert_contacts(session, extra)
    return added, added_existing, skipped


async def apply_import(
    session: AsyncSession,
    manager: Manager,
    drafts: list[ClientDraft],
    now: datetime,
    progress: Progress | None = None,
) -> ImportReport:
    """Creates new clients; for ones already in the base (same name, INN or phone) adds only
    the contacts it does not have yet. One commit at the end."""
    new, matched = await _split_known(session, manager, drafts)
    try:
        created = await _insert_new(session, manager, new, len(drafts), now, progress)
        added, added_existing, skipped = await _add_missing_contacts(session, matched, now)
        # /undo takes the whole import back: exactly the rows it created, by id, so a contact
        # that was there before with the same name stays.
        undo_journal.record_import(session, manager.id, now, created, added)
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    added_new = sum(len(d.contacts) for d in new)
    return ImportReport(
        created=len(new),
        existing=len(matched),
        contacts_added=added_new + added_existing,
        contacts_existing=skipped,
    )
