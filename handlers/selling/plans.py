"""/plan: set, replace or remove a sales plan (own or per client); alone, show the plans."""

from __future__ import annotations

from dataclasses import asdict
from fractions import Fraction
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.context import Ctx
from bot.i18n import Translator
from bot.services.crm import clients as client_service
from bot.services.crm import plans as plan_service
from bot.services.crm.plans import PlanChange, PlanProblem, PlanRequest
from bot.services.money import format_percent
from bot.services.parsing.amounts import AmountError
from handlers.callbacks import PlanAction, PlanCb
from handlers.selling import sale_views as views
from handlers.selling.sales import amount_error_text
from handlers.touches.drafts import forget, recall, remember
from storage.enums import PeriodKind, Tier
from storage.models import Manager

DRAFT = "plan_draft"


def change_text(t: Translator, change: PlanChange, manager: Manager) -> str:
    period = views.period_label(t, change.period, manager.language)
    client = change.client_name
    if change.new_minor is None:
        if change.old_minor is None:
            return t("plan-nothing-to-remove", period=period)
        old = views.money(manager, change.old_minor)
        if client is not None:
            return t("plan-removed-client", client=client, period=period, old=old)
        return t("plan-removed", period=period, old=old)
    amount = views.money(manager, change.new_minor)
    if client is not None:
        lines = [t("plan-set-client", client=client, period=period, amount=amount)]
    else:
        lines = [t("plan-set", period=period, amount=amount)]
    if change.old_minor is not None:
        if change.old_minor == change.new_minor:
            lines.append(t("plan-same"))
        else:
            lines.append(t("plan-was", old=views.money(manager, change.old_minor), amount=amount))
    made = plan_service.attainment(change.sold_minor, change.new_minor) or Fraction(0)
    pct = format_percent(made, manager.language)
    lines.append(t("plan-progress", sold=views.money(manager, change.sold_minor), pct=pct))
    if client is not None and not change.client_is_key:
        # Per-client plans reach /kpi only in the key-accounts mode: promise no more than that.
        lines.append(t("plan-not-key", client=client, mode=manager.work_mode.value))
    return "\n".join(lines)


async def _apply(ctx: Ctx, request: PlanRequest, client_id: int | None) -> None:
    try:
        change = await plan_service.set_plan(
            ctx.session, ctx.manager, request, ctx.now, client_id=client_id
        )
    except PlanProblem as exc:
        await ctx.send(ctx.t(exc.key, **exc.args_))
        return
    markup = None
    if change.client_id is not None and not change.client_is_key and change.new_minor:
        markup = views.make_key_kb(ctx.t, change.client_id)
    await ctx.send(change_text(ctx.t, change, ctx.manager), markup)


async def on_plan(message: Message, command: CommandObject, ctx: Ctx) -> None:
    t, session, manager = ctx.t, ctx.session, ctx.manager
    text = (command.args or "").strip()
    if not text:
        data = await plan_service.overview(session, manager, ctx.now)
        await message.answer(views.overview_text(t, data, manager))
        return
    try:
        request = plan_service.parse_request(text)
    except AmountError as exc:
        await message.answer(amount_error_text(t, exc, "plan") + "\n\n" + t("plan-usage"))
        return
    except PlanProblem as exc:
        await message.answer(t(exc.key, **exc.args_))
        return
    if request.client_query is None:
        await _apply(ctx, request, None)
        return
    found = await client_service.lookup(session, manager, request.client_query)
    if found.kind in ("exact", "confident") and found.best is not None:
        await _apply(ctx, request, found.best.id)
        return
    query = request.client_query[:100]
    if found.kind == "none":
        await message.answer(t("plan-client-not-found", query=query))
        return
    draft: dict[str, Any] = asdict(request)
    draft["kind"] = request.kind.value
    amount = views.money(manager, request.amount_minor)
    sent = await message.answer(
        t("plan-which-client", query=query, amount=amount),
        reply_markup=views.plan_clients_kb(found.matches),
    )
    await remember(ctx.state, sent.message_id, {DRAFT: draft})  # the prompt owns its draft


async def on_make_key(query: CallbackQuery, callback_data: PlanCb, ctx: Ctx) -> None:
    await client_service.set_choice(
        ctx.session, ctx.manager, callback_data.id, "tier", Tier.KEY.value, ctx.now
    )
    await query.answer(ctx.t("plan-key-done"), show_alert=False)


async def on_pick_client(query: CallbackQuery, callback_data: PlanCb, ctx: Ctx) -> None:
    data = ((await recall(ctx.state, ctx.message_id)) or {}).get(DRAFT)
    if not isinstance(data, dict):
        await query.answer(ctx.t("plan-draft-gone"), show_alert=True)
        return
    await client_service.get(ctx.session, ctx.manager, callback_data.id)  # ownership first
    request = PlanRequest(**{**data, "kind": PeriodKind(str(data["kind"]))})
    await forget(ctx.state, ctx.message_id)
    await query.answer()
    await _apply(ctx, request, callback_data.id)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_plan, Command("plan"))
    router.callback_query.register(on_make_key, PlanCb.filter(F.action == PlanAction.KEY))
    router.callback_query.register(on_pick_client, PlanCb.filter(F.action == PlanAction.PICK))
    return router
