"""The questions of onboarding and /settings, and what comes after each answer.

Onboarding asks language → timezone → work mode → digest time, each skippable; /settings asks
one of them and returns to the menu.
"""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import ReplyKeyboardRemove
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator, translator
from bot.services import managers as manager_service
from handlers import keyboards as kb
from handlers.callbacks import Flow
from handlers.states import PrefInput
from handlers.views import reminders_text, settings_text, timezone_label
from storage.models import Manager

ONBOARDING_STEPS = ("lang", "tz", "mode", "digest")


async def ask(
    step: str,
    flow: str,
    *,
    bot: Bot,
    chat_id: int,
    manager: Manager,
    state: FSMContext,
    now: datetime,
) -> None:
    t = translator(manager.language)
    await state.set_state(None)
    await state.update_data(flow=flow)
    if step == "lang":
        await bot.send_message(chat_id, t("ask-language"), reply_markup=kb.language_kb(t, flow))
    elif step == "tz":
        await state.set_state(PrefInput.timezone)
        await bot.send_message(
            chat_id,
            t("ask-timezone", current=timezone_label(manager, now)),
            reply_markup=kb.location_request_kb(t),
        )
    elif step == "mode":
        await bot.send_message(chat_id, t("ask-mode"), reply_markup=kb.work_mode_kb(t, flow))
    elif step == "digest":
        await state.set_state(PrefInput.digest)
        await bot.send_message(
            chat_id,
            t("ask-digest", current=f"{manager.digest_time:%H:%M}"),
            reply_markup=kb.digest_kb(t, flow),
        )
    elif step == "quiet":
        await state.set_state(PrefInput.quiet)
        await bot.send_message(chat_id, t("ask-quiet"), reply_markup=kb.quiet_kb(t))
    elif step == "reminders":
        await bot.send_message(chat_id, reminders_text(t, manager), reply_markup=kb.reminders_kb(t))
    else:
        raise ValueError(f"unknown step {step!r}")


async def after(
    step: str,
    flow: str,
    *,
    bot: Bot,
    chat_id: int,
    manager: Manager,
    session: AsyncSession,
    state: FSMContext,
    now: datetime,
) -> None:
    """Moves on once a step is answered or skipped."""
    await state.set_state(None)
    if flow == Flow.ONBOARDING and step in ONBOARDING_STEPS:
        index = ONBOARDING_STEPS.index(step)
        if index + 1 < len(ONBOARDING_STEPS):
            await ask(
                ONBOARDING_STEPS[index + 1],
                flow,
                bot=bot,
                chat_id=chat_id,
                manager=manager,
                state=state,
                now=now,
            )
            return
        await manager_service.finish_onboarding(session, manager, now)
        await state.clear()
        t = translator(manager.language)
        await bot.send_message(chat_id, t("onboarding-done"), reply_markup=ReplyKeyboardRemove())
        await bot.send_message(chat_id, settings_text(t, manager, now))
        return
    await state.clear()
    await show_settings(bot=bot, chat_id=chat_id, manager=manager, now=now)


async def show_settings(*, bot: Bot, chat_id: int, manager: Manager, now: datetime) -> None:
    t = translator(manager.language)
    await bot.send_message(
        chat_id, settings_text(t, manager, now), reply_markup=kb.settings_menu_kb(t)
    )


async def confirm(bot: Bot, chat_id: int, t: Translator, text: str) -> None:
    """A short ✅ line that also removes the location keyboard, if one is showing."""
    await bot.send_message(chat_id, text, reply_markup=ReplyKeyboardRemove())
