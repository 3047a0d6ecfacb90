"""Per-user memory follows activity (issue 18): through the real Dispatcher with the production
FSM storage, the throttle buckets and FSM entries of idle users go, a user mid-dialog keeps
their state, and the per-user maps stay bounded after many distinct users."""

from __future__ import annotations

from typing import TypeVar

from aiogram import Dispatcher
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import create_dispatcher, create_fsm_storage
from bot.chat_order import ChatOrderMiddleware
from bot.config import Settings
from bot.fsm_storage import BoundedMemoryStorage
from bot.middlewares import ThrottlingMiddleware
from bot.services.clock import FrozenClock
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import BOT_ID, BOT_TOKEN, MockedBot

M = TypeVar("M")
BURST, RATE = 4, 2.0  # an empty bucket is full again after 2 s


class Ticks:
    """The throttle's monotonic clock, moved by the test."""

    def __init__(self) -> None:
        self.at = 1000.0

    def __call__(self) -> float:
        return self.at


class World:
    def __init__(self, dp: Dispatcher, bot: MockedBot, ticks: Ticks) -> None:
        self.dp, self.bot, self.ticks = dp, bot, ticks
        storage = dp.fsm.storage
        assert isinstance(storage, BoundedMemoryStorage)
        self.storage = storage
        self.throttle = _middleware(dp, ThrottlingMiddleware)
        self.order = _middleware(dp, ChatOrderMiddleware).order

    def user(self, user_id: int) -> BotClient:
        return BotClient(self.dp, self.bot, user_id=user_id)

    def fsm_users(self) -> set[int]:
        return {key.user_id for key in self.storage.storage}


def _middleware(dp: Dispatcher, kind: type[M]) -> M:
    found = [m for m in dp.update.outer_middleware if isinstance(m, kind)]
    assert len(found) == 1
    return found[0]


def _world(db_url: str, pool: async_sessionmaker[AsyncSession], clock: FrozenClock) -> World:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        bot_token=BOT_TOKEN,
        database_url=db_url,
        throttle_burst=BURST,
        throttle_rate=RATE,
    )
    dp = create_dispatcher(settings, pool, clock=clock, storage=create_fsm_storage(settings))
    ticks = Ticks()
    world = World(dp, MockedBot(), ticks)
    world.throttle.clock = ticks
    world.throttle._swept_at = ticks()
    return world


async def test_idle_users_bucket_and_fsm_entry_go(
    db_url: str, session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    world = _world(db_url, session_pool, clock)
    anna = world.user(2001)
    texts = anna.texts(await anna.send("/call Ромашка обсудили поставку"))
    assert any("Ромашка" in t for t in texts)
    assert world.fsm_users() == {2001}  # a prompt waits with her draft: kept
    assert "Записал" in " ".join(anna.texts(await anna.click("Создать")))
    assert world.fsm_users() == set()  # answered: nothing left to remember
    assert world.throttle.tracked() == 1

    world.ticks.at += BURST / RATE + 0.1  # her bucket is full again
    boris = world.user(2002)
    await boris.send("/help")
    assert world.throttle.tracked() == 1  # Boris only
    assert world.fsm_users() == set()  # reading state on every update stores nothing


async def test_a_user_mid_dialog_keeps_their_state(
    db_url: str, session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    world = _world(db_url, session_pool, clock)
    anna = world.user(2001)
    await anna.send("/start")  # onboarding asks its first question; the flow is in FSM data
    key = StorageKey(bot_id=BOT_ID, chat_id=2001, user_id=2001)
    dialog = await world.storage.get_data(key)
    assert dialog.get("flow")
    for user_id in range(3000, 3050):
        world.ticks.at += 1
        await world.user(user_id).send("/help")
    assert await world.storage.get_data(key) == dialog
    assert world.fsm_users() == {2001}
    assert world.throttle.tracked() <= 2 * BURST / RATE + 1  # her bucket went, her dialog not
    await anna.send("/cancel")
    assert world.fsm_users() == set()


async def test_per_user_maps_stay_bounded_after_many_users(
    db_url: str, session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    world = _world(db_url, session_pool, clock)
    step = 0.25  # a new user every quarter second: eight of them per refill time
    for user_id in range(4000, 4120):
        world.ticks.at += step
        client = world.user(user_id)
        await client.send("/call Ромашка обсудили поставку")
        await client.click("Создать")
    assert world.fsm_users() == set()
    # Buckets of at most the last two refill times survive a sweep: 2 * 2 s / 0.25 s + 1.
    assert world.throttle.tracked() <= 2 * (BURST / RATE) / step + 1
    assert len(world.order) == 0
