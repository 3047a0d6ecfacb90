"""Queries on teams: members, invites, the audit log, and moving clients between members.

Team rows are read by team id, and every caller got that id from the asking manager's own row
(``manager.team_id``), never from a button: a forged id cannot reach another team's data.
Clients are taken through ``storage.access`` like everywhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage import access
from storage.enums import ReminderState, TeamRole
from storage.models import (
    Client,
    ClientRequest,
    ClientTag,
    Contact,
    Interaction,
    Manager,
    Note,
    Plan,
    Reminder,
    Review,
    Sale,
    Team,
    TeamEvent,
    TeamInvite,
    UndoEntry,
)


async def team(session: AsyncSession, team_id: int) -> Team | None:
    return await session.get(Team, team_id)


async def members(session: AsyncSession, team_id: int) -> list[Manager]:
    """Heads first, then by name; sandbox rows are never members."""
    rows = await session.scalars(
        select(Manager)
        .where(Manager.team_id == team_id, Manager.sandbox_of_id.is_(None))
        .order_by(Manager.role != TeamRole.HEAD, Manager.full_name, Manager.id)
    )
    return list(rows)


async def member(session: AsyncSession, team_id: int, manager_id: int) -> Manager | None:
    return await session.scalar(
        select(Manager).where(Manager.id == manager_id, Manager.team_id == team_id)
    )


async def head_count(session: AsyncSession, team_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Manager)
        .where(Manager.team_id == team_id, Manager.role == TeamRole.HEAD)
    )
    return int(count or 0)


async def client_counts(session: AsyncSession, team_id: int) -> dict[int, int]:
    """Team clients (not archived) per owner."""
    rows = await session.execute(
        select(Client.owner_id, func.count())
        .where(Client.team_id == team_id, Client.archived_at.is_(None))
        .group_by(Client.owner_id)
    )
    return {int(owner): int(n) for owner, n in rows}


async def bring_clients(session: AsyncSession, owner_id: int, team_id: int) -> int:
    """The manager's personal clients become the team's; returns how many."""
    result = await session.execute(
        update(Client)
        .where(access.clients(owner_id), Client.team_id.is_(None), Client.is_demo.is_(False))
        .values(team_id=team_id)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def release_clients(session: AsyncSession, team_id: int) -> None:
    """The last member left: the team's clients become their owners' own again."""
    await session.execute(
        update(Client)
        .where(Client.team_id == team_id)
        .values(team_id=None)
        .execution_options(synchronize_session=False)
    )


async def personal_client_count(session: AsyncSession, owner_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Client)
        .where(access.clients(owner_id), Client.team_id.is_(None), Client.is_demo.is_(False))
    )
    return int(count or 0)


# ---------------------------------------------------------------- invites


async def invite_by_token(session: AsyncSession, token: str) -> TeamInvite | None:
    return await session.scalar(select(TeamInvite).where(TeamInvite.token == token))


async def open_invites(session: AsyncSession, team_id: int, now: datetime) -> list[TeamInvite]:
    rows = await session.scalars(
        select(TeamInvite)
        .where(
            TeamInvite.team_id == team_id,
            TeamInvite.revoked_at.is_(None),
            TeamInvite.expires_at > now,
            ~and_(TeamInvite.single_use.is_(True), TeamInvite.used_count > 0),
        )
        .order_by(TeamInvite.created_at.desc(), TeamInvite.id.desc())
    )
    return list(rows)


async def invite_of_team(session: AsyncSession, team_id: int, invite_id: int) -> TeamInvite | None:
    return await session.scalar(
        select(TeamInvite).where(TeamInvite.id == invite_id, TeamInvite.team_id == team_id)
    )


async def use_invite(session: AsyncSession, invite_id: int, now: datetime) -> bool:
    """Counts one use, atomically: a single-use link is taken by exactly one joiner."""
    usable = and_(
        TeamInvite.id == invite_id,
        TeamInvite.revoked_at.is_(None),
        TeamInvite.expires_at > now,
        ~and_(TeamInvite.single_use.is_(True), TeamInvite.used_count > 0),
    )
    result = await session.execute(
        update(TeamInvite)
        .where(usable)
        .values(used_count=TeamInvite.used_count + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- audit log


async def events(
    session: AsyncSession, team_id: int, limit: int, offset: int = 0
) -> list[TeamEvent]:
    """Newest first; ``limit`` + 1 rows tell the caller whether there is a next page."""
    rows = await session.scalars(
        select(TeamEvent)
        .where(TeamEvent.team_id == team_id)
        .order_by(TeamEvent.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(rows)


# ---------------------------------------------------------------- moving clients


async def team_clients_of(
    session: AsyncSession, team_id: int, owner_id: int, client_ids: Sequence[int] | None
) -> list[tuple[int, str]]:
    """(id, name) of the team's clients owned by ``owner_id``; all, or those of ``client_ids``."""
    query = select(Client.id, Client.name).where(
        Client.team_id == team_id, access.clients(owner_id)
    )
    if client_ids is not None:
        query = query.where(Client.id.in_(client_ids))
    rows = await session.execute(query.order_by(Client.name_norm, Client.id))
    return [(int(i), str(n)) for i, n in rows]


