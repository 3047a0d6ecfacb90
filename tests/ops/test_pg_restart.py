"""PostgreSQL restarting mid-run (issue 11, "bad input"), with the refusals a real restart has.

tests/ops/test_pg_outage.py drops the processes' connections; a restart also leaves the server
unreachable for some seconds (new connections refused) and then answering "the database system
is starting up" (57P03) while it recovers. The machine's server is shared, so a proxy on
loopback (tests/ops/pg_proxy.py) plays the restart between the processes and it.

A `serve` under a stream of touches and a `worker` in the middle of a long delivery go through
two restarts. Telegram (the poster) posts an update again after a failed POST; every update must
be answered and stored once, every reminder sent once, both processes must say "not ready"
while the database is away and "ready" soon after it is back, stay alive, and log nothing at
ERROR but the connection failures themselves."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes.telegram_api import FakeTelegramAPI
from tests.ops import scale_support as scale
from tests.ops.pg_proxy import Cut, PgProxy
from tests.ops.support import (
    ON_POSTGRES,
    SECRET,
    Role,
    free_port,
    fresh_postgres,
    http_get,
    kambot,
    wait_until,
)
from tests.support.mocked_bot import BOT_TOKEN

pytestmark = ON_POSTGRES

MANAGERS = 30
TOUCHES_EACH = 4
POST_RATE = 8.0  # updates a second: the 120 updates take about 15 s, both restarts inside
# 600 reminders at one a chat every 1.25 s: about 25 s of delivery, both restarts inside.
REMINDERS_EACH = 20
RESTARTS = 2
REFUSED_FOR = 3.0  # seconds no connection is accepted
STARTING_FOR = 1.0  # then seconds of "the database system is starting up"
BETWEEN = 2.0  # seconds up between the two restarts
CUT_WHEN_BUSY_WITHIN = 2.0  # seconds a restart may wait for a statement under way to cut
READY_BOUND = 10.0  # seconds after the database is back by which both must be ready
DONE_TIMEOUT = 150.0
# The ERROR lines a restart may leave: an update answered 500 for Telegram to send again, as
# aiogram and aiohttp log it (with its traceback), and only for a connection failure. Anything
# else, an apology to a user or a scheduler job that failed included, is a finding.
EXPECTED_LOGGERS = {"aiogram.event", "aiohttp.server"}
CONNECTION_FAILURES = (
    "ConnectionRefusedError",
    "ConnectionResetError",
    "ConnectionDoesNotExistError",
    "underlying connection is closed",
    "connection is closed",
    "connection was closed",
    "the database system is starting up",
)

EXCEPTION_LINE = re.compile(r"^[\s|]*([A-Za-z_][\w.]*(?:Error|Exception|Group)\b.*)$", re.MULTILINE)


@dataclass
class Restart:
    cut: Cut
    sent_before: int
    ready_while_refused: list[int]
    ready_while_starting: list[int]
    ready_after: float  # seconds from up() until both answered /readyz 200


def _ready(role: Role) -> int:
    return http_get(role.url("/readyz"))[0]


def _roles(api: FakeTelegramAPI, workdir: Path, url: str) -> tuple[Role, str, Role]:
    port = free_port()
    common = {"DATABASE_URL": url, "LOG_FORMAT": "json"}
    serve_env = {
        **common,
        "WEBHOOK_URL": scale.HOOK_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_PORT": str(port),
    }
    serve = Role(api, workdir / "serve", ["serve"], env=serve_env, health_port=port)
    worker = Role(api, workdir / "worker", ["worker"], env=common)
    return serve, f"http://127.0.0.1:{port}/telegram/webhook", worker


def _reminders_sent(api: FakeTelegramAPI) -> int:
    return sum(1 for c in scale.ok_sends(api) if scale.is_reminder(c))


def _unexpected_errors(log: str) -> list[str]:
    """ERROR lines (and stray tracebacks) other than an update's 500 for a lost connection."""
    found = []
    for line in log.splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            if "Traceback" in line:
                found.append(line)
            continue
        if entry.get("level") not in {"ERROR", "CRITICAL"}:
            continue
        # The exception the traceback ends in (SQLAlchemy adds a line of link after it; a group
        # ends in its last sub-exception's); a line without a traceback stands for itself.
        raised = [m.group(1) for m in EXCEPTION_LINE.finditer(str(entry.get("exc") or ""))]
        what = raised[-1] if raised else str(entry.get("msg"))
        expected = entry.get("logger") in EXPECTED_LOGGERS
        if not (expected and any(failure in what for failure in CONNECTION_FAILURES)):
            found.append(f"{entry.get('logger')}: {entry.get('msg')} / {what}")
    return found


