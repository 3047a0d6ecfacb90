"""The undo journal: every entry the manager makes is written down in the same transaction.

A session listener sees each flush: a new touch, note, contact, sale, plan, request or review,
a changed field of a client card or a contact, a changed or removed plan: each becomes one
`UndoEntry`. Doing it at the flush means no action can forget to write its entry and no entry
outlives a rolled-back action. Imports insert in bulk (no flush) and call `record_import`.
Undo itself runs `silent` so that putting things back is not journaled as a new edit.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, event, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction

from storage import undo as journal_store
from storage.models import (
    Client,
    ClientRequest,
    Contact,
    Interaction,
    Note,
    Plan,
    Review,
    Sale,
    UndoEntry,
    utcnow,
)

SILENT = "undo_journal_silent"
KEEP = 100  # entries kept per manager; ten minutes of work rarely comes near
PRUNE_EVERY = 20  # entry ids: a manager's journal may briefly hold a few more than KEEP

NEW_KINDS: dict[type, str] = {
    Interaction: "touch",
    Note: "note",
    Contact: "contact",
    Sale: "sale",
    Plan: "plan",
    ClientRequest: "request",
    Review: "review",
}
# The fields a manager edits on a card; bookkeeping (last touch, next check-in) is not an edit.
CLIENT_FIELDS = (
    "name",
    "name_norm",
    "segment",
    "tier",
    "status",
    "cadence_days",
    "preferred_channel",
    "tax_id",
    "phone",
    "phone_norm",
    "archived_at",
)
CONTACT_FIELDS = (
    "name",
    "name_norm",
    "role",
    "phone",
    "email",
    "birth_day",
    "birth_month",
    "birth_year",
)
PLAN_FIELDS = (
    "client_id",
    "period_kind",
    "period_start",
    "amount_minor",
    "currency",
)


@contextmanager
def silent(session: AsyncSession) -> Iterator[None]:
    session.sync_session.info[SILENT] = True
    try:
        yield
    finally:
        session.sync_session.info.pop(SILENT, None)


def encode(value: Any) -> Any:
    """A JSON-safe form of a column value (enums by value, datetimes and dates tagged)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if hasattr(value, "isoformat"):
        return {"d": value.isoformat()}
    return value


def _old_values(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    state = inspect(obj)
    old: dict[str, Any] = {}
    for name in fields:
        history = state.attrs[name].history
        if history.has_changes() and history.deleted:
            old[name] = encode(history.deleted[0])
    return old


def _old_tags(client: Client) -> list[str] | None:
    history = inspect(client).attrs["tags"].history
    if not history.added and not history.deleted:
        return None
    return [t.tag for t in (*history.unchanged, *history.deleted)]


def _stamp(obj: Any, name: str) -> datetime:
    value = getattr(obj, name, None)
    return value if isinstance(value, datetime) else utcnow()


class _Entries:
    """The journal rows one flush produces, in the order the session lists its objects."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.rows: list[dict[str, Any]] = []

    def owner(self, client_id: int | None) -> int | None:
        if client_id is None:
            return None
        return journal_store.owner_of_client(self.conn, client_id)

    def add(
        self,
        kind: str,
        manager_id: int | None,
        obj_id: int | None,
        client_id: int | None,
        at: datetime,
        payload: dict[str, Any] | None = None,
    ) -> None:
        if manager_id is not None:
            self.rows.append(
                {
                    "manager_id": manager_id,
                    "kind": kind,
                    "object_id": obj_id,
                    "client_id": client_id,
                    "payload": payload,
                    "created_at": at,
                }
            )

    def created(self, obj: Any) -> None:
        kind = NEW_KINDS.get(type(obj))
        if kind is None:
            return
        client_id = getattr(obj, "client_id", None)
        if isinstance(obj, Note) and client_id is None and obj.contact_id is not None:
            client_id = journal_store.client_of_contact(self.conn, obj.contact_id)
        manager_id = self.owner(client_id) if isinstance(obj, Contact) else obj.manager_id
        self.add(kind, manager_id, obj.id, client_id, _stamp(obj, "created_at"))

    def changed(self, obj: Any) -> None:
        if isinstance(obj, Client):
            old = _old_values(obj, CLIENT_FIELDS)
            tags = _old_tags(obj)
            if tags is not None:
                old["tags"] = tags
            if old:
                self.add("edit", obj.owner_id, obj.id, obj.id, _stamp(obj, "updated_at"), old)
        elif isinstance(obj, Contact):
            old = _old_values(obj, CONTACT_FIELDS)
            if old:
                at = _stamp(obj, "updated_at")
                self.add("contact_edit", self.owner(obj.client_id), obj.id, obj.client_id, at, old)
        elif isinstance(obj, Plan):
            old = _old_values(obj, ("amount_minor", "currency"))
            if old:
                at = _stamp(obj, "updated_at")
                self.add("plan_edit", obj.manager_id, obj.id, obj.client_id, at, old)

    def removed(self, obj: Any) -> None:
        if isinstance(obj, Plan):  # "/plan 0" removes it: undo puts it back
            values = {name: encode(getattr(obj, name)) for name in PLAN_FIELDS}
            self.add("plan_removed", obj.manager_id, None, obj.client_id, utcnow(), values)


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    if session.info.get(SILENT):
        return
    conn = session.connection()
    entries = _Entries(conn)
    for obj in session.new:
        entries.created(obj)
    for obj in session.dirty:
        entries.changed(obj)
    for obj in session.deleted:
        entries.removed(obj)
    rows = entries.rows
    if rows:
        ids = journal_store.insert_entries(conn, rows)
        # Pruning on every write would cost each logged touch one more statement (the P1 hot
        # path counts them); every PRUNE_EVERY-th entry is enough to keep a manager near KEEP.
        if any(entry_id % PRUNE_EVERY == 0 for entry_id in ids):
            for manager_id in {row["manager_id"] for row in rows}:
                journal_store.prune(conn, manager_id, KEEP)


event.listen(Session, "after_flush", _after_flush)


def record_import(
    session: AsyncSession,
    manager_id: int,
    now: datetime,
    client_ids: list[int],
    contact_ids: list[int],
) -> None:
    """One entry for a whole import: the clients it created (their contacts and tags go with
    them) and, by id, the contacts it added to clients already in the base: a client may have
    two people with one name, and only the one the import added is its to take back."""
    if not client_ids and not contact_ids:
        return
    payload = {"clients": client_ids, "contact_ids": contact_ids}
    session.add(UndoEntry(manager_id=manager_id, kind="import", payload=payload, created_at=now))
