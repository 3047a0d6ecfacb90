"""/request: open a B2C request in one message; its card stamps Responded and Resolved.

/request alone lists the open requests, oldest first. When the client is not certain, the text
waits in the dialog data ("b2c_draft", shared with /review) until the manager picks or creates
the client.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.types import InlineKeyboardButton as Button
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Ctx
from bot.i18n import Translator
from bot.services import clients as client_service
from bot.services import quicklog
from bot.services import requests as request_service
from bot.services import reviews as review_service
from bot.services.clients import ClientNotFound, ClientProblem, ClientRef
from bot.services.clock import Clock
from bot.services.date_order import month_first
from bot.services.requests import RequestNotFound, TooLateToDelete
from handlers import client_views
from handlers import request_views as views
from handlers.callbacks import ClientAction, ClientCb, RequestCb
from handlers.drafts import forget, pick_handler, prompt_of, recall, remember
from handlers.replies import edit_or_send
from storage.models import Manager

DRAFT = "b2c_draft"
PAGE_SIZE = 8


async def save_draft(
    ctx: Ctx,
    client_id: int,
    data: dict[str, Any],
) -> None:
    """Saves a waiting request or review for the chosen client (after a pick or a create)."""
    bot, chat_id, t, session = ctx.bot, ctx.chat_id, ctx.t, ctx.session
    manager, state, clock = ctx.manager, ctx.state, ctx.clock
    now = clock.now()
    if data.get("what") == "review":
        review = await review_service.record(
            session, manager, client_id, bool(data["positive"]), str(data["text"]), now
        )
        await state.update_data({DRAFT: None})
        await bot.send_message(
            chat_id, views.review_text(t, review), reply_markup=views.review_kb(t, review)
        )
        return
    order = month_first(manager.language, manager.timezone)  # a US user's "12/15"
    parsed = request_service.split_opened_at(
        str(data["text"]), now, manager.timezone, month_first=order
    )
    request = await request_service.open_request(
        session, manager, client_id, parsed.text, now, parsed.opened_at
    )
    await state.update_data({DRAFT: None})
    await bot.send_message(
        chat_id,
        views.request_text(t, request, manager, now),
        reply_markup=views.request_kb(t, request, now),
    )


async def ask_client(
    message: Message,
    t: Translator,
    state: FSMContext,
    query: str,
    matches: list[ClientRef],
    data: dict[str, Any],
) -> None:
    """Not sure which client: the text waits; buttons pick a match or create the client."""
    what = str(data["what"])
    markup = client_views.lookup_kb(t, matches, offer_create=False, action="rqc")
    markup.inline_keyboard.append(
        [Button(text=t("lookup-btn-create"), callback_data=RequestCb(action="new").pack())]
    )
    key = f"{what}-which-client" if matches else f"{what}-client-not-found"
    sent = await message.answer(t(key, query=query[:100]), reply_markup=markup)
    # The prompt owns its draft: a newer prompt must not replace what this one will save.
    await remember(state, sent.message_id, {DRAFT: {**data, "name": query[:200]}})


async def on_request(
    message: Message,
    command: CommandObject,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    args = (command.args or "").strip()
    if not args:
        await show_list(bot, message.chat.id, t, session, manager, clock, 0)
        return
    found = await quicklog.find_client(session, manager, args)
    if not found.query:
        await message.answer(t("request-usage"))
        return
    order = month_first(manager.language, manager.timezone)
    text = request_service.split_opened_at(
        found.rest, clock.now(), manager.timezone, month_first=order
    ).text
    if not text:
        await message.answer(t("request-need-text", client=found.query[:100]))
        return
    data = {"what": "request", "text": found.rest}
    if found.client is not None:
        await save_draft(
            Ctx(bot, session, manager, t, state, clock, message.chat.id), found.client.id, data
        )
        return
    await ask_client(message, t, state, found.query, found.lookup.matches, data)


async def show_list(
    bot: Bot,
    chat_id: int,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    clock: Clock,
    page: int,
    message_id: int | None = None,
) -> None:
    now = clock.now()
    open_list = await request_service.list_open(session, manager, page, PAGE_SIZE)
    await edit_or_send(
        bot,
        chat_id,
        message_id,
        views.list_text(t, open_list, now),
        views.list_kb(t, open_list, now),
    )


async def on_request_action(
    query: CallbackQuery,
    callback_data: RequestCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    chat_id, request_id, action = query.from_user.id, callback_data.id, callback_data.action
    message_id = query.message.message_id if query.message is not None else None
    now = clock.now()
    try:
        if action == "list":
            await query.answer()
            await show_list(
                bot, chat_id, t, session, manager, clock, callback_data.page, message_id
            )
            return
        if action == "new":
            await _create_and_save(query, bot, t, session, manager, state, clock)
            return
        if action == "open":
            request = await request_service.get(session, manager, request_id)
            await query.answer()
        elif action in ("resp", "done"):
            mark = (
                request_service.mark_responded
                if action == "resp"
                else request_service.mark_resolved
            )
            stamped = await mark(session, manager, request_id, now)
            request = stamped.request
            if stamped.changed:
                await query.answer(t(f"request-toast-{action}"))
            else:
                await query.answer(t(f"request-already-{action}"), show_alert=True)
        elif action == "undo":
            try:
                undone = await request_service.undo_step(session, manager, request_id, now)
            except TooLateToDelete:
                await query.answer(t("request-too-late-to-delete"), show_alert=True)
                request = await request_service.get(session, manager, request_id)
            else:
                await query.answer(t("request-toast-undone"))
                if undone is None:
                    await edit_or_send(bot, chat_id, message_id, t("request-deleted"))
                    return
                request = undone
        else:
            await query.answer(t("callback-outdated"), show_alert=True)
            return
    except (RequestNotFound, ClientNotFound):
        await query.answer(t("request-not-found"), show_alert=True)
        return
    await edit_or_send(
        bot,
        chat_id,
        message_id,
        views.request_text(t, request, manager, now),
        views.request_kb(t, request, now),
    )


async def _create_and_save(
    query: CallbackQuery,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    prompt = prompt_of(query)
    data = ((await recall(state, prompt)) or {}).get(DRAFT)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        await query.answer(t("callback-outdated"), show_alert=True)
        return
    try:
        # The manager has just seen the similar names and chose a new client: a namesake is meant.
        client = await client_service.create(
            session, manager, data["name"], clock.now(), allow_duplicate=True
        )
    except ClientProblem as exc:
        await query.answer(t(exc.key), show_alert=True)
        return
    await forget(state, prompt)
    await query.answer(t("client-created-toast"))
    await save_draft(
        Ctx(bot, session, manager, t, state, clock, query.from_user.id), client.id, data
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_request, Command("request"))
    router.callback_query.register(
        pick_handler(DRAFT, save_draft), ClientCb.filter(F.action == ClientAction.PICK_FOR_REQUEST)
    )
    router.callback_query.register(on_request_action, RequestCb.filter())
    return router
