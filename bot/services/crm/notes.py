"""Personal notes on a client or a person: tags, privacy, an optional reminder, search."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from bot.services.crm import contacts as contact_service
from bot.services.crm.touches import followup_due
from bot.services.errors import NotFound
from storage import touches as store
from storage.enums import ReminderKind, ReminderState
from storage.models import Manager, Note, NoteTag, Reminder

logger = logging.getLogger(__name__)
MAX_TEXT = 4000


class NoteNotFound(NotFound):
    """Missing, or someone else's."""

    key = "note-not-found"


@dataclass(frozen=True, slots=True)
class NewNote:
    text: str
    tags: tuple[str, ...] = ()
    private: bool = False
    remind_at: datetime | None = None
    remind_has_time: bool = False
    remind_text: str | None = None


async def add(
    session: AsyncSession,
    manager: Manager,
    new: NewNote,
    now: datetime,
    *,
    client_id: int | None = None,
    contact_id: int | None = None,
) -> Note:
    """Ownership of the client or the person is checked before anything is written."""
    if contact_id is not None:
        contact = await contact_service.get(session, manager, contact_id)
        client_id = None
        contact_id = contact.id
    elif client_id is not None:
        client_id = (await client_service.get(session, manager, client_id)).id
    note = Note(
        manager_id=manager.id,
        client_id=client_id,
        contact_id=contact_id,
        text=new.text.strip()[:MAX_TEXT],
        is_private=new.private,
        remind_at=new.remind_at,
        created_at=now,
        tags=[NoteTag(tag=tag[:64]) for tag in dict.fromkeys(new.tags)],
    )
    session.add(note)
    await session.flush()
    if new.remind_at is not None:
        owner_client = client_id
        if owner_client is None and contact_id is not None:
            owner_client = (await contact_service.get(session, manager, contact_id)).client_id
        session.add(
            Reminder(
                manager_id=manager.id,
                kind=ReminderKind.NOTE,
                client_id=owner_client,
                contact_id=contact_id,
                note_id=note.id,
                due_at=followup_due(manager, new.remind_at, new.remind_has_time),
                state=ReminderState.PENDING,
                dedupe_key=f"note:{note.id}",
                payload={"text": (new.remind_text or note.text)[:500]},
            )
        )
    await session.commit()
    return note


async def get(session: AsyncSession, manager: Manager, note_id: int) -> Note:
    note = await store.owned_note(session, manager.id, note_id)
    if note is None:
        logger.warning(
            "manager %s asked for note %s which is not theirs or gone", manager.id, note_id
        )
        raise NoteNotFound(note_id)
    return note


async def delete(session: AsyncSession, manager: Manager, note_id: int) -> Note:
    note = await get(session, manager, note_id)
    await session.delete(note)  # its reminder goes with it (ON DELETE CASCADE)
    await session.commit()
    return note


async def search(
    session: AsyncSession, manager: Manager, query: str
) -> list[tuple[Note, str | None]]:
    words = [w for w in query.split() if not w.startswith("#")]
    tags = [w.lstrip("#").casefold() for w in query.split() if w.startswith("#") and len(w) > 1]
    return await store.search_notes(session, manager.id, words, tags)
