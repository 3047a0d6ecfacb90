"""The delivery throttle under fake time, and retry delays."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import defaultdict
from collections.abc import Awaitable, Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.schedule.delivery_limits import RateLimiter, retry_delay

# Timestamps are floats; a window "1 s wide" may come out a few ulps short after arithmetic.
EPS = 1e-9


class FakeTime:
    """Virtual time for many concurrent tasks: time jumps to the next wake-up once every live
    task is asleep, so a 120-second schedule runs in well under a second."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._live = 0
        self._asleep = 0

    def clock(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(delay, 0.0), next(self._seq), future))
        self._asleep += 1
        try:
            await future
        except asyncio.CancelledError:
            self._asleep -= 1
            raise

    async def run(self, coros: Iterable[Awaitable[None]]) -> None:
        tasks = [asyncio.ensure_future(coro) for coro in coros]
        self._live += len(tasks)
        for task in tasks:
            task.add_done_callback(self._finished)
        while self._live:
            await self._settle()
            while self._sleepers and self._sleepers[0][2].done():  # cancelled sleepers
                heapq.heappop(self._sleepers)
            if not self._sleepers:
                break
            wake, _, future = heapq.heappop(self._sleepers)
            self.now = max(self.now, wake)
            self._asleep -= 1  # awake from now on, though it runs only at the next yield
            future.set_result(None)
        await asyncio.gather(*tasks)

    def _finished(self, _task: asyncio.Future[None]) -> None:
        self._live -= 1

    async def _settle(self) -> None:
        # Let every runnable task run until each live one is asleep (or done).
        for _ in range(10_000):
            if self._live == self._asleep:
                return
            await asyncio.sleep(0)
        raise AssertionError("a task is blocked on something other than the fake sleep")


def make_limiter(fake: FakeTime, **kwargs: float) -> RateLimiter:
    return RateLimiter(clock=fake.clock, sleep=fake.sleep, **kwargs)


async def send_all(
    fake: FakeTime, limiter: RateLimiter, chats: list[int]
) -> list[tuple[float, int]]:
    sent: list[tuple[float, int]] = []

    async def send(chat_id: int) -> None:
        await limiter.acquire(chat_id)
        sent.append((fake.clock(), chat_id))

    await fake.run(send(chat_id) for chat_id in chats)
    return sent


def max_in_one_second(times: list[float]) -> int:
    ordered = sorted(times)
    best, left = 0, 0
    for right, moment in enumerate(ordered):
        while moment - ordered[left] >= 1.0 - EPS:
            left += 1
        best = max(best, right - left + 1)
    return best


def min_gap_per_chat(sent: list[tuple[float, int]]) -> float:
    by_chat: dict[int, list[float]] = defaultdict(list)
    for moment, chat_id in sent:
        by_chat[chat_id].append(moment)
    gaps = [b - a for times in by_chat.values() for a, b in itertools.pairwise(sorted(times))]
    return min(gaps, default=float("inf"))


# --- RateLimiter ------------------------------------------------------------------------------


async def test_3000_sends_to_1000_chats_keep_both_limits_and_take_about_120_seconds() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake)
    start = fake.now
    sent = await send_all(fake, limiter, [chat for _ in range(3) for chat in range(1000)])
    assert len(sent) == 3000
    assert max_in_one_second([moment for moment, _ in sent]) <= 25
    assert min_gap_per_chat(sent) >= 1.0 - EPS
    elapsed = max(moment for moment, _ in sent) - start
    assert 108 <= elapsed <= 132  # 3000 / 25 = 120 s, within 10 %


async def test_one_busy_chat_does_not_block_the_others() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake)
    # Ten messages to chat 1 queued first, then one each to 20 other chats.
    sent = await send_all(fake, limiter, [1] * 10 + list(range(100, 120)))
    others = [moment for moment, chat in sent if chat != 1]
    assert max(others) - fake_start(sent) < 1.5  # all 20 fit in the first second or so
    ones = sorted(moment for moment, chat in sent if chat == 1)
    assert ones[-1] - ones[0] >= 9 - EPS
    assert min_gap_per_chat(sent) >= 1.0 - EPS


def fake_start(sent: list[tuple[float, int]]) -> float:
    return min(moment for moment, _ in sent)


async def test_per_chat_fifo_and_interval_for_a_single_chat() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake, per_chat_interval=2.0)
    order: list[int] = []

    async def send(number: int) -> None:
        await limiter.acquire(7)
        order.append(number)

    await fake.run(send(number) for number in range(5))
    assert order == [0, 1, 2, 3, 4]
    assert fake.now - 1000.0 == pytest.approx(8.0)


