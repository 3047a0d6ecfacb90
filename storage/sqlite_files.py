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


async def backup_sqlite(path: Path, *, label: str) -> Path:
    """Copies the database to `<name>.backup-<label>-<UTC time>` beside it, mode 0600."""
    target = _backup_path(path, label)
    try:
        await asyncio.to_thread(_copy, path, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target
