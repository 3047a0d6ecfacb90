"""Isolation with teams (issue 10, item 6): every callback family, pressed with forged ids.

A manager of team A owns a client with its whole history. Four others press every button
kambot has — every CallbackData factory, every action, with each id the owner's rows hold:
a stranger, another member of team A (not its head), a member removed from team A, and the
head of team B. None of them may see the owner's data in any answer, and the owner's rows
must be exactly as they were afterwards.
"""

from __future__ import annotations

import enum
import itertools
import re
import typing
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiogram import Dispatcher
from aiogram.filters.callback_data import CallbackData
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import bot.callbacks  # noqa: F401 - registers every factory as a CallbackData subclass
from storage.enums import Channel, PeriodKind, ReminderKind
from storage.models import (
    Client,
    ClientRequest,
    Contact,
    Interaction,
    Manager,
    Note,
    Plan,
    Reminder,
    Review,
    Sale,
)
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

LINK = re.compile(r"start=(join_[\w-]+)")
SECRETS = ("Секретная Ромашка", "тайный разговор", "тайная заметка", "Иван Тайный", "тайный запрос")
CRASH = "Что-то пошло не так"
OWNED = (Client, Contact, Interaction, Note, Sale, Plan, ClientRequest, Review, Reminder)
PERSONAS = ("stranger", "teammate", "removed", "other_head")


async def _team_link(head: BotClient) -> str:
    found = LINK.search(" ".join(head.texts(await head.send("/team invite"))))
    assert found
    return found.group(1)


async def _join(user: BotClient, head: BotClient) -> None:
    await user.send(f"/start {await _team_link(head)}")
    await user.click("Вступить")


async def _manager_id(pool: async_sessionmaker[AsyncSession], telegram_id: int) -> int:
    async with pool() as session:
        found = await session.scalar(select(Manager.id).where(Manager.telegram_id == telegram_id))
        assert found is not None
        return found


async def _history(session: AsyncSession, owner_id: int, team_id: int | None) -> list[int]:
    """A client with one row of every kind; returns every id it made."""
    now = datetime.now(UTC)
    client = Client(
        owner_id=owner_id, team_id=team_id, name=SECRETS[0], name_norm="секретная ромашка"
    )
    session.add(client)
    await session.flush()
    contact = Contact(
        client_id=client.id, name=SECRETS[3], name_norm="иван тайный", birth_day=1, birth_month=5
    )
    touch = Interaction(
        client_id=client.id,
        manager_id=owner_id,
        kind=Channel.CALL,
        occurred_at=now - timedelta(days=2),
        summary=SECRETS[1],
        next_step=SECRETS[1],
        next_step_due_at=now + timedelta(days=2),
    )
    shared = Note(manager_id=owner_id, client_id=client.id, text=SECRETS[2])
    private = Note(manager_id=owner_id, client_id=client.id, text=SECRETS[2], is_private=True)
    sale = Sale(client_id=client.id, manager_id=owner_id, amount_minor=777_00, sold_at=now)
    plan = Plan(
        manager_id=owner_id,
        client_id=client.id,
        period_kind=PeriodKind.MONTH,
        period_start=now.date().replace(day=1),
        amount_minor=9_000_00,
    )
    request = ClientRequest(
        client_id=client.id, manager_id=owner_id, text=SECRETS[4], opened_at=now
    )
    session.add_all([contact, touch, shared, private, sale, plan, request])
    await session.flush()
    review = Review(
        client_id=client.id, manager_id=owner_id, request_id=request.id, is_positive=True
    )
    reminder = Reminder(
        manager_id=owner_id,
        kind=ReminderKind.FOLLOWUP,
        client_id=client.id,
        interaction_id=touch.id,
        due_at=now + timedelta(days=2),
        dedupe_key=f"followup:{touch.id}",
    )
    session.add_all([review, reminder])
    await session.commit()
    rows = [client, contact, touch, shared, private, sale, plan, request, review, reminder]
    return [row.id for row in rows]


