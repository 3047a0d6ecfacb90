"""/settings: one menu, each item changed alone."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.context import Ctx
from handlers.callbacks import Flow, SettingsCb, SettingsItem
from handlers.setup import keyboards as kb
from handlers.setup.prefs_flow import ask, show_settings
from handlers.setup.views import settings_text

MENU_ONLY = {SettingsItem.MENU, SettingsItem.CLOSE}


async def on_settings(message: Message, ctx: Ctx) -> None:
    await ctx.state.clear()
    await show_settings(ctx)


async def on_settings_close(query: CallbackQuery, ctx: Ctx) -> None:
    await query.answer()
    await ctx.edit(settings_text(ctx.t, ctx.manager, ctx.now))
    await ctx.state.clear()


async def on_settings_menu(query: CallbackQuery, ctx: Ctx) -> None:
    await query.answer()
    await ctx.state.clear()
    await ctx.edit(settings_text(ctx.t, ctx.manager, ctx.now), kb.settings_menu_kb(ctx.t))


async def on_settings_item(query: CallbackQuery, callback_data: SettingsCb, ctx: Ctx) -> None:
    await query.answer()
    await ask(ctx, callback_data.item, Flow.SETTINGS)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_settings, Command("settings"))
    router.callback_query.register(
        on_settings_close, SettingsCb.filter(F.item == SettingsItem.CLOSE)
    )
    router.callback_query.register(on_settings_menu, SettingsCb.filter(F.item == SettingsItem.MENU))
    router.callback_query.register(on_settings_item, SettingsCb.filter(~F.item.in_(MENU_ONLY)))
    return router
