"""/forget: erasing one decision-maker's personal data on their request.

The person is found like everywhere else in the bot (fuzzy, by the name as typed) among the
asking manager's own contacts; a name that fits two people is never guessed. The erase takes
the contact row (name, role, phone, e-mail, birthday), the notes about them whoever wrote them,
their reminders and the undo entries that remember their old values; touches and sales stay,
no longer linked to the person. Not journaled for /undo: an erasure taken back is no erasure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import contacts as contact_service
from bot.services.history.undo_journal import silent
from bot.services.parsing import names as name_service
from storage import clients as client_store
from storage import privacy as store
from storage.models import Manager

MAX_QUERY = 200
MAX_CHOICES = 5


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    client_name: str


@dataclass(frozen=True, slots=True)
class Found:
    kind: Literal["none", "one", "many"]
    people: list[Person]


@dataclass(frozen=True, slots=True)
class Footprint:
    person: Person
    role: str | None
    has_phone: bool
    has_email: bool
    has_birthday: bool
    notes: int
    birthdays: int
    touches: int


async def find(session: AsyncSession, manager: Manager, query: str) -> Found:
    query = query.strip()[:MAX_QUERY]
    if not name_service.normalize_name(query):
        return Found("none", [])
    people = await client_store.contact_names(session, manager.id)
    matches = name_service.rank(query, [(pid, name) for pid, name, _ in people], MAX_CHOICES)
    kind = name_service.classify(matches)
    if kind == "none":
        return Found("none", [])
    client_of = {pid: cid for pid, _, cid in people}
    clients = {cid: name for cid, name, _ in await client_store.names(session, manager.id)}
    found = [
        Person(m.id, m.name, clients.get(client_of[m.id], ""))
        for m in matches
        if m.score >= name_service.NONE_BELOW
    ]
    if kind in ("exact", "confident"):
        return Found("one", found[:1])
    return Found("many", found)


async def footprint(session: AsyncSession, manager: Manager, contact_id: int) -> Footprint:
    """What the erase would take, shown before it is done; ContactNotFound when not theirs."""
    contact = await contact_service.get(session, manager, contact_id)
    counts = await store.contact_footprint(session, manager.id, contact.id)
    client_name = await client_store.name_of(session, contact.client_id) or ""
    return Footprint(
        person=Person(contact.id, contact.name, client_name),
        role=contact.role,
        has_phone=bool(contact.phone),
        has_email=bool(contact.email),
        has_birthday=contact.birth_month is not None,
        notes=counts["notes"],
        birthdays=counts["birthdays"],
        touches=counts["touches"],
    )


async def forget(session: AsyncSession, manager: Manager, contact_id: int) -> str:
    """Erases the person; returns the name they had, for the reply. A second erase of the same
    person finds nobody (ContactNotFound)."""
    contact = await contact_service.get(session, manager, contact_id)
    name = contact.name
    with silent(session):
        await store.erase_contact(session, manager.id, contact.id)
    session.expunge(contact)
    await session.commit()
    return name
