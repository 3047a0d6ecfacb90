"""«🏢 Не тот клиент» under a saved note, request or review: type or pick the right client.

The same flow as a contact's move (handlers/clientbase/contact_move.py): the tap asks for a
name, the name is looked up like everywhere else, several matches become buttons.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.context import Ctx
from bot.i18n import Translator
from bot.services.crm import clients as client_service
from bot.services.crm import entry_move
from bot.services.crm.entry_move import EntryNotFound
from handlers.callbacks import ClientAction, ClientCb, EntryKind, MoveCb
from handlers.clientbase import client_views as views

NOT_A_COMMAND = ~F.text.startswith("/")
PICK = ClientAction.MOVE_ENTRY  # the match buttons


class EntryMoveInput(StatesGroup):
    client = State()  # the right client's name; data: move_entry = [kind, id]


def move_button(t: Translator, kind: EntryKind | str, entry_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=t("move-btn-wrong-client"), callback_data=MoveCb(kind=kind, id=entry_id).pack()
    )


async def on_move_ask(query: CallbackQuery, callback_data: MoveCb, ctx: Ctx) -> None:
    try:
        name = await entry_move.current_client(
            ctx.session, ctx.manager, callback_data.kind.value, callback_data.id
        )
    except EntryNotFound:  # the button is under an entry undone since: it is outdated
        await query.answer(ctx.t("callback-outdated"), show_alert=True)
        return
    await query.answer()
    await ctx.state.set_state(EntryMoveInput.client)
    kind = callback_data.kind.value  # the plain code: FSM data is stored as JSON
    await ctx.state.update_data(move_entry=[kind, callback_data.id])
    await ctx.send(ctx.t("move-ask", kind=kind, client=name))


async def _move(ctx: Ctx, client_id: int) -> None:
    t = ctx.t
    kind, entry_id = (await ctx.state.get_data()).get("move_entry") or ["", 0]
    try:
        moved = await entry_move.move(ctx.session, ctx.manager, str(kind), int(entry_id), client_id)
    except EntryNotFound:
        # Caught here, not in handlers/errors.py: after a picked match too, the dialog is over.
        await ctx.state.set_state(None)
        await ctx.send(t("move-gone"))
        return
    await ctx.state.set_state(None)
    await ctx.state.update_data(move_entry=None)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("contact-btn-client"),
                    callback_data=ClientCb(action=ClientAction.OPEN, id=client_id).pack(),
                )
            ]
        ]
    )
    text = t("move-done", kind=moved.kind, old=moved.old_client, new=moved.new_client)
    await ctx.send(text, markup)


async def on_move_text(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    t = ctx.t
    found = await client_service.lookup(ctx.session, ctx.manager, message.text)
    if found.kind not in ("exact", "confident") or found.best is None:
        if not found.matches:
            await message.answer(t("resolution-move-none", query=message.text[:100]))
            return
        markup = views.lookup_kb(t, found.matches, offer_create=False, action=PICK)
        await message.answer(t("touch-client-choose"), reply_markup=markup)
        return
    await _move(ctx, found.best.id)


async def on_move_pick(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    # A match button from a move that was cancelled or finished since must not move anything.
    if await ctx.state.get_state() != EntryMoveInput.client.state:
        await query.answer(ctx.t("callback-outdated"), show_alert=True)
        return
    # Answered after the move: a forged or deleted client is the alert handlers/errors.py gives.
    await _move(ctx, callback_data.id)
    await query.answer()


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_move_ask, MoveCb.filter(F.kind.in_(set(entry_move.MODELS))))
    router.callback_query.register(on_move_pick, ClientCb.filter(F.action == PICK))
    router.message.register(on_move_text, EntryMoveInput.client, F.text, NOT_A_COMMAND)
    return router
