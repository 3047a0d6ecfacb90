"""The delivery throttle under fake time, retry delays, and HTML-aware message splitting."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import re
from collections import defaultdict
from collections.abc import Awaitable, Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.delivery_limits import (
    RateLimiter,
    _split_pieces,
    retry_delay,
    split_message,
)

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


# --- split_message ------------------------------------------------------------------------------

OPEN_OR_CLOSE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?>")


def is_balanced(html: str) -> bool:
    stack: list[str] = []
    for match in OPEN_OR_CLOSE.finditer(html):
        if not match.group(1):
            stack.append(match.group(2).lower())
        elif not stack or stack.pop() != match.group(2).lower():
            return False
    return not stack


def assert_balanced(part: str) -> None:
    assert is_balanced(part), f"unbalanced tags in {part!r}"


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_short_text_is_unchanged() -> None:
    text = "<b>Ромашка</b>: день рождения у Анны &amp; Ко 🎂"
    assert split_message(text) == [text]
    assert split_message("") == [""]


def test_10000_chars_of_lines_split_at_line_breaks() -> None:
    lines = [f"{n:04d} " + "x" * 94 for n in range(100)]  # 99 chars + "\n" = 100 per line
    text = "\n".join(lines)
    parts = split_message(text)
    assert len(parts) == 3
    assert all(len(part) <= 4096 for part in parts)
    assert all(part.endswith("\n") for part in parts[:-1])
    assert "".join(parts) == text


def test_paragraph_break_is_preferred_over_a_later_line_break() -> None:
    text = "a" * 60 + "\n\n" + "b" * 20 + "\n" + "c" * 40
    parts = split_message(text, limit=100)
    assert parts == ["a" * 60 + "\n\n", "b" * 20 + "\n" + "c" * 40]


def test_a_stub_is_not_made_just_to_cut_at_a_paragraph() -> None:
    text = "a\n\n" + "b " * 60
    parts = split_message(text, limit=100)
    assert len(parts[0]) > 50
    assert "".join(parts) == text


def test_a_single_5000_char_word_is_cut_hard() -> None:
    word = "ы" * 5000
    parts = split_message(word)
    assert [len(part) for part in parts] == [4096, 904]
    assert "".join(parts) == word


def test_bold_spanning_the_cut_is_closed_and_reopened() -> None:
    text = "intro " + "<b>" + "bold words " * 20 + "</b> tail"
    parts = split_message(text, limit=100)
    assert len(parts) > 1
    assert parts[0].endswith("</b>")
    assert parts[1].startswith("<b>")
    for part in parts:
        assert len(part) <= 100
        assert_balanced(part)


def test_link_and_nested_tags_are_reopened_with_their_attributes() -> None:
    text = '<a href="https://example.com/?a=1&amp;b=2"><i>' + "link text " * 30 + "</i></a>"
    parts = split_message(text, limit=120)
    for part in parts[1:]:
        assert part.startswith('<a href="https://example.com/?a=1&amp;b=2"><i>')
    for part in parts[:-1]:
        assert part.endswith("</i></a>")
    for part in parts:
        assert len(part) <= 120
        assert_balanced(part)


def test_entities_at_the_boundary_are_never_cut() -> None:
    for offset in range(8):
        text = "y" * (95 + offset) + "&amp;&lt;&#128512;&#x1F600;" * 4
        parts = split_message(text, limit=100)
        assert "".join(parts) == text
        for part in parts:
            assert len(part) <= 100
            assert not re.search(r"&[#a-zA-Z0-9]*$", part), part
            assert not re.match(r"^[#a-zA-Z0-9]*;", part), part


def test_tag_at_the_boundary_is_never_cut() -> None:
    for offset in range(10):
        text = "y" * (90 + offset) + "<code>x</code>" * 10
        parts = split_message(text, limit=100)
        for part in parts:
            assert len(part) <= 100
            assert_balanced(part)
            assert part.count("<") == part.count(">")


def test_emoji_count_twice_against_the_limit() -> None:
    text = "🎂" * 60  # 120 UTF-16 units
    parts = split_message(text, limit=100)
    assert [utf16(part) for part in parts] == [100, 20]


def test_whitespace_only_parts_are_dropped() -> None:
    text = "start" + " " * 300 + "end"
    parts = split_message(text, limit=100)
    assert all(part.strip() for part in parts)
    assert parts[0].startswith("start")
    assert parts[-1].endswith("end")


def test_unsplittable_tag_raises() -> None:
    text = '<a href="https://example.com/' + "p" * 200 + '">x</a>' + "z" * 300
    with pytest.raises(ValueError, match="exceed"):
        split_message(text, limit=100)


def test_malformed_html_does_not_crash() -> None:
    text = "a < b & c > d </b> <i> never closed " * 20
    parts = split_message(text, limit=100)
    assert all(len(part) <= 100 for part in parts)


# Building blocks that look like what the bot sends: words, separators, entities, tags.
TEXT_BITS = st.one_of(
    st.text(alphabet="abcйцу🎂", min_size=1, max_size=12),
    st.sampled_from([" ", "\n", "\n\n", "&amp;", "&lt;", "&#128512;", "<", ">", "&"]),
)
TAGS = st.sampled_from(["b", "i", "code", "u", "s", "tg-spoiler", 'a href="https://t.me/x"'])


def html_fragment(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return st.lists(TEXT_BITS, max_size=8).map("".join)

    def wrap(args: tuple[str, str]) -> str:
        tag, inner = args
        return f"<{tag}>{inner}</{tag.split()[0]}>"

    inner = html_fragment(depth - 1)
    piece = st.one_of(inner, st.tuples(TAGS, inner).map(wrap))
    return st.lists(piece, max_size=6).map("".join)


HTML = html_fragment(2)


def open_stack_after(consumed: str, whole: str) -> list[str]:
    """Opening tags (verbatim) still open after the prefix ``consumed`` of ``whole``, by an
    independent reading: only tags that pair up properly somewhere in ``whole`` count."""
    tags = list(OPEN_OR_CLOSE.finditer(whole))
    pending: list[int] = []
    paired: set[int] = set()
    for index, match in enumerate(tags):
        if not match.group(1):
            pending.append(index)
            continue
        names = [tags[i].group(2).lower() for i in pending]
        if match.group(2).lower() in names:
            depth = len(names) - 1 - names[::-1].index(match.group(2).lower())
            paired.update((pending[depth], index))
            del pending[depth:]
    stack: list[str] = []
    for index, match in enumerate(tags):
        if match.end() > len(consumed) or index not in paired:
            continue
        if match.group(1):
            stack.pop()
        else:
            stack.append(match.group(0))
    return stack


def closers(stack: list[str]) -> str:
    names = [OPEN_OR_CLOSE.match(tag).group(2) for tag in stack]  # type: ignore[union-attr]
    return "".join(f"</{name}>" for name in reversed(names))


@settings(max_examples=300, deadline=None)
@given(text=HTML, limit=st.integers(min_value=80, max_value=300))
def test_split_property_parts_fit_and_rejoin_to_the_original(text: str, limit: int) -> None:
    # The contract, piece by piece: each part is (reopened tags) + a verbatim slice + (closing
    # tags); the reopened tags are exactly those open before the slice, the closing tags exactly
    # those open after it; the slices join back to the original text.
    pieces = _split_pieces(text, limit)
    assert "".join(piece.chunk for piece in pieces) == text
    consumed = ""
    for piece in pieces:
        assert utf16(piece.text) <= limit
        assert piece.chunk  # every part makes progress
        assert piece.prefix == "".join(open_stack_after(consumed, text))
        consumed += piece.chunk
        if piece is not pieces[-1]:
            assert piece.suffix == closers(open_stack_after(consumed, text))
            # Tags the original leaves unpaired are carried as they are, so only a well-formed
            # original promises well-formed parts.
            assert is_balanced(piece.text) or not is_balanced(text)
    public = split_message(text, limit)
    if utf16(text) <= limit:
        assert public == [text]
    else:
        assert public == [p.text for p in pieces if OPEN_OR_CLOSE.sub("", p.chunk).strip()]


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=600), limit=st.integers(min_value=20, max_value=200))
def test_split_never_crashes_on_arbitrary_text(text: str, limit: int) -> None:
    pieces = _split_pieces(text, limit)
    assert "".join(piece.chunk for piece in pieces) == text
    assert all(utf16(piece.text) <= limit for piece in pieces)
