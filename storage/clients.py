"""Queries on clients, contacts and tags. Every query is scoped to an owner: isolation is here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload, selectinload

from storage import access
from storage.enums import ClientStatus, Segment, Tier
from storage.models import Client, ClientTag, Contact, Interaction, Note, Sale


async def owned(session: AsyncSession, owner_id: int, client_id: int) -> Client | None:
    """The client if this manager owns it; None for someone else's or a missing id alike."""
    return await session.scalar(
        select(Client)
        .where(Client.id == client_id, access.clients(owner_id))
        .options(selectinload(Client.contacts))
    )


async def owned_bare(session: AsyncSession, owner_id: int, client_id: int) -> Client | None:
    """The client row alone, for hot paths (logging a touch): no tags, no contacts loaded."""
    return await session.scalar(
        select(Client)
        .where(Client.id == client_id, access.clients(owner_id))
        .options(raiseload("*"))
    )


async def name_of(session: AsyncSession, client_id: int | None) -> str | None:
    """The name of the client of a row its caller already got through an access-checked query."""
    if client_id is None:
        return None
    return await session.scalar(select(Client.name).where(Client.id == client_id))


async def owned_contact(session: AsyncSession, owner_id: int, contact_id: int) -> Contact | None:
    return await session.scalar(
        select(Contact)
        .join(Client, Client.id == Contact.client_id)
        .where(Contact.id == contact_id, access.clients(owner_id))
    )


async def on_default_cadence(session: AsyncSession, owner_id: int) -> list[Client]:
    rows = await session.scalars(
        select(Client).where(
            access.clients(owner_id),
            Client.cadence_days.is_(None),
            Client.archived_at.is_(None),
        )
    )
    return list(rows)


async def by_norm(session: AsyncSession, owner_id: int, name_norm: str) -> list[Client]:
    rows = await session.scalars(
        select(Client)
        .where(access.clients(owner_id), Client.name_norm == name_norm)
        .order_by(Client.archived_at.is_not(None), Client.id)
    )
    return list(rows)


async def names(session: AsyncSession, owner_id: int) -> list[tuple[int, str, bool]]:
    """(id, name, archived) of every client of the owner, for fuzzy lookup."""
    rows = await session.execute(
        select(Client.id, Client.name, Client.archived_at.is_not(None)).where(
            access.clients(owner_id)
        )
    )
    return [(r[0], r[1], bool(r[2])) for r in rows]


async def contact_names(session: AsyncSession, owner_id: int) -> list[tuple[int, str, int]]:
    """(contact id, person name, client id) for looking clients up by a person's name."""
    rows = await session.execute(
        select(Contact.id, Contact.name, Contact.client_id)
        .join(Client, Client.id == Contact.client_id)
        .where(access.clients(owner_id))
    )
    return [(r[0], r[1], r[2]) for r in rows]


@dataclass(frozen=True, slots=True)
class ListFilter:
    kind: str = "all"  # all | overdue | key | tag | archived
    tag: str | None = None


def _filtered(owner_id: int, flt: ListFilter, now: datetime) -> Select[Any]:
    query = select(Client).where(access.clients(owner_id))
    if flt.kind == "archived":
        return query.where(Client.archived_at.is_not(None))
    query = query.where(Client.archived_at.is_(None))
    if flt.kind == "overdue":
        query = query.where(Client.next_checkin_at <= now)
    elif flt.kind == "key":
        query = query.where(Client.tier == Tier.KEY)
    elif flt.kind == "tag" and flt.tag:
        query = query.where(
            Client.id.in_(select(ClientTag.client_id).where(ClientTag.tag == flt.tag))
        )
    return query


async def page(
    session: AsyncSession, owner_id: int, flt: ListFilter, now: datetime, offset: int, limit: int
) -> tuple[list[Client], int]:
    query = _filtered(owner_id, flt, now)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    order = (
        (Client.next_checkin_at.asc(), Client.name_norm)
        if flt.kind == "overdue"
        else (Client.name_norm, Client.id)
    )
    rows = await session.scalars(query.order_by(*order).offset(offset).limit(limit))
    return list(rows), int(total)


async def counts(session: AsyncSession, owner_id: int, now: datetime) -> dict[str, int]:
    active = and_(access.clients(owner_id), Client.archived_at.is_(None))
    row = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(Client.next_checkin_at <= now),
                func.count().filter(Client.tier == Tier.KEY),
            ).where(active)
        )
    ).one()
    archived = await session.scalar(
        select(func.count()).where(access.clients(owner_id), Client.archived_at.is_not(None))
    )
    return {"all": row[0], "overdue": row[1], "key": row[2], "archived": int(archived or 0)}


