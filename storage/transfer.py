"""Bulk reads and writes for import and export: set-based, never one query per row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage import access
from storage.enums import ReminderKind
from storage.models import (
    Client,
    ClientRequest,
    Contact,
    Interaction,
    Note,
    Plan,
    Reminder,
    Review,
    Sale,
)


async def existing_keys(
    session: AsyncSession, owner_id: int
) -> list[tuple[int, str, str | None, str | None]]:
    """(id, name_norm, tax_id, phone_norm) of every client the owner has, for dedupe."""
    rows = await session.execute(
        select(Client.id, Client.name_norm, Client.tax_id, Client.phone_norm).where(
            access.clients(owner_id)
        )
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


async def insert_clients(session: AsyncSession, values: list[dict[str, Any]]) -> list[int]:
    """Inserts many clients in one statement batch; ids come back in the order given."""
    if not values:
        return []
    # render_nulls: the ORM otherwise splits the batch wherever the set of None values
    # changes, which for real data means one INSERT per row.
    statement = insert(Client).execution_options(render_nulls=True)
    norms = [v["name_norm"] for v in values]
    if len(set(norms)) == len(norms):
        # Unique names map the ids back without sort_by_parameter_order, which costs ~4x.
        rows = await session.execute(statement.returning(Client.id, Client.name_norm), values)
        by_norm = {norm: cid for cid, norm in rows}
        return [by_norm[norm] for norm in norms]
    ordered = statement.returning(Client.id, sort_by_parameter_order=True)
    return list(await session.scalars(ordered, values))


async def insert_returning(
    session: AsyncSession, model: type[Any], values: list[dict[str, Any]]
) -> list[int]:
    """Inserts rows in statement batches; their new ids in the order given."""
    if not values:
        return []
    statement = (
        insert(model)
        .execution_options(render_nulls=True)
        .returning(model.id, sort_by_parameter_order=True)
    )
    return list(await session.scalars(statement, values))


async def insert_rows(
    session: AsyncSession, model: type[Any], values: list[dict[str, Any]]
) -> None:
    if values:
        await session.execute(insert(model).execution_options(render_nulls=True), values)


async def insert_contacts(session: AsyncSession, values: list[dict[str, Any]]) -> list[int]:
    """Inserts contacts added to existing clients; their ids in the order given (for /undo)."""
    inserted = insert(Contact).returning(Contact.id, sort_by_parameter_order=True)
    return list(await session.scalars(inserted, values))


# (client id, name_norm, name, role, phone, email, birth day, month, year)
KnownContact = tuple[
    int, str, str, str | None, str | None, str | None, int | None, int | None, int | None
]


async def contacts_of(session: AsyncSession, client_ids: list[int]) -> list[KnownContact]:
    """The contacts of clients the import matched (at most one chunk of ids)."""
    rows = await session.execute(
        select(
            Contact.client_id,
            Contact.name_norm,
            Contact.name,
            Contact.role,
            Contact.phone,
            Contact.email,
            Contact.birth_day,
            Contact.birth_month,
            Contact.birth_year,
        ).where(Contact.client_id.in_(client_ids))
    )
    return [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]) for r in rows]


async def clients_for_export(session: AsyncSession, owner_id: int) -> list[Client]:
    rows = await session.scalars(
        select(Client)
        .where(access.clients(owner_id))
        .options(selectinload(Client.contacts))
        .order_by(Client.name_norm, Client.id)
    )
    return list(rows)


async def touches_for_export(
    session: AsyncSession, owner_id: int
) -> list[tuple[Interaction, str, str | None]]:
    rows = await session.execute(
        select(Interaction, Client.name, Contact.name)
        .join(Client, Client.id == Interaction.client_id)
        .outerjoin(Contact, Contact.id == Interaction.contact_id)
        .where(access.clients(owner_id))
        .order_by(Interaction.occurred_at, Interaction.id)
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def notes_for_export(
    session: AsyncSession, owner_id: int
) -> list[tuple[Note, int | None, str | None, str | None]]:
    """(note, client id, client name, contact name): a note on a contact belongs to the
    contact's client."""
    contact_client = Client.__table__.alias("contact_client")
    rows = await session.execute(
        select(
            Note,
            func.coalesce(Note.client_id, Contact.client_id),
            func.coalesce(Client.name, contact_client.c.name),
            Contact.name,
        )
        .outerjoin(Contact, Contact.id == Note.contact_id)
        .outerjoin(Client, Client.id == Note.client_id)
        .outerjoin(contact_client, contact_client.c.id == Contact.client_id)
        .where(
            Note.client_id.in_(access.client_ids(owner_id))
            | Contact.client_id.in_(access.client_ids(owner_id)),
            # A former owner's 🔒 notes stay on a handed-over client, visible to their author
            # only: never in the new owner's export.
            Note.is_private.is_(False) | access.authored(Note, owner_id),
        )
        .order_by(Note.created_at, Note.id)
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


async def sales_for_export(session: AsyncSession, owner_id: int) -> list[tuple[Sale, str]]:
    rows = await session.execute(
        select(Sale, Client.name)
        .join(Client, Client.id == Sale.client_id)
        .where(access.clients(owner_id))
        .order_by(Sale.sold_at, Sale.id)
    )
    return [(r[0], r[1]) for r in rows]


async def requests_for_export(
    session: AsyncSession, owner_id: int
) -> list[tuple[ClientRequest, str]]:
    # Scoped like touches and sales: by the client's owner, so a handed-over client's
    # requests go with the client.
    rows = await session.execute(
        select(ClientRequest, Client.name)
        .join(Client, Client.id == ClientRequest.client_id)
        .where(access.clients(owner_id))
        .order_by(ClientRequest.opened_at, ClientRequest.id)
    )
    return [(r[0], r[1]) for r in rows]


async def reviews_for_export(session: AsyncSession, owner_id: int) -> list[tuple[Review, str]]:
    rows = await session.execute(
        select(Review, Client.name)
        .join(Client, Client.id == Review.client_id)
        .where(access.clients(owner_id))
        .order_by(Review.created_at, Review.id)
    )
    return [(r[0], r[1]) for r in rows]


async def plans_for_export(session: AsyncSession, manager_id: int) -> list[tuple[Plan, str | None]]:
    rows = await session.execute(
        select(Plan, Client.name)
        .outerjoin(Client, Client.id == Plan.client_id)
        .where(access.authored(Plan, manager_id))
        .order_by(Plan.period_start, Plan.period_kind, Plan.id)
    )
    return [(r[0], r[1]) for r in rows]


async def reminders_for_export(
    session: AsyncSession, manager_id: int
) -> list[tuple[Reminder, int | None, str | None, str | None, str | None]]:
    """(reminder, client id, client, contact, text) of the manager's own pings; the digest and
    weekly rows are the bot's schedule, not the manager's data."""
    contact_client = Client.__table__.alias("contact_client")
    rows = await session.execute(
        select(
            Reminder,
            func.coalesce(Reminder.client_id, Contact.client_id),
            func.coalesce(Client.name, contact_client.c.name),
            Contact.name,
            func.coalesce(Note.text, Interaction.next_step),
        )
        .outerjoin(Client, Client.id == Reminder.client_id)
        .outerjoin(Contact, Contact.id == Reminder.contact_id)
        .outerjoin(contact_client, contact_client.c.id == Contact.client_id)
        .outerjoin(Note, Note.id == Reminder.note_id)
        .outerjoin(Interaction, Interaction.id == Reminder.interaction_id)
        .where(
            access.authored(Reminder, manager_id),
            Reminder.kind.not_in([ReminderKind.DIGEST, ReminderKind.WEEKLY]),
        )
        .order_by(Reminder.due_at, Reminder.id)
    )
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]
