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

from bot.services.errors import NotFound, Refused
from bot.services.teams.errors import NotAHead, NotInTeam
from bot.services.teams.people import display_name
from storage import teams as store
from storage.enums import TeamRole
from storage.models import Manager, TeamEvent

MAX_NAMES_KEPT = 200  # client names copied into the audit record
BATCH = 2000  # clients per statement: readdress binds the id list up to three times


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
    moved_ids: list[int] = []
    counts: dict[str, int] = {}
    # Batches keep each statement under the drivers' bound-parameter limits (an id list is
    # bound per id); the number of statements grows per batch, not per client.
    ids = list(names)
    for start in range(0, len(ids), BATCH):
        taken = await store.take_clients(
            session, team_id, source.id, target.id, ids[start : start + BATCH]
        )
        if taken:
            moved_ids.extend(taken)
            for kind, n in (await store.readdress(session, source.id, target.id, taken)).items():
                counts[kind] = counts.get(kind, 0) + n
    if not moved_ids:
        return Moved([], {})
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


# ---------------------------------------------------------------- /handover, step by step
#
# Each step takes the head's row as loaded for this update and the member ids the dialog
# carries, and re-checks them: a head demoted meanwhile, a member removed meanwhile, or a forged
# id gets "not found" before anything is read or written.


def _headed(head: Manager) -> int:
    """The head's team id. membership.head_of_team's rule, here because membership imports
    this module (leave and remove hand clients over)."""
    if head.team_id is None:
        raise NotInTeam(head.id)
    if head.role != TeamRole.HEAD:
        raise NotAHead(head.id)
    return head.team_id


class MemberGone(NotFound):
    """The member is not (or no longer) in the head's team: nothing was handed over."""

    key = "handover-member-gone"


class ClientGone(NotFound):
    key = "handover-client-gone"


class DialogOutdated(NotFound):
    """A button of an earlier /handover dialog (another source, or a finished dialog)."""

    key = "handover-outdated"


@dataclass(frozen=True, slots=True)
class Preview:
    """What the handover would move, counted without writing."""

    source: Manager
    target: Manager
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class Outcome:
    source: Manager
    target: Manager
    moved: Moved
    wanted: int  # clients the head chose: more than moved when another head was faster


async def member(session: AsyncSession, head: Manager, member_id: int) -> Manager:
    found = await store.member(session, _headed(head), member_id)
    if found is None or found.sandbox_of_id is not None:
        raise MemberGone(member_id)
    return found


async def members(session: AsyncSession, head: Manager) -> tuple[list[Manager], dict[int, int]]:
    """The head's team members with their team clients, to pick the source from."""
    team_id = _headed(head)
    return await store.members(session, team_id), await store.client_counts(session, team_id)


async def clients_of(session: AsyncSession, head: Manager, source_id: int) -> list[tuple[int, str]]:
    source = await member(session, head, source_id)
    return await store.team_clients_of(session, _headed(head), source.id, None)


async def tags_of(session: AsyncSession, head: Manager, source_id: int) -> list[tuple[str, int]]:
    source = await member(session, head, source_id)
    return await store.team_client_tags(session, _headed(head), source.id)


async def tagged(session: AsyncSession, head: Manager, source_id: int, tag: str) -> list[int]:
    source = await member(session, head, source_id)
    return await store.team_clients_tagged(session, _headed(head), source.id, [tag])


async def check_client(session: AsyncSession, head: Manager, source_id: int, client_id: int) -> int:
    """A client for the checklist: the team's, still the source's (a forged id is not found)."""
    source = await member(session, head, source_id)
    if not await store.team_clients_of(session, _headed(head), source.id, [client_id]):
        raise ClientGone(client_id)
    return client_id


async def pair(
    session: AsyncSession, head: Manager, source_id: int, target_id: int
) -> tuple[Manager, Manager]:
    if source_id == target_id:
        raise Refused("handover-same-member")
    return await member(session, head, source_id), await member(session, head, target_id)


def _chosen(client_ids: Sequence[int] | None) -> Sequence[int] | None:
    if client_ids is not None and not client_ids:
        raise Refused("handover-empty")
    return client_ids


async def preview(
    session: AsyncSession,
    head: Manager,
    source_id: int,
    target_id: int,
    client_ids: Sequence[int] | None,
) -> Preview:
    """``client_ids`` None: all of the source's team clients."""
    source, target = await pair(session, head, source_id, target_id)
    counts = await store.handover_counts(session, _headed(head), source.id, _chosen(client_ids))
    if counts["clients"] == 0:
        raise Refused("handover-nothing", name=display_name(source))
    return Preview(source, target, counts)


async def hand_over(
    session: AsyncSession,
    head: Manager,
    source_id: int,
    target_id: int,
    client_ids: Sequence[int] | None,
    now: datetime,
) -> Outcome:
    """Moves and commits, all or nothing. Clients another head moved a moment ago are skipped:
    ``Outcome.moved`` says what this head really moved."""
    source, target = await pair(session, head, source_id, target_id)
    chosen = _chosen(client_ids)
    wanted = len(chosen) if chosen is not None else 0
    moved = await move(session, _headed(head), head, source, target, chosen, now)
    await session.commit()
    return Outcome(source, target, moved, max(wanted, moved.client_count))


async def log_page(
    session: AsyncSession, head: Manager, page: int, size: int
) -> tuple[list[TeamEvent], bool]:
    """One page of the team's audit log, newest first, and whether an older page exists."""
    rows = await store.events(session, _headed(head), size + 1, page * size)
    return rows[:size], len(rows) > size
