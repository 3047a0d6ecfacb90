"""Delivering due reminders: claim, re-check, respect quiet hours, send once, record outcome.

`deliver(now)` is a plain function: tests call it with a chosen clock and a fake sender. The
sender is injected so this module stays free of aiogram; bot/notifier.py adapts Telegram.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import metrics
from bot.services.crm import agenda as agenda_service
from bot.services.crm.agenda import Agenda, Week
from bot.services.schedule.delivery_limits import retry_delay
from bot.services.schedule.schedule_rules import next_digest_at, push_out_of_quiet_hours
from storage import reminders as store
from storage.disconnect import lost_connection
from storage.enums import ClientStatus, ReminderKind, ReminderState
from storage.models import Client, Contact, Interaction, Manager, Note, Reminder

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
BATCH = 200  # rows per claim; a tick claims batch after batch until nothing is due
# The next batch is claimed when fewer sends than this are queued (2 s at 25 msg/s): enough to
# keep the sender busy, little enough that a fresh reminder is never far behind.
LOW_WATER = 50
# Due within this long: "fresh", claimed before everything overdue for longer.
FRESH = timedelta(minutes=5)
# A digest (or Monday summary) this late is yesterday's news: cancelled in bulk, never sent.
# The planner does not create them later than this either (reminders.DIGEST_CATCH_UP).
STALE_AFTER = timedelta(hours=6)
CONCURRENCY = 16  # recordings at once; sends waiting on the limiter are not counted
PREPARE_CHUNK = 20
MAX_ATTEMPTS = 8
WORKER = f"{socket.gethostname()}-{id(object())}"
# Pauses before doing a claim, prepare or record again on a fresh connection when the database
# dropped it (a restart): ~15 s in all. Failing the drain instead left its claimed rows
# unsent for their 5-minute lease, and a send Telegram had taken unrecorded (sent again then).
RECONNECT_PAUSES = (0.5, 1.0, 2.0, 4.0, 8.0)
T = TypeVar("T")


class Blocked(Exception):
    """The user blocked the bot (Telegram 403): stop sending until they write again."""


class RetryLater(Exception):
    def __init__(self, seconds: float | None) -> None:
        super().__init__(seconds)
        self.seconds = seconds


@dataclass(frozen=True, slots=True)
class Ping:
    """What a reminder message needs, read from the database just before sending."""

    reminder_id: int
    kind: ReminderKind
    chat_id: int
    language: str
    timezone: str
    client_id: int | None
    client_name: str | None
    contact_name: str | None = None
    birthday_on: date | None = None
    turns: int | None = None
    step: str | None = None
    due_at: datetime | None = None
    note_text: str | None = None
    last_touch_at: datetime | None = None
    agenda: Agenda | None = None  # the morning digest
    week: Week | None = None  # the Monday summary


Sender = Callable[[Ping], Awaitable[int]]  # returns the sent message id


async def _load(
    session: AsyncSession, reminder: Reminder, model: type, key: int | None
) -> object | None:
    return await session.get(model, key) if key is not None else None


async def _ping(
    session: AsyncSession, reminder: Reminder, manager: Manager, now: datetime
) -> Ping | None:
    """None when the reminder no longer applies: the client is archived or deleted, the
    birthday was edited, the check-in was reset by a touch, the promise is kept."""
    client = await _load(session, reminder, Client, reminder.client_id)
    if reminder.client_id is not None and (
        not isinstance(client, Client) or client.archived_at is not None
    ):
        return None
    base = Ping(
        reminder_id=reminder.id,
        kind=reminder.kind,
        chat_id=manager.telegram_id,
        language=manager.language,
        timezone=manager.timezone,
        client_id=client.id if isinstance(client, Client) else None,
        client_name=client.name if isinstance(client, Client) else None,
    )
    payload = reminder.payload or {}
    if reminder.kind == ReminderKind.DIGEST:
        agenda = await agenda_service.today(session, manager, now)
        return None if agenda.empty else replace(base, agenda=agenda)
    if reminder.kind == ReminderKind.WEEKLY:
        return replace(base, week=await agenda_service.last_week(session, manager, now))
    if reminder.kind == ReminderKind.BIRTHDAY:
        return await _birthday_ping(session, reminder, base, payload)
    if reminder.kind == ReminderKind.CHECKIN:
        assert isinstance(client, Client)
        if (
            client.status != ClientStatus.ACTIVE
            or client.next_checkin_at is None
            or client.next_checkin_at > now + timedelta(days=1)
        ):
            return None
        return replace(base, last_touch_at=client.last_touch_at)
    if reminder.kind == ReminderKind.FOLLOWUP:
        touch = await _load(session, reminder, Interaction, reminder.interaction_id)
        if not isinstance(touch, Interaction) or touch.next_step_done_at is not None:
            return None
        return replace(base, step=touch.next_step, due_at=touch.next_step_due_at)
    if reminder.kind == ReminderKind.NOTE:
        return await _note_ping(session, reminder, base, payload)
    return None


async def _birthday_ping(
    session: AsyncSession, reminder: Reminder, base: Ping, payload: dict[str, Any]
) -> Ping | None:
    contact = await _load(session, reminder, Contact, reminder.contact_id)
    if not isinstance(contact, Contact) or not contact.birth_month or not contact.birth_day:
        return None
    occurrence = date.fromisoformat(str(payload.get("occurrence")))
    if (contact.birth_month, contact.birth_day) != (occurrence.month, occurrence.day) and not (
        (contact.birth_month, contact.birth_day) == (2, 29)
        and (occurrence.month, occurrence.day) == (2, 28)
    ):
        return None
    turns = occurrence.year - contact.birth_year if contact.birth_year else None
    return replace(base, contact_name=contact.name, birthday_on=occurrence, turns=turns)


async def _note_ping(
    session: AsyncSession, reminder: Reminder, base: Ping, payload: dict[str, Any]
) -> Ping | None:
    note = await _load(session, reminder, Note, reminder.note_id)
    if not isinstance(note, Note):
        return None
    contact = await _load(session, reminder, Contact, reminder.contact_id)
    return replace(
        base,
        contact_name=contact.name if isinstance(contact, Contact) else None,
        note_text=str(payload.get("text") or note.text),
    )


# A digest at the time the manager chose goes out even inside quiet hours (choosing it is asking
# for it, see schedule_rules); a late one — after downtime — waits for the morning like any ping.
ASKED_FOR_KINDS = frozenset({ReminderKind.DIGEST, ReminderKind.WEEKLY})
ASKED_FOR_GRACE = timedelta(hours=1)
FOLDED_KINDS = frozenset({ReminderKind.CHECKIN, ReminderKind.BIRTHDAY})


def _asked_for(reminder: Reminder, now: datetime) -> bool:
    return reminder.kind in ASKED_FOR_KINDS and now - reminder.due_at < ASKED_FOR_GRACE


async def _prepare(
    session: AsyncSession, reminder: Reminder, now: datetime
) -> tuple[str | None, Ping | None]:
    """Decides without sending: (outcome, None) when settled here, (None, ping) to send."""
    if reminder.state != ReminderState.CLAIMED:
        return "folded", None  # settled meanwhile, e.g. folded into a digest sent a moment ago
    manager = await session.get(Manager, reminder.manager_id)
    if manager is None or manager.blocked_at is not None:
        reminder.state = ReminderState.BLOCKED
        return "blocked", None
    if not manager.is_active:
        # The demo sandbox: a promise logged inside it is never pushed to anyone.
        reminder.state = ReminderState.CANCELLED
        return "inactive", None
    allowed = push_out_of_quiet_hours(now, manager.timezone, manager.quiet_start, manager.quiet_end)
    if allowed > now and not _asked_for(reminder, now):
        if reminder.kind in FOLDED_KINDS:
            # Held check-ins and birthdays wait for the next digest, which lists them: sent
            # at the end of quiet hours, the digest an hour later repeated them.
            allowed = next_digest_at(now, manager.timezone, manager.digest_time)
        reminder.state, reminder.due_at = ReminderState.PENDING, allowed
        reminder.last_error = store.HELD_BY_QUIET  # released at once if quiet hours change
        return "quiet", None
    ping = await _ping(session, reminder, manager, now)
    if ping is None:
        reminder.state = ReminderState.CANCELLED
        return "stale", None
    return None, ping


async def _record(
    session: AsyncSession, reminder: Reminder, now: datetime, result: int | Exception
) -> str:
    if isinstance(result, Blocked):
        manager = await session.get(Manager, reminder.manager_id)
        if manager is not None:
            manager.blocked_at = now
        reminder.state = ReminderState.BLOCKED
        return "blocked"
    if isinstance(result, RetryLater):
        reminder.attempts += 1
        reminder.last_error = f"retry after {result.seconds}"
        if reminder.attempts >= MAX_ATTEMPTS:
            reminder.state = ReminderState.FAILED
            return "failed"
        reminder.state = ReminderState.PENDING
        reminder.due_at = now + timedelta(
            seconds=retry_delay(reminder.attempts - 1, result.seconds)
        )
        return "retry"
    if isinstance(result, Exception):
        raise result
    reminder.state, reminder.sent_at, reminder.chat_message_id = ReminderState.SENT, now, result
    if reminder.kind == ReminderKind.DIGEST:
        # The digest already lists today's check-ins and birthdays: no separate pings for them.
        await store.fold_into_digest(session, reminder.manager_id, now, result)
    return "sent"


async def release_orphans(session_pool: async_sessionmaker[AsyncSession], now: datetime) -> int:
    """At start-up on SQLite, rows still claimed were claimed by a process that died (SQLite is
    single-instance, see README): they go out again now rather than when their lease ends,
    minutes later. On PostgreSQL another instance may be sending them; the lease decides."""
    async with session_pool() as session:
        if session.get_bind().dialect.name != "sqlite":
            return 0
        released = await store.release_claims(session, now)
        await session.commit()
    return released


async def _again_if_disconnected(what: str, work: Callable[[], Awaitable[T]]) -> T:
    """``work`` (one transaction, rolled back whole when it fails), done again on a fresh
    connection while the database keeps dropping it."""
    for pause in RECONNECT_PAUSES:
        try:
            return await work()
        except Exception as exc:
            if not lost_connection(exc):
                raise
            log.warning("%s: database connection lost (%s), again in %.1f s", what, exc, pause)
        await asyncio.sleep(pause)
    return await work()


class _Drain:
    """One `deliver` run: claims bounded batches in a loop, prepares each in chunks, sends and
    records each ping, counts the outcomes. The next batch is claimed while the sends of the
    last are still queued at the limiter, so the sender never idles between batches, and only
    a few seconds of sends are ever queued ahead of a reminder that has just fallen due."""

    def __init__(
        self,
        session_pool: async_sessionmaker[AsyncSession],
        send: Sender,
        clock: Callable[[], datetime],
        concurrency: int,
    ) -> None:
        self.session_pool = session_pool
        self.send = send
        self.clock = clock
        self.outcomes: dict[str, int] = {}
        self.recording = asyncio.Semaphore(concurrency)
        self.in_flight = 0
        self.room = asyncio.Event()
        self.room.set()
        # A manager's digest being sent: their check-ins and birthdays wait for it, then fold.
        self.digests: dict[int, asyncio.Task[None]] = {}

    def count(self, outcome: str, times: int = 1) -> None:
        if times:
            self.outcomes[outcome] = self.outcomes.get(outcome, 0) + times
            metrics.reminders(outcome, times)

    async def claim(self, limit: int) -> list[store.Claimed]:
        now = self.clock()

        async def work() -> tuple[int, list[store.Claimed]]:
            async with self.session_pool() as session:
                # Digests whose day is over go in one statement, without a send or a prepare.
                stale = await store.cancel_stale(
                    session, list(ASKED_FOR_KINDS), now - STALE_AFTER, now
                )
                claimed = await store.claim_due(
                    session, now, now + LEASE, WORKER, limit, fresh_since=now - FRESH
                )
                await session.commit()
            return stale, claimed

        stale, claimed = await _again_if_disconnected("claiming reminders", work)
        self.count("stale", stale)
        return claimed

    async def prepare(self, reminder_ids: list[int]) -> list[Ping]:
        # A chunk in one session, apart from the recording. Preparing row by row in tasks that
        # shared one gate with the recording made each record queue behind the prepares still
        # waiting: in the kill -9 test 41 of 60 messages Telegram had answered were unrecorded.
        if not reminder_ids:
            return []
        now = self.clock()

        async def work() -> tuple[list[Ping], list[str]]:
            pings: list[Ping] = []
            outcomes: list[str] = []
            async with self.session_pool() as session:
                for reminder in await store.by_ids(session, reminder_ids):
                    outcome, ping = await _prepare(session, reminder, now)
                    if ping is not None:
                        pings.append(ping)
                    else:
                        assert outcome is not None
                        reminder.lease_until = None
                        outcomes.append(outcome)
                await session.commit()
            return pings, outcomes

        pings, outcomes = await _again_if_disconnected("preparing reminders", work)
        for outcome in outcomes:
            self.count(outcome)
        return pings

    async def send_and_record(self, ping: Ping) -> None:
        try:
            result: int | Exception = await self.send(ping)
        except (Blocked, RetryLater) as exc:
            result = exc
        except Exception:
            log.exception("sending reminder %s failed", ping.reminder_id)
            result = RetryLater(None)

        async def work() -> str:
            async with self.recording, self.session_pool() as session:
                [reminder] = await store.by_ids(session, [ping.reminder_id])
                outcome = await _record(session, reminder, self.clock(), result)
                reminder.lease_until = None
                await session.commit()
            return outcome

        # Above all here: a send Telegram took and left unrecorded goes out again later.
        self.count(await _again_if_disconnected(f"recording reminder {ping.reminder_id}", work))

    async def after_digest(self, digest: asyncio.Task[None] | None, reminder_id: int) -> None:
        # Prepared once the digest is recorded: folded into it then, or sent if it was not.
        if digest is not None:
            await asyncio.wait([digest])
        for ping in await self.prepare([reminder_id]):
            await self.send_and_record(ping)

    def _forget_digest(self, manager_id: int, _: asyncio.Task[None]) -> None:
        self.digests.pop(manager_id, None)

    async def settled(self) -> None:
        """Waits until every send in flight is recorded."""
        while self.in_flight:
            self.room.clear()
            await self.room.wait()
        self.room.set()

    def start(self, group: asyncio.TaskGroup, work: Awaitable[None]) -> asyncio.Task[None]:
        self.in_flight += 1
        if self.in_flight >= LOW_WATER:
            self.room.clear()
        task = group.create_task(self._tracked(work))
        return task

    async def _tracked(self, work: Awaitable[None]) -> None:
        try:
            await work
        finally:
            self.in_flight -= 1
            if self.in_flight < LOW_WATER:
                self.room.set()

    async def dispatch(self, group: asyncio.TaskGroup, claimed: list[store.Claimed]) -> None:
        """Starts the sends in claim order (so the limiter grants slots in that order), a
        prepared chunk at a time: preparing a whole batch of 500 first left the sender idle
        ~2 s per batch (P3 fell from 25.7 to 23.4 msg/s)."""
        for first in range(0, len(claimed), PREPARE_CHUNK):
            chunk = claimed[first : first + PREPARE_CHUNK]
            with_digest = {r.manager_id for r in chunk if r.kind == ReminderKind.DIGEST}
            waiting: list[store.Claimed] = []
            ready: list[int] = []
            for row in chunk:
                if row.kind in FOLDED_KINDS and (
                    row.manager_id in with_digest or row.manager_id in self.digests
                ):
                    waiting.append(row)
                else:
                    ready.append(row.id)
            by_id = {r.id: r for r in chunk}
            for ping in await self.prepare(ready):
                task = self.start(group, self.send_and_record(ping))
                row = by_id[ping.reminder_id]
                if row.kind == ReminderKind.DIGEST:
                    self.digests[row.manager_id] = task
                    task.add_done_callback(partial(self._forget_digest, row.manager_id))
            for row in waiting:
                self.start(group, self.after_digest(self.digests.get(row.manager_id), row.id))


async def deliver(
    session_pool: async_sessionmaker[AsyncSession],
    send: Sender,
    now: datetime,
    *,
    limit: int = BATCH,
    concurrency: int = CONCURRENCY,
) -> dict[str, int]:
    """Everything due at `now`, to the last row (see `drain`)."""
    outcomes, _ = await drain(session_pool, send, lambda: now, limit=limit, concurrency=concurrency)
    return outcomes


async def drain(
    session_pool: async_sessionmaker[AsyncSession],
    send: Sender,
    clock: Callable[[], datetime],
    *,
    limit: int = BATCH,
    concurrency: int = CONCURRENCY,
    budget: float | None = None,
) -> tuple[dict[str, int], bool]:
    """Drains what is due: claims up to `limit` rows in one short transaction, prepares them a
    chunk at a time, then sends each and records it in its own transaction as soon as Telegram
    answered; claims the next batch as soon as fewer than LOW_WATER sends are queued, until
    nothing is due — or `budget` seconds have passed: then it returns True and the caller comes
    back at once. Each claim asks `clock`, so what falls due meanwhile joins in, fresh first.

    A crash loses nothing: unrecorded rows go out again (after the lease, or at once at
    start-up on SQLite); the sends that can go out twice are those between Telegram's answer
    and that record. No database connection is held while a send waits for its turn."""
    run = _Drain(session_pool, send, clock, concurrency)
    stop_at = None if budget is None else time.monotonic() + budget
    more = False
    async with asyncio.TaskGroup() as group:
        while True:
            if stop_at is not None and time.monotonic() >= stop_at:
                more = True
                break
            await run.room.wait()
            claimed = await run.claim(limit)
            if claimed:
                await run.dispatch(group, claimed)
            elif run.in_flight:
                # Nothing due now, sends still queued: once they are recorded, look again.
                await run.settled()
            else:
                break
    if run.outcomes:
        log.info("delivered reminders: %s", run.outcomes)
    return run.outcomes, more
