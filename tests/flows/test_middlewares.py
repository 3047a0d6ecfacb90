"""The outer middlewares, through the real Dispatcher: error boundary, throttling, allowlist."""

from __future__ import annotations

import re

from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import AnswerCallbackQuery, SendMessage
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher
from bot.config import Settings
from bot.services.clock import FrozenClock
from storage.models import Manager, ProcessedUpdate
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import BOT_TOKEN, MockedBot


async def test_a_failing_handler_gets_an_apology_with_a_code_and_polling_goes_on(
    client: BotClient, caplog
) -> None:
    client.bot.session.fail_next("sendMessage", 400, "Bad Request: chat not found")
    requests = await client.send("/help")
    apology = [r for r in requests if isinstance(r, SendMessage)][-1]
    match = re.search(r"<code>([0-9A-F]{6})</code>", apology.text)
    assert match, apology.text
    assert "Что-то пошло не так" in apology.text
    assert any(match.group(1) in rec.getMessage() for rec in caplog.records)
    assert "/settings" in client.texts(await client.send("/help"))[0]  # still serving


async def test_a_failed_update_is_not_marked_processed(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    client.bot.session.fail_next("sendMessage", 400, "Bad Request: chat not found")
    await client.send("/help", update_id=555_000)
    async with session_pool() as session:
        count = await session.scalar(select(func.count()).select_from(ProcessedUpdate))
    assert count == 0


async def test_flooding_user_is_told_once_and_others_are_served(
    session_pool: async_sessionmaker[AsyncSession], db_url: str, clock: FrozenClock
) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=BOT_TOKEN,
        database_url=db_url,
        throttle_burst=5,
        throttle_rate=0.01,
    )
    dp = create_dispatcher(settings, session_pool, clock=clock, storage=MemoryStorage())
    bot = MockedBot()
    flooder = BotClient(dp, bot, user_id=1)
    calm = BotClient(dp, bot, user_id=2)
    answered, warnings = 0, 0
    for _ in range(20):
        texts = flooder.texts(await flooder.send("/help"))
        answered += sum("/settings" in t for t in texts)
        warnings += sum("Слишком быстро" in t for t in texts)
    assert answered == 5
    assert warnings == 1
    assert "/settings" in calm.texts(await calm.send("/help"))[0]


async def test_allowlist_refuses_strangers_and_stores_nothing(
    session_pool: async_sessionmaker[AsyncSession], db_url: str, clock: FrozenClock
) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=BOT_TOKEN,
        database_url=db_url,
        allowed_user_ids="7, 8",
    )
    dp = create_dispatcher(settings, session_pool, clock=clock, storage=MemoryStorage())
    bot = MockedBot()
    stranger = BotClient(dp, bot, user_id=1001, language_code="en")
    texts = stranger.texts(await stranger.send("/start"))
    assert texts == [
        "🔒 This is a private bot. Ask the administrator to add your Telegram ID "
        "to the access list."
    ]
    requests = await stranger.press("p:lang:ru:o")
    assert isinstance(requests[0], AnswerCallbackQuery)
    friend = BotClient(dp, bot, user_id=7)
    assert "kambot" in friend.texts(await friend.send("/start"))[0]
    async with session_pool() as session:
        ids = set(await session.scalars(select(Manager.telegram_id)))
    assert ids == {7}


async def test_blocked_manager_is_unblocked_by_writing_again(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await client.send("/help")
    async with session_pool() as session:
        manager = await session.scalar(select(Manager))
        assert manager is not None
        manager.blocked_at = clock.now()
        await session.commit()
    await client.send("/help")
    async with session_pool() as session:
        manager = await session.scalar(select(Manager))
        assert manager is not None
        assert manager.blocked_at is None


async def test_malformed_callback_data_of_every_kind_gets_a_clear_answer(client: BotClient) -> None:
    for data in (
        "c:open:abc::",
        "t:undo:x:",
        "tp:zz",
        "ct:open:-:",
        "l:tag:0:99",
        "im:go",
        "nc:maybe",
        "n:undo:1",
    ):
        texts = client.texts(await client.press(data))
        assert texts, data
        assert any(("устарела" in t) or ("не найден" in t) for t in texts), (data, texts)
