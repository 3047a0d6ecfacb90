"""The day's agenda, rendered for /today and for the morning digest the notifier sends."""

from __future__ import annotations

from datetime import date, datetime

from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup
from babel.dates import format_date

from bot.callbacks import (
    ClientAction,
    ClientCb,
    RequestAction,
    RequestCb,
    TouchAction,
    TouchCb,
)
from bot.i18n import Translator
from bot.services.crm.agenda import Agenda, BirthdayItem
from bot.views.formatting import Reader, esc, format_duration, when_label
from bot.views.webapp_links import webapp_button

MAX_ITEMS = 10  # per section: a digest the manager reads between two calls


def _date(language: str, on: date) -> str:
    return format_date(on, "d MMMM" if language == "ru" else "MMMM d", locale=language)


def agenda_message(
    t: Translator, reader: Reader, agenda: Agenda, now: datetime, webapp_url: str | None = None
) -> tuple[str, Markup | None]:
    """The day's agenda: /today on demand, and the morning digest (with `webapp_url`, a
    button that opens the Mini App's dashboard)."""
    lines = [t("today-title")]
    rows: list[list[Button]] = []
    # B2C: a request past or near its SLA is the first thing to act on.
    if agenda.requests:
        lines += ["", t("today-requests", count=len(agenda.requests))]
        for r in agenda.requests[:MAX_ITEMS]:
            lines.append(
                t(
                    "today-request-line",
                    client=r.client_name,
                    text=r.text[:80],
                    state=r.state,
                    time=format_duration(t, r.minutes * 60),
                )
            )
            open_card = RequestCb(action=RequestAction.OPEN, id=r.request_id).pack()
            rows.append([Button(text=f"🚨 {r.client_name}"[:60], callback_data=open_card)])
    if agenda.followups:
        lines += ["", t("today-followups", count=len(agenda.followups))]
        for f in agenda.followups[:MAX_ITEMS]:
            due = when_label(t, f.due_at, reader, now, with_time=f.has_time)
            lines.append(f"• <b>{esc(f.client_name)}</b>: {esc(f.step[:120])} — {due}")
            label = t("promise-btn-done", step=f"{f.client_name}: {f.step}"[:40])
            rows.append(
                [
                    Button(
                        text=label,
                        callback_data=TouchCb(action=TouchAction.DONE, id=f.touch_id).pack(),
                    )
                ]
            )
    if agenda.overdue:
        lines += ["", t("today-overdue", count=len(agenda.overdue))]
        for o in agenda.overdue[:MAX_ITEMS]:
            lines.append(t("today-overdue-line", client=o.client_name, days=o.days))
            open_card = ClientCb(action=ClientAction.OPEN, id=o.client_id).pack()
            rows.append([Button(text=f"📞 {o.client_name}"[:60], callback_data=open_card)])
    if agenda.birthdays:
        lines += ["", t("today-birthdays")]
        lines.extend(birthday_line(t, reader.language, b) for b in agenda.birthdays[:MAX_ITEMS])
    if agenda.pace:
        lines += ["", agenda.pace]
    if webapp_url:
        rows.append([webapp_button(t, "webapp-btn-digest", webapp_url)])
    return "\n".join(lines), Markup(inline_keyboard=rows) if rows else None


def birthday_line(t: Translator, language: str, b: BirthdayItem) -> str:
    return t(
        "birthday-line",
        name=b.contact_name,
        client=b.client_name,
        date=_date(language, b.on),
        days=b.days,
        turns=b.turns if b.turns is not None else "none",
    )
