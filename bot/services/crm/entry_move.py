"""A note, request or review saved under the wrong client moves to the right one (🏢 button).

The entry and the target client are both re-checked against the manager: a forged id moves
nothing. What points at the entry moves along: a note's reminder, a review's request opened from
it, the /undo journal row (so deleting the old client does not take the way to undo it along).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from bot.services.errors import NotFound
from storage import clients as client_store
from storage import entries as store
from storage import requests as request_store
from storage import reviews as review_store
from storage import touches as touch_store
from storage import undo as undo_store
from storage.models import ClientRequest, Manager, Note, Review

log = logging.getLogger(__name__)

Kind = Literal["n", "rq", "rv"]  # note | request | review: the short codes of MoveCb
MODELS: dict[str, type[Note] | type[ClientRequest] | type[Review]] = {
    "n": Note,
    "rq": ClientRequest,
    "rv": Review,
}
JOURNAL_KINDS = {"n": "note", "rq": "request", "rv": "review"}
Entry = Note | ClientRequest | Review
# Each kind's access-scoped lookup: (session, manager id, entry id) → the entry or None.
_OWNED: dict[str, Callable[[AsyncSession, int, int], Awaitable[Entry | None]]] = {
    "n": touch_store.owned_note,
    "rq": request_store.owned,
    "rv": review_store.owned,
}


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
    owned = _OWNED.get(kind)
    entry = None if owned is None else await owned(session, manager.id, entry_id)
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
    return await client_store.name_of(session, owner) or "—"


async def _owner_id(session: AsyncSession, entry: Note | ClientRequest | Review) -> int | None:
    if entry.client_id is not None:
        return entry.client_id
    # A note on a person belongs to the person's client.
    assert isinstance(entry, Note)
    return await store.contact_client_id(session, entry.contact_id)


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
    old_name = await client_store.name_of(session, old_id)
    entry.client_id = client.id
    if isinstance(entry, Note):
        # The person was the wrong client's: the note now belongs to the right client itself.
        entry.contact_id = None
        await store.move_note_reminders(session, entry.id, client.id)
    if isinstance(entry, Review) and entry.request_id is not None:
        # A request opened from this review is about the same matter, unless moved on its own.
        await store.move_review_request(session, manager.id, entry.request_id, old_id, client.id)
    await undo_store.move_entry(session, manager.id, JOURNAL_KINDS[kind], entry.id, client.id)
    await session.commit()
    return Moved(kind, entry.id, old_name or "—", client.name)
