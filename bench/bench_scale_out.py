"""Scale-out (issue 11), printed figures: two `serve` intakes and two `worker`s (real
`python -m bot` processes) on PostgreSQL + Redis (REDIS_URL set: one send budget, one user lease
across processes), against the in-process fake Bot API over HTTP on 127.0.0.1 enforcing
Telegram's limits (30 msg/s per token, 1 msg/s per chat, 429 beyond). 1,000 managers, seeded in
the database (onboarded, one client each); a touch is `/call Ромашка<i> обсудили поставку`,
posted as a webhook update by the poster (tests/ops/scale_support.py: Telegram's side, a failed
POST posted again to the next intake), up to 40 at once as Telegram's max_connections.

1. Intakes, in the same run: --updates touches (one per manager, unpaced) to one intake, then
   as many (other managers) to both, round-robin. Goal: two intakes >= 1.4x one's updates/s.
2. Reminders: one due note reminder per manager, then the two workers start. Goals: the send
   rate of the two together <= 25 msg/s (Telegram took them first to last, and the busiest
   second), <= 0.1 % of their sends answered 429; none lost, none twice.
3. The same with managers writing meanwhile (--touch-rate updates/s): replies are not in the
   workers' budget, so this shows what they cost each other (not a goal of the issue).

Run: .venv/bin/python -m bench.bench_scale_out [--managers 1000] [--updates 500] [--touch-rate 3]
     PostgreSQL database kambot_h1 at 127.0.0.1 (its public schema recreated), Redis db 11
     (flushed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.common import fresh_database, median_ms, p95_ms
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.ops import scale_support as scale
from tests.ops.support import Role, wait_until

PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/kambot_h1"
REDIS_URL = "redis://127.0.0.1:6379/11"
IN_FLIGHT = 40  # Telegram's default max_connections for a webhook
GOAL_SPEED_UP = 1.4
GOAL_RATE = 25.0
GOAL_429_SHARE = 0.1  # per cent
DONE_TIMEOUT = 600.0


async def _fresh_database() -> None:
    async with fresh_database(PG_URL, "scale"):
        pass


# ---------------------------------------------------------------- CPU


def _stat_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, every core."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / tick, sum(values) / tick


async def _backend_pids() -> list[int]:
    import asyncpg

    conn = await asyncpg.connect(PG_URL.replace("+asyncpg", ""))
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            PG_URL.rsplit("/", 1)[1],
        )
        return [int(r["pid"]) for r in rows]
    finally:
        await conn.close()


def _pg_cpu(pids: list[int]) -> dict[int, float]:
    """CPU seconds of the PostgreSQL backends serving this database (same box, so /proc)."""
    found = {}
    for pid in pids:
        try:
            found[pid] = _stat_cpu_seconds(pid)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found


@dataclass
class CpuMeter:
    """CPU seconds used over a phase: by the roles, by this process (fake API + poster), by the
    PostgreSQL backends of this database, and by the machine (everything, other runs on the box
    included)."""

    roles: list[Role]

    def __enter__(self) -> CpuMeter:
        self._pg0 = _pg_cpu(asyncio.run(_backend_pids()))
        self._roles0 = [self._role(r) for r in self.roles]
        self._self0 = time.process_time()
        self._machine0 = _machine_busy_seconds()
        self._wall0 = time.monotonic()
        return self

    def __exit__(self, *_: object) -> None:
        self.role_seconds = [
            self._role(r) - c for r, c in zip(self.roles, self._roles0, strict=True)
        ]
        self.self_seconds = time.process_time() - self._self0
        # The pools open connections as the load grows: a backend born in the phase counts whole.
        pg1 = _pg_cpu(asyncio.run(_backend_pids()))
        self.pg_seconds = sum(cpu - self._pg0.get(pid, 0.0) for pid, cpu in pg1.items())
        busy, total = _machine_busy_seconds()
        self.machine_busy = (busy - self._machine0[0]) / max(1e-9, total - self._machine0[1])
        self.wall = time.monotonic() - self._wall0

    @staticmethod
    def _role(role: Role) -> float:
        return _stat_cpu_seconds(role.process.pid) if role.process is not None else 0.0

    def line(self, names: list[str]) -> str:
        parts = [f"{n} {s / self.wall:.2f}" for n, s in zip(names, self.role_seconds, strict=True)]
        return (
            f"cores busy: {', '.join(parts)}, PostgreSQL {self.pg_seconds / self.wall:.2f}, "
            f"fake API + poster {self.self_seconds / self.wall:.2f}; "
            f"machine {self.machine_busy * 100:.0f} % of {os.cpu_count()} cores"
        )


# ---------------------------------------------------------------- phases


@dataclass(frozen=True)
class Throughput:
    intakes: int
    updates: int
    seconds: float
    latencies: list[float]
    answered: int
    retried: int

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds


def post_touches(
    cluster: scale.Cluster, hooks: list[str], users: list[int], first_update_id: int
) -> tuple[Throughput, list[scale.Posted]]:
    plan = scale.touch_plan(users, per_user=1, first_update_id=first_update_id)
    mark = cluster.api.mark()
    started = time.monotonic()
    posted = scale.post(hooks, plan, rate=None, concurrency=IN_FLIGHT)
    seconds = time.monotonic() - started
    replies = scale.replies_by_update(posted, scale.ok_sends(cluster.api, mark))
    latencies = [p.attempts[-1].ended - p.first_at for p in posted if p.done]
    answered = sum(1 for r in replies.values() if r)
    retried = sum(1 for p in posted if len(p.attempts) > 1)
    return Throughput(len(hooks), len(plan), seconds, latencies, answered, retried), posted


@dataclass(frozen=True)
class Delivery:
    reminders: int
    sent: Counter[str]
    throttled: int
    first: float
    last: float
    busiest: int

    @property
    def rate(self) -> float:
        return (sum(self.sent.values()) - 1) / max(1e-9, self.last - self.first)

    @property
    def share_429(self) -> float:
        return self.throttled / max(1, sum(self.sent.values()) + self.throttled) * 100


def delivery(calls: list[Call], tokens: set[str]) -> Delivery:
    mine = [c for c in calls if c.method == "sendMessage" and scale.reminder_token(c) in tokens]
    ok = [c for c in mine if c.ok]
    times = sorted(c.at for c in ok)
    return Delivery(
        reminders=len(tokens),
        sent=Counter(scale.reminder_token(c) or "" for c in ok),
        throttled=sum(1 for c in mine if c.error_code == 429),
        first=times[0] if times else 0.0,
        last=times[-1] if times else 0.0,
        busiest=scale.busiest_second(times),
    )


def run_reminders(
    cluster: scale.Cluster, touch_users: list[int], touch_rate: float, first_update_id: int
) -> tuple[Delivery, Throughput | None, list[Call], CpuMeter]:
    """Adds one due reminder per manager and starts the workers (their first tick claims at
    once); with touch_users, managers write meanwhile at touch_rate."""
    url = cluster.database_url
    before = {row.token for row in scale.reminders(url)}
    scale.add_reminders(url, 1)
    tokens = {row.token for row in scale.reminders(url)} - before
    mark = cluster.api.mark()
    touches: Throughput | None = None
    meter = CpuMeter([*cluster.intakes, *cluster.workers])
    scale.start_all(cluster.workers)
    with meter:
        if touch_users:
            plan = scale.touch_plan(touch_users, per_user=1, first_update_id=first_update_id)
            started = time.monotonic()
            posted = scale.post(cluster.hooks, plan, rate=touch_rate, concurrency=IN_FLIGHT)
            replies = scale.replies_by_update(posted, scale.ok_sends(cluster.api, mark))
            touches = Throughput(
                len(cluster.hooks),
                len(plan),
                time.monotonic() - started,
                [p.attempts[-1].ended - p.first_at for p in posted if p.done],
                sum(1 for r in replies.values() if r),
                sum(1 for p in posted if len(p.attempts) > 1),
            )

        def all_sent() -> bool:
            return all(row.state == "sent" for row in scale.reminders(url) if row.token in tokens)

        wait_until(all_sent, DONE_TIMEOUT, "every reminder sent")
    for worker in cluster.workers:
        worker.stop()
    calls = cluster.api.calls()[mark:]
    return delivery(calls, tokens), touches, calls, meter


# ---------------------------------------------------------------- report


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def print_throughput(result: Throughput, meter: CpuMeter, names: list[str]) -> None:
    print(
        f"  {result.intakes} intake(s): {result.updates} updates in {result.seconds:.1f} s = "
        f"{result.per_second:.1f}/s; POST to 200 p50 {median_ms(result.latencies):.0f} ms, "
        f"p95 {p95_ms(result.latencies):.0f} ms; answered {result.answered}, "
        f"posted again {result.retried}"
    )
    print(f"    {meter.line(names)}")


def print_delivery(result: Delivery, label: str, goal: bool) -> None:
    sends = sum(result.sent.values())
    lost = result.reminders - len(result.sent)
    twice = sum(1 for n in result.sent.values() if n > 1)
    rate_note = f" (goal <= {GOAL_RATE:.0f}: {verdict(result.rate <= GOAL_RATE)})" if goal else ""
    share_note = (
        f" (goal <= {GOAL_429_SHARE} %: {verdict(result.share_429 <= GOAL_429_SHARE)})"
        if goal
        else ""
    )
    print(
        f"  {label}: {sends} sends of {result.reminders} reminders in "
        f"{result.last - result.first:.1f} s = {result.rate:.1f} msg/s{rate_note}; "
        f"busiest second at Telegram {result.busiest}"
    )
    print(
        f"    429 answers to reminders: {result.throttled} ({result.share_429:.2f} %){share_note}"
    )
    print(f"    lost {lost}, sent twice {twice} (goal 0, 0: {verdict(lost == 0 and twice == 0)})")


@contextmanager
def running(cluster: scale.Cluster) -> Iterator[None]:
    try:
        yield
    finally:
        codes = cluster.stop()
        errors = Counter(
            line.split(" ERROR ", 1)[1][:120]
            for log in cluster.workdir.rglob("*.log")
            for line in log.read_text().splitlines()
            if " ERROR " in line
        )
        print(f"error lines in the roles' logs: {sum(errors.values())}")
        for text, n in errors.most_common(5):
            print(f"  {n} x {text}")
        bad = {name: code for name, code in codes.items() if code != 0}
        if bad:
            print(f"warning: exit codes {bad}; logs:\n{cluster.logs()}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--managers", type=int, default=1000)
    parser.add_argument("--updates", type=int, default=500, help="touches per intake phase")
    parser.add_argument(
        "--touch-rate", type=float, default=3.0, help="updates/s while reminders go out"
    )
    args = parser.parse_args(argv)
    if args.managers < 2 * args.updates:
        parser.error("--managers must be at least twice --updates (one touch each per phase)")
    started = time.monotonic()
    asyncio.run(_fresh_database())
    scale.flush_redis(REDIS_URL)
    scale.seed(PG_URL, args.managers, 0)
    users = scale.telegram_ids(args.managers)
    print(
        f"Scale-out: {args.managers:,} managers; 2 `serve` + 2 `worker` on PostgreSQL + Redis; "
        "fake Bot API enforcing 30 msg/s, 1/s per chat"
    )
    with tempfile.TemporaryDirectory(prefix="kambot-bench-scale-") as tmp, FakeTelegramAPI() as api:
        api.enforce_rate_limits(global_per_second=30, per_chat_per_second=1)
        cluster = scale.Cluster(api, Path(tmp), PG_URL, REDIS_URL)
        cluster.add_intake()
        cluster.add_intake()
        cluster.add_worker()
        cluster.add_worker()
        with running(cluster):
            scale.start_all(cluster.intakes)
            # A few updates first: the first requests of a fresh process pay for imports.
            scale.post(cluster.hooks, scale.touch_plan(users[-10:], 1, first_update_id=1))
            # One reply an update: under the fake's 30 msg/s both would read <= 30/s, and the
            # replies refused with 429 wait a second each; lifted, this measures the intakes.
            api.disable_rate_limits()
            print(
                "1. Intakes, unpaced touches, up to 40 POSTs in flight "
                "(the fake's 30 msg/s lifted for this part: every update is one reply):"
            )
            names = ["serve1", "serve2"]
            with CpuMeter(cluster.intakes) as one_meter:
                one, _ = post_touches(cluster, cluster.hooks[:1], users[: args.updates], 100_001)
            print_throughput(one, one_meter, names)
            with CpuMeter(cluster.intakes) as two_meter:
                two, _ = post_touches(
                    cluster, cluster.hooks, users[args.updates : 2 * args.updates], 200_001
                )
            print_throughput(two, two_meter, names)
            ratio = two.per_second / one.per_second
            print(
                f"  two intakes / one: {ratio:.2f}x (goal >= {GOAL_SPEED_UP}: "
                f"{verdict(ratio >= GOAL_SPEED_UP)})"
            )
            api.enforce_rate_limits(global_per_second=30, per_chat_per_second=1)
            print("2. Reminders: one due per manager, two workers:")
            pure, _, _, meter = run_reminders(cluster, [], 0.0, 0)
            print_delivery(pure, "workers alone", goal=True)
            print(f"    {meter.line(['serve1', 'serve2', 'worker1', 'worker2'])}")
            if args.touch_rate > 0:
                print(f"3. Reminders again, managers writing meanwhile at {args.touch_rate}/s:")
                writers = users[: int(args.touch_rate * pure.reminders / GOAL_RATE)]
                mixed, touches, calls, meter = run_reminders(
                    cluster, writers, args.touch_rate, 300_001
                )
                print_delivery(mixed, "workers", goal=False)
                replies = [c for c in calls if c.method == "sendMessage"]
                refused = sum(
                    1 for c in replies if c.error_code == 429 and not scale.is_reminder(c)
                )
                everything = [c.at for c in calls if c.method == "sendMessage" and c.ok]
                assert touches is not None
                print(
                    f"    touches: {touches.updates}, answered {touches.answered}; "
                    f"429 answers to replies {refused}; busiest second of all sends "
                    f"{scale.busiest_second(everything)}"
                )
                print(f"    {meter.line(['serve1', 'serve2', 'worker1', 'worker2'])}")
    print(f"total {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
