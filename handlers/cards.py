"""Showing a client card: shared by every feature that ends on the card."""

from __future__ import annotations

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Ctx
from bot.i18n import Translator
from bot.services import clients as client_service
from bot.services.clock import Clock
from handlers import client_views as views
from handlers.replies import edit_or_send
from storage.models import Manager


async def show_card(
    bot: Bot,
    chat_id: int,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    client_id: int,
    clock: Clock,
    *,
    message_id: int | None = None,
    prefix: str = "",
) -> None:
    """The card by hand-threaded values: kept for handlers/logging.py until it takes the Ctx;
    new code calls ``open_card``."""
    card = await client_service.card(session, manager, client_id, clock.now())
    text = views.card_text(t, card, manager.language, manager.timezone)
    await edit_or_send(bot, chat_id, message_id, prefix + text, views.card_kb(t, card))


async def open_card(ctx: Ctx, client_id: int, *, edit: bool = False, prefix: str = "") -> None:
    """The card, as a new message or (``edit``) in place of the pressed one."""
    card = await client_service.card(ctx.session, ctx.manager, client_id, ctx.now)
    text = views.card_text(ctx.t, card, ctx.manager.language, ctx.manager.timezone)
    markup = views.card_kb(ctx.t, card)
    if edit:
        await ctx.edit(prefix + text, markup)
    else:
        await ctx.send(prefix + text, markup)
