"""Clients: lookup, creation, the card, field edits, archive and deletion.

Every function takes the asking manager and re-checks ownership: an id that is not theirs is
treated exactly like a missing one (and logged), so forged callback data learns nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm.birthdays import Birthday, days_until, next_birthday
from bot.services.errors import NotFound
from bot.services.parsing import names as name_service
from bot.services.parsing.phones import normalize_phone
from bot.services.parsing.taxid import is_valid_inn, normalize_tax_id
from storage import clients as store
from storage import touches as touch_store
from storage.enums import Channel, ClientStatus, Segment, Tier
from storage.models import Client, ClientTag, Contact, Manager

log = logging.getLogger(__name__)
LookupKind = Literal["exact", "confident", "ambiguous", "none"]
PAGE_SIZE = 8
# The list filter is the service's argument too: handlers name it from here, not from storage.
ListFilter = store.ListFilter
MAX_TAGS = 20
CADENCE_CHOICES = (7, 14, 30, 60, 90)


class ClientNotFound(NotFound):
    """Missing, or owned by someone else: the two are deliberately indistinguishable."""

    key = "client-not-found"


class ClientProblem(ValueError):
    """Input that cannot be saved; ``key`` is the i18n message key for the reply."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True, slots=True)
class ClientRef:
    id: int
    name: str
    archived: bool = False
    via_contact: str | None = None
    contact_id: int | None = None


class DuplicateClient(Exception):
    def __init__(self, existing: ClientRef) -> None:
        super().__init__(existing.name)
        self.existing = existing


@dataclass(frozen=True, slots=True)
class Lookup:
    kind: LookupKind
    matches: list[ClientRef]

    @property
    def best(self) -> ClientRef | None:
        return self.matches[0] if self.matches else None


@dataclass(frozen=True, slots=True)
class ContactView:
    id: int
    name: str
    role: str | None
    phone: str | None
    email: str | None
    birthday: Birthday | None
    days_to_birthday: int | None
    turns: int | None


@dataclass(frozen=True, slots=True)
class NoteView:
    text: str
    created_at: datetime
    private: bool


@dataclass(frozen=True, slots=True)
class PromiseView:
    touch_id: int
    text: str
    due_at: datetime | None
    has_time: bool


@dataclass(frozen=True, slots=True)
class ClientCard:
    id: int
    name: str
    segment: Segment
    tier: Tier
    status: ClientStatus
    cadence_days: int
    cadence_is_default: bool
    channel: Channel | None
    tags: list[str]
    tax_id: str | None
    phone: str | None
    archived: bool
    contacts: list[ContactView]
    last_touch_at: datetime | None
    days_since_touch: int | None
    next_checkin_at: datetime | None
    checkin_in_days: int | None  # negative when overdue
    notes: list[NoteView]
    promises: list[PromiseView]
    sales_this_month_minor: int
    currency: str
    owner_name: str

    @property
    def overdue(self) -> bool:
        return self.checkin_in_days is not None and self.checkin_in_days < 0


@dataclass(frozen=True, slots=True)
class ListItem:
    id: int
    name: str
    tier: Tier
    overdue: bool
    archived: bool


@dataclass(frozen=True, slots=True)
class ClientPage:
    items: list[ListItem]
    total: int
    page: int
    pages: int
    counts: dict[str, int]
    tags: list[tuple[str, int]] = field(default_factory=list)


# --- helpers --------------------------------------------------------------------------------
def local_today(manager: Manager, now: datetime) -> date:
    return now.astimezone(ZoneInfo(manager.timezone)).date()


def effective_cadence(client: Client, manager: Manager) -> int:
    if client.cadence_days:
        return client.cadence_days
    return manager.cadence_key_days if client.tier == Tier.KEY else manager.cadence_regular_days


def refresh_checkin(client: Client, manager: Manager, now: datetime) -> None:
    """next_checkin_at is derived, stored for index scans: keep it right on every change."""
    if client.archived_at is not None or client.status != ClientStatus.ACTIVE:
        client.next_checkin_at = None
        return
    base = client.last_touch_at or client.created_at or now
    client.next_checkin_at = base + timedelta(days=effective_cadence(client, manager))


