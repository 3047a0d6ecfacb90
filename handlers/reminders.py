"""Taps on reminders: ✅ done, 📞 log a touch, ⏰ snooze. The message shows what was done."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services import reminder_actions as actions
from bot.services.clock import Clock
from bot.services.reminder_actions import ReminderNotFound
from bot.services.schedule_rules import SNOOZE_CHOICES
from handlers.callbacks import ReminderCb, TapCb
from handlers.client_views import KIND_ICONS
from handlers.replies import edit_or_send
from handlers.touch_views import when_label
from storage.models import Manager


def _with_status(query: CallbackQuery, status: str) -> str:
    # html_text re-renders the entities as HTML and escapes the rest: the plain `text` would be
    # re-parsed as HTML, so a client named "<b>A&B" breaks the edit or turns into markup.
    message = query.message
    original = message.html_text if isinstance(message, Message) and message.text else ""
    return f"{original}\n\n{status}".strip()


async def on_reminder(
    query: CallbackQuery,
    callback_data: ReminderCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    clock: Clock,
) -> None:
    chat_id = query.from_user.id
    message_id = query.message.message_id if query.message is not None else None
    now = clock.now()
    try:
        if callback_data.action == "done":
            await actions.done(session, manager, callback_data.id, now)
            await query.answer(t("rem-done-toast"))
            await edit_or_send(bot, chat_id, message_id, _with_status(query, t("rem-done")))
        elif callback_data.action == "snooze" and callback_data.value in SNOOZE_CHOICES:
            until = await actions.snooze(
                session, manager, callback_data.id, callback_data.value, now
            )
            await query.answer(t("rem-snoozed-toast"))
            status = t("rem-snoozed", when=when_label(t, until, manager, now, with_time=True))
            await edit_or_send(bot, chat_id, message_id, _with_status(query, status))
        elif callback_data.action == "log":
            reminder = await actions.acknowledge(session, manager, callback_data.id)
            await query.answer()
            if reminder.client_id is None:
                await edit_or_send(bot, chat_id, message_id, _with_status(query, t("rem-done")))
                return
            buttons = [
                Button(
                    text=f"{icon} {t(f'kind-{kind.value}')}",
                    callback_data=TapCb(id=reminder.client_id, kind=kind.value).pack(),
                )
                for kind, icon in KIND_ICONS.items()
            ]
            await edit_or_send(
                bot,
                chat_id,
                message_id,
                _with_status(query, t("rem-log-how")),
                Markup(inline_keyboard=[buttons[:3], buttons[3:]]),
            )
        else:
            await query.answer(t("callback-outdated"), show_alert=True)
    except ReminderNotFound:
        await query.answer(t("rem-not-found"), show_alert=True)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(
        on_reminder, ReminderCb.filter(F.action.in_({"done", "snooze", "log"}))
    )
    return router
