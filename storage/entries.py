"""Moving a note, request or review to another client: what points at the entry moves along.

The entry and the target client are checked by the caller through access-scoped queries
(storage.touches.owned_note, storage.requests.owned, storage.reviews.owned, storage.clients).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.models import ClientRequest, Contact, Reminder


async def contact_client_id(session: AsyncSession, contact_id: int | None) -> int | None:
    """The client of a person a note is about (a note on a person belongs to their client)."""
    return await session.scalar(select(Contact.client_id).where(Contact.id == contact_id))


async def move_note_reminders(session: AsyncSession, note_id: int, client_id: int) -> None:
    """The note's reminders follow it to its new client, no longer about the old one's person."""
    await session.execute(
        update(Reminder)
        .where(Reminder.note_id == note_id)
        .values(client_id=client_id, contact_id=None)
    )


async def move_review_request(
    session: AsyncSession,
    manager_id: int,
    request_id: int,
    from_client_id: int | None,
    to_client_id: int,
) -> None:
    """A request opened from a moved review follows it, unless it was moved on its own."""
    await session.execute(
        update(ClientRequest)
        .where(
            ClientRequest.id == request_id,
            access.authored(ClientRequest, manager_id),
            ClientRequest.client_id == from_client_id,
        )
        .values(client_id=to_client_id)
    )
