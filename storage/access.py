"""The one access rule: which rows a manager may see and change.

Every query of a client-owned row builds its WHERE from ``clients``; every query of a row that
is the manager's own work (their notes, reminders, plans, the sales and touches they logged)
from ``authored``. Nowhere else compares ``owner_id`` or ``manager_id`` by hand, so when teams
come (issue 10: a head reads the team's clients, read-only) the rule changes here, once.
tests/db/test_access_rule.py calls every storage query with another manager's ids and proves
each one refuses them.

Private notes are ``authored``: visible to their author only, whoever owns the client.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Select, select

from storage.models import Client

# A manager id, or a bound parameter standing for one in a cached statement.
Who: TypeAlias = int | ColumnElement[Any]


def clients(who: Who) -> ColumnElement[bool]:
    """Clients the manager may see and change: today, the ones they own."""
    return Client.owner_id == who


def client_ids(who: Who) -> Select[Any]:
    """The same rule as a subquery, for rows that hang off a client (contacts, history)."""
    return select(Client.id).where(clients(who))


def authored(model: Any, who: Who) -> ColumnElement[bool]:
    """Rows that are the manager's own work: ``model`` has a ``manager_id``."""
    return model.manager_id == who  # type: ignore[no-any-return]
