"""BoundedMemoryStorage (issue 18): reads create nothing, an emptied key goes, a dialog stays."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey

from bot.fsm_storage import BoundedMemoryStorage

KEY = StorageKey(bot_id=1, chat_id=7, user_id=7)


async def test_reads_create_no_record() -> None:
    storage = BoundedMemoryStorage()
    assert await storage.get_state(KEY) is None
    assert await storage.get_data(KEY) == {}
    assert await storage.get_value(KEY, "x", 5) == 5
    assert storage.storage == {}


async def test_a_dialog_is_kept_until_it_is_cleared() -> None:
    storage = BoundedMemoryStorage()
    state = FSMContext(storage, KEY)
    await state.set_state("Input:comment")
    await state.update_data(touch_id=3, prompts=[[10, {"text": "КП"}]])
    assert await state.get_state() == "Input:comment"
    await state.set_state(None)
    assert await state.get_data() == {"touch_id": 3, "prompts": [[10, {"text": "КП"}]]}
    # The way the handlers end a dialog: None values and empty lists left behind.
    await state.update_data(touch_id=None, prompts=[])
    assert storage.storage == {}
    assert await state.get_data() == {}


async def test_falsy_values_that_mean_something_are_kept() -> None:
    storage = BoundedMemoryStorage()
    await storage.set_data(KEY, {"count": 0, "flag": False, "text": ""})
    assert await storage.get_data(KEY) == {"count": 0, "flag": False, "text": ""}


async def test_clear_drops_the_record() -> None:
    storage = BoundedMemoryStorage()
    state = FSMContext(storage, KEY)
    await state.set_state("Input:comment")
    await state.update_data(a=1)
    await state.clear()
    assert storage.storage == {}


async def test_a_dialog_nobody_touches_for_a_day_is_dropped_an_active_one_stays() -> None:
    now = [0.0]
    storage = BoundedMemoryStorage(clock=lambda: now[0])
    gone, active = KEY, StorageKey(bot_id=1, chat_id=8, user_id=8)
    await storage.set_state(gone, "Onboarding:language")  # typed /start, never answered
    await storage.set_state(active, "Input:comment")
    for _ in range(30):  # the active user writes an update an hour, for thirty hours
        now[0] += 3600
        assert await storage.get_state(active) == "Input:comment"
    assert await storage.get_state(gone) is None
    assert gone not in storage.storage
    assert await storage.get_state(active) == "Input:comment"
