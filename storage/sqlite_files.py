"""The SQLite database on disk: its folder, its file modes and its backups.

The database holds every client, phone number and note of its managers, so it is readable by
its owner only: the file (and the backups) are created 0600 before SQLite opens them, and the
-wal/-shm files follow, since SQLite gives them the mode of the main file. A folder we create
for it is 0700. Existing folders and files keep their modes: the folder may be the current
directory or one the user shares on purpose, and changing a mode behind their back surprises.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def sqlite_file(url: str | URL) -> Path | None:
    """The database file of a SQLite URL; None for other databases, memory and URI forms."""
    url = make_url(url)
    if not url.drivername.startswith("sqlite"):
        return None
    database = url.database
    if database in (None, "", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser().resolve()


def ensure_folder(path: Path) -> None:
    """Creates the database's folder 0700 if missing (its missing parents get the default)."""
    folder = path.parent
    if folder.is_dir():
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir(mode=FOLDER_MODE)
    except FileExistsError:
        return  # created meanwhile by someone else: theirs, keep its mode
    os.chmod(folder, FOLDER_MODE)  # exactly 0700 whatever the umask


def create_private(path: Path) -> bool:
    """Creates an empty file 0600 (an empty file is a valid empty database); False if present."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    os.chmod(path, FILE_MODE)  # exactly 0600 whatever the umask
    return True


def _backup_path(path: Path, label: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for n in range(100):
        candidate = path.with_name(f"{path.name}.backup-{label}-{stamp}{f'-{n}' if n else ''}")
        if create_private(candidate):
            return candidate
    raise FileExistsError(f"no free backup name beside {path}")


def _copy(source: Path, target: Path) -> None:
    # The backup API reads through SQLite, so committed pages still in the -wal are included.
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.execute("PRAGMA busy_timeout=60000")
        src.backup(dst)
        # A copy is one self-contained file: no -wal beside it (a WAL-mode copy would leave
        # -wal/-shm files whenever it is read). A live base goes back to WAL at its first connect.
        dst.execute("PRAGMA journal_mode=DELETE")


async def backup_sqlite(path: Path, *, label: str) -> Path:
    """Copies the database to `<name>.backup-<label>-<UTC time>` beside it, mode 0600."""
    target = _backup_path(path, label)
    try:
        await asyncio.to_thread(_copy, path, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


class DatabaseInUse(RuntimeError):
    """Another process holds the database's lock: it is running on this SQLite file."""


LOCK_SUFFIX = ".lock"


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + LOCK_SUFFIX)


class ProcessLock:
    """An exclusive flock on `<database>.lock`, held for the life of the process.

    SQLite is single-process for kambot: a second process's start-up releases the first one's
    live reminder claims (delivery.release_orphans) and both would send them. The OS drops the
    lock when the holder exits or is killed, so a crash never leaves a stale lock behind; the
    file itself stays (its content is only the last holder's pid and role, for the message).
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path, self._fd = path, fd

    @classmethod
    def acquire(cls, database: Path, role: str) -> ProcessLock:
        import fcntl

        path = lock_path(database)
        ensure_folder(path)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise DatabaseInUse(
                f"the SQLite database {database} is in use by {holder} "
                f"(lock {path}); SQLite runs one kambot process: stop it first, "
                "or use PostgreSQL to run several"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"process {os.getpid()} (kambot {role})".encode(), 0)
        return cls(path, fd)

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = -1


def _integrity(path: Path) -> None:
    try:
        with closing(sqlite3.connect(path)) as conn:
            result = conn.execute("PRAGMA quick_check").fetchone()
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            tables = {r[0] for r in rows}
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{path} is not a readable SQLite database ({exc})") from exc
    if result is None or result[0] != "ok":
        raise ValueError(f"{path} is damaged: {result[0] if result else 'no answer'}")
    if "alembic_version" not in tables:
        raise ValueError(f"{path} is not a kambot database (no alembic_version table)")


def _backup_to(source: Path, target: Path) -> None:
    if not create_private(target):
        raise FileExistsError(f"{target} already exists; choose a new file name")
    try:
        _copy(source, target)
        _integrity(target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def backup_to(source: Path, target: Path) -> None:
    """A consistent copy of a live database into a new file, mode 0600, checked afterwards.

    The online backup API copies in one step under a read transaction: in WAL mode the bot's
    writers go on meanwhile and the copy is the database as of one commit."""
    if not source.exists():
        raise FileNotFoundError(f"no database at {source}")
    _backup_to(source.resolve(), target.resolve())


def _restore(backup: Path, database: Path) -> Path | None:
    _integrity(backup)
    kept: Path | None = None
    if database.exists() and database.stat().st_size > 0:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = database.with_name(f"{database.name}.before-restore-{stamp}")
        _backup_to(database, kept)  # through SQLite: what the -wal still holds comes along
    ensure_folder(database)
    create_private(database)
    # Written through SQLite too, so the target's -wal and -shm stay coherent with the file.
    _copy(backup, database)
    return kept


def restore_from(backup: Path, database: Path) -> Path | None:
    """Replaces the database with the backup; the old one is kept beside it as
    `<name>.before-restore-<UTC time>` (returned). The caller holds the database's lock."""
    return _restore(backup.resolve(), database)
