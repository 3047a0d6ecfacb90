"""Dialog state in memory for the users in a dialog, not for every user ever seen.

aiogram's MemoryStorage keeps its records in a defaultdict, and the FSM middleware reads the
state of every update (the reply guard reads its own key too), so each user who ever wrote
left two records behind, forever (issue 18: 5.8 MB per 10,000 users). Here a read never
creates a record, and a write that leaves a key empty removes it: memory follows the users
with something to remember right now.

"Empty" means no state and no data value but None or an empty list, dict or tuple, because the
handlers clear their dialogs that way (`update_data(x=None)`, `{"prompts": []}`) and read data
only with `.get(key)`, for which a missing key and a None are the same. A user mid-dialog (a
state set, or a draft waiting under a prompt) keeps everything — for a day: a dialog nobody
has touched for IDLE_SECONDS is dropped, since most people who try a bot type /start and never
answer the first question, and their onboarding state would otherwise stay for good.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from copy import copy
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import StateType, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage, MemoryStorageRecord

_CONTAINERS = (list, dict, tuple)
IDLE_SECONDS = 24 * 3600.0
SWEEP_EVERY = 600.0


def _blank(value: Any) -> bool:
    return value is None or (type(value) in _CONTAINERS and not value)


def is_empty(record: MemoryStorageRecord) -> bool:
    return record.state is None and all(_blank(v) for v in record.data.values())


class BoundedMemoryStorage(MemoryStorage):
    """MemoryStorage that holds only non-empty, recently used records (see the docstring)."""

    def __init__(
        self, idle_seconds: float = IDLE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.idle_seconds = idle_seconds
        self.clock = clock
        self._used: dict[StorageKey, float] = {}
        self._next_sweep = clock() + min(SWEEP_EVERY, idle_seconds)

    def _touch(self, key: StorageKey) -> None:
        now = self.clock()
        self._used[key] = now
        if now >= self._next_sweep:
            self._next_sweep = now + min(SWEEP_EVERY, self.idle_seconds)
            cutoff = now - self.idle_seconds
            for stale in [k for k, used in self._used.items() if used < cutoff]:
                self.storage.pop(stale, None)
                del self._used[stale]

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        record = self.storage.get(key) or MemoryStorageRecord()
        record.state = state.state if isinstance(state, State) else state
        self._put(key, record)

    async def get_state(self, key: StorageKey) -> str | None:
        record = self.storage.get(key)
        if record is None:
            return None
        self._touch(key)  # read on every update: a user who is active keeps their dialog
        return record.state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            msg = f"Data must be a dict or dict-like object, got {type(data).__name__}"
            raise DataNotDictLikeError(msg)
        record = self.storage.get(key) or MemoryStorageRecord()
        record.data = data.copy()
        self._put(key, record)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        record = self.storage.get(key)
        return record.data.copy() if record is not None else {}

    async def get_value(
        self, storage_key: StorageKey, dict_key: str, default: Any | None = None
    ) -> Any | None:
        record = self.storage.get(storage_key)
        data = record.data if record is not None else {}
        return copy(data.get(dict_key, default))

    def _put(self, key: StorageKey, record: MemoryStorageRecord) -> None:
        if is_empty(record):
            self.storage.pop(key, None)
            self._used.pop(key, None)
        else:
            self.storage[key] = record
            self._touch(key)
