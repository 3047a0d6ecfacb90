"""The scale test of issue 11, for correctness: two `serve` intakes and two `worker`s on one
PostgreSQL + Redis, the fake Bot API enforcing Telegram's limits (30 msg/s per token, 1 msg/s per
chat, 429 beyond), and a poster playing Telegram's webhook side (round-robin over the intakes,
a failed POST posted again to the next one). Managers log touches while their reminders fall
due. Every update is answered once, every touch stored once, every reminder sent once; with
kill -9 of one intake and one worker in the middle nothing is lost, and what goes out twice is
only what the killed worker had already handed to Telegram.

200 managers here, 120 of them writing (about a minute and a half a test on 2 cores);
bench/bench_scale_out.py runs 1,000."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.ops import scale_support as scale
from tests.ops.support import IN_CI, ON_POSTGRES, REDIS_TEST_URL, fresh_postgres, wait_until

pytestmark = ON_POSTGRES

MANAGERS = 200
# 600 reminders: more than one claim batch (200), so both workers take a share of them.
REMINDERS_EACH = 3
# Managers who write while the 600 reminders go out: 120 touches at 3 a second.
TOUCHING = 120
# The workers share 25 msg/s and replies are not in that budget, so replies live on the rest of
# Telegram's 30. At 5 updates/s the fake's busiest second reached 30, and 1 or 2 replies in 200
# were refused with 429 three times in a row and deferred to the user's next update (logged
# "update handled and committed, but its reply failed"); at 3/s none in repeated runs.
POST_RATE = 3.0
DONE_TIMEOUT = 150.0  # a reminder refused with a 429 goes out again at the next minute's tick


@pytest.fixture
def redis_url() -> str:
    from redis.exceptions import ConnectionError as RedisConnectionError

    try:
        scale.flush_redis(REDIS_TEST_URL)
    except RedisConnectionError as exc:
        if IN_CI:
            raise
        pytest.skip(f"no Redis at {REDIS_TEST_URL} (required in CI): {exc}")
    return REDIS_TEST_URL


@pytest.fixture
def cluster(api: FakeTelegramAPI, tmp_path: Path, redis_url: str) -> Iterator[scale.Cluster]:
    url = fresh_postgres()
    scale.seed(url, MANAGERS, REMINDERS_EACH)
    api.reset()
    api.enforce_rate_limits(global_per_second=30, per_chat_per_second=1)
    cluster = scale.Cluster(api, tmp_path, url, redis_url)
    cluster.add_intake()
    cluster.add_intake()
    try:
        yield cluster
    finally:
        cluster.stop()  # whatever a failed start left running


def _all_sent(url: str) -> bool:
    return all(row.state == "sent" for row in scale.reminders(url))


def _reminder_sends(sends: list[Call]) -> Counter[str]:
    return Counter(token for c in sends if (token := scale.reminder_token(c)) is not None)


def test_every_update_answered_once_and_every_reminder_sent_once(
    cluster: scale.Cluster, api: FakeTelegramAPI
) -> None:
    cluster.add_worker()
    cluster.add_worker()
    scale.start_all(cluster.intakes)
    plan = scale.touch_plan(scale.telegram_ids(MANAGERS)[:TOUCHING], per_user=1)

    async def workers_start_meanwhile(_: scale.Poster) -> None:
        # Reminders fall due as the managers write: replies and reminders share the chats.
        await asyncio.to_thread(scale.start_all, cluster.workers)

    try:
        posted = scale.post(cluster.hooks, plan, rate=POST_RATE, during=workers_start_meanwhile)
        wait_until(lambda: _all_sent(cluster.database_url), DONE_TIMEOUT, "every reminder sent")
    finally:
        codes = cluster.stop()
    assert set(codes.values()) == {0}, cluster.logs()
    # A worker that thinks Redis is down sends on its own limiter, outside the shared budget
    # (redis-py's pool refused the 101st concurrent request as "Too many connections").
    assert "Redis unreachable" not in cluster.full_logs()

    assert all(p.done for p in posted), [p.attempts for p in posted if not p.done][:5]
    sends = scale.ok_sends(api)
    replies = scale.replies_by_update(posted, sends)
    counts = Counter(len(r) for r in replies.values())
    assert counts == Counter({1: len(plan)}), counts
    assert all(scale.SAVED_MARK in str(r[0].params["text"]) for r in replies.values())

    touches = scale.touch_counts(cluster.database_url)
    assert touches == Counter({p.token: 1 for p in plan})

    rows = scale.reminders(cluster.database_url)
    assert len(rows) == MANAGERS * REMINDERS_EACH
    assert _reminder_sends(sends) == Counter({row.token: 1 for row in rows})
    # Both workers delivered: the claims of one did not leave the other idle.
    assert len({row.claimed_by for row in rows}) == 2, Counter(r.claimed_by for r in rows)


def test_kill_9_of_an_intake_and_a_worker_loses_nothing(
    cluster: scale.Cluster, api: FakeTelegramAPI
) -> None:
    url = cluster.database_url
    victim, survivor = cluster.add_worker(), cluster.add_worker()
    scale.start_all(cluster.intakes)
    plan = scale.touch_plan(scale.telegram_ids(MANAGERS)[:TOUCHING], per_user=1)
    killed: dict[str, object] = {}

    def claimed_by() -> set[str]:
        return {r.claimed_by for r in scale.reminders(url) if r.state == "claimed" and r.claimed_by}

    async def kill_in_the_middle(poster: scale.Poster) -> None:
        # The victim starts alone, so the first claims in the database are its own.
        await asyncio.to_thread(victim.start)
        await asyncio.to_thread(wait_until, lambda: claimed_by(), 60, "the victim's first claim")
        [victim_id] = await asyncio.to_thread(claimed_by)
        await asyncio.to_thread(survivor.start)
        await poster.wait_done(10)
        await poster.wait_in_flight(0)  # kill it with an update in its hands
        await asyncio.gather(
            asyncio.to_thread(scale.kill, cluster.intakes[0]),
            asyncio.to_thread(scale.kill, victim),
        )
        killed["at"] = time.monotonic()
        # Dead, it changes nothing more: its rows still claimed are the ones it may or may not
        # have handed to Telegram.
        rows = await asyncio.to_thread(scale.reminders, url)
        killed["orphans"] = {
            r.token for r in rows if r.state == "claimed" and r.claimed_by == victim_id
        }
        killed["expired"] = await asyncio.to_thread(scale.expire_leases, url, victim_id)

    try:
        posted = scale.post(cluster.hooks, plan, rate=POST_RATE, during=kill_in_the_middle)
        wait_until(lambda: _all_sent(url), DONE_TIMEOUT, "every reminder sent")
    finally:
        codes = cluster.stop()
    assert set(codes.values()) == {0}, cluster.logs()  # the two left, stopped with SIGTERM
    kill_at = killed["at"]
    orphans = killed["orphans"]
    assert isinstance(kill_at, float)
    assert isinstance(orphans, set)
    assert orphans, "the worker was killed with nothing claimed: the test proved nothing"

    # Updates. Every POST eventually got its 200, from the intake left if not the killed one.
    assert all(p.done for p in posted), [p.attempts for p in posted if not p.done][:5]
    cut = [p for p in posted if any(a.intake == 0 and a.status is None for a in p.attempts)]
    assert cut, "no POST failed on the killed intake: the test proved nothing"
    sends = scale.ok_sends(api)
    late = [c for c in sends if scale.is_late_confirmation(c)]
    replies = scale.replies_by_update(posted, [c for c in sends if c not in late])
    touches = scale.touch_counts(url)
    assert touches == Counter({p.token: 1 for p in plan}), "a touch lost or stored twice"
    # The touch and the update's id commit together, before the reply is sent. So an update the
    # killed intake was handling has one reply (from whichever intake committed it) or, if it
    # died between its commit and its reply, none: the intake left finds the update handled and
    # stays silent. Never two: the killed intake's reply follows its commit. That window is not
    # a few ms: a reply refused with 429 (a reminder to the same chat a moment before) waits a
    # second before its next try. The intake keeps the confirmation (in Redis) before it waits,
    # so the manager's next update says it late: "saved, no need to repeat it".
    in_flight = {
        p.planned.update_id
        for p in cut
        if any(a.intake == 0 and a.status is None and a.started < kill_at for a in p.attempts)
    }
    unanswered = {u for u, r in replies.items() if not r}
    assert unanswered <= in_flight, sorted(unanswered - in_flight)
    assert unanswered <= scale.processed(url, sorted(unanswered))
    assert all(len(r) <= 1 for r in replies.values()), [r for r in replies.values() if len(r) > 1]
    user_of = {p.planned.update_id: p.planned.user for p in posted}
    last_of = {
        p.planned.user: p.planned.update_id for p in sorted(posted, key=lambda p: p.first_at)
    }
    told = Counter(int(c.params["chat_id"]) for c in late)
    # Unanswered and not the manager's last update: told late, once. (A late notice for an update
    # that did get its reply is possible only if the kill fell after the retry's send and before
    # the notice was taken back: not seen, and allowed as harmless.)
    owed = {user_of[u] for u in unanswered if last_of[user_of[u]] != u}
    assert owed <= set(told), sorted(owed - set(told))
    assert max(told.values(), default=0) <= 1, told

    # Reminders. Each went out; twice only if the killed worker had claimed it, had handed it
    # to Telegram (the fake saw it before the kill) and died before recording it as sent: the
    # survivor takes it again once the lease is over. That is "duplicates only for requests
    # Telegram had already taken".
    rows = scale.reminders(url)
    per_token = _reminder_sends(sends)
    assert set(per_token) == {row.token for row in rows}, "a reminder lost"
    taken_before_kill = {
        scale.reminder_token(c) for c in sends if scale.is_reminder(c) and c.at < kill_at
    }
    twice = {token for token, n in per_token.items() if n > 1}
    assert twice <= orphans & taken_before_kill, sorted(twice - (orphans & taken_before_kill))
    assert max(per_token.values()) <= 2
    print(
        f"kill -9: {len(in_flight)} update(s) cut on the intake, {len(unanswered)} of them "
        f"committed but unanswered, {len(late)} confirmation(s) said late; "
        f"{len(orphans)} reminder(s) orphaned, "
        f"{len(twice)} sent twice"
    )
