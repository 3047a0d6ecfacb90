"""Benchmark P10 on the real process (issue 18), printed figures: users seen once vs cost.

The real `python -m bot` (SQLite) polls the in-process fake Telegram Bot API. Ten regular users
log touches (`/call`, as bench_logging); then N new users write once (`/start`) and never again;
the ten log the same touches again; then 10×N users in all. Printed: CPU per `/call` at each
mark and the ratio (goal ≤ 1.15), and the process's RSS growth per 1,000 users seen once (goal
≤ 0.3 MB). bench_p10_users.py measures the same in-process on SQLite and PostgreSQL.

Run: .venv/bin/python -m bench.bench_p10_process [--users 1000] [--updates 500]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.bench_logging import (
    Result,
    fake_api,
    measure,
    push_bounded,
    round_robin,
    running,
    set_up_kambot,
    touch_text,
    user_ids,
)
from tests.e2e.harness import BotProcess
from tests.fakes.telegram_api import FakeTelegramAPI

GOAL_CPU_RATIO = 1.15
GOAL_MB_PER_1000 = 0.3
FIRST_NEWCOMER = 5_000_000
SETTLE_SECONDS = 5.0  # the reminder job's first minute after the sign-ups


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def newcomers(api: FakeTelegramAPI, first: int, count: int) -> float:
    """`count` users write `/start` once; returns the seconds it took."""
    started = time.monotonic()
    push_bounded(api, [(first + i, "/start") for i in range(count)], started + 3600)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=1000, help="the small mark; big = 10x")
    parser.add_argument("--updates", type=int, default=500, help="/call updates per mark")
    args = parser.parse_args()
    small, big = args.users, args.users * 10
    with tempfile.TemporaryDirectory(prefix="kambot-bench-p10-") as tmp, fake_api() as api:
        process = BotProcess(api, Path(tmp) / "kambot", env={"HEALTH_PORT": "0"})
        with running(process, "kambot") as pid:
            is_reply = set_up_kambot(api, 10)
            plan = round_robin(user_ids(10), args.updates, touch_text)
            seconds = newcomers(api, FIRST_NEWCOMER, small)
            time.sleep(SETTLE_SECONDS)
            at_small, rss_small = measure(api, "kambot", pid, plan, is_reply), rss_mb(pid)
            seconds += newcomers(api, FIRST_NEWCOMER + small, big - small)
            time.sleep(SETTLE_SECONDS)
            at_big, rss_big = measure(api, "kambot", pid, plan, is_reply), rss_mb(pid)
    report(small, big, seconds, (at_small, rss_small), (at_big, rss_big))


def report(
    small: int, big: int, seconds: float, first: tuple[Result, float], last: tuple[Result, float]
) -> None:
    (at_small, rss_small), (at_big, rss_big) = first, last
    ratio = at_big.cpu_ms_per_update / at_small.cpu_ms_per_update
    per_1000 = (rss_big - rss_small) / ((big - small) / 1000)
    print(f"P10 on the real process (SQLite): {big:,} users signed up in {seconds:.0f} s")
    for users, result, rss in ((small, at_small, rss_small), (big, at_big, rss_big)):
        print(
            f"  {users:>7,} users: {result.cpu_ms_per_update:.2f} CPU ms per /call "
            f"(p95 {result.p95_ms:.0f} ms), RSS {rss:.1f} MB"
        )
    cpu_verdict = "met" if ratio <= GOAL_CPU_RATIO else "MISSED"
    mem_verdict = "met" if per_1000 <= GOAL_MB_PER_1000 else "MISSED"
    print(f"  CPU ratio {ratio:.2f} (goal <= {GOAL_CPU_RATIO}: {cpu_verdict})")
    print(f"  RSS +{per_1000:.3f} MB per 1,000 users (goal <= {GOAL_MB_PER_1000}: {mem_verdict})")


if __name__ == "__main__":
    main()