async def _snapshot(
    pool: async_sessionmaker[AsyncSession], client_ids: list[int], presser: int
) -> dict[str, Any]:
    """Every row on the clients, except the presser's own private notes: those are theirs to
    delete even about a client they no longer own (a removed member's words stay theirs)."""
    async with pool() as session:
        out: dict[str, Any] = {}
        for model in OWNED:
            key = model.id if model is Client else model.client_id
            query = select(model).where(key.in_(client_ids)).order_by(model.id)
            if model is Note:
                query = query.where(~(Note.is_private & (Note.manager_id == presser)))
            rows = await session.scalars(query)
            out[model.__tablename__] = [
                {
                    c.name: getattr(row, c.key)
                    for c in model.__mapper__.columns
                    if c.name != "updated_at"
                }
                for row in rows
            ]
        return out


def _enum_fields(factory: type[CallbackData]) -> dict[str, list[Any]]:
    hints = typing.get_type_hints(factory)
    return {
        name: list(hints[name])
        for name in factory.model_fields
        if isinstance(hints.get(name), type) and issubclass(hints[name], enum.Enum)
    }


def forged(ids: list[int]) -> list[str]:
    """Every factory, every combination of its enum fields, each id in every id-like field;
    each distinct callback data once."""
    return list(dict.fromkeys(_forged(ids)))


def _forged(ids: list[int]) -> Iterator[str]:
    for factory in CallbackData.__subclasses__():
        enums = _enum_fields(factory)
        combos = itertools.product(*enums.values()) if enums else [()]
        for combo in combos:
            chosen = dict(zip(enums, combo, strict=True))
            for id_ in ids:
                values: dict[str, Any] = dict(chosen)
                for name, info in factory.model_fields.items():
                    if name in values:
                        continue
                    if info.annotation is int:
                        values[name] = id_
                    elif info.annotation is str:
                        values[name] = str(id_)
                    elif info.annotation is bool:
                        values[name] = False
                try:
                    yield factory(**values).pack()
                except ValueError:
                    continue  # a value the factory refuses to pack cannot be sent either


@pytest.fixture
async def world(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> dict[str, Any]:
    head_a = BotClient(dispatcher, bot, user_id=8101, first_name="Ольга")
    owner = BotClient(dispatcher, bot, user_id=8102, first_name="Анна")
    teammate = BotClient(dispatcher, bot, user_id=8103, first_name="Борис")
    removed = BotClient(dispatcher, bot, user_id=8104, first_name="Вера")
    head_b = BotClient(dispatcher, bot, user_id=8105, first_name="Пётр")
    stranger = BotClient(dispatcher, bot, user_id=8106, first_name="Глеб")
    await head_a.send("/team new Север")
    await head_b.send("/team new Юг")
    await stranger.send("/start")
    for member in (owner, teammate, removed):
        await _join(member, head_a)
    owner_id = await _manager_id(session_pool, 8102)
    async with session_pool() as session:
        team_id = (await session.get(Manager, owner_id)).team_id  # type: ignore[union-attr]
        ids = await _history(session, owner_id, team_id)
    # The removed member once had the client's buttons in front of them: they were its owner.
    removed_id = await _manager_id(session_pool, 8104)
    async with session_pool() as session:
        old = await _history(session, removed_id, team_id)
    await head_a.send("/team members")
    await head_a.click("Вера")
    await head_a.click("Исключить")
    await head_a.click("Да, исключить")
    client_ids = [ids[0]]
    member_ids = [owner_id, await _manager_id(session_pool, 8101)]
    return {
        "clients": {
            "stranger": stranger,
            "teammate": teammate,
            "removed": removed,
            "other_head": head_b,
        },
        "ids": sorted({*ids, *old, *member_ids}),
        "client_ids": client_ids,
        "old_client": old[0],
    }


@pytest.mark.parametrize("persona", PERSONAS)
async def test_no_forged_button_shows_or_changes_another_managers_client(
    world: dict[str, Any], persona: str, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    presser: BotClient = world["clients"][persona]
    watched = [*world["client_ids"], world["old_client"]]
    who = await _manager_id(session_pool, presser.user.id)
    before = await _snapshot(session_pool, watched, who)
    pressed = 0
    for data in forged(world["ids"]):
        texts = presser.texts(await presser.press(data))
        shown = " ".join(texts)
        assert CRASH not in shown, (data, texts)
        leaked = [s for s in SECRETS if s in shown]
        assert not leaked, (persona, data, texts)
        pressed += 1
    assert pressed >= 400, pressed  # every factory and action, each id the rows hold
    assert await _snapshot(session_pool, watched, who) == before
