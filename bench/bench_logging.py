"""Benchmark P1, printed figures (not a pass/fail test): logging a touch over real HTTP.

kambot (the real `python -m bot` process, SQLite) answering `/call <client> <text>` against
aiogram echo bots (`python -m bench.echo_bot`) polling the same in-process fake Telegram Bot API,
measured in the same run:
- echo: answers with the same text (aiogram plus the HTTP round trips);
- echo+db: saves the text first, one INSERT + COMMIT (the goal's baseline, issue 12);
- echo+7sql: runs as many statements of the same kinds as kambot's logged touch, as plain SQL
  (two indexed SELECTs, four INSERTs, one UPDATE, COMMIT): the floor of a bot that writes what
  kambot writes, with no ORM and no logic.
Goal (issue 12): kambot's CPU per logged touch and its p95 latency each <= 2.0x echo+db's.

The fake has one update queue for every token, and a second poller would end the first one's
getUpdates with a 409 conflict, so the bots run one after the other (echoes first, then kambot),
each against a fresh FakeTelegramAPI.

Both bots poll with handle_as_tasks=False: updates are handled one at a time, in update_id
order, and an update is confirmed (api.confirmed_offset > update_id) only after its handler
finished. That order is how replies are matched to updates (see match_replies).

Run: .venv/bin/python -m bench.bench_logging [--updates N] [--users U]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bench.common import median_ms, p95_ms
from tests.e2e.harness import ROOT, BotProcess, Chat
from tests.fakes.telegram_api import Call, FakeTelegramAPI

ECHO_TOKEN = "7654321:EchoBenchAAbbCCddEEffGGhhIIjjKKllM"
TOUCH_TEXT = "/call Ромашка{i} обсудили поставку, КП в пятницу"
SAVED_MARK = "Записал"
CREATE_BUTTON = "Создать нового клиента"
FIRST_USER_ID = 910_001
WARM_UP_ECHOES = 10
MAX_OUTSTANDING = 20
STARTUP_TIMEOUT = 60.0
STEP_TIMEOUT = 15.0
MEASURE_TIMEOUT = 60.0
POLL_INTERVAL = 0.0005
GOAL_RATIO = 2.0  # kambot's CPU per update and p95 latency, each against echo+db's
ECHO_MODES = ("echo", "echo+db", "echo+7sql")

# A reply test: (the update as pushed, the sendMessage call) -> is this the update's answer?
ReplyTest = Callable[["Pushed", Call], bool]


@dataclass(frozen=True)
class Pushed:
    update_id: int
    chat_id: int
    text: str
    at: float  # time.monotonic() just before the push


@dataclass(frozen=True)
class Result:
    bot: str
    updates: int
    seconds: float
    latencies: list[float]
    cpu_seconds: float
    main_thread_cpu_seconds: float
    harness_cpu_seconds: float  # this process: the fake API thread plus the pushing loop

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds if self.seconds > 0 else 0.0

    @property
    def p50_ms(self) -> float:
        return median_ms(self.latencies)

    @property
    def p95_ms(self) -> float:
        return p95_ms(self.latencies)

    @property
    def cpu_ms_per_update(self) -> float:
        return self.cpu_seconds / self.updates * 1000

    @property
    def threads_cpu_ms_per_update(self) -> float:
        return (self.cpu_seconds - self.main_thread_cpu_seconds) / self.updates * 1000

    @property
    def harness_cpu_ms_per_update(self) -> float:
        return self.harness_cpu_seconds / self.updates * 1000


# ---------------------------------------------------------------- processes


def _stat_cpu_seconds(stat_path: Path) -> float:
    """utime + stime from a /proc stat file (fields 14 and 15), in seconds."""
    fields = stat_path.read_text().rsplit(")", 1)[1].split()  # the name may hold spaces
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    return _stat_cpu_seconds(Path(f"/proc/{pid}/stat"))


def main_thread_cpu_seconds(pid: int) -> float:
    """The event loop's thread alone; the rest of the process is worker threads (the database
    driver's thread runs SQLite itself)."""
    return _stat_cpu_seconds(Path(f"/proc/{pid}/task/{pid}/stat"))


class EchoProcess:
    """The echo bot as a subprocess against the fake API, started and stopped like BotProcess."""

    def __init__(self, api: FakeTelegramAPI, workdir: Path, mode: str) -> None:
        self.api = api
        self.workdir = workdir
        self.mode = mode
        self.process: subprocess.Popen[str] | None = None
        self._log: IO[str] | None = None

    def start(self, timeout: float = STARTUP_TIMEOUT) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
        env.update(PYTHONPATH=str(ROOT), BOT_TOKEN=ECHO_TOKEN, TELEGRAM_API_URL=self.api.base_url)
        if self.mode != "echo":
            env["ECHO_DATABASE_URL"] = f"sqlite+aiosqlite:///{self.workdir / 'echo.db'}"
        if self.mode == "echo+7sql":
            env["ECHO_STATEMENTS"] = "kambot"
        mark = self.api.mark()
        self._log = (self.workdir / "echo.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.echo_bot"],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            self.api.wait_for("getUpdates", timeout=timeout, after=mark)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"echo bot did not start; log:\n{self.log()}") from None

    def log(self) -> str:
        path = self.workdir / "echo.log"
        return path.read_text() if path.exists() else ""

    def stop(self, timeout: float = 15.0) -> int:
        if self.process is None:
            return 0
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        return code


