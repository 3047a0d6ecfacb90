"""What the Mini App shows of clients: the base (filtered, searched, sorted), a client page.
Composed from the services the chat uses (the same lookup, card, timeline and access rule),
nothing recomputed.

A client the asker neither owns nor heads the team of raises ClientNotFound, as in the chat.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from bot.services.crm import timeline
from bot.services.crm.clients import ClientCard, ClientIndex, ClientNotFound, PromiseView
from bot.services.crm.timeline import TimelinePage
from bot.services.teams import readonly
from bot.webapp import client_filters
from bot.webapp.client_filters import ListQuery
from storage import clients as client_store
from storage import sales as sale_store
from storage.clients import BaseRow
from storage.enums import ClientStatus, Segment, Tier
from storage.models import Manager

SALES_SHOWN = 50


@dataclass(frozen=True, slots=True)
class SaleView:
    id: int
    amount_minor: int
    currency: str
    product_line: str | None
    sold_at: datetime


@dataclass(frozen=True, slots=True)
class PromiseDue:
    """An open promise as the chat words its due moment: the asker's local day, and the time
    only when one was agreed (a date-only step is stored at its day's midnight, which a phone
    in another zone would show as the day before)."""

    touch_id: int
    text: str
    on: date | None
    at: str | None  # "HH:MM"


@dataclass(frozen=True, slots=True)
class ClientPageView:
    card: ClientCard
    read_only: bool  # a team client the head reads: no edits offered
    timeline: TimelinePage
    sales: list[SaleView]
    promises: list[PromiseDue]  # the card's open promises, the soonest due first


def _promise(p: PromiseView, zone: ZoneInfo) -> PromiseDue:
    local = p.due_at.astimezone(zone) if p.due_at is not None else None
    return PromiseDue(
        p.touch_id,
        p.text,
        local.date() if local is not None else None,
        local.strftime("%H:%M") if local is not None and p.has_time else None,
    )


@dataclass(frozen=True, slots=True)
class ListedClient:
    id: int
    name: str
    archived: bool
    via_contact: str | None  # found by a person's name: whose
    overdue: bool
    overdue_since: datetime | None
    key: bool
    status: ClientStatus
    segment: Segment
    sales_minor: int  # all-time, see client_filters


@dataclass(frozen=True, slots=True)
class Facets:
    """The filter values worth offering: only what the manager's own base holds."""

    tags: list[str]  # the most used first
    segments: list[Segment]
    statuses: list[str]
    key: bool


@dataclass(frozen=True, slots=True)
class Listing:
    kind: str  # "all" without a query, else /client's lookup kind
    clients: list[ListedClient]
    currency: str
    facets: Facets


def _facets(rows: list[BaseRow], pairs: list[tuple[int, str]]) -> Facets:
    uses = Counter(tag for _, tag in pairs)
    present = {r.status.value for r in rows if not r.archived}
    if any(r.archived for r in rows):
        present.add("archived")
    return Facets(
        tags=sorted(uses, key=lambda tag: (-uses[tag], tag)),
        segments=[s for s in Segment if any(r.segment == s for r in rows)],
        statuses=[s for s in client_filters.STATUSES if s in present],
        key=any(r.tier == Tier.KEY for r in rows),
    )


async def listing(
    session: AsyncSession, manager: Manager, wanted: ListQuery, now: datetime
) -> Listing:
    """The manager's base filtered, searched with /client's typo-forgiving lookup (over the
    filtered clients only, so a filter never hides a match behind five better ones outside it)
    and sorted. Two statements, three with a search, whatever the base's size."""
    rows = await client_store.base_rows(session, manager.id)
    pairs = await client_store.base_tags(session, manager.id)
    tags: dict[int, set[str]] = defaultdict(set)
    for client_id, tag in pairs:
        tags[client_id].add(tag)
    kept = [r for r in rows if client_filters.keep(r, wanted, tags, now)]
    via: dict[int, str | None] = {}
    kind = "all"
    if wanted.text:
        ids = {r.id for r in kept}
        people = [p for p in await client_store.contact_names(session, manager.id) if p[2] in ids]
        index = ClientIndex([(r.id, r.name, r.archived) for r in kept], people)
        found = index.find(wanted.text)
        kind, via = found.kind, {m.id: m.via_contact for m in found.matches}
        by_id = {r.id: r for r in kept}
        kept = [by_id[cid] for cid in via]  # relevance order, unless a sort is asked
    if wanted.sort is not None or not wanted.text:
        kept = client_filters.ordered(kept, wanted.sort or "name", now)
    return Listing(
        kind=kind,
        clients=[_listed(r, via.get(r.id), now) for r in kept],
        currency=manager.currency,
        facets=_facets(rows, pairs),
    )


def _listed(row: BaseRow, via_contact: str | None, now: datetime) -> ListedClient:
    since = client_filters.overdue_since(row, now)
    return ListedClient(
        id=row.id,
        name=row.name,
        archived=row.archived,
        via_contact=via_contact,
        overdue=since is not None,
        overdue_since=since,
        key=row.tier == Tier.KEY,
        status=row.status,
        segment=row.segment,
        sales_minor=row.sales_minor,
    )


async def page(
    session: AsyncSession, manager: Manager, client_id: int, timeline_page: int, now: datetime
) -> ClientPageView:
    try:
        card = await client_service.card(session, manager, client_id, now)
        history = await timeline.page(session, manager, client_id, timeline_page)
        read_only = False
    except ClientNotFound:
        # Not theirs: a head reads the team's clients, as under /team; anyone else "not found".
        card, _ = await readonly.card(session, manager, client_id, now)
        history = await readonly.history(session, manager, client_id, timeline_page)
        read_only = True
    sales = await sale_store.of_readable_client(session, manager.id, client_id, SALES_SHOWN)
    return ClientPageView(
        card=card,
        read_only=read_only,
        timeline=history,
        sales=[
            SaleView(s.id, s.amount_minor, s.currency, s.product_line, s.sold_at) for s in sales
        ],
        promises=[_promise(p, ZoneInfo(manager.timezone)) for p in card.promises],
    )
