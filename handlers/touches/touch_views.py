"""How a saved touch is fixed: its type and due date by buttons. The ✅ reply itself is in
bot/views/touch_saved.py, shared with the Mini App; re-exported here for the handlers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup

from bot.i18n import Translator
from bot.views.formatting import Reader as Reader
from bot.views.formatting import when_label as when_label
from bot.views.touch_saved import KIND_ICONS
from bot.views.touch_saved import OUTCOME_ICONS as OUTCOME_ICONS
from bot.views.touch_saved import saved_reply as saved_reply
from bot.views.touch_saved import touch_kb as touch_kb
from bot.views.touch_saved import touch_text as touch_text
from handlers.callbacks import TouchAction, TouchCb
from storage.models import Manager


def quick_asked(days: int | None, manager: Manager, now: datetime) -> date | None:
    """The day a quick next-step button asked for, before a weekend moved it."""
    if days is None:
        return None
    return now.astimezone(ZoneInfo(manager.timezone)).date() + timedelta(days=days)


def kinds_kb(t: Translator, touch_id: int) -> Markup:
    buttons = [
        Button(
            text=f"{icon} {t(f'kind-{kind.value}')}",
            callback_data=TouchCb(
                action=TouchAction.SET_KIND, id=touch_id, value=kind.value
            ).pack(),
        )
        for kind, icon in KIND_ICONS.items()
    ]
    return Markup(inline_keyboard=[buttons[:3], buttons[3:]])


DUE_CHOICES = ("tomorrow", "3d", "week", "2w", "none")


def due_kb(t: Translator, touch_id: int) -> Markup:
    buttons = [
        Button(
            text=t(f"due-{choice}"),
            callback_data=TouchCb(action=TouchAction.SET_DUE, id=touch_id, value=choice).pack(),
        )
        for choice in DUE_CHOICES
    ]
    return Markup(inline_keyboard=[buttons[:2], buttons[2:4], buttons[4:]])
