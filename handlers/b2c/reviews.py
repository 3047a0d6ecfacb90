"""/review <client> + | - [text]: client feedback, saved at once with Undo."""

from __future__ import annotations

from contextlib import suppress

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.context import Ctx
from bot.services.crm import reviews as review_service
from handlers.b2c import request_views as views
from handlers.b2c.requests import ask_client, save_draft
from handlers.callbacks import ReviewAction, ReviewCb, ReviewSign, ReviewSignCb

SIGN_DRAFTS = "review_signs"
_MAX_SIGN_DRAFTS = 10  # older prompts than that say "outdated"


async def on_review(message: Message, command: CommandObject, ctx: Ctx) -> None:
    draft = review_service.parse_review(command.args or "")
    if not draft.client_query:
        await message.answer(ctx.t("review-usage"))
        return
    if draft.positive is None and draft.text:
        await _ask_sign(ctx, draft.client_query, draft.text)
        return
    if draft.positive is None:
        await message.answer(ctx.t("review-need-sign", client=draft.client_query[:100]))
        return
    await _route(ctx, draft.client_query, draft.positive, draft.text)


async def _ask_sign(ctx: Ctx, query: str, text: str) -> None:
    t = ctx.t
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("review-btn-positive"),
                    callback_data=ReviewSignCb(sign=ReviewSign.POSITIVE).pack(),
                ),
                InlineKeyboardButton(
                    text=t("review-btn-negative"),
                    callback_data=ReviewSignCb(sign=ReviewSign.NEGATIVE).pack(),
                ),
            ]
        ]
    )
    prompt = await ctx.send(t("review-ask-sign", client=query[:100], text=text[:300]), markup)
    waiting = dict((await ctx.state.get_data()).get(SIGN_DRAFTS) or {})
    waiting[str(prompt.message_id)] = {"query": query[:200], "text": text}
    # Keeps the newest few: an abandoned prompt must not grow the dialog data forever.
    await ctx.state.update_data({SIGN_DRAFTS: dict(list(waiting.items())[-_MAX_SIGN_DRAFTS:])})


async def _route(ctx: Ctx, query: str, positive: bool, text: str) -> None:
    """Saves for a certain client, or asks which one; the text keeps words the name didn't use."""
    resolved = await review_service.resolve_client(ctx.session, ctx.manager, query, text)
    data = {"what": "review", "positive": positive, "text": resolved.text}
    if resolved.client is not None:
        await save_draft(ctx, resolved.client.id, data)
        return
    await ask_client(ctx, query, resolved.lookup.matches, data)


async def on_review_sign(query: CallbackQuery, callback_data: ReviewSignCb, ctx: Ctx) -> None:
    prompt = query.message
    waiting = dict((await ctx.state.get_data()).get(SIGN_DRAFTS) or {})
    draft = waiting.pop(str(prompt.message_id), None) if isinstance(prompt, Message) else None
    if not isinstance(prompt, Message) or not isinstance(draft, dict):
        await query.answer(ctx.t("callback-outdated"), show_alert=True)
        return
    await ctx.state.update_data({SIGN_DRAFTS: waiting})
    await query.answer()
    with suppress(TelegramBadRequest):  # the buttons go: the choice is made
        await prompt.edit_reply_markup(reply_markup=None)
    positive = callback_data.sign is ReviewSign.POSITIVE
    await _route(ctx, str(draft["query"]), positive, str(draft["text"]))


# A forged or foreign id: handlers/errors.py answers "review not found".
async def on_undo(query: CallbackQuery, callback_data: ReviewCb, ctx: Ctx) -> None:
    await review_service.delete(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    await ctx.edit(ctx.t("review-undone"))


async def on_open_request(query: CallbackQuery, callback_data: ReviewCb, ctx: Ctx) -> None:
    t, now = ctx.t, ctx.now
    request = await review_service.open_request_from(
        ctx.session, ctx.manager, callback_data.id, t("review-request-text"), now
    )
    await query.answer(t("request-toast-opened"))
    await ctx.send(
        views.request_text(t, request, ctx.manager, now), views.request_kb(t, request, now)
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_review, Command("review"))
    router.callback_query.register(on_review_sign, ReviewSignCb.filter())
    router.callback_query.register(on_undo, ReviewCb.filter(F.action == ReviewAction.UNDO))
    router.callback_query.register(
        on_open_request, ReviewCb.filter(F.action == ReviewAction.OPEN_REQUEST)
    )
    return router
