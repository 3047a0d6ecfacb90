"""A contact saved under the wrong client moves to the right one (the «🏢 Не тот клиент» button)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from bot.services.crm import contacts as contact_service
from storage.models import Client, Contact, Manager


async def move(
    session: AsyncSession, manager: Manager, contact_id: int, client_id: int, now: datetime
) -> tuple[Contact, Client]:
    """Both ids are re-checked against the manager: ContactNotFound / ClientNotFound otherwise."""
    contact = await contact_service.get(session, manager, contact_id)
    client = await client_service.get(session, manager, client_id)
    contact.client_id = client.id
    contact.updated_at = now
    await session.commit()
    return contact, client
