"""`kambot backup` copies a live SQLite base while it is written; `kambot restore` refuses a
base in use and otherwise brings every row back, keeping the replaced file."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.fakes.telegram_api import FakeTelegramAPI
from tests.ops.support import Role, kambot, wait_until
from tests.support.mocked_bot import BOT_TOKEN

pytestmark = pytest.mark.e2e


class Writer(threading.Thread):
    """Commits one processed-update row after another into the live base, as the bot would."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.written = 0
        self.stop = threading.Event()

    def run(self) -> None:
        with closing(sqlite3.connect(self.path, timeout=60)) as conn:
            while not self.stop.is_set():
                conn.execute(
                    "INSERT INTO processed_updates (update_id, processed_at) "
                    "VALUES (?, '2026-12-07 00:00:00')",
                    (5_000_000 + self.written,),
                )
                conn.commit()
                self.written += 1


def _ids(path: Path) -> list[int]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(
            "SELECT update_id FROM processed_updates WHERE update_id >= 5000000 ORDER BY 1"
        )
        return [r[0] for r in rows]


def _count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_backup_during_writes_then_restore_every_row(api: FakeTelegramAPI, tmp_path: Path) -> None:
    live = tmp_path / "live" / "data" / "kambot.db"
    url = f"sqlite+aiosqlite:///{live}"
    bot = Role(api, tmp_path / "live", ["run"], env={"DATABASE_URL": url}).start()
    writer = Writer(live)
    copy = tmp_path / "kambot-backup.db"
    try:
        for user in range(9001, 9006):  # the bot writes too: five new managers
            update_id = api.push_message(user, "/start", language_code="en")
            wait_until(lambda uid=update_id: api.confirmed_offset > uid, what="handled")
        writer.start()
        wait_until(lambda: writer.written >= 200, what="writes under way")
        before = writer.written
        result = kambot(tmp_path, "backup", str(copy), DATABASE_URL=url)
        after = writer.written
        assert result.returncode == 0, result.stdout + result.stderr
        assert after > before, (before, after)  # the writes went on during the copy
        refused = kambot(tmp_path, "restore", str(copy), DATABASE_URL=url)
        assert refused.returncode == 2
        assert "restore refused" in refused.stdout
        assert "in use by process" in refused.stdout
    finally:
        writer.stop.set()
        writer.join()
        assert bot.stop() == 0, bot.log()
    assert copy.stat().st_mode & 0o777 == 0o600
    ids = _ids(copy)
    # One commit's snapshot: a gapless prefix of the writes, at least all made before it began.
    assert ids == list(range(5_000_000, 5_000_000 + len(ids)))
    assert len(ids) >= before
    assert _count(copy, "managers") >= 5

    fresh = tmp_path / "fresh" / "data" / "kambot.db"
    fresh_url = f"sqlite+aiosqlite:///{fresh}"
    result = kambot(tmp_path, "restore", str(copy), DATABASE_URL=fresh_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _ids(fresh) == ids
    assert _count(fresh, "managers") == _count(copy, "managers")
    assert (
        kambot(
            tmp_path,
            "check",
            DATABASE_URL=fresh_url,
            BOT_TOKEN=BOT_TOKEN,
            TELEGRAM_API_URL=api.base_url,
        ).returncode
        == 0
    )


def test_restore_keeps_the_replaced_base(tmp_path: Path) -> None:
    base = tmp_path / "data" / "kambot.db"
    url = f"sqlite+aiosqlite:///{base}"
    assert kambot(tmp_path, "migrate", DATABASE_URL=url).returncode == 0
    copy = tmp_path / "copy.db"
    assert kambot(tmp_path, "backup", str(copy), DATABASE_URL=url).returncode == 0
    again = kambot(tmp_path, "backup", str(copy), DATABASE_URL=url)
    assert again.returncode == 2
    assert "already exists" in again.stdout
    with closing(sqlite3.connect(base)) as conn:
        conn.execute("INSERT INTO processed_updates VALUES (42, '2026-12-07 00:00:00')")
        conn.commit()
    time.sleep(1)  # the kept file's name has a one-second stamp
    result = kambot(tmp_path, "restore", str(copy), DATABASE_URL=url)
    assert result.returncode == 0, result.stdout + result.stderr
    [kept] = list(base.parent.glob("kambot.db.before-restore-*"))
    assert str(kept) in result.stdout
    assert _count(kept, "processed_updates") == 1
    assert _count(base, "processed_updates") == 0


def test_restore_refuses_what_is_not_a_kambot_base(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    url = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'kambot.db'}"
    result = kambot(tmp_path, "restore", str(junk), DATABASE_URL=url)
    assert result.returncode == 2
    assert "not a readable SQLite database" in result.stdout
    assert not (tmp_path / "data" / "kambot.db").exists()


def test_postgres_backup_and_restore_say_which_commands_to_run(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://kambot:pa55word@127.0.0.1:5432/kambot"
    backup = kambot(tmp_path, "backup", "k.dump", DATABASE_URL=url)
    restore = kambot(tmp_path, "restore", "k.dump", DATABASE_URL=url)
    assert backup.returncode == restore.returncode == 2
    assert (
        "pg_dump --format=custom --no-owner --file=k.dump "
        "postgresql://kambot@127.0.0.1:5432/kambot" in backup.stdout
    )
    assert "pg_restore --clean --if-exists --no-owner" in restore.stdout
    assert "pa55word" not in backup.stdout + restore.stdout
