"""A client's history: touches and notes merged newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from storage import touches as store
from storage.enums import Channel, Outcome
from storage.models import Manager

PAGE = 8


@dataclass(frozen=True, slots=True)
class Entry:
    at: datetime
    kind: Channel | None  # None for a note
    text: str
    outcome: Outcome | None = None
    private: bool = False
    next_step: str | None = None


@dataclass(frozen=True, slots=True)
class TimelinePage:
    client_id: int
    client_name: str
    entries: list[Entry]
    page: int
    has_more: bool


async def page(
    session: AsyncSession, manager: Manager, client_id: int, number: int
) -> TimelinePage:
    client = await client_service.get(session, manager, client_id)
    number = max(number, 0)
    wanted = (number + 1) * PAGE + 1  # one extra tells whether a next page exists
    touches = await store.recent_touches(session, client.id, wanted)
    notes = (await store.client_notes(session, client.id, manager.id))[:wanted]
    entries = sorted(
        [Entry(t.occurred_at, t.kind, t.summary, t.outcome, False, t.next_step) for t in touches]
        + [Entry(n.created_at, None, n.text, None, n.is_private) for n in notes],
        key=lambda e: e.at,
        reverse=True,
    )
    window = entries[number * PAGE : (number + 1) * PAGE]
    return TimelinePage(client.id, client.name, window, number, len(entries) > (number + 1) * PAGE)
