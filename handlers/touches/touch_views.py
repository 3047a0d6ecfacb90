"""How a saved touch is shown: what was understood, with buttons to fix it or undo it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup
from babel.dates import format_date

from bot.i18n import Translator
from bot.views.formatting import Reader as Reader
from bot.views.formatting import when_label as when_label
from handlers.callbacks import ClientAction, ClientCb, TouchAction, TouchCb
from handlers.clientbase.client_views import KIND_ICONS, esc
from handlers.setup.quiet_views import held_suffix
from storage.enums import Outcome
from storage.models import Client, Interaction, Manager

SHOWN = 1500
OUTCOME_ICONS = {Outcome.POSITIVE: "👍", Outcome.NEUTRAL: "😐", Outcome.NEGATIVE: "👎"}


def moved_note(t: Translator, asked: date | None, due: datetime | None, manager: Manager) -> str:
    """ " (Sunday → Monday)": a relative step that fell on a weekend was moved (issue 15)."""
    if asked is None or due is None:
        return ""
    got = due.astimezone(ZoneInfo(manager.timezone)).date()
    if got == asked:
        return ""
    # "cccc": standalone weekday names ("воскресенье", not a form inflected for a full date).
    return " " + t(
        "touch-due-moved",
        asked=format_date(asked, "cccc", locale=manager.language),
        due=format_date(got, "cccc", locale=manager.language),
    )


def quick_asked(days: int | None, manager: Manager, now: datetime) -> date | None:
    """The day a quick next-step button asked for, before a weekend moved it."""
    if days is None:
        return None
    return now.astimezone(ZoneInfo(manager.timezone)).date() + timedelta(days=days)


def touch_text(
    t: Translator,
    touch: Interaction,
    client: Client,
    manager: Manager,
    now: datetime,
    *,
    moved_from: date | None = None,
) -> str:
    """``moved_from``: the weekend day the step asked for, when it was moved to Monday."""
    lines = [
        t(
            "touch-saved",
            icon=KIND_ICONS[touch.kind],
            kind=t(f"kind-{touch.kind.value}"),
            client=client.name,
            when=when_label(t, touch.occurred_at, manager, now, with_time=True),
        )
    ]
    if touch.summary:
        # The whole text is saved; the reply shows enough to check it within Telegram's 4096.
        shown = touch.summary if len(touch.summary) <= SHOWN else touch.summary[:SHOWN] + "…"
        lines.append(f"💬 {esc(shown)}")
    if touch.outcome is not None:
        lines.append(
            t(
                "touch-outcome",
                icon=OUTCOME_ICONS[touch.outcome],
                outcome=t(f"outcome-{touch.outcome.value}"),
            )
        )
    if touch.next_step:
        if touch.next_step_due_at is not None:
            due = when_label(
                t, touch.next_step_due_at, manager, now, with_time=touch.next_step_has_time
            ) + held_suffix(t, manager, touch.next_step_due_at, touch.next_step_has_time, now)
            moved = moved_note(t, moved_from, touch.next_step_due_at, manager)
            lines.append(t("touch-next-step", step=touch.next_step[:500], due=due) + moved)
        else:
            lines.append(t("touch-next-step-undated", step=touch.next_step[:500]))
    if client.next_checkin_at is not None:
        days = (
            client.next_checkin_at.astimezone(ZoneInfo(manager.timezone)).date()
            - now.astimezone(ZoneInfo(manager.timezone)).date()
        ).days
        lines.append(t("touch-next-checkin", days=max(days, 0)))
    return "\n".join(lines)


def touch_kb(t: Translator, touch: Interaction) -> Markup:
    return Markup(
        inline_keyboard=[
            [
                Button(
                    text=t("touch-btn-kind"),
                    callback_data=TouchCb(action=TouchAction.ASK_KIND, id=touch.id).pack(),
                ),
                Button(
                    text=t("touch-btn-due"),
                    callback_data=TouchCb(action=TouchAction.ASK_DUE, id=touch.id).pack(),
                ),
                Button(
                    text=t("touch-btn-client"),
                    callback_data=TouchCb(action=TouchAction.ASK_CLIENT, id=touch.id).pack(),
                ),
            ],
            [
                Button(
                    text=t("btn-undo"),
                    callback_data=TouchCb(action=TouchAction.UNDO, id=touch.id).pack(),
                ),
                Button(
                    text=t("contact-btn-client"),
                    callback_data=ClientCb(action=ClientAction.OPEN, id=touch.client_id).pack(),
                ),
            ],
        ]
    )


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
