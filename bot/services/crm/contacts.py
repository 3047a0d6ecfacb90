"""Decision-makers [ЛПР] of a client: add, edit a field, delete. Ownership checked each time."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from bot.services.crm.birthdays import Birthday, parse_birthday
from bot.services.crm.clients import ClientProblem, local_today
from bot.services.errors import NotFound
from bot.services.parsing import names as name_service
from bot.services.parsing.emails import normalize_email
from bot.services.parsing.phones import normalize_phone
from storage import clients as store
from storage.models import Contact, Manager

log = logging.getLogger(__name__)
MAX_ROLE = 200


class ContactNotFound(NotFound):
    """Missing, or at someone else's client: deliberately indistinguishable."""

    key = "contact-not-found"


@dataclass(frozen=True, slots=True)
class NewContact:
    name: str
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    birthday: Birthday | None = None


def _apply_birthday(contact: Contact, birthday: Birthday | None) -> None:
    contact.birth_day = birthday.day if birthday else None
    contact.birth_month = birthday.month if birthday else None
    contact.birth_year = birthday.year if birthday else None


async def add(
    session: AsyncSession, manager: Manager, client_id: int, new: NewContact, now: datetime
) -> Contact:
    client = await client_service.get(session, manager, client_id)
    try:
        name = name_service.validate_display_name(new.name)
    except name_service.NameProblem as exc:
        raise ClientProblem(exc.key) from exc
    email = normalize_email(new.email) if new.email else None
    if new.email and email is None:
        raise ClientProblem("contact-email-invalid")
    contact = Contact(
        client_id=client.id,
        name=name,
        name_norm=name_service.normalize_name(name),
        role=(new.role or "").strip()[:MAX_ROLE] or None,
        phone=new.phone,
        email=email,
        created_at=now,
        updated_at=now,
    )
    _apply_birthday(contact, new.birthday)
    session.add(contact)
    await session.commit()
    return contact


async def get(session: AsyncSession, manager: Manager, contact_id: int) -> Contact:
    contact = await store.owned_contact(session, manager.id, contact_id)
    if contact is None:
        log.warning(
            "manager %s asked for contact %s which is not theirs or gone", manager.id, contact_id
        )
        raise ContactNotFound(contact_id)
    return contact


async def set_text(
    session: AsyncSession, manager: Manager, contact_id: int, field: str, raw: str, now: datetime
) -> Contact:
    contact = await get(session, manager, contact_id)
    raw = raw.strip()
    clearing = raw in {"-", "—", "–"}
    if field == "name":
        try:
            contact.name = name_service.validate_display_name(raw)
        except name_service.NameProblem as exc:
            raise ClientProblem(exc.key) from exc
        contact.name_norm = name_service.normalize_name(contact.name)
    elif field == "role":
        contact.role = None if clearing else raw[:MAX_ROLE] or None
    elif field == "phone":
        phone = None if clearing else normalize_phone(raw)
        if not clearing and phone is None:
            raise ClientProblem("client-phone-invalid")
        contact.phone = phone
    elif field == "email":
        # The rule /contact and /import use: "k.belova@vector.ru;" is stored trimmed, so the
        # export of this base imports back.
        email = None if clearing else normalize_email(raw)
        if not clearing and email is None:
            raise ClientProblem("contact-email-invalid")
        contact.email = email
    elif field == "birthday":
        birthday = None if clearing else parse_birthday(raw, local_today(manager, now))
        if not clearing and birthday is None:
            raise ClientProblem("contact-birthday-invalid")
        _apply_birthday(contact, birthday)
    else:
        raise ClientProblem("client-invalid-value")
    contact.updated_at = now
    await session.commit()
    return contact


async def delete(session: AsyncSession, manager: Manager, contact_id: int) -> tuple[int, str]:
    """Deletes the contact; returns (client id, contact name) for the reply."""
    contact = await get(session, manager, contact_id)
    result = (contact.client_id, contact.name)
    await session.delete(contact)
    await session.commit()
    return result
