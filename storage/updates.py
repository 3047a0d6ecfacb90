"""Processed Telegram update ids (idempotency)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate

# Built once: it runs for updates whose manager was not found (see storage/managers.py).
_SEEN = select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id == bindparam("id"))


async def is_processed(session: AsyncSession, update_id: int) -> bool:
    return await session.scalar(_SEEN, {"id": update_id}) is not None


def mark_processed(session: AsyncSession, update_id: int, at: datetime) -> ProcessedUpdate:
    marker = ProcessedUpdate(update_id=update_id, processed_at=at)
    session.add(marker)
    return marker


async def ensure_processed(session: AsyncSession, update_id: int, at: datetime) -> None:
    """Records the id if the handler's own commit did not; a no-op when it did."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(
        insert(ProcessedUpdate)
        .values(update_id=update_id, processed_at=at)
        .on_conflict_do_nothing(index_elements=[ProcessedUpdate.update_id])
    )


async def prune(session: AsyncSession, older_than: datetime) -> int:
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < older_than)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def press_key(chat_id: int, message_id: int, data: str) -> int:
    """A button press as a row key: negative, so it can never meet a Telegram update id."""
    digest = hashlib.blake2b(f"{chat_id}:{message_id}:{data}".encode(), digest_size=7).digest()
    return -1 - int.from_bytes(digest, "big")


async def first_press(
    session: AsyncSession, chat_id: int, message_id: int, data: str, at: datetime
) -> bool:
    """False when this button under this message has already acted; else marks it pressed.

    The mark is pending in the session and commits with the write the press makes, so a
    press whose write failed can be pressed again. Repeated presses of one user are handled
    one at a time (see ThrottlingMiddleware), so the check cannot race with the mark.
    """
    key = press_key(chat_id, message_id, data)
    if await is_processed(session, key):
        return False
    mark_processed(session, key, at)
    return True
