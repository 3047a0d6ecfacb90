"""/help and /cancel: they work at any moment, even in the middle of a dialog."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, ReplyKeyboardRemove

from bot.i18n import Translator


async def on_help(message: Message, t: Translator) -> None:
    await message.answer(t("help"))


async def on_cancel(message: Message, t: Translator, state: FSMContext) -> None:
    had_dialog = await state.get_state() is not None
    await state.clear()
    await message.answer(
        t("cancelled" if had_dialog else "nothing-to-cancel"), reply_markup=ReplyKeyboardRemove()
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_help, Command("help"))
    router.message.register(on_cancel, Command("cancel"))
    return router
