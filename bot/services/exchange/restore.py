"""Restoring an export: every kind of row back into an account, all or nothing.

One walk over the data does both the preview and the write (``write=False`` counts what would
happen without writing, with stand-in ids), so what the preview promises is what the import
does. Rules, in the order rows are linked:

* Clients match the account's own by the client import's rule: normalised name, then tax id,
  then phone; each existing client is matched at most once, so two exported clients with one
  name stay two. A matched client keeps its card (the restore adds, never overwrites): it gets
  the tags and contacts it lacks, and its check-in clock moves only forward, to a later last
  touch from the file. A new client comes back exactly: status, archive, created, last touch
  and next check-in as they were.
* A contact matches an existing one of the same name unless role, phone or e-mail differ (one
  side blank is no difference): two people with one name stay two.
* Touches, notes, sales, requests and reviews already present (same client, same moment, same
  text or amount) are recognised, not doubled: importing one's own export twice adds nothing.
* A plan for a period the account already planned keeps the account's amount.
* Reminders (JSON only: spreadsheets carry no ids) come back with their states and keys rebuilt
  for the new ids, so a ping sent before the export is not planned and sent again. One whose
  moment passed without being sent is restored as cancelled: a restore never sends old news;
  the overdue promise or check-in still shows in /today and the digest.
* Settings come back only into an account that had no clients (a fresh one).

Rows read from a spreadsheet link to clients by name; a client named only by a touch, note,
sale, request, review or plan is created with it (never bare).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.exchange.export_model import (
    ExportClient,
    ExportContact,
    ExportData,
    ExportSettings,
)
from bot.services.exchange.import_limits import ImportFileError
from bot.services.parsing.emails import normalize_email
from bot.services.parsing.names import normalize_name
from bot.services.parsing.phones import normalize_phone
from storage import restore as store
from storage import transfer as bulk
from storage.enums import (
    Channel,
    ClientStatus,
    Outcome,
    PeriodKind,
    ReminderKind,
    ReminderState,
    Segment,
    Tier,
    WorkMode,
)
from storage.models import (
    Client,
    ClientRequest,
    ClientTag,
    Contact,
    Interaction,
    Manager,
    Note,
    NoteTag,
    Plan,
    Reminder,
    Review,
    Sale,
    UndoEntry,
)

KINDS: Final = (
    "clients",
    "contacts",
    "touches",
    "notes",
    "sales",
    "requests",
    "reviews",
    "plans",
    "reminders",
)
Progress = Callable[[str], Awaitable[None]]
_MAX_PAYLOAD: Final = 2_000
_UNSENT: Final = frozenset({ReminderState.PENDING, ReminderState.CLAIMED, ReminderState.SNOOZED})
# Allowed values per vocabulary, built once: check() looks at ~170,000 values in a big file.
_VALUES: Final[dict[type[Any], frozenset[str]]] = {
    e: frozenset(m.value for m in e)
    for e in (
        Segment,
        Tier,
        ClientStatus,
        Channel,
        Outcome,
        PeriodKind,
        ReminderKind,
        ReminderState,
    )
}
_KEY_OBJECT: Final = {
    ReminderKind.BIRTHDAY: "contact",
    ReminderKind.CHECKIN: "client",
    ReminderKind.FOLLOWUP: "touch",
    ReminderKind.NOTE: "note",
}


@dataclass(slots=True)
class Count:
    new: int = 0
    present: int = 0  # already in the account: matched, not added again


@dataclass(slots=True)
class RestoreReport:
    counts: dict[str, Count] = field(default_factory=lambda: {k: Count() for k in KINDS})
    merged_clients: list[str] = field(default_factory=list)  # names of matched clients
    created_by_reference: int = 0  # clients named only by a touch, sale, ... and created
    reminders_past: int = 0  # unsent reminders whose moment passed: restored as cancelled
    settings_restored: bool = False
    settings_kept: bool = False  # the file had settings; the account's own were kept

    @property
    def total_new(self) -> int:
        return sum(c.new for c in self.counts.values())

    def add(self, kind: str, present: bool) -> None:
        if present:
            self.counts[kind].present += 1
        else:
            self.counts[kind].new += 1


def _aware(moment: datetime | None) -> datetime | None:
    # kambot.json writes UTC with "Z"; a hand-edited file may drop it: UTC is what it meant.
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _need(moment: datetime | None, now: datetime) -> datetime:
    return _aware(moment) or now


def check(data: ExportData) -> None:
    """Values the database would refuse or misread, as one ``ImportFileError``."""
    problems: list[str] = []

    def vocabulary(kind: str, value: str | None, allowed: type[Any]) -> None:
        if value is not None and value not in _VALUES[allowed]:
            problems.append(f"{kind}: {value[:40]}")

    def fits(kind: str, value: str | None, limit: int) -> None:
        # PostgreSQL refuses what its column can't hold: say so before writing anything.
        if value is not None and len(value) > limit:
            problems.append(f"{kind}: {value[:40]}…")

    for c in data.clients:
        if not normalize_name(c.name):
            problems.append(f"client: {c.name[:40]!r}")
        fits("client", c.name, 200)
        fits("tax id", c.tax_id, 16)
        fits("phone", c.phone, 32)
        for tag in c.tags:
            fits("tag", tag, 64)
        vocabulary("segment", c.segment, Segment)
        vocabulary("tier", c.tier, Tier)
        vocabulary("status", c.status, ClientStatus)
        vocabulary("channel", c.preferred_channel, Channel)
        if c.cadence_days is not None and not 0 < c.cadence_days <= 3650:
            problems.append(f"cadence: {c.cadence_days}")
        for p in c.contacts:
            fits("contact", p.name, 200)
            fits("role", p.role, 200)
            fits("phone", p.phone, 32)
            fits("e-mail", p.email, 254)
            if (p.birth_day is None) != (p.birth_month is None) or (
                p.birth_day is not None
                and p.birth_month is not None
                and not (1 <= p.birth_month <= 12 and 1 <= p.birth_day <= 31)
            ):
                problems.append(f"birthday: {p.birth_day}.{p.birth_month}")
    for t in data.touches:
        vocabulary("touch", t.kind, Channel)
        vocabulary("outcome", t.outcome, Outcome)
    for s in data.sales:
        if s.amount_minor <= 0 or len(s.currency) != 3:
            problems.append(f"sale: {s.amount_minor} {s.currency[:5]}")
        fits("product line", s.product_line, 120)
    for n in data.notes:
        for tag in n.tags:
            fits("tag", tag, 64)
    for plan in data.plans:
        vocabulary("period", plan.period_kind, PeriodKind)
        if plan.amount_minor < 0 or len(plan.currency) != 3:
            problems.append(f"plan: {plan.amount_minor} {plan.currency[:5]}")
    for r in data.reminders:
        vocabulary("reminder", r.kind, ReminderKind)
        vocabulary("state", r.state, ReminderState)
    if data.settings is not None:
        _check_settings(data.settings, problems)
    if problems:
        raise ImportFileError("restore-json-invalid", where="; ".join(problems[:3]))


def _check_settings(s: ExportSettings, problems: list[str]) -> None:
    try:
        ZoneInfo(s.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"timezone: {s.timezone[:40]}")
    if s.work_mode not in {m.value for m in WorkMode}:
        problems.append(f"work mode: {s.work_mode[:20]}")
    if s.language not in ("ru", "en") or len(s.currency) != 3:
        problems.append(f"language/currency: {s.language[:8]} {s.currency[:5]}")
    if not (
        0 <= s.birthday_lead_days <= 14 and s.cadence_key_days > 0 and s.cadence_regular_days > 0
    ):
        problems.append("cadence/lead days")


class _Pool:
    """Rows already in the account, by natural key; each can stand for one file row only, so
    a file with two identical rows beside one existing row adds the second."""

    def __init__(self, rows: Iterable[tuple[Any, int]]) -> None:
        self._ids: dict[Any, list[int]] = {}
        for key, row_id in rows:
            self._ids.setdefault(key, []).append(row_id)

    def take(self, key: Any) -> int | None:
        ids = self._ids.get(key)
        # Oldest first, as the export lists them: twins (one moment, one text) keep their ids
        # in order, so a reminder of the second twin stays with the second (keys rebuilt alike).
        return ids.pop(0) if ids else None


def _same_person(existing: Contact, new: ExportContact) -> bool:
    def agree(a: str | None, b: str | None, fold: Callable[[str], str | None]) -> bool:
        return not a or not b or fold(a) == fold(b)

    def text(value: str) -> str:
        return value.strip().casefold()

    def phone(value: str) -> str | None:
        return normalize_phone(value) or value

    return (
        agree(existing.role, new.role, text)
        and agree(existing.phone, new.phone, phone)
        and agree(existing.email, new.email, text)
    )


class _Restore:
    """One walk: ``write`` False counts with stand-in ids, True inserts."""

    def __init__(
        self,
        session: AsyncSession,
        manager: Manager,
        data: ExportData,
        now: datetime,
        write: bool,
    ) -> None:
        self.session, self.manager, self.data, self.now, self.write = (
            session,
            manager,
            data,
            now,
            write,
        )
        self.report = RestoreReport()
        self._fake = itertools.count(-1, -1)
        self.client_ids: dict[int, int] = {}  # exported id -> id here
        self.by_name: dict[str, int] = {}  # normalised name -> id here, for name references
        self.contact_ids: dict[int, int] = {}
        # (client id here, normalised person name) -> contact id here: spreadsheet rows name
        # the person, they have no ids.
        self.contact_names: dict[tuple[int, str], int] = {}
        self._contacts_read: set[int] = set()
        self.touch_ids: dict[int, int] = {}
        self.note_ids: dict[int, int] = {}
        self.request_ids: dict[int, int] = {}
        self.matched: set[int] = set()  # ids here of clients that existed before
        self.existing: set[int] = set()  # every client the account had before
        self.cadence: dict[int, int] = {}
        self.clock: dict[int, tuple[datetime | None, bool]] = {}  # id -> (last touch, active)
        self.created: dict[str, list[int]] = {kind: [] for kind in KINDS}

    async def _insert(self, kind: str, model: type[Any], rows: list[dict[str, Any]]) -> list[int]:
        if not self.write:
            return [next(self._fake) for _ in rows]
        ids = await bulk.insert_returning(self.session, model, rows)
        self.created[kind].extend(ids)
        return ids

    # --- clients and contacts ----------------------------------------------------------------

    async def clients(self) -> None:
        existing = await store.clients(self.session, self.manager.id)
        fresh = not existing
        self.existing = {c.id for c in existing}
        free: dict[int, Client] = {row.id: row for row in existing}
        index: dict[str, dict[str, list[int]]] = {"name": {}, "tax": {}, "phone": {}}
        for row in existing:
            index["name"].setdefault(row.name_norm, []).append(row.id)
            if row.tax_id:
                index["tax"].setdefault(row.tax_id, []).append(row.id)
            if row.phone_norm:
                index["phone"].setdefault(row.phone_norm, []).append(row.id)
            self.by_name.setdefault(row.name_norm, row.id)
            self.cadence[row.id] = self._cadence(row.cadence_days, row.tier.value)
            active = row.archived_at is None and row.status == ClientStatus.ACTIVE
            self.clock[row.id] = (row.last_touch_at, active)

        def take(kind: str, key: str | None) -> int | None:
            for cid in index[kind].get(key or "", []) if key else []:
                if cid in free:
                    del free[cid]
                    return cid
            return None

        new: list[ExportClient] = []
        pairs: list[tuple[int, ExportClient]] = []
        for c in self.data.clients:
            phone = normalize_phone(c.phone) if c.phone else None
            found = (
                take("name", normalize_name(c.name))
                or take("tax", c.tax_id)
                or take("phone", phone)
            )
            if found is None:
                new.append(c)
            else:
                pairs.append((found, c))
        ids = await self._insert("clients", Client, [self._client_row(c) for c in new])
        for cid, c in zip(ids, new, strict=True):
            self.client_ids[c.id] = cid
            self.by_name.setdefault(normalize_name(c.name), cid)
            self.cadence[cid] = self._cadence(c.cadence_days, c.tier)
            active = c.archived_at is None and not c.archived and c.status == "active"
            self.clock[cid] = (_aware(c.last_touch_at), active)
            self.report.add("clients", present=False)
        by_id = {row.id: row for row in existing}
        for cid, c in pairs:
            self.client_ids[c.id] = cid
            self.matched.add(cid)
            self.report.add("clients", present=True)
            if len(self.report.merged_clients) < 20:
                self.report.merged_clients.append(by_id[cid].name)
        await self._tags(new, ids, pairs)
        await self._contacts(new, ids, pairs)
        if self.data.settings is not None:
            self.report.settings_restored = fresh
            self.report.settings_kept = not fresh
            if fresh and self.write:
                self._apply_settings(self.data.settings)

    def _cadence(self, cadence_days: int | None, tier: str) -> int:
        if cadence_days:
            return cadence_days
        key = tier == Tier.KEY.value
        return self.manager.cadence_key_days if key else self.manager.cadence_regular_days

    def _client_row(self, c: ExportClient) -> dict[str, Any]:
        created = _need(c.created_at, self.now)
        archived = _aware(c.archived_at) or (self.now if c.archived else None)
        phone = normalize_phone(c.phone) if c.phone else None
        last = _aware(c.last_touch_at)
        checkin = _aware(c.next_checkin_at)
        if checkin is None and archived is None and c.status == "active":
            base = last or created
            checkin = base + timedelta(days=self._cadence(c.cadence_days, c.tier))
        return {
            "owner_id": self.manager.id,
            "team_id": self.manager.team_id,
            "name": c.name[:200],
            "name_norm": normalize_name(c.name)[:200],
            "segment": Segment(c.segment),
            "tier": Tier(c.tier),
            "status": ClientStatus(c.status),
            "cadence_days": c.cadence_days,
            "preferred_channel": Channel(c.preferred_channel) if c.preferred_channel else None,
            "tax_id": c.tax_id,
            "phone": c.phone,
            "phone_norm": phone,
            "is_demo": False,
            "archived_at": archived,
            "last_touch_at": last,
            "next_checkin_at": checkin if archived is None else None,
            "created_at": created,
            "updated_at": self.now,
        }

    async def _tags(
        self, new: list[ExportClient], ids: list[int], pairs: list[tuple[int, ExportClient]]
    ) -> None:
        have = await store.tags(self.session, [cid for cid, _ in pairs])
        rows: list[dict[str, Any]] = []
        for cid, c in [*zip(ids, new, strict=True), *pairs]:
            for tag in dict.fromkeys(t[:64] for t in c.tags if t):
                if (cid, tag) not in have:
                    have.add((cid, tag))
                    rows.append({"client_id": cid, "tag": tag})
        if self.write and rows:
            await bulk.insert_rows(self.session, ClientTag, rows)

    async def _contacts(
        self, new: list[ExportClient], ids: list[int], pairs: list[tuple[int, ExportClient]]
    ) -> None:
        known: dict[int, list[Contact]] = {}
        for person in await store.contacts(self.session, [cid for cid, _ in pairs]):
            known.setdefault(person.client_id, []).append(person)
            self.contact_names.setdefault((person.client_id, person.name_norm), person.id)
        self._contacts_read.update(cid for cid, _ in pairs)
        self._contacts_read.update(ids)
        rows: list[dict[str, Any]] = []
        exported: list[ExportContact] = []
        for cid, c in [*zip(ids, new, strict=True), *pairs]:
            taken: set[int] = set()
            for p in c.contacts:
                norm = normalize_name(p.name)
                match = next(
                    (
                        e
                        for e in known.get(cid, [])
                        if e.id not in taken and e.name_norm == norm and _same_person(e, p)
                    ),
                    None,
                )
                if match is not None:
                    taken.add(match.id)
                    if p.id is not None:
                        self.contact_ids[p.id] = match.id
                    self.report.add("contacts", present=True)
                    continue
                rows.append(self._contact_row(cid, p))
                exported.append(p)
                self.report.add("contacts", present=False)
        new_ids = await self._insert("contacts", Contact, rows)
        for contact_id, p, row in zip(new_ids, exported, rows, strict=True):
            if p.id is not None:
                self.contact_ids[p.id] = contact_id
            self.contact_names.setdefault((row["client_id"], row["name_norm"]), contact_id)

    def _contact_row(self, client_id: int, p: ExportContact) -> dict[str, Any]:
        return {
            "client_id": client_id,
            "name": p.name[:200],
            "name_norm": normalize_name(p.name)[:200],
            "role": p.role,
            "phone": p.phone,
            # One rule for e-mails everywhere; an address it can't read is kept as it was.
            "email": (normalize_email(p.email) or p.email) if p.email else None,
            "birth_day": p.birth_day,
            "birth_month": p.birth_month,
            "birth_year": p.birth_year,
            "created_at": self.now,
            "updated_at": self.now,
        }

    # --- references by id or by name ---------------------------------------------------------

    async def client_for(self, exported_id: int | None, name: str | None) -> int | None:
        if exported_id is not None and exported_id in self.client_ids:
            return self.client_ids[exported_id]
        if not name or not normalize_name(name):
            return None
        norm = normalize_name(name)
        if norm in self.by_name:
            found = self.by_name[norm]
            if found in self.existing:
                self.matched.add(found)  # its history is looked up for rows already there
            return found
        segment = Segment.B2C if self.manager.work_mode == WorkMode.B2C else Segment.B2B
        placeholder = ExportClient(id=0, name=name, segment=segment.value)
        [cid] = await self._insert("clients", Client, [self._client_row(placeholder)])
        self.by_name[norm] = cid
        self.cadence[cid] = self._cadence(None, Tier.REGULAR.value)
        self.clock[cid] = (None, True)
        self.report.add("clients", present=False)
        self.report.created_by_reference += 1
        return cid

    def contact_for(self, exported_id: int | None) -> int | None:
        return self.contact_ids.get(exported_id) if exported_id is not None else None

    async def contact_named(self, client_id: int | None, name: str | None) -> int | None:
        """The client's contact of that name, for rows that name a person instead of an id."""
        if client_id is None or not name:
            return None
        if client_id not in self._contacts_read and client_id > 0:
            self._contacts_read.add(client_id)
            for person in await store.contacts(self.session, [client_id]):
                self.contact_names.setdefault((person.client_id, person.name_norm), person.id)
        return self.contact_names.get((client_id, normalize_name(name)))

    # --- the logged history ------------------------------------------------------------------

    async def touches(self) -> None:
        resolved = [
            (await self.client_for(t.client_id, t.client_name), t) for t in self.data.touches
        ]
        pool = _Pool(await store.touch_keys(self.session, sorted(self.matched)))
        rows, fresh = [], []
        for cid, t in resolved:
            if cid is None:
                continue
            occurred = _need(t.occurred_at, self.now)
            found = pool.take((cid, occurred, t.kind, t.summary))
            if found is not None:
                if t.id is not None:
                    self.touch_ids[t.id] = found
                self.report.add("touches", present=True)
                continue
            self._touched(cid, occurred)
            rows.append(
                {
                    "client_id": cid,
                    "manager_id": self.manager.id,
                    "contact_id": self.contact_for(t.contact_id)
                    if t.contact_id is not None
                    else await self.contact_named(cid, t.contact_name),
                    "kind": Channel(t.kind),
                    "occurred_at": occurred,
                    "outcome": Outcome(t.outcome) if t.outcome else None,
                    "summary": t.summary,
                    "next_step": t.next_step,
                    "next_step_due_at": _aware(t.next_step_due_at),
                    "next_step_has_time": t.next_step_has_time,
                    "next_step_done_at": _aware(t.next_step_done_at),
                    "created_at": occurred,
                }
            )
            fresh.append(t)
            self.report.add("touches", present=False)
        for touch_id, t in zip(
            await self._insert("touches", Interaction, rows), fresh, strict=True
        ):
            if t.id is not None:
                self.touch_ids[t.id] = touch_id

    def _touched(self, client_id: int, occurred: datetime) -> None:
        last, active = self.clock.get(client_id, (None, True))
        if last is None or occurred > last:
            self.clock[client_id] = (occurred, active)

    async def notes(self) -> None:
        pool = _Pool(await store.note_keys(self.session, self.manager.id))
        rows, fresh = [], []
        for n in self.data.notes:
            contact = self.contact_for(n.contact_id)
            client = None
            if contact is None:
                client = await self.client_for(n.client_id, n.client_name)
                if n.contact_id is None and n.contact_name:
                    contact = await self.contact_named(client, n.contact_name)
                    client = None if contact is not None else client
            created = _need(n.created_at, self.now)
            found = pool.take((created, n.text))
            if found is not None:
                if n.id is not None:
                    self.note_ids[n.id] = found
                self.report.add("notes", present=True)
                continue
            rows.append(
                {
                    "manager_id": self.manager.id,
                    "client_id": client,
                    "contact_id": contact,
                    "text": n.text,
                    "is_private": n.is_private,
                    "remind_at": _aware(n.remind_at),
                    "created_at": created,
                }
            )
            fresh.append(n)
            self.report.add("notes", present=False)
        ids = await self._insert("notes", Note, rows)
        tags: list[dict[str, Any]] = []
        for note_id, n in zip(ids, fresh, strict=True):
            if n.id is not None:
                self.note_ids[n.id] = note_id
            tags.extend({"note_id": note_id, "tag": tag[:64]} for tag in dict.fromkeys(n.tags))
        if self.write and tags:
            await bulk.insert_rows(self.session, NoteTag, tags)

    async def sales(self) -> None:
        resolved = [(await self.client_for(s.client_id, s.client_name), s) for s in self.data.sales]
        pool = _Pool(await store.sale_keys(self.session, sorted(self.matched)))
        rows = []
        for cid, s in resolved:
            if cid is None:
                continue
            sold = _need(s.sold_at, self.now)
            present = pool.take((cid, sold, s.amount_minor, s.currency.upper())) is not None
            self.report.add("sales", present=present)
            if present:
                continue
            rows.append(
                {
                    "client_id": cid,
                    "manager_id": self.manager.id,
                    "amount_minor": s.amount_minor,
                    "currency": s.currency.upper(),
                    "product_line": s.product_line,
                    "sold_at": sold,
                    "created_at": sold,
                }
            )
        await self._insert("sales", Sale, rows)

    async def requests(self) -> None:
        resolved = [
            (await self.client_for(r.client_id, r.client_name), r) for r in self.data.requests
        ]
        pool = _Pool(await store.request_keys(self.session, sorted(self.matched)))
        rows, fresh = [], []
        for cid, r in resolved:
            if cid is None:
                continue
            opened = _need(r.opened_at, self.now)
            found = pool.take((cid, opened, r.text))
            if found is not None:
                if r.id is not None:
                    self.request_ids[r.id] = found
                self.report.add("requests", present=True)
                continue
            rows.append(
                {
                    "client_id": cid,
                    "manager_id": self.manager.id,
                    "text": r.text,
                    "opened_at": opened,
                    "first_response_at": _aware(r.first_response_at),
                    "resolved_at": _aware(r.resolved_at),
                    "feedback": r.feedback,
                    "created_at": opened,
                }
            )
            fresh.append(r)
            self.report.add("requests", present=False)
        for rid, r in zip(await self._insert("requests", ClientRequest, rows), fresh, strict=True):
            if r.id is not None:
                self.request_ids[r.id] = rid

    async def reviews(self) -> None:
        resolved = [
            (await self.client_for(r.client_id, r.client_name), r) for r in self.data.reviews
        ]
        pool = _Pool(await store.review_keys(self.session, sorted(self.matched)))
        rows = []
        for cid, r in resolved:
            if cid is None:
                continue
            created = _need(r.created_at, self.now)
            present = pool.take((cid, created, r.is_positive)) is not None
            self.report.add("reviews", present=present)
            if present:
                continue
            rows.append(
                {
                    "client_id": cid,
                    "manager_id": self.manager.id,
                    "request_id": self.request_ids.get(r.request_id)
                    if r.request_id is not None
                    else None,
                    "is_positive": r.is_positive,
                    "text": r.text,
                    "created_at": created,
                }
            )
        await self._insert("reviews", Review, rows)

    async def plans(self) -> None:
        keys = await store.plan_keys(self.session, self.manager.id)
        rows = []
        for p in self.data.plans:
            cid = None
            if p.client_id is not None or p.client_name:
                cid = await self.client_for(p.client_id, p.client_name)
                if cid is None:
                    continue
            key = (cid, p.period_kind, p.period_start)
            present = key in keys
            self.report.add("plans", present=present)
            if present:
                continue
            keys.add(key)
            rows.append(
                {
                    "manager_id": self.manager.id,
                    "client_id": cid,
                    "period_kind": PeriodKind(p.period_kind),
                    "period_start": p.period_start,
                    "amount_minor": p.amount_minor,
                    "currency": p.currency.upper(),
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
        await self._insert("plans", Plan, rows)

    async def reminders(self) -> None:
        planned: list[tuple[str, dict[str, Any]]] = []
        for r in self.data.reminders:
            row = self._reminder_row(r)
            if row is not None:
                planned.append((row["dedupe_key"], row))
        existing = await store.reminder_keys(self.session, [key for key, _ in planned])
        rows = []
        for key, row in planned:
            present = key in existing
            self.report.add("reminders", present=present)
            if present:
                continue
            existing.add(key)
            rows.append(row)
        await self._insert("reminders", Reminder, rows)

    def _reminder_row(self, r: Any) -> dict[str, Any] | None:
        kind = ReminderKind(r.kind)
        target = _KEY_OBJECT.get(kind)
        if target is None or not r.dedupe_key:
            return None
        maps = {
            "contact": self.contact_ids,
            "client": self.client_ids,
            "touch": self.touch_ids,
            "note": self.note_ids,
        }
        old = {
            "contact": r.contact_id,
            "client": r.client_id,
            "touch": r.touch_id,
            "note": r.note_id,
        }
        new_id = maps[target].get(old[target]) if old[target] is not None else None
        parts = r.dedupe_key.split(":")
        if new_id is None or len(parts) < 2 or parts[0] != kind.value:
            return None
        if parts[1] != str(old[target]):
            return None
        parts[1] = str(new_id)
        state = ReminderState(r.state)
        due = _need(r.due_at, self.now)
        if state in _UNSENT:
            if due > self.now:
                state = ReminderState.PENDING
            else:
                state = ReminderState.CANCELLED
                self.report.reminders_past += 1
        contact = self.contact_ids.get(r.contact_id) if r.contact_id is not None else None
        return {
            "manager_id": self.manager.id,
            "kind": kind,
            "client_id": self.client_ids.get(r.client_id) if r.client_id is not None else None,
            "contact_id": contact,
            "interaction_id": self.touch_ids.get(r.touch_id) if r.touch_id is not None else None,
            "note_id": self.note_ids.get(r.note_id) if r.note_id is not None else None,
            "due_at": due,
            "state": state,
            "attempts": 0,
            "dedupe_key": ":".join(parts)[:200],
            "lease_until": None,
            "claimed_by": None,
            "sent_at": _aware(r.sent_at),
            "chat_message_id": None,
            "last_error": None,
            # The deliverer reads a note's text from here; a file can't make it carry more.
            "payload": r.payload if len(json.dumps(r.payload or {})) <= _MAX_PAYLOAD else None,
            "created_at": self.now,
            "updated_at": self.now,
        }

    # --- clocks, settings, undo --------------------------------------------------------------

    async def clocks(self, before: dict[int, datetime | None]) -> None:
        """Moves each client's check-in clock to its latest touch, if the restore brought one."""
        if not self.write:
            return
        changed = [cid for cid, (last, _) in self.clock.items() if last != before.get(cid)]
        for client in await store.clients_by_id(self.session, changed):
            last, active = self.clock[client.id]
            client.last_touch_at = last
            if active and last is not None:
                client.next_checkin_at = last + timedelta(days=self.cadence[client.id])
            client.updated_at = self.now

    def _apply_settings(self, s: ExportSettings) -> None:
        m = self.manager
        m.language, m.timezone, m.work_mode, m.currency = (
            s.language,
            s.timezone,
            WorkMode(s.work_mode),
            s.currency.upper(),
        )
        m.digest_time, m.quiet_start, m.quiet_end = (
            _t(s.digest_time),
            _t(s.quiet_start),
            _t(s.quiet_end),
        )
        m.birthday_lead_days = s.birthday_lead_days
        m.cadence_key_days, m.cadence_regular_days = s.cadence_key_days, s.cadence_regular_days

    def journal(self) -> None:
        """/undo takes the whole restore back: exactly the rows it created."""
        if not self.write or not any(self.created.values()):
            return
        self.session.add(
            UndoEntry(
                manager_id=self.manager.id,
                kind="restore",
                payload={kind: ids for kind, ids in self.created.items() if ids},
                created_at=self.now,
            )
        )


def _t(value: time) -> time:
    return value.replace(tzinfo=None)


async def run(
    session: AsyncSession,
    manager: Manager,
    data: ExportData,
    now: datetime,
    *,
    write: bool,
    progress: Progress | None = None,
) -> RestoreReport:
    """Preview (``write=False``: nothing is written) or restore, in one transaction."""
    check(data)
    walk = _Restore(session, manager, data, now, write)
    steps: Iterable[tuple[str, Callable[[], Awaitable[None]]]] = (
        ("clients", walk.clients),
        ("touches", walk.touches),
        ("notes", walk.notes),
        ("sales", walk.sales),
        ("requests", walk.requests),
        ("reviews", walk.reviews),
        ("plans", walk.plans),
        ("reminders", walk.reminders),
    )
    try:
        for name, step in steps:
            if progress is not None:
                await progress(name)
            await step()
            if name == "clients":
                before = {cid: last for cid, (last, _) in walk.clock.items()}
        await walk.clocks(before)
        walk.journal()
        if write:
            await session.commit()
    except BaseException:
        if write:
            await session.rollback()
        raise
    return walk.report


def kinds_in(data: ExportData) -> Counter[str]:
    """How many rows of each kind a file holds (before matching)."""
    return Counter(
        {
            "clients": len(data.clients),
            "contacts": sum(len(c.contacts) for c in data.clients),
            "touches": len(data.touches),
            "notes": len(data.notes),
            "sales": len(data.sales),
            "requests": len(data.requests),
            "reviews": len(data.reviews),
            "plans": len(data.plans),
            "reminders": len(data.reminders),
        }
    )