def clean_tags(raw: str) -> list[str]:
    """ "#vip, опт #Москва" → ["vip", "опт", "москва"]: lower-case words without the #."""
    parts = raw.replace(",", " ").replace(";", " ").split()
    tags = [p.lstrip("#").strip().casefold()[:64] for p in parts]
    return list(dict.fromkeys(t for t in tags if t))[:MAX_TAGS]


def set_tags(client: Client, tags: list[str]) -> None:
    keep = {t.tag: t for t in client.tags}
    client.tags = [keep.get(tag) or ClientTag(tag=tag) for tag in tags]


async def get(session: AsyncSession, manager: Manager, client_id: int) -> Client:
    client = await store.owned(session, manager.id, client_id)
    if client is None:
        log.warning(
            "manager %s asked for client %s which is not theirs or gone", manager.id, client_id
        )
        raise ClientNotFound(client_id)
    return client


# --- lookup ---------------------------------------------------------------------------------
class ClientIndex:
    """The manager's clients and people, indexed once, searched many times (one message may
    try several ways of splitting off the client's name)."""

    def __init__(
        self, clients: list[tuple[int, str, bool]], people: list[tuple[int, str, int]]
    ) -> None:
        self._archived = {cid for cid, _, is_archived in clients if is_archived}
        self._names = {cid: name for cid, name, _ in clients}
        self._client_of = {pid: cid for pid, _, cid in people}
        self._clients = name_service.build_index((cid, name) for cid, name, _ in clients)
        self._people = name_service.build_index((pid, name) for pid, name, _ in people)

    def _ref(
        self, client_id: int, person: str | None = None, person_id: int | None = None
    ) -> ClientRef:
        return ClientRef(
            client_id, self._names[client_id], client_id in self._archived, person, person_id
        )

    def find(self, query: str) -> Lookup:
        query = query.strip()[:200]
        if not name_service.normalize_name(query):
            return Lookup("none", [])
        by_client = self._clients.search(query, 5)
        kind: LookupKind = name_service.classify(by_client)
        refs = [self._ref(m.id) for m in by_client]
        # «Ромашка-Юг» scores 87 against «Ромашка», yet it names a branch, not a typo: when the
        # best hit lacks a word of the query, nothing is found (the caller offers to create
        # the typed name), and the near names stay as buttons.
        suffixed = (
            kind != "exact"
            and bool(by_client)
            and bool(name_service.unmatched_words(query, by_client[0].name))
        )
        if kind in ("exact", "confident") and not suffixed:
            return Lookup(kind, refs[:1] if kind == "exact" else refs)
        by_person = self._people.search(query, 5)
        person_kind = name_service.classify(by_person)
        person_refs = [self._ref(self._client_of[m.id], m.name, m.id) for m in by_person]
        if person_kind in ("exact", "confident") and (kind == "none" or suffixed):
            return Lookup(person_kind, person_refs[:1])
        if suffixed:
            similar = [
                r
                for m, r in zip(by_client, refs, strict=True)
                if m.score >= name_service.NONE_BELOW
            ]
            return Lookup("none", similar[:3])
        merged: dict[int, ClientRef] = {}
        scored = sorted(
            [(m.score, r) for m, r in zip(by_client, refs, strict=True)]
            + [(m.score, r) for m, r in zip(by_person, person_refs, strict=True)],
            key=lambda pair: -pair[0],
        )
        for score, ref in scored:
            if score >= name_service.NONE_BELOW and ref.id not in merged:
                merged[ref.id] = ref
        if not merged:
            return Lookup("none", [])
        return Lookup("ambiguous", list(merged.values())[:5])


async def load_index(session: AsyncSession, manager: Manager) -> ClientIndex:
    return ClientIndex(
        await store.names(session, manager.id), await store.contact_names(session, manager.id)
    )