async def top_tags(session: AsyncSession, owner_id: int, limit: int = 8) -> list[tuple[str, int]]:
    rows = await session.execute(
        select(ClientTag.tag, func.count())
        .join(Client, Client.id == ClientTag.client_id)
        .where(access.clients(owner_id), Client.archived_at.is_(None))
        .group_by(ClientTag.tag)
        .order_by(func.count().desc(), ClientTag.tag)
        .limit(limit)
    )
    return [(r[0], r[1]) for r in rows]


async def recent_notes(
    session: AsyncSession, client_id: int, reader_id: int, limit: int = 3
) -> list[Note]:
    """Shared notes and the reader's own private ones (see touches.client_notes)."""
    contact_ids = select(Contact.id).where(Contact.client_id == client_id)
    rows = await session.scalars(
        select(Note)
        .where(or_(Note.client_id == client_id, Note.contact_id.in_(contact_ids)))
        .where(or_(Note.is_private.is_(False), access.authored(Note, reader_id)))
        .order_by(Note.created_at.desc(), Note.id.desc())
        .limit(limit)
    )
    return list(rows)


async def sales_total(session: AsyncSession, client_id: int, start: datetime, end: datetime) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(Sale.amount_minor), 0)).where(
            Sale.client_id == client_id, Sale.sold_at >= start, Sale.sold_at < end
        )
    )
    return int(total or 0)


async def for_quick_pick(
    session: AsyncSession, owner_id: int, now: datetime, limit: int
) -> list[Client]:
    """Overdue clients first (most overdue on top), then the most recently touched."""
    active = (access.clients(owner_id), Client.archived_at.is_(None))
    overdue = list(
        await session.scalars(
            select(Client)
            .where(*active, Client.next_checkin_at <= now)
            .order_by(Client.next_checkin_at)
            .limit(limit)
        )
    )
    seen = {c.id for c in overdue}
    recent = await session.scalars(
        select(Client)
        .where(*active, Client.id.not_in(seen or {0}))
        .order_by(Client.last_touch_at.desc().nulls_last(), Client.name_norm)
        .limit(limit - len(overdue))
    )
    return overdue + list(recent)


@dataclass(frozen=True, slots=True)
class BaseRow:
    """A client of the Mini App's list, with what its filters and sorts read."""

    id: int
    name: str
    name_norm: str
    archived: bool
    status: ClientStatus
    segment: Segment
    tier: Tier
    next_checkin_at: datetime | None
    promise_due_at: datetime | None  # the earliest due date of its open promises
    sales_minor: int  # all its sales, as the card sums them (whoever logged them)


async def base_rows(session: AsyncSession, owner_id: int) -> list[BaseRow]:
    """The owner's whole base in one statement: the open promises' earliest due date and the
    sales total are correlated subqueries, so a hundred clients cost one round trip, not 201."""
    promise_due = (
        select(func.min(Interaction.next_step_due_at))
        .where(
            Interaction.client_id == Client.id,
            Interaction.next_step.is_not(None),
            Interaction.next_step_done_at.is_(None),
        )
        .correlate(Client)
        .scalar_subquery()
    )
    sales = (
        select(func.coalesce(func.sum(Sale.amount_minor), 0))
        .where(Sale.client_id == Client.id)
        .correlate(Client)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            Client.id,
            Client.name,
            Client.name_norm,
            Client.archived_at.is_not(None),
            Client.status,
            Client.segment,
            Client.tier,
            Client.next_checkin_at,
            promise_due,
            sales,
        ).where(access.clients(owner_id))
    )
    return [
        BaseRow(r[0], r[1], r[2], bool(r[3]), r[4], r[5], r[6], r[7], r[8], int(r[9] or 0))
        for r in rows
    ]


async def base_tags(session: AsyncSession, owner_id: int) -> list[tuple[int, str]]:
    """(client id, tag) of every tagged client of the owner, archived ones too."""
    rows = await session.execute(
        select(ClientTag.client_id, ClientTag.tag)
        .join(Client, Client.id == ClientTag.client_id)
        .where(access.clients(owner_id))
    )
    return [(r[0], r[1]) for r in rows]
