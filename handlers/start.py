"""/start: onboarding for a newcomer, a short reminder of where things are for everyone else."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.i18n import Translator
from bot.services.clock import Clock
from handlers.callbacks import Flow
from handlers.prefs_flow import ONBOARDING_STEPS, ask
from handlers.views import settings_text
from storage.models import Manager


async def on_start(
    message: Message, bot: Bot, t: Translator, manager: Manager, state: FSMContext, clock: Clock
) -> None:
    await state.clear()
    if manager.onboarded_at is not None:
        first_name = message.from_user.first_name if message.from_user else ""
        await message.answer(t("start-again", name=first_name or "none"))
        await message.answer(settings_text(t, manager, clock.now()))
        return
    await message.answer(t("start-welcome"))
    await ask(
        ONBOARDING_STEPS[0],
        Flow.ONBOARDING,
        bot=bot,
        chat_id=message.chat.id,
        manager=manager,
        state=state,
        now=clock.now(),
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_start, CommandStart())
    return router
