"""A team client's card and history for the head: read-only (issue 10). The services re-check
at the tap that the presser owns the client or heads its team; otherwise "not found"."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.context import Ctx
from bot.services.teams import readonly
from handlers.callbacks import TeamTableAction, TeamTableCb
from handlers.clientbase.client_views import card_text, timeline_text
from handlers.team import table_views as views


async def on_card(query: CallbackQuery, callback_data: TeamTableCb, ctx: Ctx) -> None:
    card, owner_id = await readonly.card(ctx.session, ctx.manager, callback_data.id, ctx.now)
    await query.answer()
    manager = ctx.manager
    text = card_text(ctx.t, card, manager.language, manager.timezone)
    owner = card.owner_name or "—"
    await ctx.edit(
        f"{text}\n\n{ctx.t('tt-readonly', owner=owner)}",
        views.card_kb(ctx.t, card.id, owner_id, owner),
    )


async def on_history(query: CallbackQuery, callback_data: TeamTableCb, ctx: Ctx) -> None:
    page = await readonly.history(ctx.session, ctx.manager, callback_data.id, callback_data.page)
    await query.answer()
    manager = ctx.manager
    await ctx.edit(
        timeline_text(ctx.t, page, manager.language, manager.timezone),
        views.history_kb(ctx.t, page.client_id, page.page, page.has_more),
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_card, TeamTableCb.filter(F.action == TeamTableAction.CARD))
    router.callback_query.register(
        on_history, TeamTableCb.filter(F.action == TeamTableAction.HISTORY)
    )
    return router
