"""What the Mini App shows of clients: the base, a search, a client page. Composed from the
services the chat uses (the same lookup, card, timeline and access rule), nothing recomputed.

A client the asker neither owns nor heads the team of raises ClientNotFound, as in the chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from bot.services.crm import timeline
from bot.services.crm.clients import ClientCard, ClientNotFound, ClientRef, Lookup
from bot.services.crm.timeline import TimelinePage
from bot.services.teams import readonly
from storage import clients as client_store
from storage import sales as sale_store
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
class ClientPageView:
    card: ClientCard
    read_only: bool  # a team client the head reads: no edits offered
    timeline: TimelinePage
    sales: list[SaleView]


async def search(session: AsyncSession, manager: Manager, query: str) -> Lookup:
    """/client's lookup: typos forgiven, ru and Latin, people's names too."""
    return await client_service.lookup(session, manager, query)


async def base(session: AsyncSession, manager: Manager) -> list[ClientRef]:
    """The manager's whole base, archived ones flagged, by name."""
    rows = await client_store.names(session, manager.id)
    return sorted(
        (ClientRef(cid, name, archived) for cid, name, archived in rows),
        key=lambda ref: ref.name.casefold(),
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
    )
