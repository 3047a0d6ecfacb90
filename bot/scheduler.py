"""APScheduler wiring: the clock only. Jobs are plain async functions of (now)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import Clock
from bot.services.schedule import delivery, reminders
from bot.services.schedule.delivery import Sender
from storage import updates as update_store

log = logging.getLogger(__name__)


class SkippedRunFilter(logging.Filter):
    """Drops APScheduler's "skipped: maximum number of running instances reached" warning.

    A long morning drains for several minutes in one run (ReminderJob.run loops while rows
    are due), so the minute's interval runs are skipped on purpose; a warning every minute
    would teach the operator to ignore warnings.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in str(record.msg)


_SKIPPED = SkippedRunFilter()
PROCESSED_UPDATES_TTL = timedelta(days=7)


async def housekeeping(session_pool: async_sessionmaker[AsyncSession], clock: Clock) -> int:
    """Forgets processed update ids old enough that Telegram can no longer redeliver them."""
    async with session_pool() as session:
        removed = await update_store.prune(session, clock.now() - PROCESSED_UPDATES_TTL)
        await session.commit()
    if removed:
        log.info("housekeeping: pruned %d processed update ids", removed)
    return removed


# A tick drains for at most this long before planning again (a morning of 10,000 digests
# takes ~7 minutes at 25 msg/s): the planner still runs about once a minute meanwhile.
DRAIN_BUDGET = 50.0


async def tick(
    session_pool: async_sessionmaker[AsyncSession], send: Sender, clock: Clock
) -> dict[str, int]:
    """The minute job: plan what should exist, then deliver what is due. Both are idempotent,
    so a missed, doubled or late tick only delays, never duplicates."""
    outcomes, _ = await _tick(session_pool, send, clock)
    return outcomes


async def _tick(
    session_pool: async_sessionmaker[AsyncSession],
    send: Sender,
    clock: Clock,
    budget: float | None = None,
) -> tuple[dict[str, int], bool]:
    async with session_pool() as session:
        await reminders.plan(session, clock.now())
    return await delivery.drain(session_pool, send, clock.now, budget=budget)


class ReminderJob:
    """The minute job of one process. Its first run comes at start-up, not a minute later, so
    whatever fell due while the bot was down goes out at once; before it, rows a killed
    predecessor had claimed are released (SQLite only, see delivery.release_orphans)."""

    def __init__(
        self, session_pool: async_sessionmaker[AsyncSession], send: Sender, clock: Clock
    ) -> None:
        self.session_pool, self.send, self.clock = session_pool, send, clock
        self.started = False

    async def run(self) -> dict[str, int]:
        if not self.started:
            released = await delivery.release_orphans(self.session_pool, self.clock.now())
            if released:
                log.info("start-up: %d reminder(s) claimed before a crash go out again", released)
            self.started = True
        # When the budget ran out with rows still due, the next tick starts now, not in a
        # minute: the job is max_instances=1, so the interval's runs meanwhile are skipped.
        total: dict[str, int] = {}
        more = True
        while more:
            outcomes, more = await _tick(self.session_pool, self.send, self.clock, DRAIN_BUDGET)
            for outcome, n in outcomes.items():
                total[outcome] = total.get(outcome, 0) + n
        return total


def create_scheduler(
    session_pool: async_sessionmaker[AsyncSession], clock: Clock, send: Sender | None = None
) -> AsyncIOScheduler:
    """Must be started inside the running loop (APScheduler 3.x)."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler_log = logging.getLogger("apscheduler.scheduler")
    if _SKIPPED not in scheduler_log.filters:
        scheduler_log.addFilter(_SKIPPED)
    if send is not None:
        scheduler.add_job(
            # A bound coroutine method: APScheduler runs other callables in a thread.
            ReminderJob(session_pool, send, clock).run,
            "interval",
            minutes=1,
            # APScheduler runs on the real clock whatever clock the job is given.
            next_run_time=datetime.now(UTC),
            id="reminders",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            # Downtime is caught up by the next tick anyway: the database holds what is due.
            misfire_grace_time=600,
        )
    scheduler.add_job(
        housekeeping,
        "interval",
        hours=1,
        args=(session_pool, clock),
        id="housekeeping",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3600,
    )
    return scheduler