def test_serve_and_worker_ride_out_two_restarts(api: FakeTelegramAPI, tmp_path: Path) -> None:
    url = fresh_postgres()
    scale.seed(url, MANAGERS, REMINDERS_EACH)
    api.reset()
    plan = scale.touch_plan(scale.telegram_ids(MANAGERS), per_user=TOUCHES_EACH)
    restarts: list[Restart] = []
    with PgProxy(url) as proxy:
        serve, hook, worker = _roles(api, tmp_path, proxy.url)

        def both_ready() -> list[int]:
            return [_ready(serve), _ready(worker)]

        async def restart() -> Restart:
            sent_before = _reminders_sent(api)
            cut = await asyncio.to_thread(proxy.down, CUT_WHEN_BUSY_WITHIN)
            await asyncio.sleep(REFUSED_FOR / 2)
            refused = await asyncio.to_thread(both_ready)
            await asyncio.sleep(REFUSED_FOR / 2)
            await asyncio.to_thread(proxy.starting)
            starting = await asyncio.to_thread(both_ready)
            await asyncio.sleep(STARTING_FOR)
            await asyncio.to_thread(proxy.up)
            back = time.monotonic()
            await asyncio.to_thread(
                wait_until, lambda: both_ready() == [200, 200], READY_BOUND, "both ready again"
            )
            return Restart(cut, sent_before, refused, starting, time.monotonic() - back)

        async def restart_twice(poster: scale.Poster) -> None:
            await poster.wait_done(10)  # the pools are warm: there are connections to cut
            await poster.wait_in_flight(0)  # and an update in the intake's hands
            for n in range(RESTARTS):
                if n:
                    await asyncio.sleep(BETWEEN)
                restarts.append(await restart())

        scale.start_all([serve, worker])
        try:
            posted = scale.post([hook], plan, rate=POST_RATE, during=restart_twice)
            wait_until(
                lambda: all(r.state == "sent" for r in scale.reminders(url)),
                DONE_TIMEOUT,
                "every reminder sent",
            )
            for role in (serve, worker):
                assert role.process is not None
                assert role.process.poll() is None, role.log()[-5000:]
            assert both_ready() == [200, 200]
        finally:
            codes = [serve.stop(), worker.stop()]
        logs = serve.log() + worker.log()
        refused_while_starting = proxy.refused_while_starting
    assert codes == [0, 0], logs[-5000:]

    # The restarts hit work under way: a connection cut mid-transaction, updates posted again,
    # reminders still to send after the second one began, a start-up refused with 57P03.
    assert len(restarts) == RESTARTS
    busy = sum(r.cut.busy for r in restarts)
    assert busy > 0, f"no connection cut inside a transaction: {restarts}"
    retried = [p for p in posted if len(p.attempts) > 1]
    assert retried, "no update was posted again: the restarts missed the intake"
    total = MANAGERS * REMINDERS_EACH
    assert restarts[-1].sent_before < total, "the delivery was over before the second restart"
    assert refused_while_starting > 0

    for r in restarts:
        assert 200 not in r.ready_while_refused, r
        assert 200 not in r.ready_while_starting, r
        assert r.ready_after <= READY_BOUND, r

    assert all(p.done for p in posted), [p.attempts for p in posted if not p.done][:5]
    replies = scale.replies_by_update(posted, scale.ok_sends(api))
    unanswered_or_twice = {u: len(r) for u, r in replies.items() if len(r) != 1}
    assert not unanswered_or_twice, (unanswered_or_twice, serve.log()[-5000:])
    apologies = {u: str(r[0].params["text"]) for u, r in replies.items()}
    apologies = {u: text for u, text in apologies.items() if scale.SAVED_MARK not in text}
    assert not apologies, apologies
    assert scale.touch_counts(url) == Counter({p.token: 1 for p in plan})

    rows = scale.reminders(url)
    assert len(rows) == total
    sends = [c for c in scale.ok_sends(api) if scale.is_reminder(c)]
    per_token = Counter(scale.reminder_token(c) for c in sends)
    assert per_token == Counter({row.token: 1 for row in rows}), {
        t: n for t, n in per_token.items() if n != 1
    }

    unexpected = _unexpected_errors(logs)
    assert not unexpected, unexpected[:10]
    print(
        "restarts: "
        + "; ".join(
            f"{r.cut.connections} connection(s) cut, {r.cut.busy} in a transaction, "
            f"ready {r.ready_after:.1f} s after up"
            for r in restarts
        )
        + f"; {len(retried)} update(s) posted again; {refused_while_starting} connection(s) "
        "refused with 57P03"
    )


@pytest.mark.parametrize("phase", ["refused", "starting"])
def test_serve_with_the_database_away_at_start_exits_with_one_line(
    tmp_path: Path, phase: str
) -> None:
    url = fresh_postgres()
    with PgProxy(url) as proxy:
        if phase == "refused":
            proxy.down()
        else:
            proxy.starting()
        env = {
            "BOT_TOKEN": BOT_TOKEN,
            "TELEGRAM_API_URL": "http://127.0.0.1:9",  # never reached
            "DATABASE_URL": proxy.url,
            "WEBHOOK_URL": scale.HOOK_URL,
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_PORT": str(free_port()),
        }
        started = time.monotonic()
        result = kambot(tmp_path, "serve", timeout=60, **env)
        took = time.monotonic() - started
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2, result.stderr
    assert lines, "nothing on stderr"
    assert lines[-1].startswith("kambot: cannot reach the database"), result.stderr
    assert "Traceback" not in result.stderr
    print(f"{phase}: exit {result.returncode} after {took:.1f} s: {lines[-1]}")