def _chosen(team_id: int, owner_id: int, client_ids: Sequence[int] | None) -> Select[Any]:
    """Ids of the team's clients still owned by ``owner_id``: all, or among ``client_ids``."""
    query = select(Client.id).where(Client.team_id == team_id, access.clients(owner_id))
    return query if client_ids is None else query.where(Client.id.in_(client_ids))


async def team_client_tags(
    session: AsyncSession, team_id: int, owner_id: int
) -> list[tuple[str, int]]:
    """The tags on the team's clients of ``owner_id``, with how many clients carry each."""
    rows = await session.execute(
        select(ClientTag.tag, func.count())
        .where(ClientTag.client_id.in_(_chosen(team_id, owner_id, None)))
        .group_by(ClientTag.tag)
        .order_by(ClientTag.tag)
    )
    return [(str(tag), int(n)) for tag, n in rows]


async def team_clients_tagged(
    session: AsyncSession, team_id: int, owner_id: int, tags: Sequence[str]
) -> list[int]:
    rows = await session.scalars(
        select(ClientTag.client_id)
        .where(ClientTag.client_id.in_(_chosen(team_id, owner_id, None)), ClientTag.tag.in_(tags))
        .distinct()
    )
    return [int(i) for i in rows]


async def handover_counts(
    session: AsyncSession, team_id: int, owner_id: int, client_ids: Sequence[int] | None
) -> dict[str, int]:
    """What a handover of these clients would move, counted in one statement, writing nothing.

    The same rules as ``readdress``: private notes and their reminders are counted apart (they
    stay with their author)."""
    # A subquery, not a list of ids: previewing "all" of a large base is still one statement.
    ids = _chosen(team_id, owner_id, client_ids)

    def count(model: Any, *where: ColumnElement[bool]) -> Any:
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    notes_on = or_(
        Note.client_id.in_(ids),
        Note.contact_id.in_(select(Contact.id).where(Contact.client_id.in_(ids))),
    )
    private = select(Note.id).where(notes_on, Note.is_private.is_(True))
    row = (
        await session.execute(
            select(
                count(Client, Client.id.in_(ids)),
                count(Interaction, Interaction.client_id.in_(ids)),
                count(Sale, Sale.client_id.in_(ids)),
                count(
                    Interaction,
                    Interaction.client_id.in_(ids),
                    Interaction.next_step_due_at.is_not(None),
                    Interaction.next_step_done_at.is_(None),
                ),
                count(
                    Reminder,
                    Reminder.client_id.in_(ids),
                    Reminder.state == ReminderState.PENDING,
                    or_(Reminder.note_id.is_(None), Reminder.note_id.not_in(private)),
                ),
                count(Note, notes_on, Note.is_private.is_(False)),
                count(Note, notes_on, Note.is_private.is_(True)),
            )
        )
    ).one()
    keys = ("clients", "touches", "sales", "promises", "reminders", "notes", "private_notes")
    return {key: int(value or 0) for key, value in zip(keys, row, strict=True)}


