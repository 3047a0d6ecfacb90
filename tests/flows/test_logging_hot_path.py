"""The hot path of logging a touch (bench P1): few statements, and no guarantee given up for it."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Dispatcher
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from handlers.callbacks import ClientCb
from storage.models import Client, Interaction, ProcessedUpdate, Reminder
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot
from tests.support.sql_statements import statements

# manager + "update seen?" | client rows by name | INSERT touch | INSERT processed update |
# INSERT undo entry | UPDATE client (last touch, next check-in) | INSERT follow-up reminder.
# COMMIT is not a statement here.
STATEMENTS_PER_LOGGED_TOUCH = 7


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


async def _count(pool: async_sessionmaker[AsyncSession], model: type) -> int:
    async with pool() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_logged_touch_with_a_follow_up_costs_seven_statements(
    client: BotClient,
    engine: AsyncEngine,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _create(client, "Ромашка")
    await client.send("/call Ромашка разогрев")  # the first touch of a session warms caches
    clock.advance(timedelta(minutes=5))  # so the client's last touch really moves
    with statements(engine) as seen:
        texts = client.texts(await client.send("/call Ромашка обсудили поставку, КП в пятницу"))
    assert any("✅ Записал" in t for t in texts), texts
    assert len(seen) <= STATEMENTS_PER_LOGGED_TOUCH, "\n".join(seen)
    assert any(s.startswith("UPDATE clients") for s in seen), "\n".join(seen)
    # ... and all of it was written: the touch, its follow-up and the update id.
    assert await _count(session_pool, Interaction) == 2
    assert await _count(session_pool, Reminder) == 1
    assert await _count(session_pool, ProcessedUpdate) >= 4


async def test_a_redelivered_touch_is_neither_saved_nor_answered_twice(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    first = client.texts(await client.send("/call Ромашка звонок, КП завтра", update_id=990_001))
    again = client.texts(await client.send("/call Ромашка звонок, КП завтра", update_id=990_001))
    assert any("✅ Записал" in t for t in first)
    assert again == []
    assert await _count(session_pool, Interaction) == 1
    assert await _count(session_pool, Reminder) == 1


async def test_the_very_first_update_of_a_new_user_redelivered_is_skipped(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    """No manager row yet, so "seen?" is asked on its own; the second delivery is silent."""
    first = client.texts(await client.send("/start", update_id=990_101))
    again = client.texts(await client.send("/start", update_id=990_101))
    assert first
    assert again == []


async def test_a_forged_pick_of_someone_elses_client_logs_nothing(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await _create(client, "Ромашка")
    async with session_pool() as session:
        theirs = await session.scalar(select(Client.id).where(Client.name == "Ромашка"))
    assert theirs is not None
    other = BotClient(dispatcher, bot, user_id=5005)
    await other.send("/start")
    offer = other.texts(await other.send("/call Лютик секретный разговор"))
    assert any("Лютик" in t for t in offer), offer  # unknown client: offers to create it
    prompt = max(other.messages)  # the forged tap comes under the real prompt: its draft waits
    texts = other.texts(
        await other.press(ClientCb(action="logc", id=theirs).pack(), message_id=prompt)
    )
    assert any("не найден" in t for t in texts), texts
    assert await _count(session_pool, Interaction) == 0
    async with session_pool() as session:
        client_row = await session.get(Client, theirs)
        assert client_row is not None
        assert client_row.last_touch_at is None


async def test_a_client_with_the_same_name_elsewhere_is_not_taken(
    client: BotClient, dispatcher: Dispatcher, bot: MockedBot
) -> None:
    """The name query is scoped to the manager: another manager's "Ромашка" is not found."""
    await _create(client, "Ромашка")
    other = BotClient(dispatcher, bot, user_id=5006)
    await other.send("/start")
    texts = other.texts(await other.send("/call Ромашка звонок"))
    assert not any("✅ Записал" in t for t in texts), texts
    assert any("Ромашка" in t for t in texts), texts
