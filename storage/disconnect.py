"""Telling a lost database connection from a failed statement."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

# The server's own word that it is going or not back yet (SQLSTATE): class 08 is a connection
# exception; 57P01 and 57P02 end a session at a shutdown or after a crash; 57P03 refuses a new
# one while the server starts up (recovery) or shuts down. SQLAlchemy marks none of these as a
# disconnect when they come while connecting, so a restart's first seconds looked like a bug of
# the work: an intake answered the update with an apology and 200 (lost), a worker's drain
# failed and left its claimed reminders for their lease.
SERVER_GONE = ("08", "57P01", "57P02", "57P03")


def lost_connection(exc: BaseException) -> bool:
    """The database went away under this work (a restart, a failover, a dropped connection),
    not the work's own fault: the pool has discarded the connection, so the same work again
    on a fresh one may well succeed."""
    if isinstance(exc, DBAPIError):
        sqlstate = str(getattr(exc.orig, "sqlstate", None) or "")
        return (
            bool(exc.connection_invalidated)
            or isinstance(exc.orig, ConnectionError)
            or sqlstate.startswith(SERVER_GONE)
        )
    return isinstance(exc, ConnectionError)  # refused while the server restarts