async def test_global_penalty_pauses_everything_for_retry_after() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake)
    sent: list[tuple[float, int]] = []

    async def send(chat_id: int) -> None:
        await limiter.acquire(chat_id)
        sent.append((fake.clock(), chat_id))

    async def flood_at(moment: float) -> None:
        await fake.sleep(moment - fake.now)
        limiter.penalize(5.0)

    start = fake.now
    chats = [chat for _ in range(2) for chat in range(100)]
    await fake.run([flood_at(start + 2.0), *(send(chat) for chat in chats)])
    times = sorted(moment - start for moment, _ in sent)
    assert len(times) == 200
    assert not [t for t in times if 2.0 < t < 7.0]
    assert any(t <= 2.0 for t in times)
    # Afterwards the pace resumes at the limit: 200 sends, ~2 s before, the rest from 7 s on.
    assert times[-1] == pytest.approx(7.0 + (200 - 51) / 25, abs=1.0)
    assert max_in_one_second(times) <= 25
    assert min_gap_per_chat(sent) >= 1.0 - EPS


async def test_chat_penalty_pauses_only_that_chat() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake)
    limiter.penalize(30.0, chat_id=1)
    sent = await send_all(fake, limiter, [1, 2, 3])
    at = {chat: moment - 1000.0 for moment, chat in sent}
    assert at[1] >= 30.0
    assert at[2] < 1.0
    assert at[3] < 1.0


@pytest.mark.parametrize("seconds", [0.0, -3.0, float("nan")])
async def test_meaningless_penalties_are_ignored(seconds: float) -> None:
    fake = FakeTime()
    limiter = make_limiter(fake)
    limiter.penalize(seconds)
    await send_all(fake, limiter, [1])
    assert fake.now == 1000.0


async def test_memory_forgets_idle_chats_and_past_slots() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake)
    await send_all(fake, limiter, list(range(1000)))
    assert limiter.tracked_chats == 1000
    fake.now += 61.0
    await send_all(fake, limiter, [5000])
    assert limiter.tracked_chats == 1
    assert limiter.reserved_slots <= 2


async def test_cancelled_waiter_does_not_break_the_others() -> None:
    fake = FakeTime()
    limiter = make_limiter(fake)
    sent: list[tuple[float, int]] = []

    async def send(chat_id: int) -> None:
        await limiter.acquire(chat_id)
        sent.append((fake.clock(), chat_id))

    async def send_then_cancel() -> None:
        task = asyncio.ensure_future(limiter.acquire(1))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    await fake.run([send(1), send_then_cancel(), *(send(chat) for chat in [1, 2, 3])])
    assert sorted(chat for _, chat in sent) == [1, 1, 2, 3]
    assert min_gap_per_chat(sent) >= 1.0 - EPS


def test_rejects_nonsense_configuration() -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(global_per_second=0)
    with pytest.raises(ValueError, match="negative"):
        RateLimiter(per_chat_interval=-1)


async def test_real_clock_smoke() -> None:
    # With the real clock, a fresh limiter lets the first send through without waiting.
    limiter = RateLimiter()
    await asyncio.wait_for(limiter.acquire(1), timeout=5)


@settings(max_examples=40, deadline=None)
@given(
    chats=st.lists(st.integers(0, 6), min_size=1, max_size=60),
    rate=st.sampled_from([1, 3, 10, 25]),
)
def test_limits_hold_for_any_mix_of_chats(chats: list[int], rate: int) -> None:
    async def scenario() -> list[tuple[float, int]]:
        fake = FakeTime()
        return await send_all(fake, make_limiter(fake, global_per_second=rate), chats)

    sent = asyncio.run(scenario())
    assert len(sent) == len(chats)
    assert max_in_one_second([moment for moment, _ in sent]) <= rate
    assert min_gap_per_chat(sent) >= 1.0 - EPS


# --- retry_delay -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attempt", "expected"),
    [(0, 1.0), (1, 2.0), (2, 4.0), (5, 32.0), (6, 60.0), (10_000, 60.0), (-1, 1.0)],
)
def test_network_errors_back_off_exponentially_up_to_a_minute(
    attempt: int, expected: float
) -> None:
    assert retry_delay(attempt, None) == expected


@pytest.mark.parametrize("retry_after", [0.0, 1.0, 7.0, 3600.0])
def test_429_waits_retry_after_plus_a_small_margin(retry_after: float) -> None:
    delay = retry_delay(3, retry_after)
    assert retry_after < delay <= retry_after + 1.0


def test_negative_retry_after_is_treated_as_zero() -> None:
    assert 0 < retry_delay(0, -5.0) <= 1.0
