"""Queries of /undo: the manager's journal, and taking back what an import or a restore added.

Ids come from the manager's own journal entries, yet every delete is still scoped by
storage.access: a journal row is data, and data may be stale or forged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection, delete, func, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
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
    UndoEntry,
)

CHUNK: Final = 500  # ids per statement: SQLite caps bound parameters
# Children before parents; every model but Client and Contact carries manager_id.
_AUTHORED: Final[tuple[tuple[str, Any], ...]] = (
    ("reminders", Reminder),
    ("reviews", Review),
    ("requests", ClientRequest),
    ("plans", Plan),
    ("sales", Sale),
    ("notes", Note),
    ("touches", Interaction),
)


async def newest(session: AsyncSession, manager_id: int, since: datetime) -> UndoEntry | None:
    """The manager's latest journal entry written at or after ``since``."""
    return await session.scalar(
        select(UndoEntry)
        .where(access.authored(UndoEntry, manager_id), UndoEntry.created_at >= since)
        .order_by(UndoEntry.id.desc())
        .limit(1)
    )


async def move_entry(
    session: AsyncSession, manager_id: int, entry_kind: str, object_id: int, to_client_id: int
) -> None:
    """The journal row of a moved entry follows it: deleting the old client keeps the undo."""
    await session.execute(
        update(UndoEntry)
        .where(
            access.authored(UndoEntry, manager_id),
            UndoEntry.kind == entry_kind,
            UndoEntry.object_id == object_id,
        )
        .values(client_id=to_client_id)
    )


def _chunks(ids: Sequence[Any]) -> list[Sequence[Any]]:
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


async def delete_contacts(session: AsyncSession, owner_id: int, contact_ids: list[int]) -> int:
    gone = 0
    for chunk in _chunks(contact_ids):
        result = await session.execute(
            delete(Contact).where(
                Contact.id.in_(chunk), Contact.client_id.in_(access.client_ids(owner_id))
            )
        )
        gone += _count(result)
    return gone


async def delete_contacts_named(
    session: AsyncSession, owner_id: int, keys: list[tuple[int, str]]
) -> int:
    """Contacts by (client id, normalised name): how journal entries of old versions name them."""
    gone = 0
    for chunk in _chunks(keys):
        result = await session.execute(
            delete(Contact).where(
                tuple_(Contact.client_id, Contact.name_norm).in_(chunk),
                Contact.client_id.in_(access.client_ids(owner_id)),
            )
        )
        gone += _count(result)
    return gone


async def delete_clients(
    session: AsyncSession, owner_id: int, client_ids: list[int]
) -> tuple[int, int]:
    """Deletes the clients, and with them (ON DELETE CASCADE) their contacts, tags and history.

    Returns (clients, contacts) deleted: the contacts are counted before they go.
    """
    clients = contacts = 0
    for chunk in _chunks(client_ids):
        contacts += int(
            await session.scalar(
                select(func.count())
                .select_from(Contact)
                .where(
                    Contact.client_id.in_(chunk),
                    Contact.client_id.in_(access.client_ids(owner_id)),
                )
            )
            or 0
        )
        result = await session.execute(
            delete(Client).where(Client.id.in_(chunk), access.clients(owner_id))
        )
        clients += _count(result)
    return clients, contacts


async def touched_clients(session: AsyncSession, manager_id: int, touch_ids: list[int]) -> set[int]:
    """The clients of the manager's touches among ``touch_ids``."""
    found: set[int] = set()
    for chunk in _chunks(touch_ids):
        found.update(
            await session.scalars(
                select(Interaction.client_id).where(
                    Interaction.id.in_(chunk), access.authored(Interaction, manager_id)
                )
            )
        )
    return found


async def delete_restored(
    session: AsyncSession, manager_id: int, ids_by_kind: Mapping[str, Any]
) -> dict[str, int]:
    """Deletes the rows a restore created, children before parents: how many of each kind."""
    counts: dict[str, int] = {}
    for kind, model in _AUTHORED:
        counts[kind] = await _delete(
            session, model, ids_by_kind.get(kind), access.authored(model, manager_id)
        )
    counts["contacts"] = await _delete(
        session,
        Contact,
        ids_by_kind.get("contacts"),
        Contact.client_id.in_(access.client_ids(manager_id)),
    )
    counts["clients"] = await _delete(
        session, Client, ids_by_kind.get("clients"), access.clients(manager_id)
    )
    return counts


async def _delete(session: AsyncSession, model: Any, ids: Any, scope: Any) -> int:
    gone = 0
    for chunk in _chunks([int(i) for i in ids or []]):
        gone += _count(await session.execute(delete(model).where(model.id.in_(chunk), scope)))
    return gone


async def clients_in(session: AsyncSession, owner_id: int, client_ids: list[int]) -> list[Client]:
    """The manager's clients among ``client_ids`` (at most CHUNK of them)."""
    return list(
        await session.scalars(
            select(Client).where(Client.id.in_(client_ids), access.clients(owner_id))
        )
    )


async def last_touch_at(session: AsyncSession, client_id: int) -> datetime | None:
    """The client's latest touch, whoever logged it: the check-in clock counts every one."""
    return await session.scalar(
        select(func.max(Interaction.occurred_at)).where(Interaction.client_id == client_id)
    )


# --- the journal's writes, inside a flush (a sync connection: SQLAlchemy's after_flush hook) ---


def owner_of_client(conn: Connection, client_id: int) -> int | None:
    return conn.scalar(select(Client.owner_id).where(Client.id == client_id))


def client_of_contact(conn: Connection, contact_id: int) -> int | None:
    return conn.scalar(select(Contact.client_id).where(Contact.id == contact_id))


def insert_entries(conn: Connection, rows: list[dict[str, Any]]) -> list[int]:
    return list(conn.scalars(insert(UndoEntry).returning(UndoEntry.id), rows).all())


def prune(conn: Connection, manager_id: int, keep: int) -> None:
    """Keeps the newest ``keep`` entries of a manager: by count, not by time, since an entry's
    stamp comes from the action's clock and a count cannot be fooled by a clock."""
    mine = access.authored(UndoEntry, manager_id)
    cutoff = conn.scalar(
        select(UndoEntry.id).where(mine).order_by(UndoEntry.id.desc()).offset(keep).limit(1)
    )
    if cutoff is not None:
        conn.execute(delete(UndoEntry).where(mine, UndoEntry.id <= cutoff))
