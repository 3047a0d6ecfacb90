"""Queries on managers.

The per-update queries are built once: building a select and working out its cache key cost
more CPU than running it on SQLite (bench/bench_logging.py).
"""

from __future__ import annotations

from sqlalchemy import bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Manager, ProcessedUpdate

_BY_TELEGRAM_ID = select(Manager).where(Manager.telegram_id == bindparam("telegram_id"))
_WITH_UPDATE_SEEN = select(
    Manager, exists().where(ProcessedUpdate.update_id == bindparam("update_id"))
).where(Manager.telegram_id == bindparam("telegram_id"))


async def by_telegram_id(session: AsyncSession, telegram_id: int) -> Manager | None:
    return await session.scalar(_BY_TELEGRAM_ID, {"telegram_id": telegram_id})


async def by_telegram_id_with_update(
    session: AsyncSession, telegram_id: int, update_id: int
) -> tuple[Manager | None, bool | None]:
    """The manager and whether this update was already processed, in one query.

    The flag is None when there is no such manager: nothing was looked up then.
    """
    row = (
        await session.execute(
            _WITH_UPDATE_SEEN, {"telegram_id": telegram_id, "update_id": update_id}
        )
    ).first()
    if row is None:
        return None, None
    return row[0], bool(row[1])


async def by_id(session: AsyncSession, manager_id: int) -> Manager | None:
    return await session.get(Manager, manager_id)
