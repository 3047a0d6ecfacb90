"""Taps on reminders: ✅ done, 📞 log a touch, ⏰ snooze. The message shows what was done.

A reminder that is gone (or someone else's) raises ReminderNotFound: handlers/errors.py answers.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup

from bot.context import Ctx
from bot.services.schedule import reminder_actions as actions
from bot.services.schedule.schedule_rules import SNOOZE_CHOICES
from handlers.callbacks import ReminderAction, ReminderCb, TapCb
from handlers.clientbase.client_views import KIND_ICONS
from handlers.touches.touch_views import when_label


def _with_status(query: CallbackQuery, status: str) -> str:
    # html_text re-renders the entities as HTML and escapes the rest: the plain `text` would be
    # re-parsed as HTML, so a client named "<b>A&B" breaks the edit or turns into markup.
    message = query.message
    original = message.html_text if isinstance(message, Message) and message.text else ""
    return f"{original}\n\n{status}".strip()


async def on_done(query: CallbackQuery, callback_data: ReminderCb, ctx: Ctx) -> None:
    await actions.done(ctx.session, ctx.manager, callback_data.id, ctx.now)
    await query.answer(ctx.t("rem-done-toast"))
    await ctx.edit(_with_status(query, ctx.t("rem-done")))


async def on_snooze(query: CallbackQuery, callback_data: ReminderCb, ctx: Ctx) -> None:
    now = ctx.now
    until = await actions.snooze(
        ctx.session, ctx.manager, callback_data.id, callback_data.value, now
    )
    await query.answer(ctx.t("rem-snoozed-toast"))
    status = ctx.t("rem-snoozed", when=when_label(ctx.t, until, ctx.manager, now, with_time=True))
    await ctx.edit(_with_status(query, status))


async def on_log(query: CallbackQuery, callback_data: ReminderCb, ctx: Ctx) -> None:
    reminder = await actions.acknowledge(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    if reminder.client_id is None:
        await ctx.edit(_with_status(query, ctx.t("rem-done")))
        return
    buttons = [
        Button(
            text=f"{icon} {ctx.t(f'kind-{kind.value}')}",
            callback_data=TapCb(id=reminder.client_id, kind=kind.value).pack(),
        )
        for kind, icon in KIND_ICONS.items()
    ]
    markup = Markup(inline_keyboard=[buttons[:3], buttons[3:]])
    await ctx.edit(_with_status(query, ctx.t("rem-log-how")), markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_done, ReminderCb.filter(F.action == ReminderAction.DONE))
    # Another snooze choice is a forged or outdated button: the fallback says so.
    router.callback_query.register(
        on_snooze,
        ReminderCb.filter((F.action == ReminderAction.SNOOZE) & F.value.in_(SNOOZE_CHOICES)),
    )
    router.callback_query.register(on_log, ReminderCb.filter(F.action == ReminderAction.LOG))
    return router
