"""Engine and session pool. SQLite gets WAL, foreign keys and a busy timeout on every connection."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import sqlite_driver
from storage.sqlite_files import create_private, ensure_folder, sqlite_file

# How long a write waits for another process's write lock (a backup, `sqlite3` in a shell)
# before it fails. Long on purpose: a manager would rather wait than retype a lost message.
# Writes take the lock only at flush/commit (reads run outside transactions, so the first DML
# starts the write from no transaction and SQLite's busy handler applies: no instant BUSY).
SQLITE_BUSY_TIMEOUT_MS = 60_000
# Sessions queued behind the lock hold pooled connections: the pool must not give up first.
SQLITE_POOL_TIMEOUT_S = SQLITE_BUSY_TIMEOUT_MS / 1000 + 30
SQLITE_POOL_SIZE = 15


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # WAL + NORMAL is durable across application crashes; only an OS crash can lose the tail.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def prepare_sqlite_file(database_url: str) -> None:
    """Prepares a SQLite file for its owner only: a folder we create is 0700, a new file 0600
    (created before SQLite would make it 0644; its -wal/-shm take the file's mode). Existing
    folders and files keep their modes (see storage/sqlite_files.py)."""
    path = sqlite_file(database_url)
    if path is not None:
        ensure_folder(path)
        create_private(path)


def create_engine(database_url: str, *, echo: bool = False) -> AsyncEngine:
    prepare_sqlite_file(database_url)
    kwargs: dict[str, Any] = {"echo": echo}
    if database_url.startswith("postgresql"):
        kwargs.update(pool_pre_ping=True, pool_size=10, max_overflow=10)
        if "asyncpg" in database_url:
            # JIT compiles a plan for seconds' worth of rows; ours are short, indexed queries
            # where compiling costs more than it saves (bench_team: a year's /team statement
            # 0.7 s without JIT, 1.9 s with it).
            kwargs["connect_args"] = {"server_settings": {"jit": "off"}}
    url = make_url(database_url)
    if url.drivername == "sqlite+aiosqlite":
        # Same connect arguments SQLAlchemy would pass to aiosqlite.connect, to a connection
        # that needs one thread round trip per statement (see storage/sqlite_driver.py).
        args, options = url.get_dialect()().create_connect_args(url)
        kwargs["async_creator"] = lambda: sqlite_driver.connect(*args, **options)
        if sqlite_file(url) is not None:  # a file: a queue pool (memory gets a static one)
            kwargs["pool_timeout"] = SQLITE_POOL_TIMEOUT_S
            # The same 15 at most as SQLAlchemy's default 5 + 10 overflow, all kept: an overflow
            # connection is closed when it is returned, and under load that reopened one (a new
            # aiosqlite thread, the PRAGMAs, a cold page cache) for ~20-40 % of updates: 181
            # connections for 800 /calls with 20 in flight, 11 with this (bench_logging's set-up).
            kwargs.update(pool_size=SQLITE_POOL_SIZE, max_overflow=0)
    engine = create_async_engine(database_url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
    return engine


def create_session_pool(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: replies are rendered from objects after the commit.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
