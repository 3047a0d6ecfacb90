"""Proactive sends at Telegram's physical limit: a shared throttle, retry delays, message splitting.

Telegram allows about 30 messages/s per bot and about 1 message/s per chat, 4096 characters per
message; we aim below that (25/s) so a burst of reminders never earns a 429 in the first place.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

TELEGRAM_TEXT_LIMIT = 4096

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


# --- splitting -------------------------------------------------------------------------------

_TAG = (
    r"<(?P<close>/)?(?P<name>[a-zA-Z][a-zA-Z0-9-]*)"
    r"(?:\s+[^\s=<>\"'/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'<>]+))?)*\s*(?P<self>/)?>"
)
_ENTITY = r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);"
# A tag or an entity is one indivisible atom; anything else is one character.
_ATOM = re.compile(f"{_TAG}|{_ENTITY}|.", re.DOTALL)

_PARAGRAPH, _LINE, _SPACE = 0, 1, 2


@dataclass(frozen=True, slots=True)
class _Atom:
    text: str
    width: int
    opens: str | None = None  # tag name, for an opening tag
    closes: str | None = None  # tag name, for a closing tag
    is_tag: bool = False  # markup, even when unpaired: shows nothing in the message


@dataclass(frozen=True, slots=True)
class _Piece:
    """One part: the reopened tags, a verbatim slice of the original, the closing tags."""

    prefix: str
    chunk: str
    suffix: str

    @property
    def text(self) -> str:
        return self.prefix + self.chunk + self.suffix


@dataclass(frozen=True, slots=True)
class _Cut:
    end: int  # atom index the part stops before
    stack: tuple[_Atom, ...]  # tags open at that point


def _width(text: str) -> int:
    # Telegram counts message length in UTF-16 code units; an emoji counts twice.
    return len(text.encode("utf-16-le")) // 2


def _atoms(text: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for match in _ATOM.finditer(text):
        raw = match.group(0)
        name = match.group("name")
        if name is None:
            atoms.append(_Atom(raw, _width(raw)))
        elif match.group("self"):
            atoms.append(_Atom(raw, _width(raw), is_tag=True))
        elif match.group("close"):
            atoms.append(_Atom(raw, _width(raw), closes=name.lower(), is_tag=True))
        else:
            atoms.append(_Atom(raw, _width(raw), opens=name.lower(), is_tag=True))
    return _demote_unmatched(atoms)


def _demote_unmatched(atoms: list[_Atom]) -> list[_Atom]:
    """Keep tag roles only for properly nested pairs.

    Reopening a tag that is never closed would pile it up in every later part (and Telegram
    rejects such text anyway), so unmatched or crossed tags are carried as plain text atoms.
    """
    open_at: list[int] = []
    matched: set[int] = set()
    for index, atom in enumerate(atoms):
        if atom.opens is not None:
            open_at.append(index)
        elif atom.closes is not None:
            names = [atoms[at].opens for at in open_at]
            if atom.closes in names:
                depth = len(names) - 1 - names[::-1].index(atom.closes)
                matched.update((open_at[depth], index))
                del open_at[depth:]
    return [
        atom
        if index in matched or (atom.opens is None and atom.closes is None)
        else _Atom(atom.text, atom.width, is_tag=True)
        for index, atom in enumerate(atoms)
    ]


def _apply(stack: list[_Atom], atom: _Atom) -> None:
    # Only matched, properly nested pairs carry a role, so a closing tag always closes the top.
    if atom.opens is not None:
        stack.append(atom)
    elif atom.closes is not None:
        stack.pop()


def _closers(stack: tuple[_Atom, ...] | list[_Atom]) -> str:
    return "".join(f"</{tag.opens}>" for tag in reversed(stack))


def _separator_kind(atoms: list[_Atom], end: int) -> int | None:
    last = atoms[end - 1].text
    if last == "\n":
        return _PARAGRAPH if end >= 2 and atoms[end - 2].text == "\n" else _LINE
    if last.isspace():
        return _SPACE
    return None


def _next_cut(atoms: list[_Atom], start: int, stack: tuple[_Atom, ...], limit: int) -> _Cut:
    """The best place to end a part that starts at ``start`` with ``stack`` reopened."""
    budget = limit - sum(tag.width for tag in stack)
    open_tags = list(stack)
    closers_width = _width(_closers(stack))
    used = 0
    best: dict[int, _Cut] = {}
    fitting: _Cut | None = None
    for index in range(start, len(atoms)):
        atom = atoms[index]
        used += atom.width
        if used > budget:
            break
        _apply(open_tags, atom)
        if atom.opens is not None or atom.closes is not None:
            closers_width = _width(_closers(open_tags))
        if used + closers_width > budget:
            continue
        fitting = _Cut(index + 1, tuple(open_tags))
        kind = _separator_kind(atoms, index + 1)
        if kind is not None:
            best[kind] = fitting
    if fitting is None:
        raise ValueError("cannot split: open tags or one tag alone exceed the message limit")
    return _choose(best, fitting, start)


def _choose(best: dict[int, _Cut], fitting: _Cut, start: int) -> _Cut:
    # A separator near the start would leave a stub of a message; cut there only if it still
    # keeps at least half of what would fit, else try the next kind of separator.
    half = start + (fitting.end - start) // 2
    for kind in (_PARAGRAPH, _LINE, _SPACE):
        cut = best.get(kind)
        if cut is not None and cut.end >= half:
            return cut
    # No separator in the second half: the latest separator anywhere beats cutting a word.
    candidates = list(best.values())
    return max(candidates, key=lambda cut: cut.end) if candidates else fitting


def _split_pieces(text: str, limit: int) -> list[_Piece]:
    atoms = _atoms(text)
    pieces: list[_Piece] = []
    start = 0
    stack: tuple[_Atom, ...] = ()
    while start < len(atoms):
        remaining = "".join(atom.text for atom in atoms[start:])
        prefix = "".join(tag.text for tag in stack)
        if _width(prefix + remaining) <= limit:
            pieces.append(_Piece(prefix, remaining, ""))
            break
        cut = _next_cut(atoms, start, stack, limit)
        chunk = "".join(atom.text for atom in atoms[start : cut.end])
        pieces.append(_Piece(prefix, chunk, _closers(cut.stack)))
        start, stack = cut.end, cut.stack
    return pieces


def _is_blank(piece: _Piece) -> bool:
    return all(atom.is_tag or atom.text.isspace() for atom in _atoms(piece.chunk))


def split_message(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split an HTML (parse_mode HTML) text into parts of at most ``limit`` UTF-16 units.

    Cuts prefer a paragraph break, then a line break, then a space, and never fall inside a tag
    or an entity; tags open at a cut are closed at the end of the part and reopened at the start
    of the next. Separators stay at the end of the part before the cut, so the original slices
    join back exactly. A part with nothing visible (only a huge run of whitespace) is dropped
    because Telegram rejects an empty message. Raises ValueError when the open tags at a cut
    alone (e.g. an enormous link) do not fit in ``limit``.
    """
    if _width(text) <= limit:
        return [text]
    return [piece.text for piece in _split_pieces(text, limit) if not _is_blank(piece)]
