"""The demo sandbox: a manager row of its own (`sandbox_of_id` = the real manager's id)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.enums import Tier
from storage.models import (
    Client,
    ClientRequest,
    Contact,
    Interaction,
    Manager,
    Note,
    Plan,
    Review,
    Sale,
)


async def sandbox_of(session: AsyncSession, real_id: int) -> Manager | None:
    """One lookup on the unique index of sandbox_of_id."""
    return await session.scalar(select(Manager).where(Manager.sandbox_of_id == real_id))


async def delete_manager(session: AsyncSession, manager_id: int) -> None:
    """Everything of the manager goes with the row (ON DELETE CASCADE on every table)."""
    await session.execute(delete(Manager).where(Manager.id == manager_id))


async def mark_clients_demo(session: AsyncSession, owner_id: int) -> None:
    """Clients added by hand inside the sandbox are sample data too."""
    await session.execute(
        update(Client)
        .where(access.clients(owner_id), Client.is_demo.is_(False))
        .values(is_demo=True)
    )


async def counts(session: AsyncSession, manager_id: int) -> dict[str, int]:
    """What the sandbox holds, in one round trip of scalar subqueries."""

    def count(model: type[Any], column: Any) -> Any:
        return select(func.count()).select_from(model).where(column == manager_id).scalar_subquery()

    row = (
        await session.execute(
            select(
                count(Client, Client.owner_id).label("clients"),
                select(func.count())
                .select_from(Client)
                .where(access.clients(manager_id), Client.tier == Tier.KEY)
                .scalar_subquery()
                .label("key_accounts"),
                select(func.count())
                .select_from(Contact)
                .join(Client, Client.id == Contact.client_id)
                .where(access.clients(manager_id))
                .scalar_subquery()
                .label("contacts"),
                count(Interaction, Interaction.manager_id).label("touches"),
                count(Note, Note.manager_id).label("notes"),
                count(Sale, Sale.manager_id).label("sales"),
                count(Plan, Plan.manager_id).label("plans"),
                count(ClientRequest, ClientRequest.manager_id).label("requests"),
                count(Review, Review.manager_id).label("reviews"),
            )
        )
    ).one()
    return {key: int(value or 0) for key, value in row._mapping.items()}
