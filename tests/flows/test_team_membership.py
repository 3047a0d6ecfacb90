"""Teams over the real update path: create, invite by link, join, roles, remove, leave."""

from __future__ import annotations

import re
from datetime import timedelta

from aiogram import Dispatcher
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from handlers.callbacks import TeamAction, TeamCb
from storage.enums import TeamRole
from storage.models import Client, Manager, Team, TeamEvent
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

LINK = re.compile(r"start=(join_[\w-]+)")


def _user(dispatcher: Dispatcher, bot: MockedBot, user_id: int, name: str) -> BotClient:
    return BotClient(dispatcher, bot, user_id=user_id, first_name=name)


async def _link(head: BotClient, *words: str) -> str:
    texts = head.texts(await head.send(" ".join(("/team invite", *words))))
    found = LINK.search(" ".join(texts))
    assert found, texts
    return found.group(1)


async def _manager(pool: async_sessionmaker[AsyncSession], telegram_id: int) -> Manager:
    async with pool() as session:
        row = await session.scalar(select(Manager).where(Manager.telegram_id == telegram_id))
        assert row is not None
        return row


async def _owners(pool: async_sessionmaker[AsyncSession]) -> dict[str, tuple[int, int | None]]:
    async with pool() as session:
        rows = await session.execute(select(Client.name, Client.owner_id, Client.team_id))
        return {name: (owner, team) for name, owner, team in rows}


async def _create_client(user: BotClient, name: str) -> None:
    await user.send(f"/client {name}")
    await user.click("Создать нового клиента")


