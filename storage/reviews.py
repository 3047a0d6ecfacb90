"""Queries on client reviews: a review is the manager's own work (``access.authored``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.models import Review


async def owned(session: AsyncSession, manager_id: int, review_id: int) -> Review | None:
    """The review if this manager recorded it; None for someone else's or a missing id alike."""
    return await session.scalar(
        select(Review).where(Review.id == review_id, access.authored(Review, manager_id))
    )
