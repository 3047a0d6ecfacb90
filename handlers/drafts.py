"""A dialog waiting for the manager to pick a client: the draft is in FSM data; a tap saves it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services.clients import ClientNotFound
from bot.services.clock import Clock
from handlers.callbacks import ClientCb
from storage.models import Manager

Saver = Callable[
    [Bot, int, Translator, AsyncSession, Manager, FSMContext, Clock, int, dict[str, Any]],
    Awaitable[None],
]


async def save_for_picked_client(
    query: CallbackQuery,
    client_id: int,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
    *,
    key: str,
    save: Saver,
) -> None:
    data = (await state.get_data()).get(key)
    if not isinstance(data, dict):
        await query.answer(t("callback-outdated"), show_alert=True)
        return
    try:
        await save(bot, query.from_user.id, t, session, manager, state, clock, client_id, data)
    except ClientNotFound:  # a forged id, or the client was deleted meanwhile
        await query.answer(t("client-not-found"), show_alert=True)
        return
    await query.answer()


def pick_handler(key: str, save: Saver) -> Callable[..., Awaitable[None]]:
    """The callback handler for "this client" under a waiting draft stored under `key`."""

    async def on_pick(
        query: CallbackQuery,
        callback_data: ClientCb,
        bot: Bot,
        t: Translator,
        session: AsyncSession,
        manager: Manager,
        state: FSMContext,
        clock: Clock,
    ) -> None:
        await save_for_picked_client(
            query, callback_data.id, bot, t, session, manager, state, clock, key=key, save=save
        )

    return on_pick
