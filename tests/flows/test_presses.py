"""A button that creates data acts once, however often it is pressed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Interaction
from tests.support.bot_client import BotClient


async def test_the_final_tap_pressed_ten_times_logs_one_touch(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await client.send("/client Ромашка")
    await client.click("➕ Создать нового клиента")
    await client.send("/log")
    await client.click("Ромашка")
    await client.click("💬 сообщение")
    reply, data = client._find_button("👍 договорились", None)
    texts: list[str] = []
    for _ in range(10):  # the keyboard is gone after the first, but a fast thumb is faster
        texts += client.texts(await client.press(data, message_id=reply.message_id))
    async with session_pool() as session:
        touches = list(await session.scalars(select(Interaction)))
    assert len(touches) == 1
    assert sum("Записал" in t for t in texts) == 1
    assert texts.count("✅ Уже сохранено — повторное нажатие ничего не меняет.") == 9
    # The same outcome under a new /log is a new touch: the press, not the choice, is once.
    await client.send("/log")
    await client.click("Ромашка")
    await client.click("💬 сообщение")
    await client.click("👍 договорились")
    async with session_pool() as session:
        assert len(list(await session.scalars(select(Interaction)))) == 2
