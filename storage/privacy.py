"""Data rights (issue 10 item 5): erasing a person from a manager's base, and an account whole.

Every erase is a real DELETE or a column set to NULL, never a flag: what is asked to go, goes.
Contacts are reached through ``storage.access`` like everywhere else; the account's own rows go
by the foreign keys (ON DELETE CASCADE from managers.id on every table that holds its work).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.enums import ReminderKind
from storage.models import Contact, Interaction, Manager, Note, Reminder, TeamEvent, UndoEntry

# The undo journal keeps a contact's old field values (kind "contact_edit"): erased with them.
CONTACT_UNDO_KINDS = ("contact", "contact_edit")
# What a team's audit log shows where a deleted person's name was.
ERASED_NAME = "—"


def _owned_contact(owner_id: int, contact_id: int) -> Any:
    return select(Contact.id).where(
        Contact.id == contact_id, Contact.client_id.in_(access.client_ids(owner_id))
    )


async def contact_footprint(
    session: AsyncSession, owner_id: int, contact_id: int
) -> dict[str, int]:
    """What erasing the person would take, for the confirmation: notes about them, their
    birthday pings, the touches that name them (those stay, unlinked)."""
    person = _owned_contact(owner_id, contact_id).scalar_subquery()

    def count(model: Any, *where: Any) -> Any:
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    row = (
        await session.execute(
            select(
                count(Note, Note.contact_id == person).label("notes"),
                count(
                    Reminder,
                    Reminder.contact_id == person,
                    Reminder.kind == ReminderKind.BIRTHDAY,
                ).label("birthdays"),
                count(Interaction, Interaction.contact_id == person).label("touches"),
            )
        )
    ).one()
    return {key: int(value or 0) for key, value in row._mapping.items()}


async def erase_contact(session: AsyncSession, owner_id: int, contact_id: int) -> dict[str, int]:
    """Erases the person: their notes (whoever wrote them, private ones too), their reminders,
    their undo entries (which hold old phones and birthdays), the link from touches, and the
    contact row itself with name, role, phone, e-mail and birthday. Touches and sales stay.

    Returns rows erased per kind; all zero when the contact is not the owner's (or gone).
    """
    found = await session.scalar(_owned_contact(owner_id, contact_id))
    if found is None:
        return {"contacts": 0}
    counts = {
        "notes": await _rowcount(session, delete(Note).where(Note.contact_id == found)),
        "reminders": await _rowcount(session, delete(Reminder).where(Reminder.contact_id == found)),
        "undo": await _rowcount(
            session,
            delete(UndoEntry).where(
                UndoEntry.kind.in_(CONTACT_UNDO_KINDS), UndoEntry.object_id == found
            ),
        ),
        "touches": await _rowcount(
            session,
            update(Interaction).where(Interaction.contact_id == found).values(contact_id=None),
        ),
    }
    counts["contacts"] = await _rowcount(session, delete(Contact).where(Contact.id == found))
    return counts


async def erase_names_in_events(session: AsyncSession, manager_id: int) -> int:
    """The deleted person's name leaves every team's audit log (the ids go NULL by the foreign
    keys); what happened, when, and to which clients stays as the team's record."""
    await session.flush()  # sessions never autoflush: the events this action just added too
    rows = await session.scalars(
        select(TeamEvent).where(
            or_(
                TeamEvent.actor_id == manager_id,
                TeamEvent.from_manager_id == manager_id,
                TeamEvent.to_manager_id == manager_id,
            )
        )
    )
    changed = 0
    for event in rows:
        payload = dict(event.payload or {})
        names = dict(payload.get("names") or {})
        for key, who in (
            ("actor", event.actor_id),
            ("from", event.from_manager_id),
            ("to", event.to_manager_id),
        ):
            if who == manager_id and key in names:
                names[key] = ERASED_NAME
        payload["names"] = names
        event.payload = payload  # a new dict: the JSON column sees the change
        changed += 1
    await session.flush()
    return changed


async def delete_account(session: AsyncSession, account_id: int) -> bool:
    """Deletes the manager row and their demo sandbox; every table holding their work follows
    by ON DELETE CASCADE. False when the row was already gone (a second delete)."""
    await _rowcount(session, delete(Manager).where(Manager.sandbox_of_id == account_id))
    return bool(await _rowcount(session, delete(Manager).where(Manager.id == account_id)))


async def _rowcount(session: AsyncSession, statement: Any) -> int:
    result = await session.execute(statement.execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
