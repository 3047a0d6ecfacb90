"""/review <client> + | - [text]: client feedback, saved at once with Undo."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services import clients as client_service
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
    if draft.positive is None:
        await message.answer(t("review-need-sign", client=draft.client_query[:100]))
        return
    data = {"what": "review", "positive": draft.positive, "text": draft.text}
    found = await client_service.lookup(session, manager, draft.client_query)
    if found.kind in ("exact", "confident") and found.best is not None:
        await save_draft(
            bot, message.chat.id, t, session, manager, state, clock, found.best.id, data
        )
        return
    await ask_client(message, t, state, draft.client_query, found.matches, data)


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
        if callback_data.a == "undo":
            await review_service.delete(session, manager, callback_data.id)
            await query.answer()
            await edit_or_send(bot, chat_id, message_id, t("review-undone"))
        elif callback_data.a == "req":
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
    router.callback_query.register(on_review_action, ReviewCb.filter())
    return router
