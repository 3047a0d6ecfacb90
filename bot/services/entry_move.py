"""A note, request or review saved under the wrong client moves to the right one (🏢 button).

The entry and the target client are both re-checked against the manager: a forged id moves
nothing. What points at the entry moves along: a note's reminder, a review's request opened from
it, the /undo journal row (so deleting the old client does not take the way to undo it along).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import clients as client_service
from bot.services.errors import NotFound
from storage.models import (
    Client,
    ClientRequest,
    Contact,
    Manager,
    Note,
    Reminder,
    Review,
    UndoEntry,
)

log = logging.getLogger(__name__)

Kind = Literal["n", "rq", "rv"]  # note | request | review: the short codes of MoveCb
MODELS: dict[str, type[Note] | type[ClientRequest] | type[Review]] = {
    "n": Note,
    "rq": ClientRequest,
    "rv": Review,
}
JOURNAL_KINDS = {"n": "note", "rq": "request", "rv": "review"}


class EntryNotFound(NotFound):
    """Missing, someone else's, or an unknown kind: deliberately indistinguishable."""

    key = "move-gone"


@dataclass(frozen=True, slots=True)
class Moved:
    kind: str
    entry_id: int
    old_client: str  # "—" when the old owner is gone
    new_client: str


async def _owned(
    session: AsyncSession, manager: Manager, kind: str, entry_id: int
) -> Note | ClientRequest | Review:
    model = MODELS.get(kind)
    entry = None
    if model is not None:
        entry = await session.scalar(
            select(model).where(model.id == entry_id, model.manager_id == manager.id)
        )
    if entry is None:
        log.warning(
            "manager %s asked to move %s %s: not theirs or gone", manager.id, kind, entry_id
        )
        raise EntryNotFound(entry_id)
    return entry


async def current_client(session: AsyncSession, manager: Manager, kind: str, entry_id: int) -> str:
    """The entry's client name for the prompt; EntryNotFound unless the manager owns the entry."""
    entry = await _owned(session, manager, kind, entry_id)
    owner = await _owner_id(session, entry)
    return await session.scalar(select(Client.name).where(Client.id == owner)) or "—"


async def _owner_id(session: AsyncSession, entry: Note | ClientRequest | Review) -> int | None:
    if entry.client_id is not None:
        return entry.client_id
    # A note on a person belongs to the person's client.
    assert isinstance(entry, Note)
    return await session.scalar(select(Contact.client_id).where(Contact.id == entry.contact_id))


async def move(
    session: AsyncSession,
    manager: Manager,
    kind: str,
    entry_id: int,
    client_id: int,
) -> Moved:
    """EntryNotFound / ClientNotFound when either id is not the manager's; nothing changes then."""
    entry = await _owned(session, manager, kind, entry_id)
    client = await client_service.get(session, manager, client_id)
    old_id = await _owner_id(session, entry)
    old_name = await session.scalar(select(Client.name).where(Client.id == old_id))
    entry.client_id = client.id
    if isinstance(entry, Note):
        # The person was the wrong client's: the note now belongs to the right client itself.
        entry.contact_id = None
        await session.execute(
            update(Reminder)
            .where(Reminder.note_id == entry.id)
            .values(client_id=client.id, contact_id=None)
        )
    if isinstance(entry, Review) and entry.request_id is not None:
        # A request opened from this review is about the same matter, unless moved on its own.
        await session.execute(
            update(ClientRequest)
            .where(
                ClientRequest.id == entry.request_id,
                ClientRequest.manager_id == manager.id,
                ClientRequest.client_id == old_id,
            )
            .values(client_id=client.id)
        )
    await session.execute(
        update(UndoEntry)
        .where(
            UndoEntry.manager_id == manager.id,
            UndoEntry.kind == JOURNAL_KINDS[kind],
            UndoEntry.object_id == entry.id,
        )
        .values(client_id=client.id)
    )
    await session.commit()
    return Moved(kind, entry.id, old_name or "—", client.name)
