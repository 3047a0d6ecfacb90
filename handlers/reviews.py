"""/review <client> + | - [text]: client feedback, saved at once with Undo."""

from __future__ import annotations

from contextlib import suppress

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Ctx
from bot.i18n import Translator
from bot.services import reviews as review_service
from bot.services.clients import ClientNotFound
from bot.services.clock import Clock
from bot.services.requests import RequestNotFound
from bot.services.reviews import ReviewNotFound
from handlers import request_views as views
from handlers.callbacks import ReviewCb
from handlers.replies import edit_or_send
from handlers.requests import ask_client, save_draft
from storage.models import Manager


class ReviewSignCb(CallbackData, prefix="rvs"):
    """👍/👎 under a mixed review: the draft waits in FSM data under the prompt's message id."""

    s: str  # "p" | "n"


SIGN_DRAFTS = "review_signs"
_MAX_SIGN_DRAFTS = 10  # older prompts than that say "outdated"


async def on_review(
    message: Message,
    command: CommandObject,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    draft = review_service.parse_review(command.args or "")
    if not draft.client_query:
        await message.answer(t("review-usage"))
        return
    if draft.positive is None and draft.text:
        await _ask_sign(message, t, state, draft.client_query, draft.text)
        return
    if draft.positive is None:
        await message.answer(t("review-need-sign", client=draft.client_query[:100]))
        return
    await _route(
        message,
        bot,
        t,
        session,
        manager,
        state,
        clock,
        draft.client_query,
        draft.positive,
        draft.text,
    )


async def _ask_sign(
    message: Message, t: Translator, state: FSMContext, query: str, text: str
) -> None:
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("review-btn-positive"), callback_data=ReviewSignCb(s="p").pack()
                ),
                InlineKeyboardButton(
                    text=t("review-btn-negative"), callback_data=ReviewSignCb(s="n").pack()
                ),
            ]
        ]
    )
    prompt = await message.answer(
        t("review-ask-sign", client=query[:100], text=text[:300]), reply_markup=markup
    )
    waiting = dict((await state.get_data()).get(SIGN_DRAFTS) or {})
    waiting[str(prompt.message_id)] = {"query": query[:200], "text": text}
    # Keeps the newest few: an abandoned prompt must not grow the dialog data forever.
    await state.update_data({SIGN_DRAFTS: dict(list(waiting.items())[-_MAX_SIGN_DRAFTS:])})


async def _route(
    message: Message,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
    query: str,
    positive: bool,
    text: str,
) -> None:
    """Saves for a certain client, or asks which one; the text keeps words the name didn't use."""
    resolved = await review_service.resolve_client(session, manager, query, text)
    data = {"what": "review", "positive": positive, "text": resolved.text}
    if resolved.client is not None:
        await save_draft(
            Ctx(bot, session, manager, t, state, clock, message.chat.id), resolved.client.id, data
        )
        return
    await ask_client(message, t, state, query, resolved.lookup.matches, data)


async def on_review_sign(
    query: CallbackQuery,
    callback_data: ReviewSignCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    prompt = query.message
    waiting = dict((await state.get_data()).get(SIGN_DRAFTS) or {})
    draft = waiting.pop(str(prompt.message_id), None) if isinstance(prompt, Message) else None
    if not isinstance(prompt, Message) or not isinstance(draft, dict):
        await query.answer(t("callback-outdated"), show_alert=True)
        return
    await state.update_data({SIGN_DRAFTS: waiting})
    await query.answer()
    positive = callback_data.s == "p"
    with suppress(TelegramBadRequest):  # the buttons go: the choice is made
        await prompt.edit_reply_markup(reply_markup=None)
    await _route(
        prompt,
        bot,
        t,
        session,
        manager,
        state,
        clock,
        str(draft["query"]),
        positive,
        str(draft["text"]),
    )


async def on_review_action(
    query: CallbackQuery,
    callback_data: ReviewCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    clock: Clock,
) -> None:
    chat_id = query.from_user.id
    message_id = query.message.message_id if query.message is not None else None
    now = clock.now()
    try:
        if callback_data.action == "undo":
            await review_service.delete(session, manager, callback_data.id)
            await query.answer()
            await edit_or_send(bot, chat_id, message_id, t("review-undone"))
        elif callback_data.action == "req":
            request = await review_service.open_request_from(
                session, manager, callback_data.id, t("review-request-text"), now
            )
            await query.answer(t("request-toast-opened"))
            await bot.send_message(
                chat_id,
                views.request_text(t, request, manager, now),
                reply_markup=views.request_kb(t, request, now),
            )
        else:
            await query.answer(t("callback-outdated"), show_alert=True)
    except (ReviewNotFound, RequestNotFound, ClientNotFound):
        await query.answer(t("review-not-found"), show_alert=True)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_review, Command("review"))
    router.callback_query.register(on_review_sign, ReviewSignCb.filter(F.s.in_({"p", "n"})))
    router.callback_query.register(on_review_action, ReviewCb.filter())
    return router
