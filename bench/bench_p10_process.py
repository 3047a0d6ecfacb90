"""Benchmark P10 on the real process (issue 18), printed figures: users seen once vs cost.

The real `python -m bot` (SQLite) polls the in-process fake Telegram Bot API. Ten regular users
log touches (`/call`, as bench_logging); then newcomers arrive, as in the issue's run: each one's
first message logs a touch (`/call Ромашка обсудили поставку`), they tap "create" under the
first-client prompt, and are never heard from again. The ten log the same touches again at each
mark: SMALL, 10 x SMALL and 20 x SMALL newcomers.

Printed: CPU per `/call` at each mark and the ratio 10x / 1x (goal <= 1.15); RSS per 1,000
newcomers (goal <= 0.3 MB) from 10x to 20x, after the process's one-off growth: the first
thousands of updates raise RSS by 10-15 MB whatever the users do (glibc arenas of the worker
threads, SQLite page caches, lazily built parser caches; the same growth with `/help` as the only
message), then it flattens. The 1x -> 10x figure is printed too.

`--newcomers start`: each newcomer sends `/start` and leaves the onboarding questions unanswered,
so each holds an open dialog in the in-memory FSM for its idle day (bot/fsm_storage.py): the
cost of an open dialog per 1,000 users, which FSM on Redis (REDIS_URL) moves out of the process.

Run: .venv/bin/python -m bench.bench_p10_process [--users 1000] [--updates 500]
     [--newcomers touch|start]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.bench_logging import (
    MAX_OUTSTANDING,
    Result,
    fake_api,
    measure,
    push_bounded,
    round_robin,
    running,
    set_up_kambot,
    touch_text,
    user_ids,
    wait_handled,
)
from tests.e2e.harness import BotProcess
from tests.fakes.telegram_api import FakeTelegramAPI

GOAL_CPU_RATIO = 1.15
GOAL_MB_PER_1000 = 0.3
FIRST_NEWCOMER = 5_000_000
FIRST_TOUCH = "/call Ромашка обсудили поставку"
SETTLE_SECONDS = 5.0  # the reminder job's first minute after the sign-ups
BATCH = 500
# The harness's THROTTLE_BURST (10,000) lets the regulars tap faster than a thumb; with the
# default rate its buckets would take 5,000 s to refill and never be swept. A matching rate
# keeps the sweep as in production (a full bucket dropped after burst / rate seconds).
ENV = {"HEALTH_PORT": "0", "THROTTLE_RATE": "10000"}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def first_button(api: FakeTelegramAPI, chat_id: int) -> tuple[int, str] | None:
    """The first inline button of the newest message to `chat_id` (the first-client prompt's
    "create" comes first)."""
    for message in sorted(api.messages(chat_id), key=lambda m: m["message_id"], reverse=True):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        if rows and "callback_data" in rows[0][0]:
            return message["message_id"], rows[0][0]["callback_data"]
    return None


def tap_create(api: FakeTelegramAPI, chats: list[int], deadline: float) -> int:
    """Taps the prompt's first button in every chat, MAX_OUTSTANDING at a time; returns taps."""
    pushed: list[int] = []
    for chat in chats:
        button = first_button(api, chat)
        if button is None:
            continue
        if len(pushed) >= MAX_OUTSTANDING:
            wait_handled(api, pushed[-MAX_OUTSTANDING], deadline)
        pushed.append(api.push_callback(chat, button[1], button[0]))
    if pushed:
        wait_handled(api, pushed[-1], deadline)
    return len(pushed)


def newcomers(api: FakeTelegramAPI, first: int, count: int, kind: str) -> tuple[float, int]:
    """`count` users write once (and tap once for `touch`); returns (seconds, taps)."""
    started = time.monotonic()
    deadline = started + 3600
    taps = 0
    for low in range(first, first + count, BATCH):
        chats = list(range(low, min(low + BATCH, first + count)))
        text = FIRST_TOUCH if kind == "touch" else "/start"
        push_bounded(api, [(chat, text) for chat in chats], deadline)
        if kind == "touch":
            taps += tap_create(api, chats, deadline)
    return time.monotonic() - started, taps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=1000, help="the first mark; then 10x, 20x")
    parser.add_argument("--updates", type=int, default=500, help="/call updates per mark")
    parser.add_argument("--newcomers", choices=("touch", "start"), default="touch")
    args = parser.parse_args()
    marks = [args.users, args.users * 10, args.users * 20]
    results: list[tuple[int, Result, float]] = []
    seconds, taps, seen = 0.0, 0, 0
    with tempfile.TemporaryDirectory(prefix="kambot-bench-p10-") as tmp, fake_api() as api:
        process = BotProcess(api, Path(tmp) / "kambot", env=ENV)
        with running(process, "kambot") as pid:
            is_reply = set_up_kambot(api, 10)
            plan = round_robin(user_ids(10), args.updates, touch_text)
            for mark in marks:
                took, tapped = newcomers(api, FIRST_NEWCOMER + seen, mark - seen, args.newcomers)
                seconds, taps, seen = seconds + took, taps + tapped, mark
                time.sleep(SETTLE_SECONDS)
                results.append((mark, measure(api, "kambot", pid, plan, is_reply), rss_mb(pid)))
    report(args.newcomers, seconds, taps, results)


def report(kind: str, seconds: float, taps: int, results: list[tuple[int, Result, float]]) -> None:
    (small, at_small, rss_small), (big, at_big, rss_big), (last, _, rss_last) = results
    ratio = at_big.cpu_ms_per_update / at_small.cpu_ms_per_update
    ramp = (rss_big - rss_small) / ((big - small) / 1000)
    per_1000 = (rss_last - rss_big) / ((last - big) / 1000)
    what = "first touch + tap create" if kind == "touch" else "/start, onboarding left open"
    print(f"P10 on the real process (SQLite): {last:,} newcomers ({what}) in {seconds:.0f} s")
    if kind == "touch":
        print(f"  {taps:,} of {last:,} newcomers tapped create under the first-client prompt")
    for users, result, rss in results:
        print(
            f"  {users:>7,} newcomers: {result.cpu_ms_per_update:.2f} CPU ms per /call "
            f"(p95 {result.p95_ms:.0f} ms), RSS {rss:.1f} MB"
        )
    cpu_verdict = "met" if ratio <= GOAL_CPU_RATIO else "MISSED"
    mem_verdict = "met" if per_1000 <= GOAL_MB_PER_1000 else "MISSED"
    print(f"  CPU ratio {big:,} / {small:,}: {ratio:.2f} (goal <= {GOAL_CPU_RATIO}: {cpu_verdict})")
    print(f"  RSS {small:,} -> {big:,}: +{ramp:.3f} MB per 1,000 (one-off growth included)")
    print(
        f"  RSS {big:,} -> {last:,}: +{per_1000:.3f} MB per 1,000 newcomers "
        f"(goal <= {GOAL_MB_PER_1000}: {mem_verdict})"
    )


if __name__ == "__main__":
    main()
