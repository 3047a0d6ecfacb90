"""The last router: whatever nobody else took gets a helpful hint, never silence."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup

from bot.context import Ctx
from bot.services.crm import quicklog
from handlers.callbacks import ClientAction, ClientCb, TapCb
from handlers.touches.drafts import remember
from storage.enums import Channel

log = logging.getLogger(__name__)


async def on_unknown_command(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    command = message.text.split(maxsplit=1)[0][:64]
    await message.answer(ctx.t("unknown-command", command=command))


async def on_stray_text(message: Message, ctx: Ctx) -> None:
    """A bare client name, or «вчера звонил в Технопром, отказ» without a colon: offer, not
    "не понял". Nothing is saved until a tap: without the colon the split is a guess."""
    assert message.text is not None
    t = ctx.t
    found = await quicklog.find_in_free_text(ctx.session, ctx.manager, message.text)
    if found is None or found.client is None:
        await message.answer(t("stray-text"))
        return
    ref = found.client
    open_card = Button(
        text=t("resolution-btn-open"),
        callback_data=ClientCb(action=ClientAction.OPEN, id=ref.id).pack(),
    )
    if not found.rest.strip():
        tap = Button(text=t("resolution-btn-tap"), callback_data=TapCb(id=ref.id).pack())
        markup = Markup(inline_keyboard=[[tap], [open_card]])
        await message.answer(t("resolution-bare-name", client=ref.name), reply_markup=markup)
        return
    log_it = Button(
        text=t("resolution-btn-log", client=ref.name[:40]),
        callback_data=ClientCb(action=ClientAction.PICK_FOR_LOG, id=ref.id).pack(),
    )
    markup = Markup(inline_keyboard=[[log_it], [open_card]])
    sent = await message.answer(t("resolution-offer-log", client=ref.name), reply_markup=markup)
    draft = {"rest": found.rest, "kind": Channel.CALL.value}
    await remember(ctx.state, sent.message_id, {"log_draft": draft, "pending_client": found.query})


async def on_other_content(message: Message, ctx: Ctx) -> None:
    await message.answer(ctx.t("unsupported-content"))


async def on_unknown_callback(query: CallbackQuery, ctx: Ctx) -> None:
    # Old keyboards after an update, or forged data: say so instead of spinning forever.
    log.warning(
        "unknown callback data %r from user %s", (query.data or "")[:64], query.from_user.id
    )
    await query.answer(ctx.t("callback-outdated"), show_alert=True)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_unknown_command, F.text.startswith("/"))
    router.message.register(on_stray_text, F.text)
    router.message.register(on_other_content)
    router.callback_query.register(on_unknown_callback)
    return router
