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
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import aiosqlite

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
