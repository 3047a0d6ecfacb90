"""/undo: the newest entry of the last ten minutes goes — a touch or a note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import notes as note_service
from bot.services import touches as touch_service
from bot.services.touches import UNDO_WINDOW
from storage import touches as store
from storage.models import Manager


@dataclass(frozen=True, slots=True)
class Undone:
    kind: Literal["touch", "note"]
    text: str


async def undo_last(session: AsyncSession, manager: Manager, now: datetime) -> Undone | None:
    touch, note = await store.last_entries(session, manager.id, now - UNDO_WINDOW)
    if touch is not None and (note is None or touch.created_at >= note.created_at):
        await touch_service.delete(session, manager, touch.id, now)
        return Undone("touch", touch.summary or touch.next_step or "")
    if note is not None:
        await note_service.delete(session, manager, note.id)
        return Undone("note", note.text)
    return None
