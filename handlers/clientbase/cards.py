"""Showing a client card: shared by every feature that ends on the card."""

from __future__ import annotations

from bot.context import Ctx
from bot.services.crm import clients as client_service
from handlers.clientbase import client_views as views


async def open_card(ctx: Ctx, client_id: int, *, edit: bool = False, prefix: str = "") -> None:
    """The card, as a new message or (``edit``) in place of the pressed one."""
    card = await client_service.card(ctx.session, ctx.manager, client_id, ctx.now)
    text = views.card_text(ctx.t, card, ctx.manager.language, ctx.manager.timezone)
    markup = views.card_kb(ctx.t, card, ctx.webapp_url)
    if edit:
        await ctx.edit(prefix + text, markup)
    else:
        await ctx.send(prefix + text, markup)
