"""Several `serve` and `worker` processes on one PostgreSQL: each update handled once, each
reminder sent once; N processes starting at once migrate once."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.migrate import head_revision
from tests.conftest import PG_URL
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.ops.support import (
    ON_POSTGRES,
    SECRET,
    Role,
    clean_env,
    free_port,
    fresh_postgres,
    message_update,
    post_update,
    reminders_sent,
    seed_due_reminders,
    wait_until,
)

pytestmark = ON_POSTGRES
HOOK_URL = "https://bot.example.test/telegram/webhook"


def _serve(api: FakeTelegramAPI, workdir: Path, url: str) -> tuple[Role, str]:
    port = free_port()
    env = {
        "DATABASE_URL": url,
        "WEBHOOK_URL": HOOK_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_PORT": str(port),
    }
    role = Role(api, workdir, ["serve"], env=env, health_port=port)
    return role, f"http://127.0.0.1:{port}/telegram/webhook"


def test_two_workers_send_each_reminder_once(api: FakeTelegramAPI, tmp_path: Path) -> None:
    url = fresh_postgres()
    chats = list(range(8001, 8041))
    seed_due_reminders(url, chats)
    mark = api.mark()
    workers = [Role(api, tmp_path / f"w{n}", ["worker"], env={"DATABASE_URL": url}) for n in (1, 2)]
    for worker in workers:
        worker.start()
    try:
        wait_until(lambda: reminders_sent(url) >= len(chats), timeout=60, what="all sent")
    finally:
        codes = [worker.stop() for worker in workers]
    assert codes == [0, 0], [w.log() for w in workers]
    sends = [c for c in api.calls()[mark:] if c.method == "sendMessage"]
    # Every send is one SENT row, and each seeded chat got exactly one message.
    assert len(sends) == reminders_sent(url)
    per_chat = [int(c.params["chat_id"]) for c in sends]
    assert sorted(c for c in per_chat if c in chats) == chats
    assert "getUpdates" not in {c.method for c in api.calls()[mark:]}


def test_two_intakes_handle_an_update_once(api: FakeTelegramAPI, tmp_path: Path) -> None:
    url = fresh_postgres()
    intakes = [_serve(api, tmp_path / f"s{n}", url) for n in (1, 2)]
    for role, _ in intakes:
        role.start()
    try:
        (_, first), (_, second) = intakes
        # Telegram retries a webhook it got no answer for; the retry may reach the other intake.
        assert post_update(first, message_update(991_001, 8101, "/help")) == 200
        assert post_update(second, message_update(991_001, 8101, "/help")) == 200
        assert len(api.sent_messages(8101)) == 1
        # A write: the touch and the update's record commit together, whichever intake.
        assert post_update(second, message_update(991_002, 8101, "/call Acme ops test")) == 200
        assert post_update(first, message_update(991_002, 8101, "/call Acme ops test")) == 200
        assert len(api.sent_messages(8101)) == 2
    finally:
        codes = [role.stop() for role, _ in intakes]
    assert codes == [0, 0], [role.log() for role, _ in intakes]


async def _fresh_database(url: str) -> str:
    """A second database beside the test one, emptied: `<name>b` (kambot_h6 -> kambot_h6b)."""
    import asyncpg

    parsed = make_url(url)
    name = f"{parsed.database}b"
    admin = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(admin)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    target = parsed.set(database=name)
    conn = await asyncpg.connect(target.set(drivername="postgresql").render_as_string(False))
    try:
        await conn.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()
    return target.render_as_string(hide_password=False)


async def _revisions(url: str) -> list[str]:
    import asyncpg

    conn = await asyncpg.connect(make_url(url).set(drivername="postgresql").render_as_string(False))
    try:
        return [r[0] for r in await conn.fetch("SELECT version_num FROM alembic_version")]
    finally:
        await conn.close()


def test_processes_starting_at_once_migrate_once(tmp_path: Path) -> None:
    assert PG_URL is not None
    url = asyncio.run(_fresh_database(PG_URL))
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "migrate"],
            cwd=tmp_path,
            env=clean_env(DATABASE_URL=url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=180) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], outputs
    migrated = [err for _, err in outputs if "database schema upgraded from nothing" in err]
    assert len(migrated) == 1, outputs
    assert all("database is up to date" in out for out, _ in outputs)
    assert asyncio.run(_revisions(url)) == [head_revision()]
