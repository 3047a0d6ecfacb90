"""«🏢 Не тот клиент» under a saved note, request or review: type or pick the right client.

The same flow as a contact's move (handlers/contact_move.py): the tap asks for a name, the name
is looked up like everywhere else, several matches become buttons.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services import clients as client_service
from bot.services import entry_move
from bot.services.clients import ClientNotFound
from bot.services.entry_move import EntryNotFound
from handlers import client_views as views
from handlers.callbacks import ClientAction, ClientCb, MoveCb
from storage.models import Manager

NOT_A_COMMAND = ~F.text.startswith("/")
PICK = ClientAction.MOVE_ENTRY  # the match buttons


class EntryMoveInput(StatesGroup):
    client = State()  # the right client's name; data: move_entry = [kind, id]


def move_button(t: Translator, kind: str, entry_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=t("move-btn-wrong-client"), callback_data=MoveCb(kind=kind, id=entry_id).pack()
    )


async def on_move_ask(
    query: CallbackQuery,
    callback_data: MoveCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
) -> None:
    try:
        name = await entry_move.current_client(
            session, manager, callback_data.kind, callback_data.id
        )
    except EntryNotFound:
        await query.answer(t("callback-outdated"), show_alert=True)
        return
    await query.answer()
    await state.set_state(EntryMoveInput.client)
    await state.update_data(move_entry=[callback_data.kind, callback_data.id])
    await bot.send_message(query.from_user.id, t("move-ask", kind=callback_data.kind, client=name))


async def _move(
    chat_id: int,
    client_id: int,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
) -> None:
    kind, entry_id = (await state.get_data()).get("move_entry") or ["", 0]
    try:
        moved = await entry_move.move(session, manager, str(kind), int(entry_id), client_id)
    except EntryNotFound:
        await state.set_state(None)
        await bot.send_message(chat_id, t("move-gone"))
        return
    except ClientNotFound:
        await bot.send_message(chat_id, t("client-not-found"))
        return
    await state.set_state(None)
    await state.update_data(move_entry=None)
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
    await bot.send_message(chat_id, text, reply_markup=markup)


async def on_move_text(
    message: Message,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
) -> None:
    assert message.text is not None
    found = await client_service.lookup(session, manager, message.text)
    if found.kind not in ("exact", "confident") or found.best is None:
        if not found.matches:
            await message.answer(t("resolution-move-none", query=message.text[:100]))
            return
        markup = views.lookup_kb(t, found.matches, offer_create=False, action=PICK)
        await message.answer(t("touch-client-choose"), reply_markup=markup)
        return
    await _move(message.chat.id, found.best.id, bot, t, session, manager, state)


async def on_move_pick(
    query: CallbackQuery,
    callback_data: ClientCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
) -> None:
    # A match button from a move that was cancelled or finished since must not move anything.
    if await state.get_state() != EntryMoveInput.client.state:
        await query.answer(t("callback-outdated"), show_alert=True)
        return
    await query.answer()
    await _move(query.from_user.id, callback_data.id, bot, t, session, manager, state)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_move_ask, MoveCb.filter(F.kind.in_(set(entry_move.MODELS))))
    router.callback_query.register(on_move_pick, ClientCb.filter(F.action == PICK))
    router.message.register(on_move_text, EntryMoveInput.client, F.text, NOT_A_COMMAND)
    return router
