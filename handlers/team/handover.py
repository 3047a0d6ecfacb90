"""/handover for a head: source member → all / by tag / picked clients → target → confirm.

The dialog keeps its choice in the FSM data under one key (the source, the picked ids, the tag
list); buttons carry the source too, so a button of an older dialog is refused. Every tap
re-checks in bot/services/teams/handover.py that the presser still heads the team and that
both members are still in it; nothing is written before the confirm.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.context import Ctx
from bot.services.errors import Refused
from bot.services.teams import handover as service
from bot.services.teams.people import display_name
from handlers.callbacks import HandoverAction, HandoverCb
from handlers.team import handover_views as views
from handlers.team.notify import tell

KEY = "handover"  # the dialog's slot in the FSM data, apart from other dialogs' keys
ALL = "all"


async def _dialog(ctx: Ctx, cb: HandoverCb) -> dict[str, Any]:
    dialog: dict[str, Any] = (await ctx.state.get_data()).get(KEY) or {}
    if not cb.src or dialog.get("src") != cb.src:
        raise service.DialogOutdated(cb.src)
    return dialog


async def _save(ctx: Ctx, dialog: dict[str, Any] | None) -> None:
    await ctx.state.update_data({KEY: dialog})


def _chosen(dialog: dict[str, Any]) -> list[int] | None:
    ids = dialog.get("ids")
    if ids == ALL:
        return None
    if not isinstance(ids, list):
        raise service.DialogOutdated(dialog.get("src"))
    return [int(i) for i in ids]


async def on_handover(message: Message, ctx: Ctx) -> None:
    members, counts = await service.members(ctx.session, ctx.manager)
    await _save(ctx, None)
    if not any(counts.get(m.id, 0) for m in members):
        await ctx.send(ctx.t("handover-no-clients"))
        return
    await ctx.send(ctx.t("handover-choose-source"), views.sources_kb(members, counts, ctx.t))


async def on_source(query: CallbackQuery, callback_data: HandoverCb, ctx: Ctx) -> None:
    source = await service.member(ctx.session, ctx.manager, callback_data.id)
    clients = await service.clients_of(ctx.session, ctx.manager, source.id)
    if not clients:
        raise Refused("handover-nothing", name=display_name(source))
    await _save(ctx, {"src": source.id, "picked": []})
    await query.answer()
    text = ctx.t("handover-choose-how", name=display_name(source), clients=len(clients))
    await ctx.edit(text, views.how_kb(ctx.t, source.id, len(clients)))


async def _ask_target(ctx: Ctx, dialog: dict[str, Any], ids: list[int] | None) -> None:
    src = int(dialog["src"])
    source = await service.member(ctx.session, ctx.manager, src)
    members, _ = await service.members(ctx.session, ctx.manager)
    await _save(ctx, {**dialog, "ids": ALL if ids is None else ids})
    chosen = ALL if ids is None else len(ids)
    text = ctx.t("handover-choose-target", chosen=chosen, name=display_name(source))
    await ctx.edit(text, views.targets_kb(ctx.t, src, members, ctx.manager))


async def on_all(query: CallbackQuery, callback_data: HandoverCb, ctx: Ctx) -> None:
    dialog = await _dialog(ctx, callback_data)
    await query.answer()
    await _ask_target(ctx, dialog, None)


async def on_tags(query: CallbackQuery, callback_data: HandoverCb, ctx: Ctx) -> None:
    dialog = await _dialog(ctx, callback_data)
    tags = await service.tags_of(ctx.session, ctx.manager, callback_data.src)
    source = await service.member(ctx.session, ctx.manager, callback_data.src)
    if not tags:
        raise Refused("handover-no-tags", name=display_name(source))
    await _save(ctx, {**dialog, "tags": [tag for tag, _ in tags]})
    await query.answer()
    text = ctx.t("handover-choose-tag", name=display_name(source))
    await ctx.edit(text, views.tags_kb(ctx.t, callback_data.src, tags))


async def on_tag(query: CallbackQuery, callback_data: HandoverCb, ctx: Ctx) -> None:
    dialog = await _dialog(ctx, callback_data)
    tags = dialog.get("tags") or []
    if callback_data.id >= len(tags):
        raise service.DialogOutdated(callback_data.src)
    ids = await service.tagged(
        ctx.session, ctx.manager, callback_data.src, str(tags[callback_data.id])
    )
    if not ids:
        raise Refused("handover-empty")
    await query.answer()
    await _ask_target(ctx, dialog, ids)


async def _show_checklist(ctx: Ctx, dialog: dict[str, Any], page: int) -> None:
    src = int(dialog["src"])
    source = await service.member(ctx.session, ctx.manager, src)
    clients = await service.clients_of(ctx.session, ctx.manager, src)
    picked = {int(i) for i in dialog.get("picked") or []}
    text = ctx.t("handover-pick-title", name=display_name(source), picked=len(picked))
    await ctx.edit(text, views.checklist_kb(ctx.t, src, clients, picked, page))


async def on_pick(query: CallbackQuery, callback_data: HandoverCb, ctx: Ctx) -> None:
    dialog = await _dialog(ctx, callback_data)
    await query.answer()
    await _show_checklist(ctx, dialog, callback_data.page)


async def on_toggle(query: CallbackQuery, callback_data: HandoverCb, ctx: Ctx) -> None:
    dialog = await _dialog(ctx, callback_data)
    client_id = await service.check_client(
        ctx.session, ctx.manager, callback_data.src, callback_data.id
    )
    picked = [int(i) for i in dialog.get("picked") or []]
    picked = [i for i in picked if i != client_id] if client_id in picked else [*picked, client_id]
    dialog = {**dialog, "picked": picked}
    await _save(ctx, dialog)
    await query.answer()
    await _show_checklist(ctx, dialog, callback_data.page)


async def on_done(query: CallbackQuery, callback_data: HandoverCb, ctx: Ctx) -> None:
    dialog = await _dialog(ctx, callback_data)
    picked = [int(i) for i in dialog.get("picked") or []]
    if not picked:
        raise Refused("handover-empty")
    await query.answer()
    await _ask_target(ctx, dialog, picked)


async def on_target(query: CallbackQuery, callback_data: HandoverCb, ctx: Ctx) -> None:
    dialog = await _dialog(ctx, callback_data)
    preview = await service.preview(
        ctx.session, ctx.manager, callback_data.src, callback_data.id, _chosen(dialog)
    )
    await query.answer()
    await ctx.edit(
        views.confirm_text(ctx.t, preview),
        views.confirm_kb(ctx.t, callback_data.src, preview.target.id),
    )


async def on_confirm(query: CallbackQuery, callback_data: HandoverCb, ctx: Ctx) -> None:
    dialog = await _dialog(ctx, callback_data)
    outcome = await service.hand_over(
        ctx.session, ctx.manager, callback_data.src, callback_data.id, _chosen(dialog), ctx.now
    )
    await _save(ctx, None)
    await query.answer()
    await ctx.edit(views.done_text(ctx.t, outcome))
    if not outcome.moved.client_count:
        return
    head = ctx.manager
    if outcome.target.id != head.id:  # the head has the result above: one message is enough
        await tell(
            ctx.bot, outcome.target, "handover-received", **views.received_fields(outcome, head)
        )
    if outcome.source.id != head.id:
        await tell(
            ctx.bot,
            outcome.source,
            "handover-lost",
            head=display_name(head),
            clients=outcome.moved.client_count,
            to=display_name(outcome.target),
        )


async def on_cancel(query: CallbackQuery, ctx: Ctx) -> None:
    await _save(ctx, None)
    await query.answer()
    await ctx.edit(ctx.t("handover-cancelled"))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_handover, Command("handover"))
    actions: dict[HandoverAction, Callable[..., Awaitable[None]]] = {
        HandoverAction.SOURCE: on_source,
        HandoverAction.ALL: on_all,
        HandoverAction.TAGS: on_tags,
        HandoverAction.TAG: on_tag,
        HandoverAction.PICK: on_pick,
        HandoverAction.TOGGLE: on_toggle,
        HandoverAction.DONE: on_done,
        HandoverAction.TARGET: on_target,
        HandoverAction.CONFIRM: on_confirm,
        HandoverAction.CANCEL: on_cancel,
    }
    for action, handler in actions.items():
        router.callback_query.register(handler, HandoverCb.filter(F.action == action))
    return router
