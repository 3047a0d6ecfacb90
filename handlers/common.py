"""/help and /cancel: they work at any moment, even in the middle of a dialog."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message, ReplyKeyboardRemove

from bot.context import Ctx


async def on_help(message: Message, ctx: Ctx) -> None:
    await message.answer(ctx.t("help"))


async def on_cancel(message: Message, ctx: Ctx) -> None:
    had_dialog = await ctx.state.get_state() is not None
    await ctx.state.clear()
    await message.answer(
        ctx.t("cancelled" if had_dialog else "nothing-to-cancel"),
        reply_markup=ReplyKeyboardRemove(),
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_help, Command("help"))
    router.message.register(on_cancel, Command("cancel"))
    return router
