"""/brief: before the call, one screen — last touches, the people, promises, sales."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup

from bot.context import Ctx
from bot.i18n import Translator
from bot.services.crm import brief as brief_service
from bot.services.crm import clients as client_service
from bot.services.crm.brief import Brief
from bot.services.money import format_money
from handlers.callbacks import ClientAction, ClientCb, TouchAction, TouchCb
from handlers.clientbase import client_views as views
from handlers.clientbase.client_views import KIND_ICONS, contact_line, esc
from handlers.touches.touch_views import OUTCOME_ICONS, when_label
from storage.models import Manager

FACT_LENGTH = 160


def _short(text: str, limit: int = FACT_LENGTH) -> str:
    return esc(text if len(text) <= limit else text[:limit] + "…")


def brief_text(t: Translator, brief: Brief, manager: Manager, now: datetime) -> str:
    card = brief.card
    lines = [t("brief-title", name=card.name)]
    lines.append("")
    lines.append(t("brief-touches"))
    if not brief.touches:
        lines.append(t("brief-no-touches"))
    for touch in brief.touches:
        outcome = f" {OUTCOME_ICONS[touch.outcome]}" if touch.outcome else ""
        summary = f" — {_short(touch.summary)}" if touch.summary else ""
        day = when_label(t, touch.occurred_at, manager, now, with_time=False)
        lines.append(f"{KIND_ICONS[touch.kind]} {day}{outcome}{summary}")
    lines.append("")
    lines.append(t("brief-people"))
    if not brief.people:
        lines.append(t("brief-no-people"))
    for person in brief.people:
        lines.append(contact_line(t, person.contact, manager.language))
        for fact in person.facts:
            lines.append(f"   {'🔒 ' if fact.private else ''}· {_short(fact.text)}")
    for fact in brief.client_facts:
        lines.append(f"📝 {'🔒 ' if fact.private else ''}{_short(fact.text)}")
    lines.append("")
    if brief.promises:
        lines.append(t("brief-promises"))
        for promise in brief.promises:
            if promise.due_at is None:
                lines.append(f"• {_short(promise.text)}")
                continue
            due = when_label(t, promise.due_at, manager, now, with_time=promise.has_time)
            late = " ⚠️" if promise.due_at < now else ""
            lines.append(f"• {_short(promise.text)} — {due}{late}")
    else:
        lines.append(t("brief-no-promises"))
    lines.append(
        t(
            "card-sales-month",
            amount=format_money(card.sales_this_month_minor, card.currency, manager.language),
        )
    )
    return "\n".join(lines)


def brief_kb(t: Translator, brief: Brief) -> Markup:
    rows = [
        [
            Button(
                text=t("promise-btn-done", step=p.text[:30]),
                callback_data=TouchCb(action=TouchAction.DONE, id=p.touch_id).pack(),
            )
        ]
        for p in brief.promises[:5]
    ]
    rows.append(
        [
            Button(
                text=t("contact-btn-client"),
                callback_data=ClientCb(action=ClientAction.OPEN, id=brief.card.id).pack(),
            )
        ]
    )
    return Markup(inline_keyboard=rows)


async def send_brief(ctx: Ctx, client_id: int) -> None:
    now = ctx.now
    brief = await brief_service.build(ctx.session, ctx.manager, client_id, now)
    text = brief_text(ctx.t, brief, ctx.manager, now)
    await ctx.send(text, brief_kb(ctx.t, brief))


async def on_brief(message: Message, command: CommandObject, ctx: Ctx) -> None:
    query = (command.args or "").strip()
    if not query:
        await message.answer(ctx.t("brief-usage"))
        return
    found = await client_service.lookup(ctx.session, ctx.manager, query)
    if found.kind in ("exact", "confident") and found.best is not None:
        await send_brief(ctx, found.best.id)
        return
    markup = views.lookup_kb(ctx.t, found.matches, offer_create=False, action=ClientAction.BRIEF)
    key = "lookup-ambiguous" if found.kind == "ambiguous" else "brief-not-found"
    await message.answer(ctx.t(key, query=query[:100]), reply_markup=markup)


async def on_brief_button(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    await send_brief(ctx, callback_data.id)  # a forged or deleted id: handlers/errors.py answers
    await query.answer()


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_brief, Command("brief"))
    router.callback_query.register(on_brief_button, ClientCb.filter(F.action == ClientAction.BRIEF))
    return router
