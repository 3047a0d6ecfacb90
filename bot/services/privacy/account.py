"""Deleting one's account: the team keeps its clients, everything personal leaves the database.

The team's clients (Client.team_id) are handed to a head with their shared history
(bot/services/teams/handover.move); when the one leaving is the team's only head, another member
becomes head first; when they are its last member, the team goes with them. Then the manager row
is deleted and the database removes the rest by ON DELETE CASCADE: personal clients with their
contacts, touches, notes (private ones on any client included), sales, plans, requests, reviews,
reminders, undo entries, and the demo sandbox. The person's name leaves the teams' audit logs.
One transaction: nothing is half-done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.privacy import exports
from bot.services.privacy.errors import AccountGone, PrivacyRefused
from bot.services.teams import handover
from bot.services.teams.membership import record_event
from storage import privacy as store
from storage import teams as team_store
from storage.enums import TeamRole
from storage.models import Manager

CONFIRM_WORDS = frozenset({"удалить", "delete"})


@dataclass(frozen=True, slots=True)
class Deleted:
    heir: Manager | None  # the member who received the team's clients
    moved: int  # team clients handed on
    dissolved: bool  # the team went too: the one leaving was its last member
    promoted: bool  # the heir was made head: the one leaving was the only head


def is_confirm_word(text: str | None) -> bool:
    # None: a message without text (a location, a photo) reaches the filter too.
    return text is not None and text.strip().strip("«»\"'.!").casefold() in CONFIRM_WORDS


def check_can_delete(manager: Manager) -> None:
    """Refusals worth telling before the person types the word."""
    if manager.in_sandbox:
        raise PrivacyRefused("privacy-in-demo")
    if exports.is_building(manager.id):
        raise PrivacyRefused("privacy-export-running")


async def delete_account(
    session: AsyncSession, manager: Manager, confirmed_for: int, now: datetime
) -> Deleted:
    """``confirmed_for`` is the account the typed word was asked for: an old confirmation of an
    account deleted meanwhile (the same Telegram user is a new account now) deletes nothing."""
    if confirmed_for != manager.id:
        raise AccountGone(confirmed_for)
    check_can_delete(manager)
    outcome = Deleted(None, 0, False, False)
    if manager.team_id is not None:
        outcome = await _leave_team(session, manager, manager.team_id, now)
    await store.erase_names_in_events(session, manager.id)
    if not await store.delete_account(session, manager.id):
        await session.rollback()
        raise AccountGone(manager.id)
    # The row is gone: nothing later in this update may load it again.
    session.expunge(manager)
    await session.commit()
    return outcome


async def _leave_team(
    session: AsyncSession, manager: Manager, team_id: int, now: datetime
) -> Deleted:
    others = [m for m in await team_store.members(session, team_id) if m.id != manager.id]
    if not others:
        # The last member: the team's clients are theirs and go with the account.
        team = await team_store.team(session, team_id)
        if team is not None:
            await session.delete(team)
        return Deleted(None, 0, True, False)
    heads = [m for m in others if m.role == TeamRole.HEAD]
    heir = heads[0] if heads else others[0]
    promoted = not heads
    if promoted:
        # A team with members always has a head; the first member (heads first, then by name)
        # takes over, and the audit log says so.
        heir.role = TeamRole.HEAD
        record_event(session, team_id, f"role-{TeamRole.HEAD.value}", manager, now, subject=heir)
    moved = await handover.move(session, team_id, manager, manager, heir, None, now)
    record_event(session, team_id, "account-deleted", manager, now, subject=manager, to=heir)
    return Deleted(heir, moved.client_count, False, promoted)
