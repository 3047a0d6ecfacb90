"""/undo of a restore: the rows it created, every kind, and the check-in clocks they moved.

The restore's journal entry (bot/services/restore.py ``journal``) lists the ids it inserted per
kind. Deleting a created client takes its contacts and history along (ON DELETE CASCADE); rows
added to clients that existed before go one by one. Settings a restore applied to a fresh
account stay: there were none before to go back to.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import clients as client_service
from storage.models import (
    Client,
    ClientRequest,
    Contact,
    Interaction,
    Manager,
    Note,
    Plan,
    Reminder,
    Review,
    Sale,
    UndoEntry,
)

_CHUNK: Final = 500
# Children before parents; every model but Client and Contact carries manager_id.
_OWNED_BY_MANAGER: Final[tuple[tuple[str, Any], ...]] = (
    ("reminders", Reminder),
    ("reviews", Review),
    ("requests", ClientRequest),
    ("plans", Plan),
    ("sales", Sale),
    ("notes", Note),
    ("touches", Interaction),
)


async def undo_restore(
    session: AsyncSession, manager: Manager, entry: UndoEntry, now: Any
) -> dict[str, int]:
    payload: dict[str, Any] = dict(entry.payload or {})
    owned = select(Client.id).where(Client.owner_id == manager.id)
    counts: dict[str, int] = {}
    touched: set[int] = set()
    for start in range(0, len(payload.get("touches") or []), _CHUNK):
        chunk = [int(i) for i in payload["touches"][start : start + _CHUNK]]
        touched.update(
            await session.scalars(
                select(Interaction.client_id).where(
                    Interaction.id.in_(chunk), Interaction.manager_id == manager.id
                )
            )
        )
    for kind, model in _OWNED_BY_MANAGER:
        counts[kind] = await _delete(
            session, model, payload.get(kind), model.manager_id == manager.id
        )
    counts["contacts"] = await _delete(
        session, Contact, payload.get("contacts"), Contact.client_id.in_(owned)
    )
    counts["clients"] = await _delete(
        session, Client, payload.get("clients"), Client.owner_id == manager.id
    )
    await _rewind_clocks(session, manager, touched, now)
    await session.commit()
    return counts


async def _delete(session: AsyncSession, model: Any, ids: Any, scope: Any) -> int:
    gone = 0
    values = [int(i) for i in ids or []]
    for start in range(0, len(values), _CHUNK):
        result = await session.execute(
            delete(model).where(model.id.in_(values[start : start + _CHUNK]), scope)
        )
        gone += int(getattr(result, "rowcount", 0) or 0)
    return gone


async def _rewind_clocks(
    session: AsyncSession, manager: Manager, client_ids: set[int], now: Any
) -> None:
    """A client that keeps existing gets back the last touch it has without the restored ones."""
    for start in range(0, len(client_ids), _CHUNK):
        chunk = sorted(client_ids)[start : start + _CHUNK]
        for client in await session.scalars(
            select(Client).where(Client.id.in_(chunk), Client.owner_id == manager.id)
        ):
            client.last_touch_at = await session.scalar(
                select(func.max(Interaction.occurred_at)).where(Interaction.client_id == client.id)
            )
            client_service.refresh_checkin(client, manager, now)
            client.updated_at = now
