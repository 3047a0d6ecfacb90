"""/client: find a client (typos forgiven), open the card, create, edit, archive, delete."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.context import Ctx
from bot.services.crm import clients as client_service
from bot.services.crm import timeline
from bot.services.crm.clients import ClientProblem, DuplicateClient
from bot.services.parsing.names import NameProblem, validate_display_name
from handlers.callbacks import ClientAction, ClientCb, NewClientCb
from handlers.clientbase import client_views as views
from handlers.clientbase.cards import open_card
from handlers.clientbase.contacts import save_contact
from handlers.states import ClientInput, ContactInput
from handlers.touches.drafts import forget, prompt_of, recall, remember
from handlers.touches.log_touch import save_draft

NOT_A_COMMAND = ~F.text.startswith("/")


async def on_client(message: Message, command: CommandObject, ctx: Ctx) -> None:
    t = ctx.t
    query = (command.args or "").strip()
    if not query:
        await message.answer(t("client-usage"))
        return
    found = await client_service.lookup(ctx.session, ctx.manager, query)
    best = found.best
    if found.kind in ("exact", "confident") and best is not None:
        prefix = "" if found.kind == "exact" else t("lookup-found-as", name=best.name) + "\n\n"
        await open_card(ctx, best.id, prefix=prefix)
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
    await remember(ctx.state, sent.message_id, {"pending_client": query})


async def on_new_client(query: CallbackQuery, callback_data: NewClientCb, ctx: Ctx) -> None:
    t = ctx.t
    prompt = prompt_of(query)
    # The draft of the prompt tapped (a newer prompt has its own); else an older-style dialog.
    data = await recall(ctx.state, prompt) or await ctx.state.get_data()
    name = data.get("pending_client")
    if not isinstance(name, str):
        await query.answer(t("callback-outdated"), show_alert=True)
        return
    try:
        client = await client_service.create(
            ctx.session, ctx.manager, name, ctx.now, allow_duplicate=callback_data.dup
        )
    except DuplicateClient as dup:
        await query.answer()
        sent = await ctx.send(
            t("duplicate-found", name=dup.existing.name), views.duplicate_kb(t, dup.existing)
        )
        # "Create anyway" under the new message carries the same draft.
        keys = ("pending_client", "log_draft", "contact_draft")
        draft: dict[str, Any] = {k: data[k] for k in keys if k in data}
        await remember(ctx.state, sent.message_id, draft)
        return
    except ClientProblem as exc:
        await query.answer(t(exc.key), show_alert=True)
        return
    await forget(ctx.state, prompt)
    await query.answer(t("client-created-toast"))
    if isinstance(data.get("log_draft"), dict):  # created from a log: save the touch to it
        await save_draft(ctx, client.id, data["log_draft"])
        return
    if isinstance(data.get("contact_draft"), dict):  # created from /contact: add the person too
        await save_contact(ctx, client.id, data["contact_draft"])
        return
    await open_card(ctx, client.id, prefix=t("client-created", name=client.name) + "\n\n")


# --- one handler per client button (a forged or deleted id: handlers/errors.py answers) ------


async def on_open(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    await query.answer()
    await ctx.state.set_state(None)
    await open_card(ctx, callback_data.id, edit=True)


async def on_edit(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    client = await client_service.get(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    field = callback_data.field
    if field in views.CHOICE_FIELDS:
        markup = views.choice_kb(ctx.t, client.id, field)
        await ctx.edit(ctx.t(f"ask-choice-{field}", name=client.name), markup)
    else:
        await ctx.edit(ctx.t("edit-what", name=client.name), views.edit_kb(ctx.t, client.id))


async def on_set(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    cb = callback_data
    try:
        await client_service.set_choice(
            ctx.session, ctx.manager, cb.id, cb.field, cb.value, ctx.now
        )
    except ClientProblem as exc:  # a forged value: nothing saved
        await query.answer(ctx.t(exc.key), show_alert=True)
        return
    await query.answer(ctx.t("saved-toast"))
    await open_card(ctx, cb.id, edit=True)


async def on_ask(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    client = await client_service.get(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    field = callback_data.field
    if field == "contact":
        await ctx.state.set_state(ContactInput.details)
        await ctx.state.update_data(client_id=client.id)
        await ctx.send(ctx.t("contact-ask-details", name=client.name))
    elif field in views.TEXT_FIELDS:
        await ctx.state.set_state(ClientInput.field)
        await ctx.state.update_data(client_id=client.id, field=field)
        await ctx.send(ctx.t(f"ask-field-{field}", name=client.name))
    else:
        await ctx.send(ctx.t("callback-outdated"))


async def on_archive(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    await client_service.archive(ctx.session, ctx.manager, callback_data.id, ctx.now)
    await query.answer(ctx.t("archived-toast"))
    await open_card(ctx, callback_data.id, edit=True)


async def on_restore(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    await client_service.restore(ctx.session, ctx.manager, callback_data.id, ctx.now)
    await query.answer(ctx.t("restored-toast"))
    await open_card(ctx, callback_data.id, edit=True)


async def on_delete(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    client = await client_service.get(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    markup = views.delete_confirm_kb(ctx.t, client.id)
    await ctx.edit(ctx.t("delete-confirm", name=client.name), markup)


async def on_purge(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    name = await client_service.delete(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    await ctx.edit(ctx.t("client-deleted", name=name))


async def on_history(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    number = int(callback_data.value) if callback_data.value.isdigit() else 0
    page = await timeline.page(ctx.session, ctx.manager, callback_data.id, number)
    await query.answer()
    manager = ctx.manager
    text = views.timeline_text(ctx.t, page, manager.language, manager.timezone)
    await ctx.edit(text, views.timeline_kb(ctx.t, page))


async def on_contacts(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    card = await client_service.card(ctx.session, ctx.manager, callback_data.id, ctx.now)
    await query.answer()
    text = ctx.t("contacts-title", name=card.name, count=len(card.contacts))
    await ctx.edit(text, views.contacts_kb(ctx.t, card))


async def on_field_text(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    data = await ctx.state.get_data()
    client_id, field = int(data.get("client_id", 0)), str(data.get("field", ""))
    try:
        await client_service.set_text(
            ctx.session, ctx.manager, client_id, field, message.text, ctx.now
        )
    except ClientProblem as exc:  # the dialog stays: the manager types it again
        await message.answer(ctx.t(exc.key) + "\n" + ctx.t("try-again-or-cancel"))
        return
    await ctx.state.set_state(None)
    await open_card(ctx, client_id, prefix=ctx.t("saved") + "\n\n")


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_client, Command("client"))
    router.callback_query.register(on_new_client, NewClientCb.filter())
    router.callback_query.register(on_open, ClientCb.filter(F.action == ClientAction.OPEN))
    router.callback_query.register(on_edit, ClientCb.filter(F.action == ClientAction.EDIT))
    router.callback_query.register(on_set, ClientCb.filter(F.action == ClientAction.SET))
    router.callback_query.register(on_ask, ClientCb.filter(F.action == ClientAction.ASK))
    router.callback_query.register(on_archive, ClientCb.filter(F.action == ClientAction.ARCHIVE))
    router.callback_query.register(on_restore, ClientCb.filter(F.action == ClientAction.RESTORE))
    router.callback_query.register(on_delete, ClientCb.filter(F.action == ClientAction.DELETE))
    router.callback_query.register(on_purge, ClientCb.filter(F.action == ClientAction.PURGE))
    router.callback_query.register(on_history, ClientCb.filter(F.action == ClientAction.HISTORY))
    router.callback_query.register(on_contacts, ClientCb.filter(F.action == ClientAction.CONTACTS))
    router.message.register(on_field_text, ClientInput.field, F.text, NOT_A_COMMAND)
    return router
