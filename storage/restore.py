"""Reads for a restore (bot/services/exchange/restore.py): set-based, ids back in order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.models import (
    Client,
    ClientRequest,
    ClientTag,
    Contact,
    Interaction,
    Note,
    Plan,
    Reminder,
    Review,
    Sale,
)

_IN_CHUNK = 500


async def clients(session: AsyncSession, owner_id: int) -> list[Client]:
    rows = await session.scalars(select(Client).where(access.clients(owner_id)).order_by(Client.id))
    return list(rows)


async def tags(session: AsyncSession, client_ids: Sequence[int]) -> set[tuple[int, str]]:
    found: set[tuple[int, str]] = set()
    for chunk in _chunks(client_ids):
        rows = await session.execute(
            select(ClientTag.client_id, ClientTag.tag).where(ClientTag.client_id.in_(chunk))
        )
        found.update((r[0], r[1]) for r in rows)
    return found


async def contacts(session: AsyncSession, client_ids: Sequence[int]) -> list[Contact]:
    found: list[Contact] = []
    for chunk in _chunks(client_ids):
        found.extend(
            await session.scalars(
                select(Contact).where(Contact.client_id.in_(chunk)).order_by(Contact.id)
            )
        )
    return found


async def touch_keys(
    session: AsyncSession, client_ids: Sequence[int]
) -> list[tuple[tuple[int, datetime, str, str], int]]:
    found: list[tuple[tuple[int, datetime, str, str], int]] = []
    for chunk in _chunks(client_ids):
        rows = await session.execute(
            select(
                Interaction.id,
                Interaction.client_id,
                Interaction.occurred_at,
                Interaction.kind,
                Interaction.summary,
            )
            .where(Interaction.client_id.in_(chunk))
            .order_by(Interaction.id)
        )
        found.extend(((r[1], r[2], r[3].value, r[4]), r[0]) for r in rows)
    return found


async def note_keys(
    session: AsyncSession, manager_id: int
) -> list[tuple[tuple[datetime, str], int]]:
    rows = await session.execute(
        select(Note.id, Note.created_at, Note.text)
        .where(access.authored(Note, manager_id))
        .order_by(Note.id)
    )
    return [((r[1], r[2]), r[0]) for r in rows]


async def sale_keys(
    session: AsyncSession, client_ids: Sequence[int]
) -> list[tuple[tuple[int, datetime, int, str], int]]:
    found: list[tuple[tuple[int, datetime, int, str], int]] = []
    for chunk in _chunks(client_ids):
        rows = await session.execute(
            select(Sale.id, Sale.client_id, Sale.sold_at, Sale.amount_minor, Sale.currency)
            .where(Sale.client_id.in_(chunk))
            .order_by(Sale.id)
        )
        found.extend(((r[1], r[2], r[3], r[4]), r[0]) for r in rows)
    return found


async def request_keys(
    session: AsyncSession, client_ids: Sequence[int]
) -> list[tuple[tuple[int, datetime, str], int]]:
    found: list[tuple[tuple[int, datetime, str], int]] = []
    for chunk in _chunks(client_ids):
        rows = await session.execute(
            select(
                ClientRequest.id,
                ClientRequest.client_id,
                ClientRequest.opened_at,
                ClientRequest.text,
            )
            .where(ClientRequest.client_id.in_(chunk))
            .order_by(ClientRequest.id)
        )
        found.extend(((r[1], r[2], r[3]), r[0]) for r in rows)
    return found


async def review_keys(
    session: AsyncSession, client_ids: Sequence[int]
) -> list[tuple[tuple[int, datetime, bool], int]]:
    found: list[tuple[tuple[int, datetime, bool], int]] = []
    for chunk in _chunks(client_ids):
        rows = await session.execute(
            select(Review.id, Review.client_id, Review.created_at, Review.is_positive)
            .where(Review.client_id.in_(chunk))
            .order_by(Review.id)
        )
        found.extend(((r[1], r[2], r[3]), r[0]) for r in rows)
    return found


async def plan_keys(session: AsyncSession, manager_id: int) -> set[tuple[int | None, str, Any]]:
    rows = await session.execute(
        select(Plan.client_id, Plan.period_kind, Plan.period_start).where(
            access.authored(Plan, manager_id)
        )
    )
    return {(r[0], r[1].value, r[2]) for r in rows}


async def reminder_keys(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(keys):
        found.update(
            await session.scalars(select(Reminder.dedupe_key).where(Reminder.dedupe_key.in_(chunk)))
        )
    return found


async def clients_by_id(session: AsyncSession, ids: Sequence[int]) -> list[Client]:
    found: list[Client] = []
    for chunk in _chunks(ids):
        found.extend(await session.scalars(select(Client).where(Client.id.in_(chunk))))
    return found


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + _IN_CHUNK] for i in range(0, len(items), _IN_CHUNK)]
