"""Every past revision, with rows in every table, upgrades to head with nothing lost.

SQLite rebuilds a table to alter it (copy, drop, rename): with foreign keys on, the drop cascades
and empties the child tables. This builds a database at each past revision (read from Alembic's
script directory, so a new revision is covered without touching this file), fills every table,
upgrades to head and compares every row, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import pool, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.db import create_engine
from storage.migrate import MigrationError, alembic_config, current_revision, upgrade
from tests.conftest import BACKENDS, PG_URL
from tests.db.migration_data import ROWS, Snapshot, fill, layout, snapshot

pytestmark = pytest.mark.db

SCRIPTS = ScriptDirectory.from_config(alembic_config())
HEAD = SCRIPTS.get_current_head()
PAST = sorted(r.revision for r in SCRIPTS.walk_revisions() if r.revision != HEAD)


@pytest.fixture(params=BACKENDS)
async def empty_engine(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[AsyncEngine]:
    """An engine on an empty database: a fresh SQLite file, or a PostgreSQL schema of its own.

    The PostgreSQL run keeps to its own schema (search_path) so the shared database that the
    other tests use stays at head with empty tables.
    """
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'kambot.db'}")
        yield engine
        await engine.dispose()
        return
    assert PG_URL is not None
    schema = f"migr_{secrets.token_hex(4)}"
    admin = create_async_engine(PG_URL, poolclass=pool.NullPool)
    async with admin.begin() as conn:
        await conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_async_engine(
        PG_URL,
        poolclass=pool.NullPool,
        connect_args={"server_settings": {"search_path": schema}},
    )
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        await admin.dispose()


Layout = dict[str, list[str]]


async def _at_revision_with_data(engine: AsyncEngine, revision: str) -> tuple[Layout, Snapshot]:
    await upgrade(engine, revision)
    assert await current_revision(engine) == revision
    async with engine.begin() as conn:
        counts = await conn.run_sync(fill)
    async with engine.connect() as conn:
        tables = await conn.run_sync(layout)
        before = await conn.run_sync(snapshot, tables)
    assert set(counts) == set(tables), "every table of the revision got rows"
    assert all(len(rows) == ROWS for rows in before.values())
    return tables, before


async def _rows(engine: AsyncEngine, tables: Layout) -> Snapshot:
    async with engine.connect() as conn:
        return await conn.run_sync(snapshot, tables)


@pytest.mark.parametrize("revision", PAST)
async def test_upgrade_from_every_past_revision_keeps_every_row(
    empty_engine: AsyncEngine, revision: str
) -> None:
    tables, before = await _at_revision_with_data(empty_engine, revision)
    await upgrade(empty_engine)
    assert await current_revision(empty_engine) == HEAD
    # The columns that existed before: new ones may be added, none of these may change.
    after = await _rows(empty_engine, tables)
    for table, rows in before.items():
        assert len(after[table]) == len(rows), f"{table}: rows lost by the upgrade"
        assert after[table] == rows, f"{table}: contents changed by the upgrade"


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    return tmp_path / "kambot.db"


@pytest.fixture
async def sqlite_engine(sqlite_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{sqlite_path}")
    yield engine
    await engine.dispose()


@pytest.mark.parametrize("revision", PAST)
async def test_sqlite_upgrade_backs_up_the_file_first(
    sqlite_engine: AsyncEngine,
    sqlite_path: Path,
    revision: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    tables, before = await _at_revision_with_data(sqlite_engine, revision)
    caplog.set_level(logging.INFO, logger="kambot.migrate")
    result = await upgrade(sqlite_engine)
    assert (result.from_revision, result.to_revision) == (revision, HEAD)
    backups = list(sqlite_path.parent.glob(f"kambot.db.backup-{revision}-*"))
    assert backups == [result.backup]
    assert sum(str(result.backup) in r.getMessage() for r in caplog.records) == 1
    # The copy holds the data as it was, at the old revision (WAL content included).
    copy = create_engine(f"sqlite+aiosqlite:///{result.backup}")
    try:
        assert await current_revision(copy) == revision
        assert await _rows(copy, tables) == before
    finally:
        await copy.dispose()


async def test_sqlite_fresh_database_and_head_get_no_backup(
    sqlite_engine: AsyncEngine, sqlite_path: Path
) -> None:
    first = await upgrade(sqlite_engine)
    again = await upgrade(sqlite_engine)
    assert (first.from_revision, first.to_revision, first.backup) == (None, HEAD, None)
    assert (again.from_revision, again.to_revision, again.backup) == (HEAD, HEAD, None)
    assert list(sqlite_path.parent.glob("*backup*")) == []


async def test_sqlite_upgrade_refuses_foreign_key_violations(
    sqlite_engine: AsyncEngine, sqlite_path: Path
) -> None:
    revision = PAST[-1]
    tables, before = await _at_revision_with_data(sqlite_engine, revision)
    # A row whose parent is gone, as foreign keys off (any other tool's default) would allow.
    with sqlite3.connect(sqlite_path) as raw:
        raw.execute("UPDATE clients SET owner_id = 999 WHERE id = 1")
    with pytest.raises(MigrationError, match="foreign_key_check"):
        await upgrade(sqlite_engine)
    assert await current_revision(sqlite_engine) == revision
    after = await _rows(sqlite_engine, tables)
    assert after["clients"][0][tables["clients"].index("owner_id")] == 999
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