async def lookup(session: AsyncSession, manager: Manager, query: str) -> Lookup:
    query = query.strip()[:200]
    if not name_service.normalize_name(query):
        return Lookup("none", [])
    # The common case, a name typed right, is one indexed query, not a scan of the base.
    exact = await store.by_norm(session, manager.id, name_service.normalize_name(query))
    if len(exact) == 1:
        c = exact[0]
        return Lookup("exact", [ClientRef(c.id, c.name, c.archived_at is not None)])
    return (await load_index(session, manager)).find(query)


# --- create / edit --------------------------------------------------------------------------
async def create(
    session: AsyncSession,
    manager: Manager,
    raw_name: str,
    now: datetime,
    *,
    allow_duplicate: bool = False,
) -> Client:
    try:
        name = name_service.validate_display_name(raw_name)
    except name_service.NameProblem as exc:
        raise ClientProblem(exc.key) from exc
    norm = name_service.normalize_name(name)
    if not allow_duplicate:
        existing = await store.by_norm(session, manager.id, norm)
        if existing:
            c = existing[0]
            raise DuplicateClient(ClientRef(c.id, c.name, c.archived_at is not None))
    client = Client(
        owner_id=manager.id,
        team_id=manager.team_id,
        name=name,
        name_norm=norm,
        # Set here, not left to column defaults: refresh_checkin reads them before the flush.
        segment=Segment.B2B,
        tier=Tier.REGULAR,
        status=ClientStatus.ACTIVE,
        created_at=now,
        updated_at=now,
        tags=[],
    )
    refresh_checkin(client, manager, now)
    session.add(client)
    await session.commit()
    return client


async def set_choice(
    session: AsyncSession,
    manager: Manager,
    client_id: int,
    field_name: str,
    value: str,
    now: datetime,
) -> Client:
    """A field chosen by button: segment, tier, status, cadence, channel."""
    client = await get(session, manager, client_id)
    try:
        if field_name == "segment":
            client.segment = Segment(value)
        elif field_name == "tier":
            client.tier = Tier(value)
        elif field_name == "status":
            client.status = ClientStatus(value)
        elif field_name == "channel":
            client.preferred_channel = Channel(value) if value != "none" else None
        elif field_name == "cadence":
            days = int(value)
            if days != 0 and days not in CADENCE_CHOICES:
                raise ValueError(value)
            client.cadence_days = days or None
        else:
            raise ValueError(field_name)
    except ValueError as exc:
        log.warning("manager %s sent an invalid %s=%r", manager.id, field_name, value)
        raise ClientProblem("client-invalid-value") from exc
    client.updated_at = now
    refresh_checkin(client, manager, now)
    await session.commit()
    return client


async def set_text(
    session: AsyncSession,
    manager: Manager,
    client_id: int,
    field_name: str,
    raw: str,
    now: datetime,
) -> Client:
    """A field typed by the manager: name, tags, tax id, phone. "-" clears an optional one."""
    client = await get(session, manager, client_id)
    raw = raw.strip()
    clearing = raw in {"-", "—", "–"}
    if field_name == "name":
        try:
            client.name = name_service.validate_display_name(raw)
        except name_service.NameProblem as exc:
            raise ClientProblem(exc.key) from exc
        client.name_norm = name_service.normalize_name(client.name)
    elif field_name == "tags":
        set_tags(client, [] if clearing else clean_tags(raw))
    elif field_name == "tax_id":
        if clearing:
            client.tax_id = None
        else:
            tax_id = normalize_tax_id(raw)
            if tax_id is None or not is_valid_inn(tax_id):
                raise ClientProblem("client-tax-id-invalid")
            client.tax_id = tax_id
    elif field_name == "phone":
        if clearing:
            client.phone = client.phone_norm = None
        else:
            phone = normalize_phone(raw)
            if phone is None:
                raise ClientProblem("client-phone-invalid")
            client.phone, client.phone_norm = raw[:32], phone
    else:
        raise ClientProblem("client-invalid-value")
    client.updated_at = now
    await session.commit()
    return client


async def archive(session: AsyncSession, manager: Manager, client_id: int, now: datetime) -> Client:
    client = await get(session, manager, client_id)
    client.archived_at = client.archived_at or now
    refresh_checkin(client, manager, now)
    await session.commit()
    return client


