"""/call, /log and "Client: text": a touch in one message, saved first, then fixable."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Ctx
from bot.i18n import Translator
from bot.services import clients as client_service
from bot.services import quicklog
from bot.services import touches as touch_service
from bot.services.clients import ClientNotFound, ClientProblem
from bot.services.clock import Clock
from bot.services.dates import parse_when
from bot.services.touches import TouchNotFound
from handlers import client_views as views
from handlers import touch_views
from handlers.callbacks import ClientAction, ClientCb, TouchCb
from handlers.cards import show_card
from handlers.drafts import pick_handler, remember
from handlers.log_taps import show_client_picker
from handlers.replies import edit_or_send
from handlers.states import TouchInput
from storage.enums import Channel
from storage.models import Manager

NOT_A_COMMAND = ~F.text.startswith("/")
# "Ромашка: текст" as a plain message is a /log; the colon must come early to be a name.
PLAIN_LOG = F.text.regexp(r"^[^:\n]{1,80}:\s*\S")


async def show_touch(
    bot: Bot,
    chat_id: int,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    touch_id: int,
    clock: Clock,
    message_id: int | None = None,
    moved_from: date | None = None,
) -> None:
    touch = await touch_service.get(session, manager, touch_id)
    client = await client_service.get(session, manager, touch.client_id)
    text = touch_views.touch_text(t, touch, client, manager, clock.now(), moved_from=moved_from)
    await edit_or_send(bot, chat_id, message_id, text, touch_views.touch_kb(t, touch))


def _fixed_kind(data: dict[str, Any]) -> Channel | None:
    """/call names the type: the words of its text only describe it; /log and plain text infer."""
    return Channel(str(data["kind"])) if data.get("fixed") else None


async def save_draft(
    ctx: Ctx,
    client_id: int,
    data: dict[str, Any],
) -> None:
    """Parses and saves the waiting text for the chosen client (used after a pick or create)."""
    bot, chat_id, t, session = ctx.bot, ctx.chat_id, ctx.t, ctx.session
    manager, clock = ctx.manager, ctx.clock
    # «Ромашка» or a new «Ромашка Юг»?: the touch's text depends on which one was picked.
    rests = data.get("rests") if isinstance(data.get("rests"), dict) else {}
    draft = quicklog.parse(
        str(rests.get(str(client_id), data["rest"])), manager, clock.now(), _fixed_kind(data)
    )
    new = quicklog.to_new_touch(draft, Channel(str(data["kind"])))
    saved = await touch_service.record(session, manager, client_id, new, clock.now())
    text = touch_views.touch_text(
        t, saved.touch, saved.client, manager, clock.now(), moved_from=draft.due_moved_from
    )
    await bot.send_message(chat_id, text, reply_markup=touch_views.touch_kb(t, saved.touch))
    for problem in draft.problems:
        # Some problems have nothing to say (an empty text is fine after a pick): Telegram
        # refuses an empty message, and the touch is already committed.
        if note := t(f"touch-problem-{problem}"):
            await bot.send_message(chat_id, note)


async def _log_text(
    message: Message,
    text: str,
    default_kind: Channel,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
    fixed: bool = False,
) -> None:
    found = await quicklog.find_client(session, manager, text)
    data = {
        "rest": found.rest,
        "kind": default_kind.value,
        "fixed": fixed,
        "rests": {str(cid): rest for cid, rest in found.rests.items()},
    }
    if found.client is not None:
        await save_draft(
            Ctx(bot, session, manager, t, state, clock, message.chat.id), found.client.id, data
        )
        return
    if not found.query:
        await message.answer(t("log-usage"))
        return
    key = "log-which-client" if found.lookup.kind == "ambiguous" else "log-client-not-found"
    if found.rests or (found.lookup.kind == "none" and found.lookup.matches):
        key = "resolution-log-branch"  # «Ромашка Юг»: a near name exists, the typed one does not
    markup = views.lookup_kb(t, found.lookup.matches, offer_create=True, action="logc")
    sent = await message.answer(t(key, query=found.query[:100]), reply_markup=markup)
    # The prompt owns its draft: a newer prompt must not replace what this one will save.
    await remember(state, sent.message_id, {"log_draft": data, "pending_client": found.query})


async def on_call(
    message: Message,
    command: CommandObject,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    text = (command.args or "").strip()
    if not text:
        await message.answer(t("call-usage"))
        return
    await _log_text(message, text, Channel.CALL, bot, t, session, manager, state, clock, fixed=True)


async def on_log(
    message: Message,
    command: CommandObject,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    text = (command.args or "").strip()
    if not text:
        await show_client_picker(message, t, session, manager, clock)
        return
    await _log_text(message, text, Channel.CALL, bot, t, session, manager, state, clock)


async def on_plain_log(
    message: Message,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.text is not None
    await _log_text(message, message.text, Channel.CALL, bot, t, session, manager, state, clock)


async def on_touch_action(
    query: CallbackQuery,
    callback_data: TouchCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    chat_id, touch_id, action = query.from_user.id, callback_data.id, callback_data.action
    message_id = query.message.message_id if query.message is not None else None
    now = clock.now()
    try:
        if action == "kind":
            await touch_service.get(session, manager, touch_id)
            await query.answer()
            await edit_or_send(
                bot, chat_id, message_id, t("touch-ask-kind"), touch_views.kinds_kb(t, touch_id)
            )
        elif action == "setk":
            await touch_service.set_kind(session, manager, touch_id, callback_data.value)
            await query.answer(t("saved-toast"))
            await show_touch(bot, chat_id, t, session, manager, touch_id, clock, message_id)
        elif action == "due":
            await touch_service.get(session, manager, touch_id)
            await query.answer()
            await state.set_state(TouchInput.due)
            await state.update_data(touch_id=touch_id)
            await edit_or_send(
                bot, chat_id, message_id, t("touch-ask-due"), touch_views.due_kb(t, touch_id)
            )
        elif action == "setd":
            due = touch_service.quick_due(callback_data.value, manager, now)
            await touch_service.set_due(session, manager, touch_id, due, False)
            await state.set_state(None)
            await query.answer(t("saved-toast"))
            days = touch_service.QUICK_DUE_DAYS.get(callback_data.value)
            asked = touch_views.quick_asked(days, manager, now)
            await show_touch(bot, chat_id, t, session, manager, touch_id, clock, message_id, asked)
        elif action == "client":
            await touch_service.get(session, manager, touch_id)
            await query.answer()
            await state.set_state(TouchInput.client)
            await state.update_data(touch_id=touch_id)
            await bot.send_message(chat_id, t("touch-ask-client"))
        elif action == "undo":
            await touch_service.delete(session, manager, touch_id, now)
            await query.answer()
            await edit_or_send(bot, chat_id, message_id, t("touch-undone"))
        elif action == "done":
            touch = await touch_service.complete_followup(session, manager, touch_id, now)
            await query.answer(t("promise-done-toast"))
            await show_card(
                bot, chat_id, t, session, manager, touch.client_id, clock, message_id=message_id
            )
        else:
            await query.answer(t("callback-outdated"), show_alert=True)
    except (TouchNotFound, ClientNotFound):
        await query.answer(t("touch-not-found"), show_alert=True)
    except ClientProblem as exc:
        await query.answer(t(exc.key), show_alert=True)


async def on_due_text(
    message: Message,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.text is not None
    touch_id = int((await state.get_data()).get("touch_id", 0))
    try:
        when = parse_when(message.text, clock.now(), manager.timezone, future=True)
    except ValueError:
        when = None
    if when is None or (
        when.at < clock.now() and not when.has_time and when.at.date() < clock.now().date()
    ):
        await message.answer(t("touch-due-not-understood"))
        return
    try:
        await touch_service.set_due(session, manager, touch_id, when.at, when.has_time)
    except TouchNotFound:
        await state.set_state(None)
        await message.answer(t("touch-not-found"))
        return
    await state.set_state(None)
    await show_touch(bot, message.chat.id, t, session, manager, touch_id, clock)


async def on_client_text(
    message: Message,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.text is not None
    touch_id = int((await state.get_data()).get("touch_id", 0))
    result = await client_service.lookup(session, manager, message.text)
    if result.kind not in ("exact", "confident") or result.best is None:
        markup = views.lookup_kb(t, result.matches, offer_create=False, action="mvc")
        await message.answer(t("touch-client-choose"), reply_markup=markup)
        return
    await _move(message.chat.id, touch_id, result.best.id, bot, t, session, manager, state, clock)


async def _move(
    chat_id: int,
    touch_id: int,
    client_id: int,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    try:
        await touch_service.move(session, manager, touch_id, client_id, clock.now())
    except (TouchNotFound, ClientNotFound):
        await bot.send_message(chat_id, t("touch-not-found"))
        return
    await state.set_state(None)
    await show_touch(bot, chat_id, t, session, manager, touch_id, clock)


async def on_move_pick(
    query: CallbackQuery,
    callback_data: ClientCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    touch_id = int((await state.get_data()).get("touch_id", 0))
    await query.answer()
    await _move(
        query.from_user.id, touch_id, callback_data.id, bot, t, session, manager, state, clock
    )


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
    router.callback_query.register(on_touch_action, TouchCb.filter())
    router.message.register(on_due_text, TouchInput.due, F.text, NOT_A_COMMAND)
    router.message.register(on_client_text, TouchInput.client, F.text, NOT_A_COMMAND)
    return router


def build_plain_router() -> Router:
    """Registered last but one: "Client: text" only when no dialog is waiting for text."""
    router = Router(name=__name__ + ".plain")
    router.message.register(on_plain_log, StateFilter(None), PLAIN_LOG)
    return router
