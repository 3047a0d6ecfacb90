"""/call, /log and "Client: text": a touch in one message, saved first, then fixable."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.types import CallbackQuery, Message

from bot.context import Ctx
from bot.services.crm import clients as client_service
from bot.services.crm import quicklog
from bot.services.crm import touches as touch_service
from bot.services.crm.clients import ClientProblem
from bot.services.parsing.dates import parse_when
from handlers.callbacks import ClientAction, ClientCb, TouchAction, TouchCb
from handlers.clientbase import client_views as views
from handlers.clientbase.cards import open_card
from handlers.states import TouchInput
from handlers.touches import touch_views
from handlers.touches.drafts import pick_handler, remember
from handlers.touches.log_taps import show_client_picker
from storage.enums import Channel

NOT_A_COMMAND = ~F.text.startswith("/")
# "Ромашка: текст" as a plain message is a /log; the colon must come early to be a name.
PLAIN_LOG = F.text.regexp(r"^[^:\n]{1,80}:\s*\S")


async def show_touch(
    ctx: Ctx, touch_id: int, *, edit: bool = False, moved_from: date | None = None
) -> None:
    """The touch as it is now: in place of the pressed message (``edit``) or as a new one."""
    touch = await touch_service.get(ctx.session, ctx.manager, touch_id)
    client = await client_service.get(ctx.session, ctx.manager, touch.client_id)
    text = touch_views.touch_text(ctx.t, touch, client, ctx.manager, ctx.now, moved_from=moved_from)
    markup = touch_views.touch_kb(ctx.t, touch)
    if edit:
        await ctx.edit(text, markup)
    else:
        await ctx.send(text, markup)


async def save_draft(ctx: Ctx, client_id: int, data: dict[str, Any]) -> None:
    """Parses and saves the waiting text for the chosen client (used after a pick or create)."""
    # «Ромашка» or a new «Ромашка Юг»?: the touch's text depends on which one was picked.
    rests = data.get("rests")
    rest = rests.get(str(client_id), data["rest"]) if isinstance(rests, dict) else data["rest"]
    now = ctx.now
    # /call names the type: the words of its text only describe it; /log and plain text infer.
    kind, fixed = Channel(str(data["kind"])), bool(data.get("fixed"))
    saved = await quicklog.log_text(
        ctx.session, ctx.manager, client_id, str(rest), kind, now, fixed=fixed
    )
    reply = touch_views.saved_reply(ctx.t, saved, ctx.manager, now)
    await ctx.send(reply.text, reply.markup)
    for note in reply.notes:
        await ctx.send(note)


async def _log_text(
    message: Message, text: str, default_kind: Channel, ctx: Ctx, *, fixed: bool = False
) -> None:
    found = await quicklog.find_client(ctx.session, ctx.manager, text)
    data = {
        "rest": found.rest,
        "kind": default_kind.value,
        "fixed": fixed,
        "rests": {str(cid): rest for cid, rest in found.rests.items()},
    }
    if found.client is not None:
        await save_draft(ctx, found.client.id, data)
        return
    if not found.query:
        await message.answer(ctx.t("log-usage"))
        return
    key = "log-which-client" if found.lookup.kind == "ambiguous" else "log-client-not-found"
    if found.rests or (found.lookup.kind == "none" and found.lookup.matches):
        key = "resolution-log-branch"  # «Ромашка Юг»: a near name exists, the typed one does not
    markup = views.lookup_kb(
        ctx.t, found.lookup.matches, offer_create=True, action=ClientAction.PICK_FOR_LOG
    )
    sent = await message.answer(ctx.t(key, query=found.query[:100]), reply_markup=markup)
    # The prompt owns its draft: a newer prompt must not replace what this one will save.
    await remember(ctx.state, sent.message_id, {"log_draft": data, "pending_client": found.query})


async def on_call(message: Message, command: CommandObject, ctx: Ctx) -> None:
    text = (command.args or "").strip()
    if not text:
        await message.answer(ctx.t("call-usage"))
        return
    await _log_text(message, text, Channel.CALL, ctx, fixed=True)


async def on_log(message: Message, command: CommandObject, ctx: Ctx) -> None:
    text = (command.args or "").strip()
    if not text:
        await show_client_picker(ctx)
        return
    await _log_text(message, text, Channel.CALL, ctx)


async def on_plain_log(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    await _log_text(message, message.text, Channel.CALL, ctx)


# Buttons under a saved touch. A touch that is gone or not the presser's raises TouchNotFound,
# answered by handlers/errors.py.


async def on_ask_kind(query: CallbackQuery, callback_data: TouchCb, ctx: Ctx) -> None:
    await touch_service.get(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    await ctx.edit(ctx.t("touch-ask-kind"), touch_views.kinds_kb(ctx.t, callback_data.id))


async def on_set_kind(query: CallbackQuery, callback_data: TouchCb, ctx: Ctx) -> None:
    try:
        await touch_service.set_kind(
            ctx.session, ctx.manager, callback_data.id, callback_data.value
        )
    except ClientProblem as exc:  # a forged kind: not a touch that is gone
        await query.answer(ctx.t(exc.key), show_alert=True)
        return
    await query.answer(ctx.t("saved-toast"))
    await show_touch(ctx, callback_data.id, edit=True)


async def on_ask_due(query: CallbackQuery, callback_data: TouchCb, ctx: Ctx) -> None:
    await touch_service.get(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    await ctx.state.set_state(TouchInput.due)
    await ctx.state.update_data(touch_id=callback_data.id)
    await ctx.edit(ctx.t("touch-ask-due"), touch_views.due_kb(ctx.t, callback_data.id))


async def on_set_due(query: CallbackQuery, callback_data: TouchCb, ctx: Ctx) -> None:
    now = ctx.now
    due = touch_service.quick_due(callback_data.value, ctx.manager, now)
    await touch_service.set_due(ctx.session, ctx.manager, callback_data.id, due, False)
    await ctx.state.set_state(None)
    await query.answer(ctx.t("saved-toast"))
    days = touch_service.QUICK_DUE_DAYS.get(callback_data.value)
    asked = touch_views.quick_asked(days, ctx.manager, now)
    await show_touch(ctx, callback_data.id, edit=True, moved_from=asked)


async def on_ask_client(query: CallbackQuery, callback_data: TouchCb, ctx: Ctx) -> None:
    await touch_service.get(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    await ctx.state.set_state(TouchInput.client)
    await ctx.state.update_data(touch_id=callback_data.id)
    await ctx.send(ctx.t("touch-ask-client"))


async def on_undo(query: CallbackQuery, callback_data: TouchCb, ctx: Ctx) -> None:
    await touch_service.delete(ctx.session, ctx.manager, callback_data.id, ctx.now)
    await query.answer()
    await ctx.edit(ctx.t("touch-undone"))


async def on_done(query: CallbackQuery, callback_data: TouchCb, ctx: Ctx) -> None:
    touch = await touch_service.complete_followup(
        ctx.session, ctx.manager, callback_data.id, ctx.now
    )
    await query.answer(ctx.t("promise-done-toast"))
    await open_card(ctx, touch.client_id, edit=True)


async def on_due_text(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    touch_id = int((await ctx.state.get_data()).get("touch_id", 0))
    now = ctx.now
    try:
        when = parse_when(message.text, now, ctx.manager.timezone, future=True)
    except ValueError:
        when = None
    if when is None or (when.at < now and not when.has_time and when.at.date() < now.date()):
        await message.answer(ctx.t("touch-due-not-understood"))
        return
    # A touch gone meanwhile: handlers/errors.py leaves the dialog and says so.
    await touch_service.set_due(ctx.session, ctx.manager, touch_id, when.at, when.has_time)
    await ctx.state.set_state(None)
    await show_touch(ctx, touch_id)


async def on_client_text(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    touch_id = int((await ctx.state.get_data()).get("touch_id", 0))
    result = await client_service.lookup(ctx.session, ctx.manager, message.text)
    if result.kind not in ("exact", "confident") or result.best is None:
        markup = views.lookup_kb(
            ctx.t, result.matches, offer_create=False, action=ClientAction.MOVE_TOUCH
        )
        await message.answer(ctx.t("touch-client-choose"), reply_markup=markup)
        return
    await _move(ctx, touch_id, result.best.id)


async def _move(ctx: Ctx, touch_id: int, client_id: int) -> None:
    await touch_service.move(ctx.session, ctx.manager, touch_id, client_id, ctx.now)
    await ctx.state.set_state(None)
    await show_touch(ctx, touch_id)


async def on_move_pick(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    touch_id = int((await ctx.state.get_data()).get("touch_id", 0))
    # Answered after the move: a touch or client gone is the alert handlers/errors.py gives.
    await _move(ctx, touch_id, callback_data.id)
    await query.answer()


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_call, Command("call"))
    router.message.register(on_log, Command("log"))
    router.callback_query.register(
        pick_handler("log_draft", save_draft),
        ClientCb.filter(F.action == ClientAction.PICK_FOR_LOG),
    )
    router.callback_query.register(
        on_move_pick, ClientCb.filter(F.action == ClientAction.MOVE_TOUCH)
    )
    touch = router.callback_query
    touch.register(on_ask_kind, TouchCb.filter(F.action == TouchAction.ASK_KIND))
    touch.register(on_set_kind, TouchCb.filter(F.action == TouchAction.SET_KIND))
    touch.register(on_ask_due, TouchCb.filter(F.action == TouchAction.ASK_DUE))
    touch.register(on_set_due, TouchCb.filter(F.action == TouchAction.SET_DUE))
    touch.register(on_ask_client, TouchCb.filter(F.action == TouchAction.ASK_CLIENT))
    touch.register(on_undo, TouchCb.filter(F.action == TouchAction.UNDO))
    touch.register(on_done, TouchCb.filter(F.action == TouchAction.DONE))
    router.message.register(on_due_text, TouchInput.due, F.text, NOT_A_COMMAND)
    router.message.register(on_client_text, TouchInput.client, F.text, NOT_A_COMMAND)
    return router


def build_plain_router() -> Router:
    """Registered last but one: "Client: text" only when no dialog is waiting for text."""
    router = Router(name=__name__ + ".plain")
    router.message.register(on_plain_log, StateFilter(None), PLAIN_LOG)
    return router
