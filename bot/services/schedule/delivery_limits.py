"""Proactive sends at Telegram's physical limit: a shared throttle and retry delays.

Telegram allows about 30 messages/s per bot and about 1 message/s per chat; we aim
below that (25/s) so a burst of reminders never earns a 429 in the first place.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

# Chats idle this long are forgotten: their per-chat constraint is long satisfied.
_CHAT_IDLE_FORGET = 60.0
# Housekeeping at most this often, so a big batch does not pay it on every send.
_HOUSEKEEPING_EVERY = 1.0

_RETRY_AFTER_MARGIN = 0.5
_BACKOFF_CAP = 60.0


@dataclass(slots=True)
class _ChatState:
    next_allowed: float
    paused_until: float = -math.inf


class RateLimiter:
    """One instance for all proactive sends.

    Time is cut into slots of ``1 / global_per_second`` seconds and every send reserves its own
    slot, the earliest free one at or after the moment its chat may receive again. So sends are
    paced evenly (never a burst of 25 at one instant, which short server-side windows would punish)
    and a 1-second window never holds more than ``global_per_second`` sends. Reserving is
    synchronous (no await between looking and taking), so there is no lock at all: a chat waiting
    for its per-chat slot only holds its own future slot and never delays other chats.

    Sends to one chat are granted in call order; only a penalty can reorder them (a waiter caught
    by the pause re-reserves behind later callers of the same chat). A cancelled waiter just
    leaves its slot unused.
    """

    def __init__(
        self,
        global_per_second: float = 25,
        per_chat_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if not global_per_second > 0:
            raise ValueError("global_per_second must be positive")
        if not per_chat_interval >= 0:
            raise ValueError("per_chat_interval must not be negative")
        self._rate = float(global_per_second)
        self._interval = float(per_chat_interval)
        self._clock = clock
        self._sleep = sleep
        # Taken slots as a "next free slot" forest with path compression: finding a free slot in a
        # long run of reservations stays cheap. Keys only ever point to higher slots.
        self._taken: dict[int, int] = {}
        self._chats: dict[int, _ChatState] = {}
        self._paused_until = -math.inf
        self._last_housekeeping = -math.inf

    @property
    def global_per_second(self) -> float:
        return self._rate

    @property
    def tracked_chats(self) -> int:
        return len(self._chats)

    @property
    def reserved_slots(self) -> int:
        return len(self._taken)

    async def acquire(self, chat_id: int) -> None:
        """Wait until a message to ``chat_id`` may be sent now."""
        while True:
            at = self._reserve(chat_id)
            await self._sleep_until(at)
            # A 429 that arrived while we slept moves us behind the pause; the slot is wasted.
            if not self._is_paused(chat_id, self._clock()):
                return

    def penalize(self, seconds: float, chat_id: int | None = None) -> None:
        """After a 429: no send (to anyone, or to ``chat_id``) before now + ``seconds``."""
        if not seconds > 0:
            return
        until = self._clock() + seconds
        if chat_id is None:
            self._paused_until = max(self._paused_until, until)
            return
        state = self._chats.setdefault(chat_id, _ChatState(next_allowed=-math.inf))
        state.paused_until = max(state.paused_until, until)

    def _reserve(self, chat_id: int) -> float:
        now = self._clock()
        self._housekeeping(now)
        state = self._chats.get(chat_id)
        earliest = max(now, self._paused_until)
        if state is not None:
            earliest = max(earliest, state.next_allowed, state.paused_until)
        at = self._slot_time(self._take_slot(self._first_slot_at_or_after(earliest)))
        if state is None:
            self._chats[chat_id] = _ChatState(next_allowed=at + self._interval)
        else:
            state.next_allowed = at + self._interval
        return at

    async def _sleep_until(self, at: float) -> None:
        # Loop because a sleep may end a hair early (float rounding, timer resolution).
        while (now := self._clock()) < at:
            await self._sleep(at - now)

    def _is_paused(self, chat_id: int, now: float) -> bool:
        if now < self._paused_until:
            return True
        state = self._chats.get(chat_id)
        return state is not None and now < state.paused_until

    def _slot_time(self, slot: int) -> float:
        return slot / self._rate

    def _first_slot_at_or_after(self, moment: float) -> int:
        slot = math.ceil(moment * self._rate)
        # ceil on a product can land one slot short of ``moment`` after rounding.
        while self._slot_time(slot) < moment:
            slot += 1
        return slot

    def _take_slot(self, slot: int) -> int:
        path: list[int] = []
        while slot in self._taken:
            path.append(slot)
            slot = self._taken[slot]
        for visited in path:
            self._taken[visited] = slot
        self._taken[slot] = slot + 1
        return slot

    def _housekeeping(self, now: float) -> None:
        if now - self._last_housekeeping < _HOUSEKEEPING_EVERY:
            return
        self._last_housekeeping = now
        # Slots before now can never be asked for again (reservations start at now or later).
        current = math.floor(now * self._rate)
        self._taken = {slot: nxt for slot, nxt in self._taken.items() if slot >= current}
        idle_before = now - _CHAT_IDLE_FORGET
        self._chats = {
            chat_id: state
            for chat_id, state in self._chats.items()
            if state.next_allowed - self._interval > idle_before or state.paused_until > now
        }


def retry_delay(attempt: int, retry_after: float | None) -> float:
    """Seconds to wait before retrying a failed send.

    ``retry_after`` (from a 429) wins, with a margin because Telegram rounds it to whole seconds
    and our clock is not theirs. Otherwise (network errors) back off exponentially, ``attempt``
    counting from 0: 1, 2, 4, … capped at 60 s.
    """
    if retry_after is not None:
        return max(retry_after, 0.0) + _RETRY_AFTER_MARGIN
    # Clamp the exponent so a runaway attempt counter cannot overflow the float.
    exponent = min(max(attempt, 0), 16)
    return min(2.0**exponent, _BACKOFF_CAP)
