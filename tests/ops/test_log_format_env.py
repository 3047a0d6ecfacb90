"""LOG_FORMAT set in .env (not only in the environment) switches the logs to JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.harness import ROOT
from tests.support.mocked_bot import BOT_TOKEN


def test_log_format_from_the_env_file_gives_json_lines(tmp_path: Path) -> None:
    database = tmp_path / "kambot.db"
    (tmp_path / ".env").write_text(
        f"BOT_TOKEN={BOT_TOKEN}\nDATABASE_URL=sqlite+aiosqlite:///{database}\n"
        "LOG_FORMAT=json\nLOG_LEVEL=INFO\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "LOG_", "DATABASE_"))}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert any("upgraded" in str(line.get("msg", "")) for line in lines), done.stderr
    assert BOT_TOKEN.split(":")[1] not in done.stderr
