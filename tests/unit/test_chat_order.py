"""bot/chat_order.py: one chat in order, chats side by side, nothing kept for idle chats."""

from __future__ import annotations

import asyncio

import pytest

from bot.chat_order import ChatOrder


async def _run(order: ChatOrder, key: int, name: str, log: list[str], gate: asyncio.Event) -> None:
    async with order.reserve(key):
        log.append(f"{name} start")
        await gate.wait()
        log.append(f"{name} end")


async def test_one_chat_waits_its_turn_while_another_chat_goes_ahead() -> None:
    order = ChatOrder()
    log: list[str] = []
    slow, free = asyncio.Event(), asyncio.Event()
    free.set()
    first = asyncio.create_task(_run(order, 1, "a1", log, slow))
    second = asyncio.create_task(_run(order, 1, "a2", log, free))
    other = asyncio.create_task(_run(order, 2, "b1", log, free))
    await other  # chat 2 is not held up by chat 1's slow update
    assert log == ["a1 start", "b1 start", "b1 end"]
    slow.set()
    await asyncio.gather(first, second)
    assert log[3:] == ["a1 end", "a2 start", "a2 end"]
    assert len(order) == 0  # idle chats leave nothing behind


async def test_a_cancelled_waiter_keeps_the_ones_behind_it_waiting() -> None:
    order = ChatOrder()
    log: list[str] = []
    slow, free = asyncio.Event(), asyncio.Event()
    free.set()
    first = asyncio.create_task(_run(order, 1, "a1", log, slow))
    cancelled = asyncio.create_task(_run(order, 1, "a2", log, free))
    third = asyncio.create_task(_run(order, 1, "a3", log, free))
    await asyncio.sleep(0)
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    await asyncio.sleep(0.01)
    assert log == ["a1 start"]  # a3 still waits for a1
    slow.set()
    await asyncio.gather(first, third)
    assert log == ["a1 start", "a1 end", "a3 start", "a3 end"]
    assert len(order) == 0
