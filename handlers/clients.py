"""/client: find a client (typos forgiven), open the card, create, edit, archive, delete."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Ctx
from bot.i18n import Translator
from bot.services import clients as client_service
from bot.services import timeline
from bot.services.clients import ClientNotFound, ClientProblem, DuplicateClient
from bot.services.clock import Clock
from bot.services.names import NameProblem, validate_display_name
from handlers import client_views as views
from handlers.callbacks import ClientCb, NewClientCb
from handlers.cards import show_card
from handlers.contacts import save_contact
from handlers.drafts import forget, prompt_of, recall, remember
from handlers.logging import save_draft
from handlers.replies import edit_or_send
from handlers.states import ClientInput, ContactInput
from storage.models import Manager

NOT_A_COMMAND = ~F.text.startswith("/")


async def on_client(
    message: Message,
    command: CommandObject,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    query = (command.args or "").strip()
    if not query:
        await message.answer(t("client-usage"))
        return
    found = await client_service.lookup(session, manager, query)
    best = found.best
    if found.kind in ("exact", "confident") and best is not None:
        prefix = "" if found.kind == "exact" else t("lookup-found-as", name=best.name) + "\n\n"
        await show_card(bot, message.chat.id, t, session, manager, best.id, clock, prefix=prefix)
        return
    try:
        validate_display_name(query)
    except NameProblem as exc:
        await message.answer(t(exc.key))
        return
    if found.kind == "ambiguous":
        text = t("lookup-ambiguous", query=query[:100])
    elif found.matches:  # «Ромашка-Юг» typed, only «Ромашка» known: a branch, not a typo
        text = t("resolution-client-branch", query=query[:100])
    else:
        text = t("lookup-none", query=query[:100])
    markup = views.lookup_kb(t, found.matches, offer_create=True)
    sent = await message.answer(text, reply_markup=markup)
    await remember(state, sent.message_id, {"pending_client": query})


async def on_new_client(
    query: CallbackQuery,
    callback_data: NewClientCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    prompt = prompt_of(query)
    # The draft of the prompt tapped (a newer prompt has its own); else an older-style dialog.
    data = await recall(state, prompt) or await state.get_data()
    name = data.get("pending_client")
    if not isinstance(name, str):
        await query.answer(t("callback-outdated"), show_alert=True)
        return
    try:
        client = await client_service.create(
            session, manager, name, clock.now(), allow_duplicate=callback_data.dup
        )
    except DuplicateClient as dup:
        await query.answer()
        sent = await bot.send_message(
            query.from_user.id,
            t("duplicate-found", name=dup.existing.name),
            reply_markup=views.duplicate_kb(t, dup.existing),
        )
        # "Create anyway" under the new message carries the same draft.
        draft = {k: data[k] for k in ("pending_client", "log_draft", "contact_draft") if k in data}
        await remember(state, sent.message_id, draft)
        return
    except ClientProblem as exc:
        await query.answer(t(exc.key), show_alert=True)
        return
    await forget(state, prompt)
    await query.answer(t("client-created-toast"))
    if isinstance(data.get("log_draft"), dict):  # created from a log: save the touch to it
        await save_draft(
            Ctx(bot, session, manager, t, state, clock, query.from_user.id),
            client.id,
            data["log_draft"],
        )
        return
    if isinstance(data.get("contact_draft"), dict):  # created from /contact: add the person too
        await save_contact(
            Ctx(bot, session, manager, t, state, clock, query.from_user.id),
            client.id,
            data["contact_draft"],
        )
        return
    await show_card(
        bot,
        query.from_user.id,
        t,
        session,
        manager,
        client.id,
        clock,
        prefix=t("client-created", name=client.name) + "\n\n",
    )


async def on_client_action(
    query: CallbackQuery,
    callback_data: ClientCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    chat_id = query.from_user.id
    message_id = query.message.message_id if query.message is not None else None
    action, client_id, field = callback_data.action, callback_data.id, callback_data.field
    now = clock.now()
    try:
        if action == "open":
            await query.answer()
            await state.set_state(None)
            await show_card(
                bot, chat_id, t, session, manager, client_id, clock, message_id=message_id
            )
        elif action == "edit":
            client = await client_service.get(session, manager, client_id)
            await query.answer()
            if field in views.CHOICE_FIELDS:
                markup = views.choice_kb(t, client.id, field)
                await edit_or_send(
                    bot, chat_id, message_id, t(f"ask-choice-{field}", name=client.name), markup
                )
            else:
                await edit_or_send(
                    bot,
                    chat_id,
                    message_id,
                    t("edit-what", name=client.name),
                    views.edit_kb(t, client.id),
                )
        elif action == "set":
            await client_service.set_choice(
                session, manager, client_id, field, callback_data.value, now
            )
            await query.answer(t("saved-toast"))
            await show_card(
                bot, chat_id, t, session, manager, client_id, clock, message_id=message_id
            )
        elif action == "ask":
            client = await client_service.get(session, manager, client_id)
            await query.answer()
            if field == "contact":
                await state.set_state(ContactInput.details)
                await state.update_data(client_id=client.id)
                await bot.send_message(chat_id, t("contact-ask-details", name=client.name))
            elif field in views.TEXT_FIELDS:
                await state.set_state(ClientInput.field)
                await state.update_data(client_id=client.id, field=field)
                await bot.send_message(chat_id, t(f"ask-field-{field}", name=client.name))
            else:
                await bot.send_message(chat_id, t("callback-outdated"))
        elif action == "archive":
            await client_service.archive(session, manager, client_id, now)
            await query.answer(t("archived-toast"))
            await show_card(
                bot, chat_id, t, session, manager, client_id, clock, message_id=message_id
            )
        elif action == "restore":
            await client_service.restore(session, manager, client_id, now)
            await query.answer(t("restored-toast"))
            await show_card(
                bot, chat_id, t, session, manager, client_id, clock, message_id=message_id
            )
        elif action == "delete":
            client = await client_service.get(session, manager, client_id)
            await query.answer()
            await edit_or_send(
                bot,
                chat_id,
                message_id,
                t("delete-confirm", name=client.name),
                views.delete_confirm_kb(t, client.id),
            )
        elif action == "purge":
            name = await client_service.delete(session, manager, client_id)
            await query.answer()
            await edit_or_send(bot, chat_id, message_id, t("client-deleted", name=name))
        elif action == "hist":
            number = int(callback_data.value) if callback_data.value.isdigit() else 0
            page = await timeline.page(session, manager, client_id, number)
            await query.answer()
            await edit_or_send(
                bot,
                chat_id,
                message_id,
                views.timeline_text(t, page, manager.language, manager.timezone),
                views.timeline_kb(t, page),
            )
        elif action == "contacts":
            card = await client_service.card(session, manager, client_id, now)
            await query.answer()
            await edit_or_send(
                bot,
                chat_id,
                message_id,
                t("contacts-title", name=card.name, count=len(card.contacts)),
                views.contacts_kb(t, card),
            )
        else:
            await query.answer(t("callback-outdated"), show_alert=True)
    except ClientNotFound:
        await query.answer(t("client-not-found"), show_alert=True)
    except ClientProblem as exc:
        await query.answer(t(exc.key), show_alert=True)


async def on_field_text(
    message: Message,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.text is not None
    data = await state.get_data()
    client_id, field = int(data.get("client_id", 0)), str(data.get("field", ""))
    try:
        await client_service.set_text(session, manager, client_id, field, message.text, clock.now())
    except ClientNotFound:
        await state.set_state(None)
        await message.answer(t("client-not-found"))
        return
    except ClientProblem as exc:
        await message.answer(t(exc.key) + "\n" + t("try-again-or-cancel"))
        return
    await state.set_state(None)
    await show_card(
        bot, message.chat.id, t, session, manager, client_id, clock, prefix=t("saved") + "\n\n"
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_client, Command("client"))
    router.callback_query.register(on_new_client, NewClientCb.filter())
    router.callback_query.register(on_client_action, ClientCb.filter())
    router.message.register(on_field_text, ClientInput.field, F.text, NOT_A_COMMAND)
    return router
