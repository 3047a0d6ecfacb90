"""Filters run on the event loop: routing a message hops to no worker thread."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import Dispatcher, F, Router

from bot.inline_filters import run_filters_inline
from handlers.states import TouchInput
from tests.support.bot_client import BotClient


def test_every_filter_of_the_dispatcher_is_awaited_inline(dispatcher: Dispatcher) -> None:
    pending: list[Any] = []

    def walk(router: Router) -> None:
        for observer in router.observers.values():
            for handler in observer.handlers:
                pending.extend(f.callback for f in handler.filters or () if not f.awaitable)
        for child in router.sub_routers:
            walk(child)

    walk(dispatcher)
    assert pending == []


async def test_a_wrapped_filter_still_gets_its_arguments_and_decides() -> None:
    router = Router()
    seen: list[str] = []

    async def on_text(message: Any) -> None:
        seen.append("handled")

    router.message.register(on_text, F.text == "да", TouchInput.due)
    assert run_filters_inline(router) == 2
    text_filter, state_filter = router.message.handlers[0].filters or []
    assert await text_filter.call(type("M", (), {"text": "да"})()) is True
    assert await text_filter.call(type("M", (), {"text": "нет"})()) is False
    # a State filter is given raw_state by keyword: the wrapper must pass it through
    assert await state_filter.call(object(), raw_state=TouchInput.due.state) is True
    assert await state_filter.call(object(), raw_state=None) is False


async def test_logging_a_touch_runs_no_filter_in_a_thread(
    client: BotClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    await client.send("/client Ромашка")
    await client.click("➕ Создать нового клиента")
    hops: list[Any] = []
    real = asyncio.to_thread

    async def counted(func: Any, /, *args: Any, **kwargs: Any) -> Any:
        hops.append(func)
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", counted)  # aiogram calls asyncio.to_thread
    texts = client.texts(await client.send("/call Ромашка обсудили поставку, КП в пятницу"))
    assert any("✅ Записал" in t for t in texts), texts
    assert hops == []
