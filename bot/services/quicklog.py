"""One message → one touch: find the client in the text, parse the rest, save.

"ромашка обсудили поставку, КП в пятницу" has no separator between the client and the text, so
each plausible split is tried against the manager's base, and the best match wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import clients as client_service
from bot.services.clients import ClientRef, Lookup
from bot.services.names import normalize_name
from bot.services.touch_parse import TouchDraft, client_candidates, parse_touch
from bot.services.touches import NewTouch
from storage import touches as touch_store
from storage.enums import Channel
from storage.models import Client, Manager


@dataclass(frozen=True, slots=True)
class Found:
    client: ClientRef | None  # None: ask (ambiguous) or offer to create (none)
    lookup: Lookup
    query: str  # the words taken as the client's name
    rest: str  # the text of the touch
    # The client's row when found by exact name: holding it keeps it in the session's (weak)
    # identity map, so saving the touch takes it from there instead of querying again.
    row: Client | None = None


async def find_client(session: AsyncSession, manager: Manager, text: str) -> Found:
    candidates = client_candidates(text)
    if not candidates:
        return Found(None, Lookup("none", []), "", text)
    # Most messages name the client right: one indexed query settles them without loading
    # the whole base for fuzzy matching.
    norms = [normalize_name(c.query) for c in candidates]
    exact: dict[str, list[Client]] = {}
    for row in await touch_store.clients_named(session, manager.id, norms):
        exact.setdefault(row.name_norm, []).append(row)
    for candidate, norm in zip(candidates, norms, strict=True):
        if len(exact.get(norm, [])) == 1:
            row = exact[norm][0]
            ref = ClientRef(row.id, row.name, row.archived_at is not None)
            return Found(ref, Lookup("exact", [ref]), candidate.query, candidate.rest, row)
    index = await client_service.load_index(session, manager)
    first: Found | None = None
    confident: Found | None = None
    for candidate in candidates:
        result = index.find(candidate.query)
        found = Found(result.best, result, candidate.query, candidate.rest)
        if result.kind == "exact":
            return found
        if result.kind == "confident" and confident is None:
            confident = found
        if first is None:
            first = found
    if confident is not None:
        return confident
    assert first is not None
    return Found(None, first.lookup, first.query, first.rest)


def to_new_touch(draft: TouchDraft, default_kind: Channel) -> NewTouch:
    due = draft.next_step_due
    return NewTouch(
        kind=draft.kind or default_kind,
        summary=draft.summary,
        outcome=draft.outcome,
        occurred_at=draft.occurred_at,
        next_step=draft.next_step,
        next_step_due=due.at if due is not None else None,
        next_step_has_time=due.has_time if due is not None else False,
    )


def parse(rest: str, manager: Manager, now: datetime) -> TouchDraft:
    return parse_touch(rest, now, manager.timezone)
