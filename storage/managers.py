"""Queries on managers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Manager


async def by_telegram_id(session: AsyncSession, telegram_id: int) -> Manager | None:
    return await session.scalar(select(Manager).where(Manager.telegram_id == telegram_id))


async def by_id(session: AsyncSession, manager_id: int) -> Manager | None:
    return await session.get(Manager, manager_id)
