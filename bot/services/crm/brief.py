"""The pre-call brief: one screen with what matters before dialling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from bot.services.crm.clients import ClientCard, ContactView, NoteView
from storage import touches as store
from storage.enums import Channel, Outcome
from storage.models import Manager

TOUCHES = 3
FACTS_PER_PERSON = 4
CLIENT_FACTS = 3


@dataclass(frozen=True, slots=True)
class TouchLine:
    id: int
    kind: Channel
    occurred_at: datetime
    summary: str
    outcome: Outcome | None


@dataclass(frozen=True, slots=True)
class Promise:
    touch_id: int
    text: str
    due_at: datetime | None
    has_time: bool


@dataclass(frozen=True, slots=True)
class Person:
    contact: ContactView
    facts: list[NoteView]


@dataclass(frozen=True, slots=True)
class Brief:
    card: ClientCard
    touches: list[TouchLine]
    people: list[Person]
    client_facts: list[NoteView]
    promises: list[Promise]


async def build(session: AsyncSession, manager: Manager, client_id: int, now: datetime) -> Brief:
    card = await client_service.card(session, manager, client_id, now)
    touches = await store.recent_touches(session, card.id, TOUCHES)
    notes = await store.client_notes(session, card.id, manager.id)
    by_contact: dict[int, list[NoteView]] = {}
    client_facts: list[NoteView] = []
    for note in notes:
        view = NoteView(note.text, note.created_at, note.is_private)
        if note.contact_id is not None:
            by_contact.setdefault(note.contact_id, []).append(view)
        else:
            client_facts.append(view)
    promises = [
        Promise(t.id, t.next_step or "", t.next_step_due_at, t.next_step_has_time)
        for t in await store.open_promises(session, card.id)
    ]
    return Brief(
        card=card,
        touches=[TouchLine(t.id, t.kind, t.occurred_at, t.summary, t.outcome) for t in touches],
        people=[Person(c, by_contact.get(c.id, [])[:FACTS_PER_PERSON]) for c in card.contacts],
        client_facts=client_facts[:CLIENT_FACTS],
        promises=promises,
    )
