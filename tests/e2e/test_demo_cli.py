"""`python -m bot demo <telegram_id>` as a developer runs it from a terminal."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "TELEGRAM_"))
    }
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", "demo", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_demo_seeds_a_new_account_in_the_default_database_without_a_token(tmp_path: Path) -> None:
    result = _run(tmp_path, "4242")
    assert result.returncode == 0, result.stderr
    assert "registered manager 4242" in result.stdout
    assert re.search(r"made in \d+ ms: 25 clients \(4 key\), \d+ contacts", result.stdout)
    with sqlite3.connect(tmp_path / "data" / "kambot.db") as conn:
        rows = list(conn.execute("SELECT telegram_id, in_sandbox, is_active FROM managers"))
        demo_clients = conn.execute("SELECT COUNT(*) FROM clients WHERE is_demo = 1").fetchone()
    assert sorted(rows) == [(-4242, 0, 0), (4242, 1, 1)]
    assert demo_clients == (25,)

    removed = _run(tmp_path, "4242", "--remove")
    assert removed.returncode == 0, removed.stderr
    assert "removed" in removed.stdout
    with sqlite3.connect(tmp_path / "data" / "kambot.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM clients").fetchone() == (0,)


def test_demo_without_an_id_says_how_to_call_it(tmp_path: Path) -> None:
    result = _run(tmp_path)
    assert result.returncode == 2
    assert "usage: python -m bot demo <telegram_id>" in result.stderr
    assert "Traceback" not in result.stderr
