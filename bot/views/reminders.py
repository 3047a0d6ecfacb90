"""Reminder messages: the text of each kind and the ✅ · 📞 · ⏰ buttons every ping carries."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup
from babel.dates import format_date

from bot.callbacks import ReminderAction, ReminderCb
from bot.i18n import translator
from bot.services.crm.agenda import Week
from bot.services.schedule.delivery import Ping
from bot.services.schedule.schedule_rules import SNOOZE_CHOICES
from storage.enums import ReminderKind


def ping_text(ping: Ping, now: datetime) -> str:
    t = translator(ping.language)
    zone = ZoneInfo(ping.timezone)
    today = now.astimezone(zone).date()
    client = ping.client_name or "—"
    if ping.kind == ReminderKind.BIRTHDAY and ping.birthday_on is not None:
        return t(
            "rem-birthday",
            name=ping.contact_name or "—",
            client=client,
            days=(ping.birthday_on - today).days,
            date=format_date(
                ping.birthday_on,
                "d MMMM" if ping.language == "ru" else "MMMM d",
                locale=ping.language,
            ),
            turns=ping.turns if ping.turns is not None else "none",
        )
    if ping.kind == ReminderKind.CHECKIN:
        days = (
            (today - ping.last_touch_at.astimezone(zone).date()).days if ping.last_touch_at else -1
        )
        return t("rem-checkin", client=client, days=days)
    if ping.kind == ReminderKind.FOLLOWUP:
        return t("rem-followup", client=client, step=(ping.step or "—")[:500])
    about = f"{ping.contact_name} ({client})" if ping.contact_name else client
    return t("rem-note", about=about, text=(ping.note_text or "")[:1000])


def ping_kb(ping: Ping) -> Markup:
    t = translator(ping.language)
    rid = ping.reminder_id
    rows = [
        [
            Button(
                text=t("rem-btn-done"),
                callback_data=ReminderCb(action=ReminderAction.DONE, id=rid).pack(),
            ),
            Button(
                text=t("rem-btn-log"),
                callback_data=ReminderCb(action=ReminderAction.LOG, id=rid).pack(),
            ),
        ],
        [
            Button(
                text=t(f"rem-snooze-{choice}"),
                callback_data=ReminderCb(action=ReminderAction.SNOOZE, id=rid, value=choice).pack(),
            )
            for choice in SNOOZE_CHOICES
        ],
    ]
    return Markup(inline_keyboard=rows)


def week_text(language: str, week: Week) -> str:
    t = translator(language)
    text = t(
        "rem-weekly",
        touches=week.touches,
        clients=week.clients_touched,
        overdue=week.overdue,
    )
    return "\n\n".join(part for part in (text, week.pace, week.team) if part)
