"""/start: onboarding for a newcomer, a short reminder of where things are for everyone else."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import CommandStart
from aiogram.types import Message

from bot.context import Ctx
from handlers.callbacks import Flow
from handlers.setup.prefs_flow import ONBOARDING_STEPS, ask
from handlers.setup.views import settings_text


async def on_start(message: Message, ctx: Ctx) -> None:
    await ctx.state.clear()
    if ctx.manager.onboarded_at is not None:
        first_name = message.from_user.first_name if message.from_user else ""
        await message.answer(ctx.t("start-again", name=first_name or "none"))
        await message.answer(settings_text(ctx.t, ctx.manager, ctx.now))
        return
    await message.answer(ctx.t("start-welcome"))
    await ask(ctx, ONBOARDING_STEPS[0], Flow.ONBOARDING)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_start, CommandStart())
    return router
