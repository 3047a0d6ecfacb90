"""/undo: a stack of what the manager did in the last ten minutes, newest first.

Entries come from the undo journal (bot/services/history/undo_journal.py): touches, notes, contacts,
card and contact edits, sales, plans, requests, reviews and whole imports. An entry whose row
is already gone (undone by its own button, deleted) is dropped and the next one is taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from bot.services.crm import contacts as contact_service
from bot.services.crm import notes as note_service
from bot.services.crm import sales as sale_service
from bot.services.crm import touches as touch_service
from bot.services.crm.touches import UNDO_WINDOW
from bot.services.history.undo_journal import CLIENT_FIELDS, CONTACT_FIELDS, silent
from bot.services.history.undo_restore import undo_restore
from bot.services.money import format_money
from storage import clients as client_store
from storage import plans as plan_store
from storage import requests as request_store
from storage import reviews as review_store
from storage import undo as store
from storage.models import Client, Contact, Manager, Plan, UndoEntry

TEXT_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Undone:
    kind: str  # the entry's kind: the reply's locale key is "undone-<kind>"
    args: dict[str, Any] = field(default_factory=dict)
    more: bool = False  # another entry waits: a second /undo goes one further


def _short(text: str | None) -> str:
    text = (text or "").strip()
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + "…"


def decode(value: Any, column: Any) -> Any:
    """The inverse of undo_journal.encode, typed by the column the value goes back to."""
    if isinstance(value, dict):
        if "dt" in value:
            return datetime.fromisoformat(value["dt"])
        if "d" in value:
            return date.fromisoformat(value["d"])
    enum_class = getattr(column.type, "enum_class", None)
    if value is not None and enum_class is not None:
        return enum_class(value)
    return value


async def _client_name(session: AsyncSession, client_id: int | None) -> str:
    return await client_store.name_of(session, client_id) or ""


async def undo_last(session: AsyncSession, manager: Manager, now: datetime) -> Undone | None:
    since = now - UNDO_WINDOW
    with silent(session):  # putting things back is not a new entry
        while True:
            entry = await store.newest(session, manager.id, since)
            if entry is None:
                return None
            await session.delete(entry)  # committed together with the undo itself
            try:
                undone = await _undo(session, manager, entry, now)
                more = await store.newest(session, manager.id, since) is not None
                return replace(undone, more=more)
            except LookupError:  # already gone: drop the entry and take the next one
                # Not a rollback: that would expire `manager` too; only reads have happened.
                await session.commit()


async def _undo(session: AsyncSession, manager: Manager, entry: UndoEntry, now: datetime) -> Undone:
    kind, oid = entry.kind, entry.object_id or 0
    if kind == "touch":
        touch = await touch_service.delete(session, manager, oid, now)
        name = await _client_name(session, touch.client_id)
        return Undone(kind, {"client": name, "text": _short(touch.summary or touch.next_step)})
    if kind == "note":
        note = await note_service.get(session, manager, oid)
        about = await _client_name(session, note.client_id or entry.client_id)
        await note_service.delete(session, manager, oid)
        return Undone(kind, {"client": about, "text": _short(note.text)})
    if kind == "contact":
        client_id, person = await contact_service.delete(session, manager, oid)
        return Undone(kind, {"client": await _client_name(session, client_id), "name": person})
    if kind == "sale":
        gone = await sale_service.delete(session, manager, oid, now)
        amount = format_money(gone.sale.amount_minor, gone.sale.currency, manager.language)
        return Undone(kind, {"client": gone.client.name, "amount": amount})
    if kind == "request":
        request = await request_store.owned(session, manager.id, oid)
        if request is None:
            raise LookupError(oid)
        name = await _client_name(session, request.client_id)
        await session.delete(request)
        await session.commit()
        return Undone(kind, {"client": name, "text": _short(request.text)})
    if kind == "review":
        review = await review_store.owned(session, manager.id, oid)
        if review is None:
            raise LookupError(oid)
        name = await _client_name(session, review.client_id)
        await session.delete(review)
        await session.commit()
        sign = "good" if review.is_positive else "bad"
        return Undone(kind, {"client": name, "text": _short(review.text), "sign": sign})
    if kind in ("plan", "plan_edit", "plan_removed"):
        return await _undo_plan(session, manager, entry)
    if kind == "edit":
        return await _undo_card_edit(session, manager, entry, now)
    if kind == "contact_edit":
        contact = await contact_service.get(session, manager, oid)
        for name, value in (entry.payload or {}).items():
            if name in CONTACT_FIELDS:
                setattr(contact, name, decode(value, Contact.__table__.c[name]))
        contact.updated_at = now
        await session.commit()
        name = await _client_name(session, contact.client_id)
        return Undone(kind, {"client": name, "name": contact.name})
    if kind == "import":
        return await _undo_import(session, manager, entry)
    if kind == "restore":
        counts = await undo_restore(session, manager, entry, now)
        if not any(counts.values()):
            raise LookupError(entry.id)  # everything it added was deleted already
        return Undone("restore", {"count": sum(counts.values())})
    raise LookupError(kind)  # an entry of a kind this version does not know: skip it


async def _undo_card_edit(
    session: AsyncSession, manager: Manager, entry: UndoEntry, now: datetime
) -> Undone:
    client = await client_service.get(session, manager, entry.object_id or 0)
    old = dict(entry.payload or {})
    for name, value in old.items():
        if name in CLIENT_FIELDS:
            setattr(client, name, decode(value, Client.__table__.c[name]))
    if isinstance(old.get("tags"), list):
        client_service.set_tags(client, [str(tag) for tag in old["tags"]])
    client.updated_at = now
    client_service.refresh_checkin(client, manager, now)  # cadence or archive may have changed
    await session.commit()
    fields = [name for name in old if name not in ("name_norm", "phone_norm")]
    return Undone("edit", {"client": client.name, "fields": fields})


async def _undo_plan(session: AsyncSession, manager: Manager, entry: UndoEntry) -> Undone:
    payload = dict(entry.payload or {})
    if entry.kind == "plan_removed":
        plan = Plan(
            manager_id=manager.id,
            **{name: decode(v, Plan.__table__.c[name]) for name, v in payload.items()},
        )
        session.add(plan)
    else:
        found = await plan_store.owned(session, manager.id, entry.object_id or 0)
        if found is None:
            raise LookupError(entry.object_id)
        plan = found
        if entry.kind == "plan":
            await session.delete(plan)
        else:
            plan.amount_minor = int(payload.get("amount_minor", plan.amount_minor))
            plan.currency = str(payload.get("currency", plan.currency))
    name = await _client_name(session, plan.client_id)
    amount = format_money(plan.amount_minor, plan.currency, manager.language)
    await session.commit()
    return Undone(entry.kind, {"client": name, "amount": amount})


async def _undo_import(session: AsyncSession, manager: Manager, entry: UndoEntry) -> Undone:
    payload = dict(entry.payload or {})
    client_ids = [int(i) for i in payload.get("clients") or []]
    contact_ids = [int(i) for i in payload.get("contact_ids") or []]
    # Entries written before contacts were recorded by id name them by (client, name).
    keys = [(int(k[0]), str(k[1])) for k in payload.get("contacts") or []]
    contacts = await store.delete_contacts(session, manager.id, contact_ids)
    contacts += await store.delete_contacts_named(session, manager.id, keys)
    # Their contacts, tags and anything logged on them since go too (ON DELETE CASCADE).
    clients, cascaded = await store.delete_clients(session, manager.id, client_ids)
    contacts += cascaded
    await session.commit()
    if not clients and not contacts:
        raise LookupError(entry.id)  # everything it added was deleted already
    return Undone("import", {"clients": clients, "contacts": contacts})
