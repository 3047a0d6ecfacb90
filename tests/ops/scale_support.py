"""The scale-out cluster (issue 11): two `serve` intakes and two `worker`s on PostgreSQL + Redis
against the fake Bot API, managers seeded in the database, a poster that plays Telegram's
webhook side. Shared by tests/ops/test_scale_out.py (correctness) and bench/bench_scale_out.py
(figures)."""

from __future__ import annotations

import asyncio
import itertools
import re
import signal
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import aiohttp
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.services.parsing.names import normalize_name
from storage.db import create_engine, create_session_pool
from storage.enums import ReminderKind, ReminderState
from storage.models import Client, Interaction, Manager, Note, ProcessedUpdate, Reminder
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.ops.support import SECRET, Role, free_port, message_update

HOOK_URL = "https://bot.example.test/telegram/webhook"
FIRST_TELEGRAM_ID = 7_000_001
FIRST_UPDATE_ID = 5_000_001
CLIENT_NAME = "Ромашка{i}"
# A token of its own in every touch and reminder text: each is matched to its rows and sends.
TOUCH_TEXT = "/call Ромашка{i} обсудили поставку t{update_id}"
TOUCH_MARK = "t{update_id}"
REMINDER_TEXT = "перезвонить r{reminder}"
REMINDER_PREFIX = "перезвонить r"
REMINDER_RE = re.compile(r"перезвонить r\d+")
SAVED_MARK = "Записал"
# bot/locales/ru/safety.ftl saved-undelivered: an earlier update's confirmation, said late.
SAVED_LATE_MARK = "Прошлое действие сохранено"
POST_TIMEOUT = 90.0  # an intake waits up to 30 s for a user lease a killed intake left behind
RETRY_PAUSE = 0.2


def telegram_ids(managers: int) -> list[int]:
    return [FIRST_TELEGRAM_ID + i for i in range(managers)]


# ---------------------------------------------------------------- the database


async def _seed(url: str, managers: int, reminders_each: int) -> None:
    """Managers that can log a touch at once (onboarded, one client each, no quiet hours, no
    digest near), and ``reminders_each`` note reminders each, due a minute ago."""
    engine = create_engine(url)
    now = datetime.now(UTC)
    try:
        async with create_session_pool(engine)() as session:
            manager_ids = list(
                await session.scalars(
                    insert(Manager).returning(Manager.id),
                    [
                        {
                            "telegram_id": tid,
                            "full_name": f"Scale {tid}",
                            "language": "ru",
                            "timezone": "UTC",
                            "digest_time": clock_time(9, 0),
                            "quiet_start": clock_time(0),
                            "quiet_end": clock_time(0),
                            # The planner looks at nobody for a day: only the seeded pings go out.
                            "next_digest_at": now + timedelta(days=1),
                            "onboarded_at": now,
                            "created_at": now,
                            "updated_at": now,
                        }
                        for tid in telegram_ids(managers)
                    ],
                )
            )
            await session.execute(
                insert(Client),
                [
                    {
                        "owner_id": manager_id,
                        "name": CLIENT_NAME.format(i=i),
                        "name_norm": normalize_name(CLIENT_NAME.format(i=i)),
                        "segment": "b2b",
                        "tier": "regular",
                        "status": "active",
                        "is_demo": False,
                        "tags": [],
                        "created_at": now,
                        "updated_at": now,
                    }
                    for i, manager_id in enumerate(manager_ids)
                ],
            )
            await session.commit()
        await _add_reminders(engine, reminders_each)
    finally:
        await engine.dispose()


async def _add_reminders(engine: AsyncEngine, each: int) -> None:
    now = datetime.now(UTC)
    async with create_session_pool(engine)() as session:
        owned = list(
            await session.execute(
                select(Client.owner_id, Client.id).order_by(Client.owner_id, Client.id)
            )
        )
        pairs = [(m, c, n) for n in range(each) for m, c in owned]
        if pairs:
            note_ids = list(
                await session.scalars(
                    insert(Note).returning(Note.id),
                    [
                        {
                            "manager_id": m,
                            "client_id": c,
                            "text": "scale",
                            "is_private": False,
                            "created_at": now,
                        }
                        for m, c, _ in pairs
                    ],
                )
            )
            await session.execute(
                insert(Reminder),
                [
                    {
                        "manager_id": m,
                        "kind": ReminderKind.NOTE,
                        "client_id": c,
                        "note_id": note_id,
                        "due_at": now - timedelta(minutes=1),
                        "state": ReminderState.PENDING,
                        "attempts": 0,
                        "dedupe_key": f"scale:{note_id}",
                        "payload": {"text": REMINDER_TEXT.format(reminder=note_id)},
                    }
                    for (m, c, _), note_id in zip(pairs, note_ids, strict=True)
                ],
            )
        await session.commit()


