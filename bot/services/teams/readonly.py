"""What a head reads of the team's clients: a member's clients and overdue list, a client's card
and history — read-only (issue 10). Every call re-checks that the asker heads the team of the
member or client; a forged id is "not found". Private notes stay their author's alone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from bot.services.crm.clients import ClientCard, ClientNotFound, NoteView
from bot.services.crm.timeline import PAGE, Entry, TimelinePage
from bot.services.teams.membership import member_of_my_team
from bot.services.teams.people import display_name
from storage import kpi_team as store
from storage import managers as manager_store
from storage.models import Client, Manager

LIST_PAGE = 8
CARD_NOTES = 3


@dataclass(frozen=True, slots=True)
class MemberClientList:
    member_id: int
    member_name: str
    overdue_only: bool
    items: list[tuple[int, str]]
    total: int
    page: int
    pages: int


async def member_list(
    session: AsyncSession,
    head: Manager,
    member_id: int,
    overdue_only: bool,
    page: int,
    now: datetime,
) -> MemberClientList:
    member = await member_of_my_team(session, head, member_id)
    page = max(page, 0)
    items, total = await _page(session, head, member.id, overdue_only, page, now)
    if not items and page > 0:  # the list shrank since the button was drawn
        page = 0
        items, total = await _page(session, head, member.id, overdue_only, 0, now)
    pages = max(1, -(-total // LIST_PAGE))
    return MemberClientList(
        member.id, display_name(member), overdue_only, items, total, page, pages
    )


async def _page(
    session: AsyncSession,
    head: Manager,
    owner_id: int,
    overdue_only: bool,
    page: int,
    now: datetime,
) -> tuple[list[tuple[int, str]], int]:
    offset = page * LIST_PAGE
    if overdue_only:
        return await store.member_overdue(session, head.id, owner_id, now, offset, LIST_PAGE)
    return await store.member_clients(session, head.id, owner_id, offset, LIST_PAGE)


async def _readable(session: AsyncSession, head: Manager, client_id: int) -> Client:
    client = await store.readable_client(session, head.id, client_id)
    if client is None:
        raise ClientNotFound(client_id)
    return client


async def card(
    session: AsyncSession, head: Manager, client_id: int, now: datetime
) -> tuple[ClientCard, int]:
    """The client card as its owner sees it (their clock and cadence), minus anyone's private
    notes but the asker's own; and the owner's id."""
    client = await _readable(session, head, client_id)
    owner = await manager_store.by_id(session, client.owner_id)
    assert owner is not None  # a client's owner row: deleting a manager deletes their clients
    shown = await client_service.card(session, owner, client.id, now)
    notes = await store.shared_notes(session, head.id, client.id, CARD_NOTES)
    shared = [NoteView(n.text, n.created_at, n.is_private) for n in notes]
    return replace(shown, notes=shared), owner.id


async def history(
    session: AsyncSession, head: Manager, client_id: int, number: int
) -> TimelinePage:
    """bot/services/crm/timeline.page for a reader: touches and the shared notes."""
    client = await _readable(session, head, client_id)
    number = max(number, 0)
    wanted = (number + 1) * PAGE + 1  # one extra tells whether a next page exists
    touches = await store.readable_touches(session, head.id, client.id, wanted)
    notes = await store.shared_notes(session, head.id, client.id, wanted)
    entries = sorted(
        [Entry(t.occurred_at, t.kind, t.summary, t.outcome, False, t.next_step) for t in touches]
        + [Entry(n.created_at, None, n.text, None, n.is_private) for n in notes],
        key=lambda e: e.at,
        reverse=True,
    )
    window = entries[number * PAGE : (number + 1) * PAGE]
    return TimelinePage(client.id, client.name, window, number, len(entries) > (number + 1) * PAGE)