@contextmanager
def fake_api() -> Iterator[FakeTelegramAPI]:
    api = FakeTelegramAPI().start()
    try:
        yield api
    finally:
        api.stop()


@contextmanager
def running(bot: EchoProcess | BotProcess, name: str) -> Iterator[int]:
    """Starts the bot, yields its pid, always stops it; warns about an unclean exit."""
    bot.start(timeout=STARTUP_TIMEOUT)
    assert bot.process is not None
    try:
        yield bot.process.pid
    finally:
        code = bot.stop()
        if code != 0:
            print(f"warning: {name} exited with code {code}; log:\n{bot.log()[-2000:]}")


# ---------------------------------------------------------------- pushing and matching


def user_ids(users: int) -> list[int]:
    return [FIRST_USER_ID + i for i in range(users)]


def touch_text(user_index: int) -> str:
    return TOUCH_TEXT.format(i=user_index)


def wait_handled(api: FakeTelegramAPI, update_id: int, deadline: float) -> None:
    while api.confirmed_offset <= update_id:
        if time.monotonic() > deadline:
            raise TimeoutError(f"update {update_id} not handled in time")
        time.sleep(POLL_INTERVAL)


def push_bounded(
    api: FakeTelegramAPI, plan: list[tuple[int, str]], deadline: float
) -> list[Pushed]:
    """Pushes (chat_id, text) in order, keeping at most MAX_OUTSTANDING unconfirmed updates."""
    pushed: list[Pushed] = []
    for chat_id, text in plan:
        if pushed:
            # Room for one more once the update MAX_OUTSTANDING back has been confirmed.
            oldest = pushed[-1].update_id + 1 - MAX_OUTSTANDING
            wait_handled(api, oldest, deadline)
        at = time.monotonic()
        update_id = api.push_message(chat_id, text)
        pushed.append(Pushed(update_id, chat_id, text, at))
    wait_handled(api, pushed[-1].update_id, deadline)
    return pushed


def sent_messages(api: FakeTelegramAPI, mark: int) -> list[Call]:
    return [c for c in api.calls()[mark:] if c.method == "sendMessage" and c.ok]


