"""aiosqlite with one thread round trip per statement instead of four.

aiosqlite runs every call on the connection's own thread, and SQLAlchemy's adapter makes four
such calls per statement (create a cursor, execute, fetch all, close). Each round trip wakes the
worker thread and then the event loop (~0.1 ms of CPU and ~0.3 ms of wall time here), which made
them the largest cost of a logged touch (bench/bench_logging.py). This connection keeps
aiosqlite's thread and queue, and so its behaviour, but its cursor runs execute + fetch all +
close as one call on that thread and hands the buffered rows back. Commit and rollback skip the
trip when no transaction is open: sqlite3 itself does nothing then.

Plugged in through create_async_engine(async_creator=...), a documented SQLAlchemy hook; the
SQL, the transactions and the thread a connection lives on are unchanged.

Private API, decided (issue 12): the driver reaches into four private parts of aiosqlite 0.22's
Connection (PRIVATE_PARTS below). They are not a stable interface (0.21's Connection was itself
the Thread and had no ``_thread``), so pyproject.toml pins aiosqlite to the one minor version
they were read from (>=0.22,<0.23), and tests/db/test_sqlite_driver.py fails with a message
naming what is missing when the installed aiosqlite is another minor or lacks one of them.
Kept rather than dropped: measured again for that decision (a transaction shaped like a logged
touch, four reads, two writes and COMMIT, 2,000 times through storage.db's engine vs the same
engine on plain aiosqlite), it costs 1.3 instead of 2.2-2.3 ms of CPU and 3.3-3.8 instead of
6.4-6.7 ms of wall time: still about half of a logged touch's database cost. To move to a new
aiosqlite: read its core.py, adapt this module, then move the pin and AIOSQLITE_MINOR.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import aiosqlite

# The aiosqlite minor version whose private parts this module was written against.
AIOSQLITE_MINOR = (0, 22)
# What of aiosqlite.Connection's privates this module uses: the worker-thread queue call, the
# sqlite3 connection (checked property and raw attribute) and the worker thread itself.
PRIVATE_PARTS = ("_execute", "_conn", "_connection", "_thread")

Row = Any
Description = tuple[tuple[Any, ...], ...] | None
_Outcome = tuple[Description, list[Row], int, int | None]


def _run(conn: sqlite3.Connection, sql: str, parameters: Any) -> _Outcome:
    """On the connection's thread: the whole life of one cursor."""
    cursor = conn.cursor()
    try:
        cursor.execute(sql, () if parameters is None else parameters)
        description = cursor.description
        rows = cursor.fetchall() if description is not None else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _run_many(conn: sqlite3.Connection, sql: str, seq: Iterable[Any]) -> _Outcome:
    cursor = conn.cursor()
    try:
        cursor.executemany(sql, seq)
        return cursor.description, [], cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class BufferedCursor:
    """The part of aiosqlite.Cursor that SQLAlchemy uses, answered from one round trip."""

    arraysize = 1

    def __init__(self, connection: FastConnection) -> None:
        self._connection = connection
        self.description: Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Row] = []
        self._at = 0

    async def __aenter__(self) -> BufferedCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    def _keep(self, outcome: _Outcome) -> BufferedCursor:
        self.description, self._rows, self.rowcount, self.lastrowid = outcome
        self._at = 0
        return self

    async def execute(self, sql: str, parameters: Any = None) -> BufferedCursor:
        conn = self._connection._conn
        outcome: _Outcome = await self._connection._execute(  # type: ignore[no-untyped-call]
            _run, conn, sql, parameters
        )
        return self._keep(outcome)

    async def executemany(self, sql: str, seq: Iterable[Any]) -> BufferedCursor:
        conn = self._connection._conn
        outcome: _Outcome = await self._connection._execute(  # type: ignore[no-untyped-call]
            _run_many, conn, sql, seq
        )
        return self._keep(outcome)

    async def fetchone(self) -> Row | None:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    async def fetchmany(self, size: int | None = None) -> Sequence[Row]:
        size = size or self.arraysize
        chunk = self._rows[self._at : self._at + size]
        self._at += len(chunk)
        return chunk

    async def fetchall(self) -> Sequence[Row]:
        rest = self._rows[self._at :]
        self._at = len(self._rows)
        return rest

    async def close(self) -> None:
        self._rows = []
        self._at = 0


class FastConnection(aiosqlite.Connection):
    def cursor(self) -> BufferedCursor:  # type: ignore[override]
        return BufferedCursor(self)

    async def commit(self) -> None:
        if self._connection is not None and not self._connection.in_transaction:
            return  # sqlite3's commit is a no-op outside a transaction; skip the round trip
        await super().commit()

    async def rollback(self) -> None:
        if self._connection is not None and not self._connection.in_transaction:
            return  # as commit: nothing to undo, no round trip (every pool check-in asks)
        await super().rollback()


def connect(database: str, **kwargs: Any) -> FastConnection:
    """Like aiosqlite.connect (the worker thread is a daemon, as SQLAlchemy sets it)."""

    def connector() -> sqlite3.Connection:
        connection: sqlite3.Connection = sqlite3.connect(database, **kwargs)
        return connection

    connection = FastConnection(connector, iter_chunk_size=64)
    connection._thread.daemon = True
    return connection
