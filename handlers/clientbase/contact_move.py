"""«🏢 Не тот клиент» under a saved contact: type or pick the right client, the contact moves."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.context import Ctx
from bot.services.crm import clients as client_service
from bot.services.crm import contacts as contact_service
from bot.services.crm.clients import ClientNotFound
from bot.services.crm.contact_move import move
from bot.services.crm.contacts import ContactNotFound
from handlers.callbacks import ClientAction, ClientCb, ContactAction, ContactCb
from handlers.clientbase import client_views as views


class ContactMoveInput(StatesGroup):
    client = State()  # the right client's name; data: move_contact_id


async def on_move_ask(query: CallbackQuery, callback_data: ContactCb, ctx: Ctx) -> None:
    contact = await contact_service.get(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    await ctx.state.set_state(ContactMoveInput.client)
    await ctx.state.update_data(move_contact_id=contact.id)
    await ctx.send(ctx.t("resolution-contact-move-ask", name=contact.name))


async def _move(ctx: Ctx, client_id: int) -> None:
    t = ctx.t
    contact_id = int((await ctx.state.get_data()).get("move_contact_id", 0))
    try:
        contact, client = await move(ctx.session, ctx.manager, contact_id, client_id, ctx.now)
    except (ContactNotFound, ClientNotFound):
        # Either one gone means the move is off: one message for both, not the client's own.
        await ctx.state.set_state(None)
        await ctx.send(t("contact-not-found"))
        return
    await ctx.state.set_state(None)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("contact-btn-open"),
                    callback_data=ContactCb(action=ContactAction.OPEN, id=contact.id).pack(),
                ),
                InlineKeyboardButton(
                    text=t("contact-btn-client"),
                    callback_data=ClientCb(action=ClientAction.OPEN, id=client.id).pack(),
                ),
            ]
        ]
    )
    text = t("resolution-contact-moved", name=contact.name, client=client.name)
    await ctx.send(text, markup)


async def on_move_text(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    found = await client_service.lookup(ctx.session, ctx.manager, message.text)
    if found.kind not in ("exact", "confident") or found.best is None:
        if not found.matches:
            await message.answer(ctx.t("resolution-move-none", query=message.text[:100]))
            return
        markup = views.lookup_kb(
            ctx.t, found.matches, offer_create=False, action=ClientAction.MOVE_CONTACT
        )
        await message.answer(ctx.t("touch-client-choose"), reply_markup=markup)
        return
    await _move(ctx, found.best.id)


async def on_move_pick(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    await query.answer()
    await _move(ctx, callback_data.id)
