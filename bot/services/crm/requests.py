"""B2C client requests: open one, stamp the first response and the resolution, undo a step.

The SLA is decided here, in one place (see ``SLA``): a demanding B2C lead expects a first
response within an hour and a resolution within a day. The clock is plain wall-clock time: a
B2C client waits through nights and weekends too, and a request left over the weekend is exactly
what the lead wants to see as overdue. Working-hours SLA would need per-team schedules first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm.clients import ClientNotFound, ClientProblem
from bot.services.crm.touches import UNDO_WINDOW
from bot.services.errors import NotFound
from bot.services.parsing.dates import find_all_when, fold
from storage import clients as client_store
from storage import requests as store
from storage.models import ClientRequest, Manager

log = logging.getLogger(__name__)
MAX_TEXT = 4000
# A date-only backdate ("вчера") gets this local time: the middle of the working day, like
# backdated touches, so that the SLA clock neither starts at midnight nor in the future.
DATE_ONLY_TIME = time(12, 0)
DATE_ONLY_BACKDATES = frozenset({"вчера", "позавчера", "yesterday", "the day before yesterday"})
_EDGE = " \t\r\n,.;:—–-"


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    first_response: timedelta
    resolution: timedelta


SLA = SlaPolicy(first_response=timedelta(hours=1), resolution=timedelta(hours=24))


class RequestNotFound(NotFound):
    """Missing, or someone else's: deliberately indistinguishable."""

    key = "request-not-found"


class TooLateToDelete(ValueError):
    """An old request stays: deleting it would also delete an SLA breach from the KPI."""


@dataclass(frozen=True, slots=True)
class RequestView:
    id: int
    client_id: int
    client_name: str
    text: str
    opened_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    created_at: datetime  # when it was entered: the request itself can be undone for a while

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


@dataclass(frozen=True, slots=True)
class Stamped:
    request: RequestView
    changed: bool  # False: it was already stamped, the first stamp stays


@dataclass(frozen=True, slots=True)
class OpenList:
    items: list[RequestView]
    total: int
    page: int
    pages: int


def breach(request: RequestView, now: datetime, sla: SlaPolicy = SLA) -> str | None:
    """Which SLA an open request has broken as of ``now``: "response", "resolution" or None."""
    if request.resolved_at is not None:
        return None
    if request.first_response_at is None and now - request.opened_at > sla.first_response:
        return "response"
    if now - request.opened_at > sla.resolution:
        return "resolution"
    return None


@dataclass(frozen=True, slots=True)
class RequestText:
    text: str
    opened_at: datetime | None  # None: now


def split_opened_at(text: str, now: datetime, tz: str, *, month_first: bool = False) -> RequestText:
    """ "вчера в 14:30 не пришла доставка" → opened yesterday 14:30 local, text without the date.

    Only a date at the very start counts: a date later in the text is what the client said
    ("доставка 12.03 не пришла"). A time must be in the past. Without a time only "вчера" and
    "позавчера" are read as a backdate (at local noon): "в пятницу обещали доставку" is more
    likely the client's words than the moment they wrote.
    """
    stripped = text.strip()
    # ``month_first``: a US user's "12/15" is 15 December (see ``date_order``).
    found = find_all_when(stripped, now, tz, future=False, month_first=month_first)
    if not found or found[0].start != 0:
        return RequestText(stripped, None)
    when = found[0]
    at = when.at
    if not when.has_time:
        if fold(when.text).strip() not in DATE_ONLY_BACKDATES:
            return RequestText(stripped, None)
        zone = ZoneInfo(tz)
        at = datetime.combine(at.astimezone(zone).date(), DATE_ONLY_TIME, tzinfo=zone)
    if at > now:
        return RequestText(stripped, None)
    return RequestText(stripped[when.end :].strip(_EDGE), at)


def _view(request: ClientRequest, client_name: str) -> RequestView:
    return RequestView(
        id=request.id,
        client_id=request.client_id,
        client_name=client_name,
        text=request.text,
        opened_at=request.opened_at,
        first_response_at=request.first_response_at,
        resolved_at=request.resolved_at,
        created_at=request.created_at,
    )


