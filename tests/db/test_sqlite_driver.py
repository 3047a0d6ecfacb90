"""storage/sqlite_driver.py: one thread round trip per statement, same results as aiosqlite."""

from __future__ import annotations

import asyncio
import inspect
import sqlite3
import threading
from collections.abc import AsyncIterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import sqlite_driver
from storage.db import SQLITE_BUSY_TIMEOUT_MS, create_engine

TABLE = "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"
INSTALLED = version("aiosqlite")
ADAPT = (
    "storage/sqlite_driver.py uses aiosqlite {want}'s private Connection parts {parts}; "
    "read the installed aiosqlite's core.py and adapt the driver (then move the pin in "
    "pyproject.toml and AIOSQLITE_MINOR), or install aiosqlite {want}.x"
)


def _adapt_message(problem: str) -> str:
    want = ".".join(map(str, sqlite_driver.AIOSQLITE_MINOR))
    return f"{problem}. " + ADAPT.format(want=want, parts=sqlite_driver.PRIVATE_PARTS)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    async with engine.begin() as conn:
        await conn.execute(text(TABLE))
    yield engine
    await engine.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every call sent to a connection's worker thread, by function name."""
    seen: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return seen


def test_installed_aiosqlite_is_the_minor_the_driver_was_written_for() -> None:
    installed = tuple(int(part) for part in INSTALLED.split(".")[:2])
    assert installed == sqlite_driver.AIOSQLITE_MINOR, _adapt_message(
        f"aiosqlite {INSTALLED} is installed"
    )


def test_aiosqlite_still_has_the_private_parts_the_driver_uses() -> None:
    """Checked on an unstarted connection, so a missing part is named here rather than
    surfacing as an AttributeError deep inside the first query."""
    connection = aiosqlite.Connection(lambda: sqlite3.connect(":memory:"), iter_chunk_size=64)
    missing = []
    execute = inspect.getattr_static(aiosqlite.Connection, "_execute", None)
    takes = list(inspect.signature(execute).parameters)[1:] if callable(execute) else []
    if not inspect.iscoroutinefunction(execute) or takes != ["fn", "args", "kwargs"]:
        missing.append("_execute(fn, *args, **kwargs) coroutine")
    if not isinstance(inspect.getattr_static(aiosqlite.Connection, "_conn", None), property):
        missing.append("_conn property")
    if getattr(connection, "_connection", "absent") is not None:
        missing.append("_connection attribute (None before connecting)")
    if not isinstance(getattr(connection, "_thread", None), threading.Thread):
        missing.append("_thread attribute (the worker Thread)")
    assert missing == [], _adapt_message(f"aiosqlite {INSTALLED} lacks {', '.join(missing)}")
    # A new private part used by the driver needs its own check above.
    assert set(sqlite_driver.PRIVATE_PARTS) == {"_execute", "_conn", "_connection", "_thread"}


async def test_the_engine_uses_the_fast_connection(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        assert isinstance(raw.driver_connection, sqlite_driver.FastConnection)
        pragmas = [
            (await conn.execute(text(f"PRAGMA {name}"))).scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        ]
    assert pragmas == ["wal", 1, SQLITE_BUSY_TIMEOUT_MS]  # storage/db.py's connect hook still runs


async def test_rows_rowcount_and_lastrowid_come_back(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        inserted = await conn.execute(text("INSERT INTO t (v) VALUES ('a')"))
        assert inserted.lastrowid == 1
        many = await conn.execute(text("INSERT INTO t (v) VALUES (:v)"), [{"v": "b"}, {"v": "c"}])
        assert many.rowcount == 2
        updated = await conn.execute(text("UPDATE t SET v = v || '!' WHERE id > 1"))
        assert updated.rowcount == 2
        returned = await conn.execute(text("INSERT INTO t (v) VALUES ('d') RETURNING id, v"))
        assert returned.all() == [(4, "d")]
    async with engine.connect() as conn:
        result = await conn.execute(text("SELECT id, v FROM t ORDER BY id"))
        assert list(result.keys()) == ["id", "v"]
        assert result.all() == [(1, "a"), (2, "b!"), (3, "c!"), (4, "d")]
        assert (await conn.execute(text("SELECT v FROM t WHERE id = 99"))).first() is None


async def test_one_trip_per_statement_and_none_for_an_idle_commit(
    engine: AsyncEngine, trips: list[str]
) -> None:
    async with engine.connect() as conn:  # connects and sets the pragmas: not counted below
        await conn.execute(text("SELECT 1"))
    trips.clear()
    async with engine.connect() as conn:
        await conn.execute(text("SELECT v FROM t"))
        await conn.commit()  # nothing to commit: sqlite3 would do nothing, so no trip
    assert trips == ["_run"]
    trips.clear()
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO t (v) VALUES ('x')"))
    assert trips == ["_run", "commit"]  # and the pool's reset on check-in costs no trip


async def test_a_rollback_in_a_transaction_still_rolls_back(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("INSERT INTO t (v) VALUES ('gone')"))
        await conn.rollback()
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 0


async def test_errors_are_the_usual_dbapi_errors(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO t (v) VALUES ('same')"))
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES ('same')"))
    async with engine.connect() as conn:  # the connection went back to the pool usable
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar() == 1


async def test_two_writers_wait_for_each_other_instead_of_failing(engine: AsyncEngine) -> None:
    """Each connection keeps its own thread: a writer waiting on the lock blocks that thread
    (busy_timeout), never the event loop, so the holder can finish and commit."""
    holder = await engine.connect()
    await holder.execute(text("INSERT INTO t (v) VALUES ('first')"))  # holds the write lock

    async def second() -> None:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t (v) VALUES ('second')"))

    waiting = asyncio.create_task(second())
    await asyncio.sleep(0.2)
    assert not waiting.done()  # waiting for the lock, while this loop keeps running
    await holder.commit()
    await holder.close()
    await asyncio.wait_for(waiting, 5)
    async with engine.connect() as conn:
        values = (await conn.execute(text("SELECT v FROM t ORDER BY id"))).scalars().all()
    assert values == ["first", "second"]
