"""Handing clients from one member of a team to another, with their whole shared history.

One transaction: the clients change owner only if the old owner still owns them (so two heads
acting at once move each client once), then everything on them is re-addressed to the new
owner (touches, shared notes, sales, requests, reviews, pending reminders, per-client plans);
the old owner's private notes stay theirs and never travel. The audit record names who, when,
from whom, to whom and which clients.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.teams.people import display_name
from storage import teams as store
from storage.models import Manager, TeamEvent

MAX_NAMES_KEPT = 200  # client names copied into the audit record


@dataclass(frozen=True, slots=True)
class Moved:
    clients: list[tuple[int, str]]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def client_count(self) -> int:
        return len(self.clients)


async def move(
    session: AsyncSession,
    team_id: int,
    actor: Manager,
    source: Manager,
    target: Manager,
    client_ids: Sequence[int] | None,
    now: datetime,
) -> Moved:
    """Moves the team's clients of ``source`` to ``target`` (all, or ``client_ids``).

    Does not commit: the caller's action (a handover, a member leaving) commits it whole.
    Clients that are not the team's, or no longer ``source``'s, are skipped.
    """
    wanted = await store.team_clients_of(session, team_id, source.id, client_ids)
    names = dict(wanted)
    moved_ids = await store.take_clients(session, team_id, source.id, target.id, list(names))
    if not moved_ids:
        return Moved([], {})
    counts = await store.readdress(session, source.id, target.id, moved_ids)
    moved = [(cid, names[cid]) for cid in sorted(moved_ids, key=lambda i: names[i].lower())]
    session.add(
        TeamEvent(
            team_id=team_id,
            kind="handover",
            actor_id=actor.id,
            from_manager_id=source.id,
            to_manager_id=target.id,
            payload={
                "names": {
                    "actor": display_name(actor),
                    "from": display_name(source),
                    "to": display_name(target),
                },
                "clients": [[cid, name] for cid, name in moved[:MAX_NAMES_KEPT]],
                "client_count": len(moved),
                "counts": counts,
            },
            created_at=now,
        )
    )
    return Moved(moved, counts)
