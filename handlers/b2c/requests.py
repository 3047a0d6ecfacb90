"""/request: open a B2C request in one message; its card stamps Responded and Resolved.

/request alone lists the open requests, oldest first. When the client is not certain, the text
waits in the dialog data ("b2c_draft", shared with /review) until the manager picks or creates
the client.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.types import InlineKeyboardButton as Button

from bot.context import Ctx
from bot.services.crm import clients as client_service
from bot.services.crm import quicklog
from bot.services.crm import requests as request_service
from bot.services.crm import reviews as review_service
from bot.services.crm.clients import ClientProblem, ClientRef
from bot.services.crm.requests import RequestView, Stamped, TooLateToDelete
from bot.services.parsing.date_order import month_first
from handlers.b2c import request_views as views
from handlers.callbacks import ClientAction, ClientCb, RequestAction, RequestCb
from handlers.clientbase import client_views
from handlers.touches.drafts import forget, pick_handler, recall, remember

DRAFT = "b2c_draft"
PAGE_SIZE = 8


async def save_draft(ctx: Ctx, client_id: int, data: dict[str, Any]) -> None:
    """Saves a waiting request or review for the chosen client (after a pick or a create)."""
    t, manager, now = ctx.t, ctx.manager, ctx.now
    if data.get("what") == "review":
        review = await review_service.record(
            ctx.session, manager, client_id, bool(data["positive"]), str(data["text"]), now
        )
        await ctx.state.update_data({DRAFT: None})
        await ctx.send(views.review_text(t, review), views.review_kb(t, review))
        return
    order = month_first(manager.language, manager.timezone)  # a US user's "12/15"
    parsed = request_service.split_opened_at(
        str(data["text"]), now, manager.timezone, month_first=order
    )
    request = await request_service.open_request(
        ctx.session, manager, client_id, parsed.text, now, parsed.opened_at
    )
    await ctx.state.update_data({DRAFT: None})
    await ctx.send(views.request_text(t, request, manager, now), views.request_kb(t, request, now))


async def ask_client(ctx: Ctx, query: str, matches: list[ClientRef], data: dict[str, Any]) -> None:
    """Not sure which client: the text waits; buttons pick a match or create the client."""
    t, what = ctx.t, str(data["what"])
    markup = client_views.lookup_kb(
        t, matches, offer_create=False, action=ClientAction.PICK_FOR_REQUEST
    )
    markup.inline_keyboard.append(
        [
            Button(
                text=t("lookup-btn-create"),
                callback_data=RequestCb(action=RequestAction.CREATE_CLIENT).pack(),
            )
        ]
    )
    key = f"{what}-which-client" if matches else f"{what}-client-not-found"
    sent = await ctx.send(t(key, query=query[:100]), markup)
    # The prompt owns its draft: a newer prompt must not replace what this one will save.
    await remember(ctx.state, sent.message_id, {DRAFT: {**data, "name": query[:200]}})


async def on_request(message: Message, command: CommandObject, ctx: Ctx) -> None:
    manager = ctx.manager
    args = (command.args or "").strip()
    if not args:
        await show_list(ctx, 0)
        return
    found = await quicklog.find_client(ctx.session, manager, args)
    if not found.query:
        await message.answer(ctx.t("request-usage"))
        return
    order = month_first(manager.language, manager.timezone)
    text = request_service.split_opened_at(
        found.rest, ctx.now, manager.timezone, month_first=order
    ).text
    if not text:
        await message.answer(ctx.t("request-need-text", client=found.query[:100]))
        return
    data = {"what": "request", "text": found.rest}
    if found.client is not None:
        await save_draft(ctx, found.client.id, data)
        return
    await ask_client(ctx, found.query, found.lookup.matches, data)


async def show_list(ctx: Ctx, page: int, *, edit: bool = False) -> None:
    """The open requests, as a new message or (``edit``) on the pressed one."""
    now = ctx.now
    open_list = await request_service.list_open(ctx.session, ctx.manager, page, PAGE_SIZE)
    text, markup = views.list_text(ctx.t, open_list, now), views.list_kb(ctx.t, open_list, now)
    if edit:
        await ctx.edit(text, markup)
    else:
        await ctx.send(text, markup)


async def _show_request(ctx: Ctx, request: RequestView) -> None:
    now = ctx.now
    await ctx.edit(
        views.request_text(ctx.t, request, ctx.manager, now), views.request_kb(ctx.t, request, now)
    )


# A forged or foreign id: handlers/errors.py answers "request not found".
async def on_list(query: CallbackQuery, callback_data: RequestCb, ctx: Ctx) -> None:
    await query.answer()
    await show_list(ctx, callback_data.page, edit=True)


async def on_open(query: CallbackQuery, callback_data: RequestCb, ctx: Ctx) -> None:
    request = await request_service.get(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    await _show_request(ctx, request)


async def _stamp(query: CallbackQuery, ctx: Ctx, stamped: Stamped, action: RequestAction) -> None:
    if stamped.changed:
        await query.answer(ctx.t(f"request-toast-{action}"))
    else:
        await query.answer(ctx.t(f"request-already-{action}"), show_alert=True)
    await _show_request(ctx, stamped.request)


async def on_responded(query: CallbackQuery, callback_data: RequestCb, ctx: Ctx) -> None:
    stamped = await request_service.mark_responded(
        ctx.session, ctx.manager, callback_data.id, ctx.now
    )
    await _stamp(query, ctx, stamped, RequestAction.RESPONDED)


async def on_resolved(query: CallbackQuery, callback_data: RequestCb, ctx: Ctx) -> None:
    stamped = await request_service.mark_resolved(
        ctx.session, ctx.manager, callback_data.id, ctx.now
    )
    await _stamp(query, ctx, stamped, RequestAction.RESOLVED)


async def on_undo(query: CallbackQuery, callback_data: RequestCb, ctx: Ctx) -> None:
    session, manager, request_id = ctx.session, ctx.manager, callback_data.id
    try:
        undone = await request_service.undo_step(session, manager, request_id, ctx.now)
    except TooLateToDelete:
        await query.answer(ctx.t("request-too-late-to-delete"), show_alert=True)
        await _show_request(ctx, await request_service.get(session, manager, request_id))
        return
    await query.answer(ctx.t("request-toast-undone"))
    if undone is None:
        await ctx.edit(ctx.t("request-deleted"))
    else:
        await _show_request(ctx, undone)


async def on_create_client(query: CallbackQuery, ctx: Ctx) -> None:
    """➕ under a waiting request or review: the manager has just seen the similar names and
    chose a new client, so a namesake is meant."""
    data = ((await recall(ctx.state, ctx.message_id)) or {}).get(DRAFT)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        await query.answer(ctx.t("callback-outdated"), show_alert=True)
        return
    try:
        client = await client_service.create(
            ctx.session, ctx.manager, data["name"], ctx.now, allow_duplicate=True
        )
    except ClientProblem as exc:
        await query.answer(ctx.t(exc.key), show_alert=True)
        return
    await forget(ctx.state, ctx.message_id)
    await query.answer(ctx.t("client-created-toast"))
    await save_draft(ctx, client.id, data)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_request, Command("request"))
    router.callback_query.register(
        pick_handler(DRAFT, save_draft), ClientCb.filter(F.action == ClientAction.PICK_FOR_REQUEST)
    )
    router.callback_query.register(on_list, RequestCb.filter(F.action == RequestAction.LIST))
    router.callback_query.register(on_open, RequestCb.filter(F.action == RequestAction.OPEN))
    router.callback_query.register(
        on_responded, RequestCb.filter(F.action == RequestAction.RESPONDED)
    )
    router.callback_query.register(
        on_resolved, RequestCb.filter(F.action == RequestAction.RESOLVED)
    )
    router.callback_query.register(on_undo, RequestCb.filter(F.action == RequestAction.UNDO))
    router.callback_query.register(
        on_create_client, RequestCb.filter(F.action == RequestAction.CREATE_CLIENT)
    )
    return router
