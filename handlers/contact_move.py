"""«🏢 Не тот клиент» under a saved contact: type or pick the right client, the contact moves."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services import clients as client_service
from bot.services import contacts as contact_service
from bot.services.clients import ClientNotFound
from bot.services.clock import Clock
from bot.services.contact_move import move
from bot.services.contacts import ContactNotFound
from handlers import client_views as views
from handlers.callbacks import ClientAction, ClientCb, ContactCb
from storage.models import Manager


class ContactMoveInput(StatesGroup):
    client = State()  # the right client's name; data: move_contact_id


async def on_move_ask(
    query: CallbackQuery,
    callback_data: ContactCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
) -> None:
    try:
        contact = await contact_service.get(session, manager, callback_data.id)
    except ContactNotFound:
        await query.answer(t("contact-not-found"), show_alert=True)
        return
    await query.answer()
    await state.set_state(ContactMoveInput.client)
    await state.update_data(move_contact_id=contact.id)
    await bot.send_message(query.from_user.id, t("resolution-contact-move-ask", name=contact.name))


async def _move(
    chat_id: int,
    client_id: int,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    contact_id = int((await state.get_data()).get("move_contact_id", 0))
    try:
        contact, client = await move(session, manager, contact_id, client_id, clock.now())
    except (ContactNotFound, ClientNotFound):
        await state.set_state(None)
        await bot.send_message(chat_id, t("contact-not-found"))
        return
    await state.set_state(None)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("contact-btn-open"),
                    callback_data=ContactCb(action="open", id=contact.id).pack(),
                ),
                InlineKeyboardButton(
                    text=t("contact-btn-client"),
                    callback_data=ClientCb(action=ClientAction.OPEN, id=client.id).pack(),
                ),
            ]
        ]
    )
    text = t("resolution-contact-moved", name=contact.name, client=client.name)
    await bot.send_message(chat_id, text, reply_markup=markup)


async def on_move_text(
    message: Message,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.text is not None
    found = await client_service.lookup(session, manager, message.text)
    if found.kind not in ("exact", "confident") or found.best is None:
        if not found.matches:
            await message.answer(t("resolution-move-none", query=message.text[:100]))
            return
        markup = views.lookup_kb(t, found.matches, offer_create=False, action="ctmv")
        await message.answer(t("touch-client-choose"), reply_markup=markup)
        return
    await _move(message.chat.id, found.best.id, bot, t, session, manager, state, clock)


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
    await query.answer()
    await _move(query.from_user.id, callback_data.id, bot, t, session, manager, state, clock)
