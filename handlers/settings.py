"""/settings: one menu, each item changed alone."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from bot.services.clock import Clock
from handlers import keyboards as kb
from handlers.callbacks import Flow, SettingsCb
from handlers.prefs_flow import ask, show_settings
from handlers.replies import edit_or_send
from handlers.views import settings_text
from storage.models import Manager

ITEMS = {"lang", "tz", "mode", "digest", "quiet", "reminders"}


async def on_settings(
    message: Message, bot: Bot, manager: Manager, state: FSMContext, clock: Clock
) -> None:
    await state.clear()
    await show_settings(bot=bot, chat_id=message.chat.id, manager=manager, now=clock.now())


async def on_settings_item(
    query: CallbackQuery,
    callback_data: SettingsCb,
    bot: Bot,
    t: Translator,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    item = callback_data.item
    await query.answer()
    chat_id = query.from_user.id
    message_id = query.message.message_id if query.message is not None else None
    if item == "close":
        await edit_or_send(bot, chat_id, message_id, settings_text(t, manager, clock.now()))
        await state.clear()
        return
    if item == "menu":
        await state.clear()
        await edit_or_send(
            bot, chat_id, message_id, settings_text(t, manager, clock.now()), kb.settings_menu_kb(t)
        )
        return
    if item not in ITEMS:
        await bot.send_message(chat_id, t("callback-outdated"))
        return
    await ask(
        item, Flow.SETTINGS, bot=bot, chat_id=chat_id, manager=manager, state=state, now=clock.now()
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_settings, Command("settings"))
    router.callback_query.register(on_settings_item, SettingsCb.filter())
    return router