async def test_a_head_invites_and_a_manager_joins_bringing_their_clients(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    head = _user(dispatcher, bot, 7001, "Ольга")
    anna = _user(dispatcher, bot, 7002, "Анна")
    await _create_client(head, "Альфа")
    await _create_client(anna, "Бета")
    created = head.texts(await head.send("/team new Отдел продаж"))
    assert any("Отдел продаж" in t and "руководитель" in t for t in created), created
    token = await _link(head)
    offer = anna.texts(await anna.send(f"/start {token}"))
    assert any("Отдел продаж" in t and "(1)" in t for t in offer), offer
    joined = anna.texts(await anna.click("✅ Вступить и передать клиентов команде"))
    assert any("Вы в команде" in t for t in joined), joined
    olga, ann = await _manager(session_pool, 7001), await _manager(session_pool, 7002)
    assert (olga.role, ann.role) == (TeamRole.HEAD, TeamRole.MANAGER)
    assert olga.team_id == ann.team_id is not None
    owners = await _owners(session_pool)
    assert owners == {"Альфа": (olga.id, olga.team_id), "Бета": (ann.id, olga.team_id)}
    # The head heard about it, in a message to the head's own chat.
    told = [r for r in bot.session.requests if getattr(r, "chat_id", None) == 7001]
    assert any("Анна" in str(getattr(r, "text", "")) for r in told)


async def test_keeping_ones_clients_leaves_them_personal(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    head, anna = _user(dispatcher, bot, 7011, "Ольга"), _user(dispatcher, bot, 7012, "Анна")
    await head.send("/team new Север")
    await _create_client(anna, "Бета")
    await anna.send(f"/start {await _link(head)}")
    await anna.click("Вступить, клиентов оставить себе")
    ann = await _manager(session_pool, 7012)
    assert ann.team_id is not None
    assert (await _owners(session_pool))["Бета"] == (ann.id, None)
    await _create_client(anna, "Гамма")  # a client created in the team is the team's
    assert (await _owners(session_pool))["Гамма"] == (ann.id, ann.team_id)


async def test_a_single_use_link_admits_one_and_bad_links_are_explained(
    dispatcher: Dispatcher,
    bot: MockedBot,
    clock: FrozenClock,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    head = _user(dispatcher, bot, 7021, "Ольга")
    first, second = _user(dispatcher, bot, 7022, "Анна"), _user(dispatcher, bot, 7023, "Борис")
    await head.send("/team new Юг")
    token = await _link(head)
    await first.send(f"/start {token}")
    await second.send(f"/start {token}")  # both saw the offer before anyone joined
    await first.click("✅ Вступить")
    late = second.texts(await second.click("✅ Вступить"))
    assert any("одноразовая" in t for t in late), late
    assert (await _manager(session_pool, 7023)).team_id is None
    assert any("не найдена" in t for t in second.texts(await second.send("/start join_nope")))
    many = await _link(head, "many")
    clock.advance(timedelta(days=8))
    expired = second.texts(await second.send(f"/start {many}"))
    assert any("Срок ссылки истёк" in t for t in expired), expired


async def test_a_revoked_link_and_a_member_of_another_team_are_refused(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    north, south = _user(dispatcher, bot, 7031, "Ольга"), _user(dispatcher, bot, 7032, "Пётр")
    anna = _user(dispatcher, bot, 7033, "Анна")
    await north.send("/team new Север")
    await south.send("/team new Юг")
    token = await _link(north)
    await north.send("/team invites")
    await north.click("❌ Отозвать")
    revoked = anna.texts(await anna.send(f"/start {token}"))
    assert any("отозвал" in t for t in revoked), revoked
    other = south.texts(await south.send(f"/start {await _link(north)}"))
    assert any("«Юг»" in t for t in other), other


async def test_removing_a_member_gives_their_team_clients_to_the_head(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    head, anna = _user(dispatcher, bot, 7041, "Ольга"), _user(dispatcher, bot, 7042, "Анна")
    await head.send("/team new Север")
    await anna.send(f"/start {await _link(head)}")
    await anna.click("✅ Вступить")
    await _create_client(anna, "Бета")
    await anna.send("/call Бета обсудили поставку, КП в пятницу")
    await head.send("/team members")
    await head.click("Анна")
    await head.click("Исключить")
    done = head.texts(await head.click("Да, исключить"))
    assert any("больше не в команде" in t for t in done), done
    olga, ann = await _manager(session_pool, 7041), await _manager(session_pool, 7042)
    assert ann.team_id is None
    assert (await _owners(session_pool))["Бета"] == (olga.id, olga.team_id)
    # Her old card button now finds nothing.
    async with session_pool() as session:
        beta = await session.scalar(select(Client.id).where(Client.name == "Бета"))
    assert beta is not None
    old = anna.texts(await anna.send("/client Бета"))
    assert not any("Бета</b>" in t and "📞" in t for t in old), old
    async with session_pool() as session:
        kinds = list(await session.scalars(select(TeamEvent.kind).order_by(TeamEvent.id)))
    assert kinds[-2:] == ["handover", "remove"]


async def test_roles_keep_one_head_and_only_heads_manage(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    head, anna = _user(dispatcher, bot, 7051, "Ольга"), _user(dispatcher, bot, 7052, "Анна")
    await head.send("/team new Север")
    await anna.send(f"/start {await _link(head)}")
    await anna.click("✅ Вступить")
    olga = await _manager(session_pool, 7051)
    forged = TeamCb(action=TeamAction.REMOVE, id=olga.id).pack()
    refused = anna.texts(await anna.press(forged))
    assert any("только руководитель" in t for t in refused), refused
    alone = head.texts(await head.send("/team leave"))
    assert any("Выйти из команды" in t for t in alone)
    only = head.texts(await head.click("Да, выйти"))
    assert any("единственный руководитель" in t for t in only), only
    await head.send("/team members")
    await head.click("Анна")
    await head.click("Сделать руководителем")
    assert (await _manager(session_pool, 7052)).role == TeamRole.HEAD
    await head.send("/team leave")
    left = head.texts(await head.click("Да, выйти"))
    assert any("Вы вышли из команды" in t for t in left), left
    await anna.send("/team leave")
    gone = anna.texts(await anna.click("Да, выйти"))
    assert any("распущена" in t for t in gone), gone
    async with session_pool() as session:
        assert await session.scalar(select(func.count()).select_from(Team)) == 0
