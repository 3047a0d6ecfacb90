"""The one access rule: which rows a manager may see and change.

Every query of a client-owned row builds its WHERE from ``clients``; every query of a row that
is the manager's own work (their notes, reminders, plans, the sales and touches they logged)
from ``authored``. Nowhere else compares ``owner_id`` or ``manager_id`` by hand, so when teams
come (issue 10: a head reads the team's clients, read-only) the rule changes here, once.
tests/db/test_access_rule.py calls every storage query with another manager's ids and proves
each one refuses them.

Private notes are ``authored``: visible to their author only, whoever owns the client.

Teams (issue 10): ``clients`` stays the owner's — every write and every personal list. A head
of a team also *reads* the team's clients through ``readable_clients`` (the head's card and
history views), decided from the head's row at the time of the query, so a demoted or removed
head's old buttons read nothing.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Select, or_, select

from storage.enums import TeamRole
from storage.models import Client, Manager

# A manager id, or a bound parameter standing for one in a cached statement.
Who: TypeAlias = int | ColumnElement[Any]


def clients(who: Who) -> ColumnElement[bool]:
    """Clients the manager may see and change: today, the ones they own."""
    return Client.owner_id == who


def headed_team(who: Who) -> Select[Any]:
    """The team ``who`` is a head of (none when they are not a head)."""
    return select(Manager.team_id).where(
        Manager.id == who, Manager.role == TeamRole.HEAD, Manager.team_id.is_not(None)
    )


def readable_clients(who: Who) -> ColumnElement[bool]:
    """Clients the manager may look at: their own, and their team's when they are its head."""
    return or_(clients(who), Client.team_id.in_(headed_team(who)))


def readable_client_ids(who: Who) -> Select[Any]:
    return select(Client.id).where(readable_clients(who))


def client_ids(who: Who) -> Select[Any]:
    """The same rule as a subquery, for rows that hang off a client (contacts, history)."""
    return select(Client.id).where(clients(who))


def authored(model: Any, who: Who) -> ColumnElement[bool]:
    """Rows that are the manager's own work: ``model`` has a ``manager_id``."""
    return model.manager_id == who  # type: ignore[no-any-return]
