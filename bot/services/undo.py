"""/undo: the newest entry of the last ten minutes goes: a touch, note, sale, request or review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notes as note_service
from bot.services import requests as request_service
from bot.services import reviews as review_service
from bot.services import sales as sale_service
from bot.services import touches as touch_service
from bot.services.money import format_money
from bot.services.touches import UNDO_WINDOW
from storage import touches as store
from storage.models import Manager

Kind = Literal["touch", "note", "sale", "request", "review"]


@dataclass(frozen=True, slots=True)
class Undone:
    kind: Kind
    text: str


async def undo_last(session: AsyncSession, manager: Manager, now: datetime) -> Undone | None:
    since = now - UNDO_WINDOW
    touch, note = await store.last_entries(session, manager.id, since)
    sale = await sale_service.last_sale(session, manager.id, since)
    entries: list[tuple[datetime, int, Kind, int]] = []
    # Ties (one clock tick) go to the kinds in this order, as before sales existed.
    if touch is not None:
        entries.append((touch.created_at, 2, "touch", touch.id))
    if note is not None:
        entries.append((note.created_at, 1, "note", note.id))
    if sale is not None:
        entries.append((sale.created_at, 3, "sale", sale.id))
    request = await request_service.last_entered(session, manager.id, since)
    if request is not None:
        entries.append((request[0].created_at, 4, "request", request[0].id))
    review = await review_service.last_entered(session, manager.id, since)
    if review is not None:
        entries.append((review[0].created_at, 5, "review", review[0].id))
    if not entries:
        return None
    _, _, kind, entry_id = max(entries)
    if kind == "touch":
        assert touch is not None
        await touch_service.delete(session, manager, entry_id, now)
        return Undone("touch", touch.summary or touch.next_step or "")
    if kind == "note":
        assert note is not None
        await note_service.delete(session, manager, entry_id)
        return Undone("note", note.text)
    if kind in ("request", "review"):
        found = request if kind == "request" else review
        assert found is not None
        entry, client_name = found
        await session.delete(entry)
        await session.commit()
        return Undone(kind, f"{client_name}: {entry.text or ''}".rstrip(": "))
    gone = await sale_service.delete(session, manager, entry_id, now)
    amount = format_money(gone.sale.amount_minor, gone.sale.currency, manager.language)
    return Undone("sale", f"{gone.client.name}, {amount}")
