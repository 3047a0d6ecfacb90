"""/undo of a restore: the rows it created, every kind, and the check-in clocks they moved.

The restore's journal entry (bot/services/exchange/restore.py ``journal``) lists the ids it
inserted per
kind. Deleting a created client takes its contacts and history along (ON DELETE CASCADE); rows
added to clients that existed before go one by one. Settings a restore applied to a fresh
account stay: there were none before to go back to.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from storage import undo as store
from storage.models import Manager, UndoEntry


async def undo_restore(
    session: AsyncSession, manager: Manager, entry: UndoEntry, now: Any
) -> dict[str, int]:
    payload: dict[str, Any] = dict(entry.payload or {})
    touched = await store.touched_clients(
        session, manager.id, [int(i) for i in payload.get("touches") or []]
    )
    counts = await store.delete_restored(session, manager.id, payload)
    await _rewind_clocks(session, manager, touched, now)
    await session.commit()
    return counts


async def _rewind_clocks(
    session: AsyncSession, manager: Manager, client_ids: set[int], now: Any
) -> None:
    """A client that keeps existing gets back the last touch it has without the restored ones."""
    for start in range(0, len(client_ids), store.CHUNK):
        chunk = sorted(client_ids)[start : start + store.CHUNK]
        for client in await store.clients_in(session, manager.id, chunk):
            client.last_touch_at = await store.last_touch_at(session, client.id)
            client_service.refresh_checkin(client, manager, now)
            client.updated_at = now
