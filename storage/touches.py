"""Queries on touches (interactions), notes and follow-up reminders, scoped to an owner."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from storage import access
from storage.enums import ReminderKind
from storage.models import Client, Contact, Interaction, Note, NoteTag, Reminder, Sale

# Built once (it runs for every logged message): the client rows a message may name, without
# their tags or contacts, as a touch needs them.
_CLIENTS_NAMED = (
    select(Client)
    .where(
        access.clients(bindparam("owner_id")),
        Client.name_norm.in_(bindparam("norms", expanding=True)),
    )
    .options(raiseload("*"))
)


async def clients_named(session: AsyncSession, owner_id: int, norms: list[str]) -> list[Client]:
    """This owner's clients whose normalized name is one of norms, in one indexed query.

    The rows stay in the session, so saving the touch needs no second query for its client.
    """
    if not norms:
        return []
    params = {"owner_id": owner_id, "norms": sorted(set(norms))}
    rows = await session.scalars(_CLIENTS_NAMED, params)
    return list(rows)


async def owned_touch(session: AsyncSession, owner_id: int, touch_id: int) -> Interaction | None:
    return await session.scalar(
        select(Interaction)
        .join(Client, Client.id == Interaction.client_id)
        .where(Interaction.id == touch_id, access.clients(owner_id))
    )


async def owned_note(session: AsyncSession, owner_id: int, note_id: int) -> Note | None:
    return await session.scalar(
        select(Note).where(Note.id == note_id, access.authored(Note, owner_id))
    )


async def latest_activity_time(session: AsyncSession, client_id: int) -> datetime | None:
    """The newest touch or sale of the client: what the check-in clock counts from."""
    touch = await session.scalar(
        select(func.max(Interaction.occurred_at)).where(Interaction.client_id == client_id)
    )
    sale = await session.scalar(select(func.max(Sale.sold_at)).where(Sale.client_id == client_id))
    moments = [m for m in (touch, sale) if m is not None]
    return max(moments) if moments else None


async def recent_touches(
    session: AsyncSession, client_id: int, limit: int, offset: int = 0
) -> list[Interaction]:
    rows = await session.scalars(
        select(Interaction)
        .where(Interaction.client_id == client_id)
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(rows)


async def open_promises(session: AsyncSession, client_id: int) -> list[Interaction]:
    rows = await session.scalars(
        select(Interaction)
        .where(
            Interaction.client_id == client_id,
            Interaction.next_step.is_not(None),
            Interaction.next_step_done_at.is_(None),
        )
        .order_by(Interaction.next_step_due_at.asc().nulls_last(), Interaction.id)
    )
    return list(rows)


async def followup_reminder(session: AsyncSession, touch_id: int) -> Reminder | None:
    return await session.scalar(
        select(Reminder).where(
            Reminder.interaction_id == touch_id, Reminder.kind == ReminderKind.FOLLOWUP
        )
    )


async def client_notes(session: AsyncSession, client_id: int, reader_id: int) -> list[Note]:
    """The client's notes that ``reader_id`` may read: shared ones and their own private ones
    (a client handed over keeps its old owner's private notes out of the new owner's views)."""
    contact_ids = select(Contact.id).where(Contact.client_id == client_id)
    rows = await session.scalars(
        select(Note)
        .where(or_(Note.client_id == client_id, Note.contact_id.in_(contact_ids)))
        .where(or_(Note.is_private.is_(False), access.authored(Note, reader_id)))
        .order_by(Note.created_at.desc(), Note.id.desc())
    )
    return list(rows)


async def search_notes(
    session: AsyncSession, owner_id: int, words: list[str], tags: list[str], limit: int = 20
) -> list[tuple[Note, str | None]]:
    """Notes whose text has every word and which carry every tag, newest first.

    Words are matched in Python after casefolding: SQLite's lower() only folds ASCII, and a
    manager's notes number in the thousands at most.
    """
    contact_client = Client.__table__.alias("contact_client")
    query = (
        select(Note, func.coalesce(Client.name, contact_client.c.name))
        .outerjoin(Contact, Contact.id == Note.contact_id)
        .outerjoin(Client, Client.id == Note.client_id)
        .outerjoin(contact_client, contact_client.c.id == Contact.client_id)
        .where(access.authored(Note, owner_id))
    )
    for tag in tags:
        query = query.where(Note.id.in_(select(NoteTag.note_id).where(NoteTag.tag == tag)))
    rows = await session.execute(query.order_by(Note.created_at.desc(), Note.id.desc()))
    folded = [w.casefold().replace("ё", "е") for w in words]
    found: list[tuple[Note, str | None]] = []
    for note, client_name in rows:
        text = note.text.casefold().replace("ё", "е")
        if all(w in text for w in folded):
            found.append((note, client_name))
            if len(found) == limit:
                break
    return found