def add_reminders(url: str, each: int) -> None:
    """``each`` more note reminders for every manager, due a minute ago."""

    async def main() -> None:
        engine = create_engine(url)
        try:
            await _add_reminders(engine, each)
        finally:
            await engine.dispose()

    asyncio.run(main())


def seed(url: str, managers: int, reminders_each: int) -> None:
    asyncio.run(_seed(url, managers, reminders_each))


@dataclass(frozen=True)
class ReminderRow:
    token: str  # the text every send of it carries
    state: str
    claimed_by: str | None
    chat_id: int


async def _reminders(url: str) -> list[ReminderRow]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(Reminder.payload, Reminder.state, Reminder.claimed_by, Manager.telegram_id)
                .join(Manager, Manager.id == Reminder.manager_id)
                .where(Reminder.kind == ReminderKind.NOTE)
            )
            return [
                ReminderRow(str(payload["text"]), ReminderState(state).value, by, int(chat))
                for payload, state, by, chat in rows
            ]
    finally:
        await engine.dispose()


def reminders(url: str) -> list[ReminderRow]:
    return asyncio.run(_reminders(url))


async def _touch_counts(url: str) -> Counter[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            summaries = (await conn.execute(select(Interaction.summary))).scalars()
            return Counter(word for s in summaries for word in s.split() if word.startswith("t"))
    finally:
        await engine.dispose()


def touch_counts(url: str) -> Counter[str]:
    """How many touch rows carry each "t<update_id>" token."""
    return asyncio.run(_touch_counts(url))


async def _processed(url: str, update_ids: list[int]) -> set[int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            query = select(ProcessedUpdate.update_id).where(
                ProcessedUpdate.update_id.in_(update_ids)
            )
            return {int(u) for u in (await conn.execute(query)).scalars()}
    finally:
        await engine.dispose()


def processed(url: str, update_ids: list[int]) -> set[int]:
    """Which of these updates an intake committed as handled."""
    return asyncio.run(_processed(url, update_ids))


async def _expire_leases(url: str, worker: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(
                update(Reminder)
                .where(Reminder.state == ReminderState.CLAIMED, Reminder.claimed_by == worker)
                .values(lease_until=datetime.now(UTC) - timedelta(seconds=1))
            )
            return int(result.rowcount or 0)
    finally:
        await engine.dispose()


def expire_leases(url: str, worker: str) -> int:
    """Ends the leases of a dead worker's claims now, in place of the five minutes they run."""
    return asyncio.run(_expire_leases(url, worker))


async def _flush_redis(url: str) -> None:
    from redis.asyncio import Redis

    redis = Redis.from_url(url)
    try:
        await redis.flushdb()
    finally:
        await redis.aclose()


def flush_redis(url: str) -> None:
    """The budget, the user leases and the dialog state of an earlier run would leak into this."""
    asyncio.run(_flush_redis(url))


# ---------------------------------------------------------------- the processes


@dataclass
class Cluster:
    api: FakeTelegramAPI
    workdir: Path
    database_url: str
    redis_url: str
    intakes: list[Role] = field(default_factory=list)
    hooks: list[str] = field(default_factory=list)
    workers: list[Role] = field(default_factory=list)

    def _env(self) -> dict[str, str]:
        return {"DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url}

    def add_intake(self) -> Role:
        port = free_port()
        env = {
            **self._env(),
            "WEBHOOK_URL": HOOK_URL,
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_PORT": str(port),
        }
        n = len(self.intakes) + 1
        role = Role(self.api, self.workdir / f"serve{n}", ["serve"], env=env, health_port=port)
        self.intakes.append(role)
        self.hooks.append(f"http://127.0.0.1:{port}/telegram/webhook")
        return role

    def add_worker(self) -> Role:
        n = len(self.workers) + 1
        role = Role(self.api, self.workdir / f"worker{n}", ["worker"], env=self._env())
        self.workers.append(role)
        return role

    def stop(self) -> dict[str, int]:
        """Stops whatever still runs; the exit code of each, by its log's name."""
        codes = {}
        for role in [*self.intakes, *self.workers]:
            if role.process is not None:
                codes[str(role.log_path)] = role.stop()
        return codes

    def full_logs(self) -> str:
        """Every log of every start, whole."""
        return "\n".join(path.read_text() for path in sorted(self.workdir.rglob("*.log")))

    def logs(self) -> str:
        """The tail of each role's latest log, for an assertion message."""
        return "\n".join(
            f"--- {role.log_path}\n{role.log()[-3000:]}" for role in [*self.intakes, *self.workers]
        )


def start_all(roles: Iterable[Role]) -> None:
    """Starts the roles side by side: four imports of the bot one after the other take long."""
    roles = list(roles)
    with ThreadPoolExecutor(len(roles) or 1) as pool:
        for future in [pool.submit(role.start) for role in roles]:
            future.result()


def kill(role: Role) -> None:
    """kill -9: no shutdown, no release of anything it holds."""
    role.stop(signal.SIGKILL)


# ---------------------------------------------------------------- the poster


@dataclass(frozen=True)
class Planned:
    update_id: int
    user: int
    text: str

    @property
    def token(self) -> str:
        return TOUCH_MARK.format(update_id=self.update_id)


@dataclass
class Attempt:
    intake: int
    started: float  # time.monotonic()
    ended: float
    status: int | None  # None: the connection failed (refused, reset)


@dataclass
class Posted:
    planned: Planned
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def first_at(self) -> float:
        return self.attempts[0].started

    @property
    def done(self) -> bool:
        return bool(self.attempts) and self.attempts[-1].status == 200


def touch_plan(
    users: list[int], per_user: int, first_update_id: int = FIRST_UPDATE_ID
) -> list[Planned]:
    """``per_user`` touches of each user, users interleaved (as their updates reach Telegram)."""
    update_ids = itertools.count(first_update_id)
    plan = []
    for _ in range(per_user):
        for user in users:
            update_id = next(update_ids)
            text = TOUCH_TEXT.format(i=user - FIRST_TELEGRAM_ID, update_id=update_id)
            plan.append(Planned(update_id, user, text))
    return plan


class Poster:
    """Telegram's webhook side: posts each update to the intakes in turn; a POST that fails
    (connection refused or reset, 5xx) is posted again to the next intake, as Telegram retries
    an update it got no 200 for. One user's updates go one after the other, as Telegram sends
    a chat's updates in order; ``rate`` paces the starts (updates a second over all users)."""

    def __init__(self, hooks: list[str], rate: float | None = None, concurrency: int = 32) -> None:
        self.hooks = hooks
        self.rate = rate
        self.concurrency = concurrency
        self._turn = itertools.count()
        self._next_start = 0.0
        self._pace = asyncio.Lock()
        self.posted: list[Posted] = []
        self._progress = asyncio.Condition()
        self._pending: Counter[int] = Counter()  # POSTs under way, by intake

    async def wait_in_flight(self, intake: int) -> None:
        """Until a POST to ``intake`` has been sent and not answered yet."""
        async with self._progress:
            await self._progress.wait_for(lambda: intake in self._pending)

    async def wait_done(self, n: int) -> None:
        """Until ``n`` updates got their 200."""
        async with self._progress:
            await self._progress.wait_for(lambda: sum(p.done for p in self.posted) >= n)

    async def _paced(self) -> None:
        if self.rate is None:
            return
        async with self._pace:
            now = time.monotonic()
            wait = self._next_start - now
            if wait > 0:
                await asyncio.sleep(wait)
            self._next_start = max(now, self._next_start) + 1.0 / self.rate

    async def _post(self, http: aiohttp.ClientSession, planned: Planned) -> Posted:
        posted = Posted(planned)
        self.posted.append(posted)
        body = message_update(planned.update_id, planned.user, planned.text)
        body["message"]["from"]["language_code"] = "ru"  # type: ignore[index]
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        deadline = time.monotonic() + POST_TIMEOUT * 2
        while True:
            intake = next(self._turn) % len(self.hooks)
            started = time.monotonic()
            status: int | None
            async with self._progress:
                self._pending[intake] += 1
                self._progress.notify_all()
            try:
                async with http.post(self.hooks[intake], json=body, headers=headers) as response:
                    await response.read()
                    status = response.status
            except (aiohttp.ClientError, TimeoutError):
                status = None
            finally:
                self._pending[intake] -= 1
                if not self._pending[intake]:
                    del self._pending[intake]
            posted.attempts.append(Attempt(intake, started, time.monotonic(), status))
            if status is not None and status < 500:
                async with self._progress:
                    self._progress.notify_all()
                return posted
            if time.monotonic() > deadline:
                return posted  # reported as unanswered by the caller
            await asyncio.sleep(RETRY_PAUSE)

    async def _after(
        self,
        previous: asyncio.Task[Posted] | None,
        http: aiohttp.ClientSession,
        planned: Planned,
        slots: asyncio.Semaphore,
    ) -> Posted:
        try:
            if previous is not None:
                await asyncio.wait([previous])
            return await self._post(http, planned)
        finally:
            slots.release()

    async def run(self, plan: list[Planned]) -> list[Posted]:
        slots = asyncio.Semaphore(self.concurrency)
        # A fresh connection a POST: a pooled one to a killed intake would fail a retry too.
        connector = aiohttp.TCPConnector(force_close=True, limit=0)
        timeout = aiohttp.ClientTimeout(total=POST_TIMEOUT)
        last: dict[int, asyncio.Task[Posted]] = {}
        tasks = []
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
            for planned in plan:
                await slots.acquire()
                await self._paced()
                task = asyncio.create_task(
                    self._after(last.get(planned.user), http, planned, slots)
                )
                last[planned.user] = task
                tasks.append(task)
            await asyncio.gather(*tasks)
        return self.posted


def post(
    hooks: list[str],
    plan: list[Planned],
    rate: float | None = None,
    concurrency: int = 32,
    during: Callable[[Poster], Awaitable[None]] | None = None,
) -> list[Posted]:
    """Posts the plan; ``during`` runs beside the poster (a kill in the middle)."""

    async def main() -> list[Posted]:
        poster = Poster(hooks, rate, concurrency)
        if during is None:
            return await poster.run(plan)
        posted, _ = await asyncio.gather(poster.run(plan), during(poster))
        return posted

    return asyncio.run(main())


# ---------------------------------------------------------------- what Telegram saw


def ok_sends(api: FakeTelegramAPI, mark: int = 0) -> list[Call]:
    return [c for c in api.calls()[mark:] if c.method == "sendMessage" and c.ok]


def is_reminder(call: Call) -> bool:
    return REMINDER_PREFIX in str(call.params.get("text", ""))


def reminder_token(call: Call) -> str | None:
    found = REMINDER_RE.search(str(call.params.get("text", "")))
    return found.group() if found else None


def is_late_confirmation(call: Call) -> bool:
    return SAVED_LATE_MARK in str(call.params.get("text", ""))


def replies_by_update(posted: list[Posted], sends: list[Call]) -> dict[int, list[Call]]:
    """Each update's replies: a user's updates are posted one after the other, so a message to
    the user (not a reminder) that arrives between the first POST of one of their updates and
    the first POST of their next answers the first."""
    starts: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for p in posted:
        if p.attempts:
            starts[p.planned.user].append((p.first_at, p.planned.update_id))
    for user_starts in starts.values():
        user_starts.sort()
    found: dict[int, list[Call]] = {p.planned.update_id: [] for p in posted}
    for call in sends:
        if is_reminder(call):
            continue
        owner = None
        for at, update_id in starts.get(int(call.params["chat_id"]), []):
            if at <= call.at:
                owner = update_id
        if owner is not None:
            found[owner].append(call)
    return found


def busiest_second(times: list[float]) -> int:
    times = sorted(times)
    best, first = 0, 0
    for last, at in enumerate(times):
        while times[first] <= at - 1.0:
            first += 1
        best = max(best, last - first + 1)
    return best