async def open_request(
    session: AsyncSession,
    manager: Manager,
    client_id: int,
    text: str,
    now: datetime,
    opened_at: datetime | None = None,
) -> RequestView:
    client = await client_store.owned_bare(session, manager.id, client_id)
    if client is None:
        raise ClientNotFound(client_id)
    text = text.strip()
    if not text:
        raise ClientProblem("request-need-text")
    request = ClientRequest(
        client_id=client.id,
        manager_id=manager.id,
        text=text[:MAX_TEXT],
        opened_at=min(opened_at or now, now),
        created_at=now,
    )
    session.add(request)
    await session.commit()
    return _view(request, client.name)


async def _owned(session: AsyncSession, manager: Manager, request_id: int) -> ClientRequest:
    request = await store.owned(session, manager.id, request_id)
    if request is None:
        log.warning(
            "manager %s asked for request %s which is not theirs or gone", manager.id, request_id
        )
        raise RequestNotFound(request_id)
    return request


async def _client_name(session: AsyncSession, client_id: int) -> str:
    return await client_store.name_of(session, client_id) or "—"


async def get(session: AsyncSession, manager: Manager, request_id: int) -> RequestView:
    request = await _owned(session, manager, request_id)
    return _view(request, await _client_name(session, request.client_id))


async def mark_responded(
    session: AsyncSession, manager: Manager, request_id: int, now: datetime
) -> Stamped:
    """Stamps the first response once; a second press leaves the first stamp where it is."""
    request = await _owned(session, manager, request_id)
    changed = request.first_response_at is None and request.resolved_at is None
    if changed:
        request.first_response_at = max(now, request.opened_at)
        await session.commit()
    return Stamped(_view(request, await _client_name(session, request.client_id)), changed)


async def mark_resolved(
    session: AsyncSession, manager: Manager, request_id: int, now: datetime
) -> Stamped:
    """Stamps the resolution once; solving it is also the first response if none was stamped."""
    request = await _owned(session, manager, request_id)
    changed = request.resolved_at is None
    if changed:
        stamp = max(now, request.opened_at)
        request.resolved_at = stamp
        if request.first_response_at is None:
            request.first_response_at = stamp
        await session.commit()
    return Stamped(_view(request, await _client_name(session, request.client_id)), changed)


async def undo_step(
    session: AsyncSession, manager: Manager, request_id: int, now: datetime
) -> RequestView | None:
    """Takes back the last step: the resolution, else the response, else the request itself.

    Returns the request as it is now, or None when the request itself was removed. A first
    response stamped by the Resolved button (same moment) goes together with the resolution.
    The request itself can be removed only within UNDO_WINDOW of entering it, like any entry.
    """
    request = await _owned(session, manager, request_id)
    name = await _client_name(session, request.client_id)
    if request.resolved_at is not None:
        if request.first_response_at == request.resolved_at:
            request.first_response_at = None
        request.resolved_at = None
    elif request.first_response_at is not None:
        request.first_response_at = None
    else:
        if now - request.created_at > UNDO_WINDOW:
            raise TooLateToDelete(request_id)
        await session.delete(request)
        await session.commit()
        return None
    await session.commit()
    return _view(request, name)


def undo_target(request: RequestView, now: datetime) -> str | None:
    """What the Undo button would take back now: "resolved", "responded", "request" or None."""
    if request.resolved_at is not None:
        return "resolved"
    if request.first_response_at is not None:
        return "responded"
    return "request" if now - request.created_at <= UNDO_WINDOW else None


async def list_open(session: AsyncSession, manager: Manager, page: int, page_size: int) -> OpenList:
    """Open requests, oldest first: the one that has waited longest is the most urgent."""
    total = await store.count_open(session, manager.id)
    pages = max(1, -(-total // page_size))
    page = min(max(page, 0), pages - 1)
    rows = await store.open_page(session, manager.id, page * page_size, page_size)
    items = [_view(request, name) for request, name in rows]
    return OpenList(items, total, page, pages)