async def take_clients(
    session: AsyncSession, team_id: int, owner_id: int, to_id: int, client_ids: Sequence[int]
) -> list[int]:
    """Gives the clients to ``to_id`` if ``owner_id`` still owns them; the ids really moved.

    The owner in the WHERE makes two heads moving the same client at once safe: the second
    UPDATE finds another owner and moves nothing.
    """
    if not client_ids:
        return []
    # Rows are locked in id order (PostgreSQL; SQLite writes one at a time anyway), so two heads
    # taking overlapping clients wait for each other instead of deadlocking; the waiter then
    # re-reads the owner and skips what the first one moved.
    locked = (
        select(Client.id)
        .where(Client.id.in_(client_ids), Client.team_id == team_id, access.clients(owner_id))
        .order_by(Client.id)
        .with_for_update()
    )
    result = await session.execute(
        update(Client)
        .where(Client.id.in_(locked), Client.team_id == team_id, access.clients(owner_id))
        .values(owner_id=to_id)
        .returning(Client.id)
        .execution_options(synchronize_session=False)
    )
    return [int(i) for i in result.scalars()]


async def readdress(
    session: AsyncSession, from_id: int, to_id: int, client_ids: Sequence[int]
) -> dict[str, int]:
    """Everything on the clients becomes the new owner's, except the old owner's private
    notes (visible to their author only) and the old owner's undo entries (removed: nothing on
    someone else's client is theirs to undo). Returns rows moved per kind."""
    counts: dict[str, int] = {}
    on_clients: dict[str, type[Any]] = {
        "touches": Interaction,
        "sales": Sale,
        "requests": ClientRequest,
        "reviews": Review,
    }
    for kind, model in on_clients.items():
        result = await session.execute(
            update(model)
            .where(model.client_id.in_(client_ids))
            .values(manager_id=to_id)
            .execution_options(synchronize_session=False)
        )
        counts[kind] = int(result.rowcount or 0)  # type: ignore[attr-defined]
    shared_notes = and_(_notes_on(client_ids), Note.is_private.is_(False))
    counts["notes"] = await _rowcount(
        session, update(Note).where(shared_notes).values(manager_id=to_id)
    )
    counts["reminders"] = await _rowcount(
        session, update(Reminder).where(_moving_reminders(client_ids)).values(manager_id=to_id)
    )
    counts["plans"] = await _move_plans(session, to_id, client_ids)
    await session.execute(
        delete(UndoEntry)
        .where(UndoEntry.manager_id == from_id, UndoEntry.client_id.in_(client_ids))
        .execution_options(synchronize_session=False)
    )
    counts["promises"] = await _open_promises(session, client_ids)
    return counts


def _moving_reminders(client_ids: Sequence[int]) -> ColumnElement[bool]:
    """Pending reminders on the clients, except those of private notes: a note reminder carries
    the note's text (and its client id), so it stays with the note's author like the note."""
    private = select(Note.id).where(_notes_on(client_ids), Note.is_private.is_(True))
    return and_(
        or_(
            Reminder.client_id.in_(client_ids),
            Reminder.note_id.in_(
                select(Note.id).where(_notes_on(client_ids), Note.is_private.is_(False))
            ),
        ),
        or_(Reminder.note_id.is_(None), Reminder.note_id.not_in(private)),
        Reminder.state == ReminderState.PENDING,
    )


def _notes_on(client_ids: Sequence[int]) -> ColumnElement[bool]:
    """Notes about the clients, or about one of their contacts."""
    contacts = select(Contact.id).where(Contact.client_id.in_(client_ids))
    return or_(Note.client_id.in_(client_ids), Note.contact_id.in_(contacts))


async def _rowcount(session: AsyncSession, statement: Any) -> int:
    result = await session.execute(statement.execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def _move_plans(session: AsyncSession, to_id: int, client_ids: Sequence[int]) -> int:
    """Per-client plans follow the client, unless the new owner already has that period's."""
    theirs = aliased(Plan)
    clash = exists().where(
        theirs.manager_id == to_id,
        theirs.client_id == Plan.client_id,
        theirs.period_kind == Plan.period_kind,
        theirs.period_start == Plan.period_start,
    )
    return await _rowcount(
        session,
        update(Plan)
        .where(Plan.client_id.in_(client_ids), Plan.manager_id != to_id, ~clash)
        .values(manager_id=to_id),
    )


async def _open_promises(session: AsyncSession, client_ids: Sequence[int]) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Interaction)
        .where(
            Interaction.client_id.in_(client_ids),
            Interaction.next_step_due_at.is_not(None),
            Interaction.next_step_done_at.is_(None),
        )
    )
    return int(count or 0)
