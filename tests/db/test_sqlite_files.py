"""The SQLite database on disk is its owner's only: folder 0700 when we create it, files 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import create_engine
from storage.migrate import upgrade

pytestmark = pytest.mark.db


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The common default, under which SQLite alone would create 0644 files."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


async def test_new_folder_is_0700_and_every_database_file_0600(tmp_path: Path) -> None:
    path = tmp_path / "data" / "kambot" / "kambot.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await upgrade(engine, "0001")
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO teams (name, created_at) VALUES ('a', '2026')"))
        # The -wal and -shm files exist while a connection is open.
        files = {p.name: _mode(p) for p in path.parent.iterdir()}
        result = await upgrade(engine)
        assert result.backup is not None
        assert _mode(result.backup) == 0o600
    finally:
        await engine.dispose()
    assert files == {"kambot.db": 0o600, "kambot.db-wal": 0o600, "kambot.db-shm": 0o600}
    assert _mode(path.parent) == 0o700
    assert _mode(tmp_path / "data") == 0o755  # a parent we had to make: the usual default


@pytest.fixture
def users_file(tmp_path: Path) -> Path:
    tmp_path.chmod(0o755)
    path = tmp_path / "kambot.db"
    path.touch(mode=0o640)
    return path


async def test_existing_folder_and_file_keep_their_modes(tmp_path: Path, users_file: Path) -> None:
    """The folder may be the current directory, shared on purpose: not ours to change."""
    path = users_file
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    assert _mode(tmp_path) == 0o755
    assert _mode(path) == 0o640
