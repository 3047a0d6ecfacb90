"""Long polling that handles chats side by side and confirms an update only when it is safe.

aiogram's own polling either handles one update at a time (`handle_as_tasks=False`: one user's
/export stalls every other user) or confirms each update as soon as the next one is read
(`handle_as_tasks=True`: a crash loses every update still in flight). Here:

- each update runs as its own task, in its chat's line (bot/chat_order.py): one chat stays in
  order, different chats run concurrently;
- the getUpdates offset only moves past an update once it *and every earlier one* finished, so
  a crash loses nothing: Telegram redelivers what was unfinished. Updates that did finish after
  an unfinished one are redelivered too; the idempotency middleware (storage/updates.py,
  recorded in the handler's own transaction) skips them, so the redelivery is harmless;
- at most `max_in_flight` updates are taken at once (also the getUpdates `limit`: Telegram
  only ever shows the earliest unconfirmed ones, so the window cannot run further ahead).

While updates are unfinished, getUpdates answers at once with them (they are not confirmed),
so it is not long-polled then: the poller asks again when the confirmable offset moved, or
after `repoll_interval` to pick up other chats' new updates.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.types import Update
from aiogram.utils.backoff import Backoff, BackoffConfig

from bot.chat_order import ORDERED, ChatOrder, chat_key
from bot.update_journal import UpdateJournal

log = logging.getLogger(__name__)

MAX_IN_FLIGHT = 100  # Telegram's getUpdates limit is 100
REPOLL_INTERVAL = 0.1
# Park (bot/update_journal.py) updates running longer than PARK_AFTER seconds once the window
# from the oldest unconfirmed update to the newest taken spans PARK_WINDOW updates: a slow update
# then no longer holds back the window. Below that nothing is parked, and "confirmed" keeps
# meaning "finished" (the end-to-end harness relies on that).
PARK_AFTER = 1.0
PARK_WINDOW = 20
BACKOFF = BackoffConfig(min_delay=1.0, max_delay=5.0, factor=1.3, jitter=0.1)


class OrderedPoller:
    def __init__(
        self,
        dp: Dispatcher,
        bot: Bot,
        *,
        polling_timeout: int,
        allowed_updates: list[str] | None = None,
        journal: UpdateJournal | None = None,
        max_in_flight: int = MAX_IN_FLIGHT,
        repoll_interval: float = REPOLL_INTERVAL,
        park_after: float = PARK_AFTER,
        park_window: int = PARK_WINDOW,
        **workflow_data: Any,
    ) -> None:
        self.dp = dp
        self.bot = bot
        self.polling_timeout = polling_timeout
        self.allowed_updates = allowed_updates
        self.journal = journal
        self.max_in_flight = max(1, min(max_in_flight, 100))
        self.repoll_interval = repoll_interval
        self.park_after = park_after
        self.park_window = park_window
        self.workflow_data = {**workflow_data, ORDERED: True}
        self.order = ChatOrder()
        self._last_taken: int | None = None  # the highest update_id taken from getUpdates
        self._unconfirmed: dict[int, tuple[Update, float]] = {}  # running, not parked: started
        self._parked: set[int] = set()  # running, confirmed, kept in the journal
        self._replayed: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._moved = asyncio.Event()  # an update finished, or stop was asked
        self._stopping = False

    # ------------------------------------------------------------ state

    @property
    def in_flight(self) -> int:
        return len(self._unconfirmed) + len(self._parked)

    @property
    def offset(self) -> int | None:
        """What getUpdates may confirm: below the oldest unfinished update not parked."""
        if self._unconfirmed:
            return min(self._unconfirmed)
        return None if self._last_taken is None else self._last_taken + 1

    # ------------------------------------------------------------ the loop

    def replay(self) -> int:
        """Starts the updates a crash left parked, before anything new (chat order holds)."""
        if self.journal is None:
            return 0
        updates = self.journal.load(self.bot)
        for update in updates:
            self._replayed.add(update.update_id)
            self._parked.add(update.update_id)
            self._spawn(update)
        if updates:
            log.info("replaying %d parked update(s) left by the last run", len(updates))
        return len(updates)

    async def run(self) -> None:
        """Polls until stop() (cancel it too: it may be in a long poll); drain() waits for the
        updates it started."""
        backoff = Backoff(config=BACKOFF)
        asked: int | None = -1  # the offset of the last successful getUpdates
        asked_at = 0.0
        loop = asyncio.get_running_loop()
        while not self._stopping:
            # With updates unconfirmed getUpdates answers at once (with them): ask again only
            # when there is something new to confirm, or after a moment for other chats' news.
            while self._unconfirmed and not self._stopping:
                self._park_stalled(loop.time())
                full = self.in_flight >= self.max_in_flight
                left = asked_at + self.repoll_interval - loop.time()
                if self.offset != asked or (not full and left <= 0):
                    break
                self._moved.clear()
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._moved.wait(), None if full else left)
            if self._stopping:
                break
            offset = self.offset
            try:
                updates = await self._get_updates(offset, 0 if self._unconfirmed else None)
            except Exception as exc:  # noqa: BLE001 - the network comes back; keep polling
                log.error("getUpdates failed: %s: %s", type(exc).__name__, exc)
                await backoff.asleep()
                continue
            backoff.reset()
            asked, asked_at = offset, loop.time()
            for update in updates:
                if self._last_taken is None or update.update_id > self._last_taken:
                    self._start(update, loop.time())

    def _park_stalled(self, now: float) -> None:
        if self.journal is None or not self._unconfirmed or self._last_taken is None:
            return
        if self._last_taken - min(self._unconfirmed) + 1 < self.park_window:
            return  # Telegram re-sends few updates with each answer: nothing to gain yet
        for update_id, (update, started) in sorted(self._unconfirmed.items()):
            if now - started < self.park_after:
                break  # started in update_id order: the rest are younger
            if not self.journal.park(update):
                break  # the offset stays before it: Telegram keeps it for us
            del self._unconfirmed[update_id]
            self._parked.add(update_id)
            log.info("update %s runs long: parked, the window moves on", update_id)

    async def _get_updates(self, offset: int | None, wait: int | None) -> list[Update]:
        polling_timeout = self.polling_timeout if wait is None else wait
        kwargs: dict[str, Any] = {}
        if self.bot.session.timeout:
            kwargs["request_timeout"] = int(self.bot.session.timeout + polling_timeout)
        method = GetUpdates(
            offset=offset,
            timeout=polling_timeout,
            limit=self.max_in_flight,
            allowed_updates=self.allowed_updates,
        )
        return await self.bot(method, **kwargs)

    def _start(self, update: Update, now: float) -> None:
        self._last_taken = update.update_id
        if update.update_id in self._replayed:
            return  # already running from the journal
        self._unconfirmed[update.update_id] = (update, now)
        self._spawn(update)

    def _spawn(self, update: Update) -> None:
        key = chat_key(update)
        turn = self.order.reserve(key) if key is not None else None  # in update_id order
        task = asyncio.create_task(self._handle(update, turn))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, update: Update, turn: Any) -> None:
        if turn is None:
            await self._process(update)
        else:
            async with turn:
                await self._process(update)
        # Not reached when cancelled (stopping): an unfinished update stays unconfirmed (Telegram
        # keeps it) or parked (the journal keeps it).
        self._unconfirmed.pop(update.update_id, None)
        if update.update_id in self._parked:
            self._parked.discard(update.update_id)
            self._replayed.discard(update.update_id)
            if self.journal is not None:
                self.journal.done(update.update_id)
        self._moved.set()

    async def _process(self, update: Update) -> None:
        """What aiogram's Dispatcher._process_update does: feed, answer a returned method."""
        try:
            response = await self.dp.feed_update(self.bot, update, **self.workflow_data)
            if isinstance(response, TelegramMethod):
                await self.dp.silent_call_request(bot=self.bot, result=response)
        except Exception:
            log.exception("update %s failed outside the error boundary", update.update_id)

    # ------------------------------------------------------------ stopping

    def stop(self) -> None:
        """Take no more updates; run() returns at its next step (cancel it if long-polling)."""
        self._stopping = True
        self._moved.set()

    async def drain(self, seconds: float) -> bool:
        """Waits up to `seconds` for started updates; cancels the rest (Telegram redelivers
        them: they were not confirmed). True when all finished."""
        tasks = set(self._tasks)
        finished = True
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=seconds)
            finished = not late
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late)
        return finished

    async def confirm(self) -> None:
        """Tells Telegram what finished, so a restart does not see it again (best effort)."""
        offset = self.offset
        if offset is None:
            return
        method = GetUpdates(offset=offset, timeout=0, limit=1, allowed_updates=self.allowed_updates)
        try:
            await self.bot(method)
        except Exception as exc:  # noqa: BLE001 - redelivery is harmless (idempotency)
            log.warning("could not confirm updates below %s: %s", offset, exc)
