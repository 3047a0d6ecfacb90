"""PostgreSQL restarting mid-run, as the bot's processes see it (issue 11, "bad input"): every
connection they hold is dropped at once, a few times over about two seconds. The server itself
is not restarted (other suites share it); `pg_terminate_backend` on every backend of the test
database is what a restart looks like from the client side.

A `serve` intake under a stream of touches must lose none and store none twice: an update whose
handling the outage cut must not be answered 200 (Telegram would not send it again), and its
retry must find either nothing or the whole of it committed. A `worker` in the middle of a
delivery must send every reminder once. Both stay alive and ready again once it is over."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from tests.fakes.telegram_api import FakeTelegramAPI
from tests.ops import scale_support as scale
from tests.ops.support import (
    ON_POSTGRES,
    SECRET,
    Role,
    free_port,
    fresh_postgres,
    http_get,
    wait_until,
)

pytestmark = ON_POSTGRES

KILL_ROUNDS = 20
KILL_GAP = 0.1  # seconds between rounds: twenty rounds over about two seconds
MANAGERS = 30
TOUCHES_EACH = 4
POST_RATE = 10.0  # updates a second: the 120 updates take about 12 s, the outage sits inside
REMINDERS_EACH = 3
DONE_TIMEOUT = 150.0


async def _terminate_all(url: str) -> tuple[int, int]:
    """Drops every other connection to the test database: how many, and how many of them were
    inside a transaction (a statement running or a transaction open), the cut that matters."""
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            killed = (
                await conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid), state <> 'idle' FROM pg_stat_activity"
                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
            ).all()
    finally:
        await engine.dispose()
    return sum(1 for done, _ in killed if done), sum(1 for done, busy in killed if done and busy)


async def _outage(url: str) -> tuple[int, int]:
    """The restart as clients see it: rounds of dropped connections over about two seconds;
    the connections dropped, and how many of them were in a transaction."""
    dropped = busy = 0
    for _ in range(KILL_ROUNDS):
        all_, in_transaction = await _terminate_all(url)
        dropped, busy = dropped + all_, busy + in_transaction
        await asyncio.sleep(KILL_GAP)
    return dropped, busy


def _ready(role: Role) -> bool:
    return http_get(role.url("/readyz"))[0] == 200


def _serve(api: FakeTelegramAPI, workdir: Path, url: str) -> tuple[Role, str]:
    port = free_port()
    env = {
        "DATABASE_URL": url,
        "WEBHOOK_URL": scale.HOOK_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_PORT": str(port),
    }
    role = Role(api, workdir, ["serve"], env=env, health_port=port)
    return role, f"http://127.0.0.1:{port}/telegram/webhook"


def test_intake_loses_no_update_when_its_connections_drop(
    api: FakeTelegramAPI, tmp_path: Path
) -> None:
    url = fresh_postgres()
    scale.seed(url, MANAGERS, reminders_each=0)
    api.reset()
    intake, hook = _serve(api, tmp_path / "serve", url)
    intake.start()
    plan = scale.touch_plan(scale.telegram_ids(MANAGERS), per_user=TOUCHES_EACH)
    outage: dict[str, tuple[int, int]] = {}

    async def drop_connections(poster: scale.Poster) -> None:
        await poster.wait_done(10)  # the pool is warm: there are connections to drop
        await poster.wait_in_flight(0)  # and an update in the intake's hands
        outage["dropped"] = await _outage(url)

    try:
        posted = scale.post([hook], plan, rate=POST_RATE, during=drop_connections)
        assert intake.process is not None
        assert intake.process.poll() is None, intake.log()[-5000:]
        wait_until(lambda: _ready(intake), 60, "the intake ready again")
    finally:
        code = intake.stop()
    assert code == 0, intake.log()[-5000:]
    dropped, busy = outage["dropped"]
    assert busy > 0, f"no connection dropped inside a transaction ({dropped} idle): proved nothing"

    assert all(p.done for p in posted), [p.attempts for p in posted if not p.done][:5]
    sends = scale.ok_sends(api)
    replies = scale.replies_by_update(posted, sends)
    unanswered_or_twice = {u: len(r) for u, r in replies.items() if len(r) != 1}
    assert not unanswered_or_twice, (unanswered_or_twice, intake.log()[-5000:])
    apologies = {u: str(r[0].params["text"]) for u, r in replies.items()}
    apologies = {u: text for u, text in apologies.items() if scale.SAVED_MARK not in text}
    assert not apologies, apologies
    assert scale.touch_counts(url) == Counter({p.token: 1 for p in plan})
    retried = [p for p in posted if len(p.attempts) > 1]
    print(
        f"outage: {dropped} connection(s) dropped, {busy} of them in a transaction; "
        f"{len(retried)} update(s) posted again after a failed POST"
    )


def _all_sent(url: str) -> bool:
    return all(row.state == "sent" for row in scale.reminders(url))


def test_worker_sends_every_reminder_once_when_its_connections_drop(
    api: FakeTelegramAPI, tmp_path: Path
) -> None:
    url = fresh_postgres()
    scale.seed(url, MANAGERS, REMINDERS_EACH)
    api.reset()
    worker = Role(api, tmp_path / "worker", ["worker"], env={"DATABASE_URL": url})

    def sent_so_far() -> int:
        return sum(1 for c in scale.ok_sends(api) if scale.is_reminder(c))

    worker.start()
    try:
        # Mid-delivery: some reminders out, most still to go (one a second per chat).
        wait_until(lambda: sent_so_far() >= 5, 60, "the first reminders out")
        before = sent_so_far()
        dropped, busy = asyncio.run(_outage(url))
        after = sent_so_far()
        wait_until(lambda: _all_sent(url), DONE_TIMEOUT, "every reminder sent")
        assert worker.process is not None
        assert worker.process.poll() is None, worker.log()[-5000:]
        wait_until(lambda: _ready(worker), 60, "the worker ready again")
    finally:
        code = worker.stop()
    assert code == 0, worker.log()[-5000:]
    assert busy > 0, f"no connection dropped inside a transaction ({dropped} idle): proved nothing"
    total = MANAGERS * REMINDERS_EACH
    assert after < total, "the outage came after the delivery: the test proved nothing"

    rows = scale.reminders(url)
    assert len(rows) == total
    sends = [c for c in scale.ok_sends(api) if scale.is_reminder(c)]
    per_token = Counter(scale.reminder_token(c) for c in sends)
    assert per_token == Counter({row.token: 1 for row in rows}), {
        t: n for t, n in per_token.items() if n != 1
    }
    per_chat = Counter(int(c.params["chat_id"]) for c in sends)
    assert per_chat == Counter({chat: REMINDERS_EACH for chat in scale.telegram_ids(MANAGERS)})
    print(
        f"outage: {dropped} connection(s) dropped, {busy} of them in a transaction; "
        f"{before}→{after} of {total} reminders out across it"
    )
