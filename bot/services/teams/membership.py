"""Creating a team, inviting by link, joining, leaving, removing, naming heads.

Every function takes the asking manager's row as loaded for this update, so role and team are
the ones of the moment of the tap: a removed member or a demoted head is refused here, whatever
old button they press.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.teams import handover
from bot.services.teams.errors import (
    InviteNotFound,
    MemberNotFound,
    NotAHead,
    NotInTeam,
    TeamProblem,
)
from bot.services.teams.people import display_name
from storage import teams as store
from storage.enums import TeamRole
from storage.models import Manager, Team, TeamEvent, TeamInvite

log = logging.getLogger(__name__)
INVITE_DAYS = 7
MAX_TEAM_NAME = 100
MAX_OPEN_INVITES = 20
JOIN_PREFIX = "join_"


@dataclass(frozen=True, slots=True)
class JoinOffer:
    """What joining by a link would do: shown before the manager agrees."""

    invite_id: int
    team_name: str
    head_name: str
    personal_clients: int


def in_team(manager: Manager) -> int:
    if manager.team_id is None:
        raise NotInTeam(manager.id)
    return manager.team_id


def head_of_team(manager: Manager) -> int:
    team_id = in_team(manager)
    if manager.role != TeamRole.HEAD:
        raise NotAHead(manager.id)
    return team_id


def record_event(
    session: AsyncSession,
    team_id: int,
    kind: str,
    actor: Manager,
    now: datetime,
    *,
    subject: Manager | None = None,
    to: Manager | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    names = {"actor": display_name(actor)}
    if subject is not None:
        names["from"] = display_name(subject)
    if to is not None:
        names["to"] = display_name(to)
    session.add(
        TeamEvent(
            team_id=team_id,
            kind=kind,
            actor_id=actor.id,
            from_manager_id=subject.id if subject else None,
            to_manager_id=to.id if to else None,
            payload={"names": names, **(payload or {})},
            created_at=now,
        )
    )


async def create(session: AsyncSession, manager: Manager, raw_name: str, now: datetime) -> Team:
    """The creator becomes the head; their own clients become the team's."""
    if manager.team_id is not None:
        raise TeamProblem("team-already-member")
    name = " ".join(raw_name.split())[:MAX_TEAM_NAME]
    if not name:
        raise TeamProblem("team-new-usage")
    team = Team(name=name, created_at=now)
    session.add(team)
    await session.flush()
    manager.team_id = team.id
    manager.role = TeamRole.HEAD
    brought = await store.bring_clients(session, manager.id, team.id)
    record_event(session, team.id, "create", manager, now, payload={"clients": brought})
    await session.commit()
    return team


async def invite(
    session: AsyncSession, manager: Manager, now: datetime, *, single_use: bool = True
) -> TeamInvite:
    team_id = head_of_team(manager)
    if len(await store.open_invites(session, team_id, now)) >= MAX_OPEN_INVITES:
        raise TeamProblem("team-invite-too-many", limit=MAX_OPEN_INVITES)
    invite = TeamInvite(
        team_id=team_id,
        token=secrets.token_urlsafe(16),
        created_by_id=manager.id,
        single_use=single_use,
        expires_at=now + timedelta(days=INVITE_DAYS),
        used_count=0,
        created_at=now,
    )
    session.add(invite)
    await session.commit()
    return invite


async def open_invites(session: AsyncSession, manager: Manager, now: datetime) -> list[TeamInvite]:
    return await store.open_invites(session, head_of_team(manager), now)


async def revoke(session: AsyncSession, manager: Manager, invite_id: int, now: datetime) -> None:
    team_id = head_of_team(manager)
    invite = await store.invite_of_team(session, team_id, invite_id)
    if invite is None:
        raise InviteNotFound(invite_id)
    if invite.revoked_at is None:
        invite.revoked_at = now
        await session.commit()


async def _usable_invite(session: AsyncSession, token: str, now: datetime) -> TeamInvite:
    invite = await store.invite_by_token(session, token)
    if invite is None:
        raise TeamProblem("team-join-unknown")
    if invite.revoked_at is not None:
        raise TeamProblem("team-join-revoked")
    if invite.expires_at <= now:
        raise TeamProblem("team-join-expired")
    if invite.single_use and invite.used_count > 0:
        raise TeamProblem("team-join-used")
    return invite


