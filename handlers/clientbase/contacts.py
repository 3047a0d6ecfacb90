"""/contact: add a decision-maker in one message; the contact card with its field edits."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.context import Ctx
from bot.i18n import Translator
from bot.services.crm import clients as client_service
from bot.services.crm import contacts as contact_service
from bot.services.crm.birthdays import Birthday, days_until, format_birthday, parse_birthday
from bot.services.crm.clients import ClientProblem, local_today
from bot.services.crm.contacts import NewContact
from bot.services.parsing.contact_parse import ContactDraft, parse_contact_line
from bot.services.parsing.date_order import day_first
from handlers.callbacks import ClientAction, ClientCb, ContactAction, ContactCb
from handlers.clientbase import client_views as views
from handlers.clientbase import contact_move
from handlers.states import ContactInput
from handlers.touches.drafts import pick_handler, remember
from storage.models import Contact

NOT_A_COMMAND = ~F.text.startswith("/")
CONTACT_FIELDS = ("name", "role", "phone", "email", "birthday")
BLOCKING = {
    "client-empty",
    "client-too-long",
    "client-no-letters",
    "name-empty",
    "name-too-long",
    "name-no-letters",
}


def _draft_data(draft: ContactDraft) -> dict[str, Any]:
    b = draft.birthday
    return {
        "name": draft.name,
        # A second phone or date is kept with the role rather than lost (no notes column).
        "role": "; ".join(x for x in (draft.role, *draft.notes) if x) or None,
        "phone": draft.phone,
        "email": draft.email,
        "bday": [b.day, b.month, b.year] if b else None,
        "problems": draft.problems,
        "problem_parts": draft.problem_parts,
    }


def _new_contact(data: dict[str, Any]) -> NewContact:
    bday = data.get("bday")
    return NewContact(
        name=str(data["name"]),
        role=data.get("role"),
        phone=data.get("phone"),
        email=data.get("email"),
        birthday=Birthday(*bday) if bday else None,
    )


def contact_text(t: Translator, contact: Contact, lang: str, today_days: int | None) -> str:
    lines = [f"👤 <b>{views.esc(contact.name)}</b>"]
    if contact.role:
        lines.append(views.esc(contact.role))
    if contact.phone:
        lines.append(f"☎️ {views.esc(contact.phone)}")
    if contact.email:
        lines.append(f"✉️ {views.esc(contact.email)}")
    if contact.birth_day and contact.birth_month:
        b = Birthday(contact.birth_day, contact.birth_month, contact.birth_year)
        lines.append(
            t("card-birthday", date=format_birthday(b, lang), days=today_days or 0, turns="none")
        )
    return "\n".join(lines)


def contact_kb(t: Translator, contact: Contact) -> InlineKeyboardMarkup:
    edit = [
        InlineKeyboardButton(
            text=t(f"contact-field-{f}"),
            callback_data=ContactCb(action=ContactAction.ASK, id=contact.id, field=f).pack(),
        )
        for f in CONTACT_FIELDS
    ]
    return InlineKeyboardMarkup(
        inline_keyboard=[
            edit[:3],
            edit[3:],
            [
                InlineKeyboardButton(
                    text=t("card-btn-delete"),
                    callback_data=ContactCb(action=ContactAction.DELETE, id=contact.id).pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    text=t("contact-btn-client"),
                    callback_data=ClientCb(action=ClientAction.OPEN, id=contact.client_id).pack(),
                )
            ],
        ]
    )


async def save_contact(ctx: Ctx, client_id: int, data: dict[str, Any]) -> None:
    """Saves first, then reports what could not be understood, with a way to fix it."""
    t, manager = ctx.t, ctx.manager
    contact = await contact_service.add(
        ctx.session, manager, client_id, _new_contact(data), ctx.now
    )
    client = await client_service.get(ctx.session, manager, client_id)
    text = t("contact-added", name=contact.name, client=client.name)
    if contact.birth_day and contact.birth_month:
        b = Birthday(contact.birth_day, contact.birth_month, contact.birth_year)
        days = days_until(b, local_today(manager, ctx.now))
        text += "\n" + t(
            "card-birthday", date=format_birthday(b, manager.language), days=days, turns="none"
        )
    # Says what went where: a line typed without commas is split by guessing.
    for key, value in (("role", contact.role), ("phone", contact.phone), ("email", contact.email)):
        if value:
            text += "\n" + t(f"contact-got-{key}", **{key: value})
    problems = [p for p in data.get("problems", []) if p not in BLOCKING]
    parts = data.get("problem_parts", {})
    for problem in problems:
        text += "\n" + t(f"contact-problem-{problem}", part=str(parts.get(problem, ""))[:100])
    await ctx.state.set_state(None)
    await ctx.state.update_data(contact_draft=None)
    await ctx.send(text, _saved_kb(t, contact.id, client_id))
    if "birthday-invalid" in problems:
        await ctx.state.set_state(ContactInput.birthday)
        await ctx.state.update_data(contact_id=contact.id)
        await ctx.send(t("contact-ask-birthday", name=contact.name))


def _saved_kb(t: Translator, contact_id: int, client_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("contact-btn-open"),
                    callback_data=ContactCb(action=ContactAction.OPEN, id=contact_id).pack(),
                ),
                InlineKeyboardButton(
                    text=t("contact-btn-client"),
                    callback_data=ClientCb(action=ClientAction.OPEN, id=client_id).pack(),
                ),
            ],
            [
                InlineKeyboardButton(
                    text=t("btn-undo"),
                    callback_data=ContactCb(action=ContactAction.PURGE, id=contact_id).pack(),
                ),
                InlineKeyboardButton(
                    text=t("resolution-btn-wrong-client"),
                    callback_data=ContactCb(action=ContactAction.MOVE, id=contact_id).pack(),
                ),
            ],
        ]
    )


async def on_contact(message: Message, command: CommandObject, ctx: Ctx) -> None:
    t, manager = ctx.t, ctx.manager
    args = (command.args or "").strip()
    if not args:
        await message.answer(t("contact-usage"))
        return
    # A US user's "12/03/1980" is 3 December (issue 15): settled before the day-first parser.
    args = day_first(args, manager.language, manager.timezone)
    draft = parse_contact_line(args, local_today(manager, ctx.now))
    blocking = [p for p in draft.problems if p in BLOCKING]
    if draft.client is None or blocking:
        reason = t(blocking[0].replace("client-", "name-")) + "\n\n" if blocking else ""
        await message.answer(reason + t("contact-usage"))
        return
    found = await client_service.lookup(ctx.session, manager, draft.client)
    data = _draft_data(draft)
    if found.kind in ("exact", "confident") and found.best is not None:
        await save_contact(ctx, found.best.id, data)
        return
    key = "contact-which-client" if found.kind == "ambiguous" else "contact-client-not-found"
    if found.kind == "none" and found.matches:  # «Ромашка-Юг»: only «Ромашка» is near
        key = "resolution-contact-branch"
    markup = views.lookup_kb(
        t, found.matches, offer_create=True, action=ClientAction.PICK_FOR_CONTACT
    )
    text = t(key, query=draft.client[:100], name=draft.name)
    sent = await message.answer(text, reply_markup=markup)
    draft_data = {"contact_draft": data, "pending_client": draft.client}
    await remember(ctx.state, sent.message_id, draft_data)


async def on_details_text(message: Message, ctx: Ctx) -> None:
    """The details typed after ➕ on a card: the client is already known."""
    assert message.text is not None
    client_id = int((await ctx.state.get_data()).get("client_id", 0))
    # The client is known: a placeholder client part keeps a ":" in the text inside the person.
    typed = day_first(message.text, ctx.manager.language, ctx.manager.timezone)
    draft = parse_contact_line("x: " + typed, local_today(ctx.manager, ctx.now))
    blocking = [p for p in draft.problems if p in BLOCKING]
    if blocking:
        await message.answer(ctx.t(blocking[0]) + "\n" + ctx.t("try-again-or-cancel"))
        return
    await save_contact(ctx, client_id, _draft_data(draft))


async def on_birthday_text(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    contact_id = int((await ctx.state.get_data()).get("contact_id", 0))
    typed = day_first(message.text, ctx.manager.language, ctx.manager.timezone)
    if parse_birthday(typed, local_today(ctx.manager, ctx.now)) is None:
        await message.answer(
            ctx.t("contact-birthday-invalid") + "\n" + ctx.t("try-again-or-cancel")
        )
        return
    contact = await contact_service.set_text(
        ctx.session, ctx.manager, contact_id, "birthday", typed, ctx.now
    )
    await ctx.state.set_state(None)
    await _answer_saved(message, contact, ctx)


async def _answer_saved(message: Message, contact: Contact, ctx: Ctx) -> None:
    text = contact_text(ctx.t, contact, ctx.manager.language, _days(contact, ctx))
    await message.answer(ctx.t("saved") + "\n\n" + text, reply_markup=contact_kb(ctx.t, contact))


def _days(contact: Contact, ctx: Ctx) -> int | None:
    if not (contact.birth_day and contact.birth_month):
        return None
    b = Birthday(contact.birth_day, contact.birth_month, contact.birth_year)
    return days_until(b, local_today(ctx.manager, ctx.now))


# --- one handler per contact button (a forged or deleted id: handlers/errors.py answers) -----


async def on_open(query: CallbackQuery, callback_data: ContactCb, ctx: Ctx) -> None:
    contact = await contact_service.get(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    text = contact_text(ctx.t, contact, ctx.manager.language, _days(contact, ctx))
    await ctx.edit(text, contact_kb(ctx.t, contact))


async def on_ask(query: CallbackQuery, callback_data: ContactCb, ctx: Ctx) -> None:
    field = callback_data.field
    if field not in CONTACT_FIELDS:
        await query.answer(ctx.t("callback-outdated"), show_alert=True)
        return
    contact = await contact_service.get(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    await ctx.state.set_state(ContactInput.field)
    await ctx.state.update_data(contact_id=contact.id, contact_field=field)
    await ctx.send(ctx.t(f"contact-ask-{field}", name=contact.name))


async def on_delete(query: CallbackQuery, callback_data: ContactCb, ctx: Ctx) -> None:
    contact = await contact_service.get(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    t = ctx.t
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("delete-confirm-yes"),
                    callback_data=ContactCb(action=ContactAction.PURGE, id=contact.id).pack(),
                )
            ],
            [
                InlineKeyboardButton(
                    text=t("delete-confirm-no"),
                    callback_data=ContactCb(action=ContactAction.OPEN, id=contact.id).pack(),
                )
            ],
        ]
    )
    await ctx.edit(t("contact-delete-confirm", name=contact.name), markup)


async def on_purge(query: CallbackQuery, callback_data: ContactCb, ctx: Ctx) -> None:
    client_id, name = await contact_service.delete(ctx.session, ctx.manager, callback_data.id)
    t = ctx.t
    await query.answer(t("contact-deleted-toast"))
    to_client = InlineKeyboardButton(
        text=t("contact-btn-client"),
        callback_data=ClientCb(action=ClientAction.OPEN, id=client_id).pack(),
    )
    markup = InlineKeyboardMarkup(inline_keyboard=[[to_client]])
    await ctx.edit(t("contact-deleted", name=name), markup)


async def on_contact_field_text(message: Message, ctx: Ctx) -> None:
    assert message.text is not None
    data = await ctx.state.get_data()
    contact_id, field = int(data.get("contact_id", 0)), str(data.get("contact_field", ""))
    try:
        contact = await contact_service.set_text(
            ctx.session, ctx.manager, contact_id, field, message.text, ctx.now
        )
    except ClientProblem as exc:  # the dialog stays: the manager types it again
        await message.answer(ctx.t(exc.key) + "\n" + ctx.t("try-again-or-cancel"))
        return
    await ctx.state.set_state(None)
    await _answer_saved(message, contact, ctx)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_contact, Command("contact"))
    router.callback_query.register(
        pick_handler("contact_draft", save_contact),
        ClientCb.filter(F.action == ClientAction.PICK_FOR_CONTACT),
    )
    router.callback_query.register(on_open, ContactCb.filter(F.action == ContactAction.OPEN))
    router.callback_query.register(on_ask, ContactCb.filter(F.action == ContactAction.ASK))
    router.callback_query.register(on_delete, ContactCb.filter(F.action == ContactAction.DELETE))
    router.callback_query.register(on_purge, ContactCb.filter(F.action == ContactAction.PURGE))
    # «🏢 Не тот клиент» under a saved contact.
    router.callback_query.register(
        contact_move.on_move_ask, ContactCb.filter(F.action == ContactAction.MOVE)
    )
    router.callback_query.register(
        contact_move.on_move_pick, ClientCb.filter(F.action == ClientAction.MOVE_CONTACT)
    )
    router.message.register(
        contact_move.on_move_text, contact_move.ContactMoveInput.client, F.text, NOT_A_COMMAND
    )
    router.message.register(on_details_text, ContactInput.details, F.text, NOT_A_COMMAND)
    router.message.register(on_birthday_text, ContactInput.birthday, F.text, NOT_A_COMMAND)
    router.message.register(on_contact_field_text, ContactInput.field, F.text, NOT_A_COMMAND)
    return router
