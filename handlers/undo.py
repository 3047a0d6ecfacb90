"""/undo: removes the last entry made within ten minutes."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services.clock import Clock
from bot.services.undo import undo_last
from storage.models import Manager


async def on_undo(
    message: Message, t: Translator, session: AsyncSession, manager: Manager, clock: Clock
) -> None:
    undone = await undo_last(session, manager, clock.now())
    if undone is None:
        await message.answer(t("undo-nothing"))
        return
    await message.answer(t(f"undo-{undone.kind}", text=undone.text[:200]))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_undo, Command("undo"))
    return router