async def offer(session: AsyncSession, manager: Manager, token: str, now: datetime) -> JoinOffer:
    """Checks a join link for this manager without using it."""
    invite = await _usable_invite(session, token, now)
    if manager.team_id == invite.team_id:
        raise TeamProblem("team-join-already-here")
    if manager.team_id is not None:
        current = await store.team(session, manager.team_id)
        raise TeamProblem("team-join-other-team", team=current.name if current else "")
    team = await store.team(session, invite.team_id)
    assert team is not None  # the invite's team: deleting a team deletes its invites
    heads = [m for m in await store.members(session, team.id) if m.role == TeamRole.HEAD]
    return JoinOffer(
        invite_id=invite.id,
        team_name=team.name,
        head_name=display_name(heads[0]) if heads else "",
        personal_clients=await store.personal_client_count(session, manager.id),
    )


async def join(
    session: AsyncSession, manager: Manager, token: str, bring: bool, now: datetime
) -> tuple[Team, int]:
    """Joins by the link; returns the team and how many clients the team now owns of theirs."""
    joining = await offer(session, manager, token, now)
    if not await store.use_invite(session, joining.invite_id, now):
        raise TeamProblem("team-join-used")  # someone took the single-use link a moment ago
    invite = await store.invite_by_token(session, token)
    assert invite is not None
    manager.team_id = invite.team_id
    manager.role = TeamRole.MANAGER
    brought = await store.bring_clients(session, manager.id, invite.team_id) if bring else 0
    record_event(session, invite.team_id, "join", manager, now, payload={"clients": brought})
    await session.commit()
    team = await store.team(session, invite.team_id)
    assert team is not None
    return team, brought


async def leave(session: AsyncSession, manager: Manager, now: datetime) -> handover.Moved | None:
    """The team's clients stay with the team, given to a head; the last member dissolves it.

    Returns what was handed to the head, or None when the team was dissolved.
    """
    team_id = in_team(manager)
    others = [m for m in await store.members(session, team_id) if m.id != manager.id]
    if not others:
        await store.release_clients(session, team_id)
        team = await store.team(session, team_id)
        _leave_row(manager)
        if team is not None:
            await session.delete(team)
        await session.commit()
        return None
    heads = [m for m in others if m.role == TeamRole.HEAD]
    if manager.role == TeamRole.HEAD and not heads:
        raise TeamProblem("team-leave-only-head")
    heir = heads[0] if heads else None
    assert heir is not None  # a team with members always has a head (see set_role)
    moved = await handover.move(session, team_id, manager, manager, heir, None, now)
    _leave_row(manager)
    record_event(session, team_id, "leave", manager, now, subject=manager, to=heir)
    await session.commit()
    return moved


async def remove(
    session: AsyncSession, head: Manager, member_id: int, now: datetime
) -> tuple[Manager, handover.Moved]:
    team_id = head_of_team(head)
    member = await store.member(session, team_id, member_id)
    if member is None:
        raise MemberNotFound(member_id)
    if member.id == head.id:
        raise TeamProblem("team-remove-self")
    moved = await handover.move(session, team_id, head, member, head, None, now)
    _leave_row(member)
    record_event(session, team_id, "remove", head, now, subject=member, to=head)
    await session.commit()
    return member, moved


def _leave_row(manager: Manager) -> None:
    manager.team_id = None
    manager.role = TeamRole.MANAGER


async def set_role(
    session: AsyncSession, head: Manager, member_id: int, role: TeamRole, now: datetime
) -> Manager:
    """Names a second head, or makes a head a manager again; a team keeps at least one head."""
    team_id = head_of_team(head)
    member = await store.member(session, team_id, member_id)
    if member is None:
        raise MemberNotFound(member_id)
    if member.role == role:
        return member
    if role == TeamRole.MANAGER and await store.head_count(session, team_id) <= 1:
        raise TeamProblem("team-last-head")
    member.role = role
    record_event(session, team_id, f"role-{role.value}", head, now, subject=member)
    await session.commit()
    return member


async def set_rankings(session: AsyncSession, head: Manager, visible: bool) -> Team:
    team = await store.team(session, head_of_team(head))
    assert team is not None
    team.rankings_visible = visible
    await session.commit()
    return team


async def member_of_my_team(session: AsyncSession, head: Manager, member_id: int) -> Manager:
    member = await store.member(session, head_of_team(head), member_id)
    if member is None:
        raise MemberNotFound(member_id)
    return member


async def members(session: AsyncSession, manager: Manager) -> tuple[Team, list[Manager]]:
    team_id = in_team(manager)
    team = await store.team(session, team_id)
    assert team is not None
    return team, await store.members(session, team_id)


async def client_counts(session: AsyncSession, manager: Manager) -> dict[int, int]:
    return await store.client_counts(session, in_team(manager))
