"""Telling a lost database connection from a failed statement."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError


def lost_connection(exc: BaseException) -> bool:
    """The database went away under this work (a restart, a failover, a dropped connection),
    not the work's own fault: the pool has discarded the connection, so the same work again
    on a fresh one may well succeed."""
    if isinstance(exc, DBAPIError):
        return bool(exc.connection_invalidated) or isinstance(exc.orig, ConnectionError)
    return isinstance(exc, ConnectionError)  # refused while the server restarts