async def restore(session: AsyncSession, manager: Manager, client_id: int, now: datetime) -> Client:
    client = await get(session, manager, client_id)
    client.archived_at = None
    refresh_checkin(client, manager, now)
    await session.commit()
    return client


async def delete(session: AsyncSession, manager: Manager, client_id: int) -> str:
    """Deletes the client with its contacts, touches, notes and sales. Returns the name."""
    client = await get(session, manager, client_id)
    name = client.name
    await session.delete(client)
    await session.commit()
    return name


# --- reading --------------------------------------------------------------------------------
def _contact_view(contact: Contact, today: date) -> ContactView:
    birthday = None
    days = turns = None
    if contact.birth_day and contact.birth_month:
        birthday = Birthday(contact.birth_day, contact.birth_month, contact.birth_year)
        days = days_until(birthday, today)
        if contact.birth_year:
            turns = next_birthday(birthday, today).year - contact.birth_year
    return ContactView(
        contact.id, contact.name, contact.role, contact.phone, contact.email, birthday, days, turns
    )


def _month_bounds(manager: Manager, now: datetime) -> tuple[datetime, datetime]:
    zone = ZoneInfo(manager.timezone)
    local = now.astimezone(zone)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


async def card(
    session: AsyncSession, manager: Manager, client_id: int, now: datetime
) -> ClientCard:
    client = await get(session, manager, client_id)
    today = local_today(manager, now)
    contacts = sorted(
        (_contact_view(c, today) for c in client.contacts),
        key=lambda v: (v.days_to_birthday is None, v.days_to_birthday or 0, v.name),
    )
    notes = await store.recent_notes(session, client.id, manager.id)
    start, end = _month_bounds(manager, now)
    sales = await store.sales_total(session, client.id, start, end)
    checkin_in = None
    if client.next_checkin_at is not None:
        checkin_in = (
            client.next_checkin_at.astimezone(ZoneInfo(manager.timezone)).date() - today
        ).days
    since = None
    if client.last_touch_at is not None:
        since = (today - client.last_touch_at.astimezone(ZoneInfo(manager.timezone)).date()).days
    return ClientCard(
        id=client.id,
        name=client.name,
        segment=client.segment,
        tier=client.tier,
        status=client.status,
        cadence_days=effective_cadence(client, manager),
        cadence_is_default=client.cadence_days is None,
        channel=client.preferred_channel,
        tags=sorted(t.tag for t in client.tags),
        tax_id=client.tax_id,
        phone=client.phone,
        archived=client.archived_at is not None,
        contacts=contacts,
        last_touch_at=client.last_touch_at,
        days_since_touch=since,
        next_checkin_at=client.next_checkin_at,
        checkin_in_days=checkin_in,
        notes=[NoteView(n.text, n.created_at, n.is_private) for n in notes],
        promises=[
            PromiseView(p.id, p.next_step or "", p.next_step_due_at, p.next_step_has_time)
            for p in await touch_store.open_promises(session, client.id)
        ],
        sales_this_month_minor=sales,
        currency=manager.currency,
        owner_name=manager.full_name,
    )


async def list_page(
    session: AsyncSession, manager: Manager, flt: store.ListFilter, page: int, now: datetime
) -> ClientPage:
    counts = await store.counts(session, manager.id, now)
    page = max(page, 0)
    items, total = await store.page(session, manager.id, flt, now, page * PAGE_SIZE, PAGE_SIZE)
    if not items and page > 0:  # the list shrank since the button was drawn
        page = 0
        items, total = await store.page(session, manager.id, flt, now, 0, PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    return ClientPage(
        items=[
            ListItem(
                c.id,
                c.name,
                c.tier,
                c.next_checkin_at is not None and c.next_checkin_at <= now,
                c.archived_at is not None,
            )
            for c in items
        ],
        total=total,
        page=page,
        pages=pages,
        counts=counts,
        tags=await store.top_tags(session, manager.id),
    )


async def for_quick_pick(
    session: AsyncSession, manager: Manager, now: datetime, limit: int
) -> list[Client]:
    """The clients /log offers as buttons: overdue first, then the most recently touched."""
    return await store.for_quick_pick(session, manager.id, now, limit)