def call_chat_id(call: Call) -> int | None:
    try:
        return int(call.params["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None


def match_replies(pushed: list[Pushed], calls: list[Call], is_reply: ReplyTest) -> list[Call]:
    """The answer to each update, in pushed order (a prefix if some are missing).

    Different chats are handled side by side (bot/polling.py), so a later update of another
    chat may be answered first; within one chat the order holds, so the n-th reply to a chat
    answers that chat's n-th update. Extra messages an update may send (a hint after the card)
    fail is_reply and are skipped rather than taken for the next update's answer. For a bot
    that handles updates one at a time this gives the same answers as one global scan, so
    figures from before and after per-chat concurrency compare.
    """
    by_chat: dict[int | None, deque[Call]] = defaultdict(deque)
    for call in calls:
        by_chat[call_chat_id(call)].append(call)
    answers: list[Call] = []
    for update in pushed:
        queue = by_chat[update.chat_id]
        while queue and not (queue[0].at >= update.at and is_reply(update, queue[0])):
            queue.popleft()
        if not queue:
            break
        answers.append(queue.popleft())
    return answers


def same_text(update: Pushed, call: Call) -> bool:
    return call.params.get("text") == update.text


def touch_saved(update: Pushed, call: Call) -> bool:
    return SAVED_MARK in str(call.params.get("text", ""))


def any_reply(update: Pushed, call: Call) -> bool:
    return True


# ---------------------------------------------------------------- one measured run


def measure(
    api: FakeTelegramAPI, bot: str, pid: int, plan: list[tuple[int, str]], is_reply: ReplyTest
) -> Result:
    mark = api.mark()
    cpu_before = process_cpu_seconds(pid)
    main_before = main_thread_cpu_seconds(pid)
    harness_before = time.process_time()
    pushed = push_bounded(api, plan, time.monotonic() + MEASURE_TIMEOUT)
    harness_cpu = time.process_time() - harness_before
    cpu = process_cpu_seconds(pid) - cpu_before
    main_cpu = main_thread_cpu_seconds(pid) - main_before
    answers = match_replies(pushed, sent_messages(api, mark), is_reply)
    if len(answers) < len(pushed):
        print(f"warning: {bot}: only {len(answers)} of {len(pushed)} updates got a matching reply")
    latencies = [call.at - update.at for update, call in zip(pushed, answers, strict=False)]
    seconds = max((c.at for c in answers), default=pushed[-1].at) - pushed[0].at
    return Result(bot, len(pushed), seconds, latencies, cpu, main_cpu, harness_cpu)


def round_robin(
    users: list[int], updates: int, text_for: Callable[[int], str]
) -> list[tuple[int, str]]:
    return [(users[n % len(users)], text_for(n % len(users))) for n in range(updates)]


def bench_echo(workdir: Path, updates: int, users: int, mode: str) -> Result:
    ids = user_ids(users)
    with (
        fake_api() as api,
        running(EchoProcess(api, workdir / mode, mode), mode) as pid,
    ):
        warm = round_robin(ids, WARM_UP_ECHOES, touch_text)
        pushed = push_bounded(api, warm, time.monotonic() + STEP_TIMEOUT * 2)
        calls = sent_messages(api, 0)
        if len(match_replies(pushed, calls, same_text)) < len(pushed):
            raise RuntimeError("the echo bot did not echo its warm-up messages")
        return measure(api, mode, pid, round_robin(ids, updates, touch_text), same_text)


def set_up_kambot(api: FakeTelegramAPI, users: int) -> ReplyTest:
    """/start and one client per user, then one touch each as warm-up; picks the reply test."""
    saved = 0
    for index, user_id in enumerate(user_ids(users)):
        chat = Chat(api, user_id, "ru")
        chat.send("/start", timeout=STEP_TIMEOUT)
        chat.send(f"/client Ромашка{index}", timeout=STEP_TIMEOUT)
        chat.click(CREATE_BUTTON, timeout=STEP_TIMEOUT)
        texts = chat.texts(chat.send(touch_text(index), timeout=STEP_TIMEOUT))
        saved += any(SAVED_MARK in text for text in texts)
        if index == 0 and not any(SAVED_MARK in text for text in texts):
            print(f"warning: /call did not log a touch (no {SAVED_MARK!r}); replies were:")
            print("\n".join(f"  {text[:200]!r}" for text in texts) or "  (none)")
    if saved == users:
        return touch_saved
    print(
        f"warning: {saved} of {users} warm-up touches were saved; "
        "measuring whatever kambot answers to /call instead"
    )
    return any_reply


def bench_kambot(workdir: Path, updates: int, users: int) -> Result:
    with fake_api() as api:
        bot = BotProcess(api, workdir / "kambot")
        with running(bot, "kambot") as pid:
            is_reply = set_up_kambot(api, users)
            plan = round_robin(user_ids(users), updates, touch_text)
            return measure(api, "kambot", pid, plan, is_reply)


# ---------------------------------------------------------------- report


def print_table(results: list[Result]) -> None:
    header = f"{'bot':<10} {'updates':>8} {'updates/s':>10} {'p50 ms':>8} {'p95 ms':>8}"
    print(
        f"{header} {'CPU ms/update':>14} {'(loop':>6} {'threads)':>8}"
        f" {'fake API CPU ms/update':>23}"
    )
    for r in results:
        print(
            f"{r.bot:<10} {r.updates:>8} {r.per_second:>10.1f} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f}"
            f" {r.cpu_ms_per_update:>14.2f}"
            f" {r.cpu_ms_per_update - r.threads_cpu_ms_per_update:>6.2f}"
            f" {r.threads_cpu_ms_per_update:>8.2f} {r.harness_cpu_ms_per_update:>23.2f}"
        )


def print_ratios(baseline: Result, kambot: Result, *, goal: bool) -> None:
    """kambot's CPU per update and p95 latency against one baseline's."""
    cpu = kambot.cpu_ms_per_update / baseline.cpu_ms_per_update
    p95 = kambot.p95_ms / baseline.p95_ms if baseline.p95_ms else float("inf")
    if goal:
        verdicts = [" met" if ratio <= GOAL_RATIO else " MISSED" for ratio in (cpu, p95)]
        label = f"goal <= {GOAL_RATIO:.1f}"
    else:
        verdicts, label = ["", ""], "not the goal"
    print(
        f"kambot/{baseline.bot:<9} CPU ratio {cpu:.2f} ({label}{verdicts[0]}), "
        f"p95 latency ratio {p95:.2f} ({label}{verdicts[1]})"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--updates", type=int, default=500, help="measured updates per bot")
    parser.add_argument("--users", type=int, default=10, help="users, round-robin")
    args = parser.parse_args(argv)
    if args.updates < 1 or args.users < 1:
        parser.error("--updates and --users must be at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.monotonic()
    print(
        f"P1: {args.updates} updates over {args.users} users, "
        f"at most {MAX_OUTSTANDING} unconfirmed, the echoes first, then kambot"
    )
    with tempfile.TemporaryDirectory(prefix="kambot-bench-p1-") as tmp:
        echoes = {m: bench_echo(Path(tmp), args.updates, args.users, m) for m in ECHO_MODES}
        kambot = bench_kambot(Path(tmp), args.updates, args.users)
    print_table([*echoes.values(), kambot])
    print_ratios(echoes["echo+db"], kambot, goal=True)
    print_ratios(echoes["echo+7sql"], kambot, goal=False)
    print_ratios(echoes["echo"], kambot, goal=False)
    print(f"total {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
