"""The ✅ reply to a logged touch: what was understood, with buttons to fix it or undo it.

Shared by the chat (handlers/touches) and the Mini App's form (bot/webapp/touch_api.py), so a
touch logged on the page is confirmed in the chat by the very same message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup
from babel.dates import format_date

from bot.callbacks import ClientAction, ClientCb, TouchAction, TouchCb
from bot.i18n import Translator
from bot.services.crm.quicklog import Logged
from bot.views.formatting import esc, when_label
from bot.views.quiet_hold import held_suffix
from storage.enums import Channel, Outcome
from storage.models import Client, Interaction, Manager

SHOWN = 1500
OUTCOME_ICONS = {Outcome.POSITIVE: "👍", Outcome.NEUTRAL: "😐", Outcome.NEGATIVE: "👎"}
KIND_ICONS = {
    Channel.CALL: "📞",
    Channel.MEETING: "🤝",
    Channel.MESSAGE: "💬",
    Channel.EMAIL: "✉️",
    Channel.VISIT: "🚗",
}


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


@dataclass(frozen=True, slots=True)
class SavedReply:
    text: str
    markup: Markup
    notes: list[str]  # what the words got wrong (a past date, 31 February): one message each


def saved_reply(t: Translator, logged: Logged, manager: Manager, now: datetime) -> SavedReply:
    """The messages a typed touch is answered with, wherever it was typed."""
    moved_from = logged.draft.due_moved_from
    text = touch_text(t, logged.touch, logged.client, manager, now, moved_from=moved_from)
    # Some problems have nothing to say (an empty text is fine after a pick): Telegram refuses
    # an empty message, and the touch is already committed.
    notes = [note for p in logged.draft.problems if (note := t(f"touch-problem-{p}"))]
    return SavedReply(text, touch_kb(t, logged.touch), notes)
