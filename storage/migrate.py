"""Alembic, driven from code: at start-up and by `python -m bot migrate`.

On SQLite an upgrade is made safe for the data already there:
- a copy of the file is taken first (beside it, `<name>.backup-<from>-<UTC time>`);
- the migrations run with foreign keys off, in one BEGIN IMMEDIATE transaction. Alembic alters
  a SQLite table by copying it, dropping the old one and renaming the copy: with foreign keys on,
  that drop fires every ON DELETE CASCADE and empties the child tables. The PRAGMA is set before
  BEGIN because SQLite ignores it inside a transaction;
- `PRAGMA foreign_key_check` runs before COMMIT: any violation rolls the whole upgrade back.

On PostgreSQL the upgrade runs under a transaction-level advisory lock: N processes starting
at once (several `serve` and `worker`) migrate once; the others wait for the lock, then find the
schema at head and do nothing. The lock goes with the transaction, even when a process dies.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.sqlite_files import backup_sqlite, sqlite_file

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
log = logging.getLogger("kambot.migrate")
# pg_advisory_xact_lock's key: any constant bigint no other application on the server uses.
MIGRATION_LOCK_KEY = 0x6B616D626F74  # "kambot"


class MigrationError(RuntimeError):
    """The upgrade was refused and rolled back; the database is as it was."""


@dataclass(frozen=True)
class UpgradeResult:
    from_revision: str | None  # None: an empty database
    to_revision: str | None
    backup: Path | None = None  # the SQLite copy taken before the upgrade, if one was needed


def alembic_config(database_url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if database_url:
        # ConfigParser treats % as interpolation; URLs may carry escaped characters.
        cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def _upgrade(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


def _upgrade_sqlite(connection: Connection, revision: str) -> None:
    """The whole upgrade in one transaction we open ourselves, foreign keys off."""
    driver = connection.connection.dbapi_connection
    assert driver is not None
    isolation = driver.isolation_level
    # None: the sqlite3 module issues no BEGIN of its own (it would only do so before DML,
    # leaving DDL outside the transaction), so the BEGIN below covers every statement.
    driver.isolation_level = None
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            _upgrade(connection, revision)
            violations = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if violations:
                shown = "; ".join(
                    f"{table} rowid {rowid} -> {parent}"
                    for table, rowid, parent, _ in violations[:5]
                )
                raise MigrationError(
                    f"upgrade refused and rolled back: PRAGMA foreign_key_check found "
                    f"{len(violations)} row(s) pointing at missing parents ({shown})"
                )
            connection.exec_driver_sql("COMMIT")
        except BaseException:
            raw = connection.connection.driver_connection
            if raw is not None and raw.in_transaction:
                connection.exec_driver_sql("ROLLBACK")
            raise
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        driver.isolation_level = isolation


def _upgrade_locked(connection: Connection, revision: str) -> str | None:
    """Waits for the migration lock, then upgrades; returns the revision found under the lock."""
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
    before = _current(connection)
    _upgrade(connection, revision)
    return before


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def upgrade(engine: AsyncEngine, revision: str = "head") -> UpgradeResult:
    """Upgrades to `revision`; says (and logs) from where to where, and where the backup is."""
    before = await current_revision(engine)
    target = head_revision() if revision == "head" else revision
    backup: Path | None = None
    if engine.dialect.name == "sqlite":
        path = sqlite_file(engine.url)
        if path is not None and before is not None and before != target:
            backup = await backup_sqlite(path, label=before)
            log.info(
                "backed up the database to %s before upgrading from %s to %s",
                backup,
                before,
                target,
            )
        async with engine.connect() as conn:
            await conn.run_sync(_upgrade_sqlite, revision)
    elif engine.dialect.name == "postgresql":
        async with engine.begin() as conn:
            # What another process migrated while we waited is not ours to report.
            before = await conn.run_sync(_upgrade_locked, revision)
    else:
        async with engine.begin() as conn:
            await conn.run_sync(_upgrade, revision)
    after = await current_revision(engine)
    if after != before:
        log.info("database schema upgraded from %s to %s", before or "nothing", after)
    return UpgradeResult(before, after, backup)


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(_current)
