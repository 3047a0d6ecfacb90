"""/contact: add a decision-maker in one message; the contact card with its field edits."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Ctx
from bot.i18n import Translator
from bot.services import clients as client_service
from bot.services import contacts as contact_service
from bot.services.birthdays import Birthday, days_until, format_birthday, parse_birthday
from bot.services.clients import ClientNotFound, ClientProblem, local_today
from bot.services.clock import Clock
from bot.services.contact_parse import ContactDraft, parse_contact_line
from bot.services.contacts import ContactNotFound, NewContact
from bot.services.date_order import day_first
from handlers import client_views as views
from handlers import contact_move
from handlers.callbacks import ClientAction, ClientCb, ContactCb
from handlers.drafts import pick_handler, remember
from handlers.replies import edit_or_send
from handlers.states import ContactInput
from storage.models import Contact, Manager

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
            callback_data=ContactCb(action="ask", id=contact.id, field=f).pack(),
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
                    callback_data=ContactCb(action="del", id=contact.id).pack(),
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


async def save_contact(
    ctx: Ctx,
    client_id: int,
    data: dict[str, Any],
) -> None:
    """Saves first, then reports what could not be understood, with a way to fix it."""
    bot, chat_id, t, session = ctx.bot, ctx.chat_id, ctx.t, ctx.session
    manager, state, clock = ctx.manager, ctx.state, ctx.clock
    contact = await contact_service.add(
        session, manager, client_id, _new_contact(data), clock.now()
    )
    client = await client_service.get(session, manager, client_id)
    text = t("contact-added", name=contact.name, client=client.name)
    if contact.birth_day and contact.birth_month:
        b = Birthday(contact.birth_day, contact.birth_month, contact.birth_year)
        days = days_until(b, local_today(manager, clock.now()))
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
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=t("contact-btn-open"),
                    callback_data=ContactCb(action="open", id=contact.id).pack(),
                ),
                InlineKeyboardButton(
                    text=t("contact-btn-client"),
                    callback_data=ClientCb(action=ClientAction.OPEN, id=client_id).pack(),
                ),
            ],
            [
                InlineKeyboardButton(
                    text=t("btn-undo"),
                    callback_data=ContactCb(action="purge", id=contact.id).pack(),
                ),
                InlineKeyboardButton(
                    text=t("resolution-btn-wrong-client"),
                    callback_data=ContactCb(action="mv", id=contact.id).pack(),
                ),
            ],
        ]
    )
    await state.set_state(None)
    await state.update_data(contact_draft=None)
    await bot.send_message(chat_id, text, reply_markup=markup)
    if "birthday-invalid" in problems:
        await state.set_state(ContactInput.birthday)
        await state.update_data(contact_id=contact.id)
        await bot.send_message(chat_id, t("contact-ask-birthday", name=contact.name))


async def on_contact(
    message: Message,
    command: CommandObject,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    args = (command.args or "").strip()
    if not args:
        await message.answer(t("contact-usage"))
        return
    # A US user's "12/03/1980" is 3 December (issue 15): settled before the day-first parser.
    args = day_first(args, manager.language, manager.timezone)
    draft = parse_contact_line(args, local_today(manager, clock.now()))
    blocking = [p for p in draft.problems if p in BLOCKING]
    if draft.client is None or blocking:
        reason = t(blocking[0].replace("client-", "name-")) + "\n\n" if blocking else ""
        await message.answer(reason + t("contact-usage"))
        return
    found = await client_service.lookup(session, manager, draft.client)
    data = _draft_data(draft)
    if found.kind in ("exact", "confident") and found.best is not None:
        await save_contact(
            Ctx(bot, session, manager, t, state, clock, message.chat.id), found.best.id, data
        )
        return
    key = "contact-which-client" if found.kind == "ambiguous" else "contact-client-not-found"
    if found.kind == "none" and found.matches:  # «Ромашка-Юг»: only «Ромашка» is near
        key = "resolution-contact-branch"
    markup = views.lookup_kb(t, found.matches, offer_create=True, action="addc")
    text = t(key, query=draft.client[:100], name=draft.name)
    sent = await message.answer(text, reply_markup=markup)
    await remember(state, sent.message_id, {"contact_draft": data, "pending_client": draft.client})


async def on_details_text(
    message: Message,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    """The details typed after ➕ on a card: the client is already known."""
    assert message.text is not None
    client_id = int((await state.get_data()).get("client_id", 0))
    # The client is known: a placeholder client part keeps a ":" in the text inside the person.
    typed = day_first(message.text, manager.language, manager.timezone)
    draft = parse_contact_line("x: " + typed, local_today(manager, clock.now()))
    blocking = [p for p in draft.problems if p in BLOCKING]
    if blocking:
        await message.answer(t(blocking[0]) + "\n" + t("try-again-or-cancel"))
        return
    try:
        await save_contact(
            Ctx(bot, session, manager, t, state, clock, message.chat.id),
            client_id,
            _draft_data(draft),
        )
    except ClientNotFound:
        await state.set_state(None)
        await message.answer(t("client-not-found"))


async def on_birthday_text(
    message: Message,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.text is not None
    contact_id = int((await state.get_data()).get("contact_id", 0))
    typed = day_first(message.text, manager.language, manager.timezone)
    if parse_birthday(typed, local_today(manager, clock.now())) is None:
        await message.answer(t("contact-birthday-invalid") + "\n" + t("try-again-or-cancel"))
        return
    try:
        contact = await contact_service.set_text(
            session, manager, contact_id, "birthday", typed, clock.now()
        )
    except ContactNotFound:
        await state.set_state(None)
        await message.answer(t("contact-not-found"))
        return
    await state.set_state(None)
    await message.answer(
        t("saved")
        + "\n\n"
        + contact_text(t, contact, manager.language, _days(contact, manager, clock)),
        reply_markup=contact_kb(t, contact),
    )


def _days(contact: Contact, manager: Manager, clock: Clock) -> int | None:
    if not (contact.birth_day and contact.birth_month):
        return None
    b = Birthday(contact.birth_day, contact.birth_month, contact.birth_year)
    return days_until(b, local_today(manager, clock.now()))


async def on_contact_action(
    query: CallbackQuery,
    callback_data: ContactCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    chat_id = query.from_user.id
    message_id = query.message.message_id if query.message is not None else None
    try:
        if callback_data.action == "open":
            contact = await contact_service.get(session, manager, callback_data.id)
            await query.answer()
            await edit_or_send(
                bot,
                chat_id,
                message_id,
                contact_text(t, contact, manager.language, _days(contact, manager, clock)),
                contact_kb(t, contact),
            )
        elif callback_data.action == "ask" and callback_data.field in CONTACT_FIELDS:
            contact = await contact_service.get(session, manager, callback_data.id)
            await query.answer()
            await state.set_state(ContactInput.field)
            await state.update_data(contact_id=contact.id, contact_field=callback_data.field)
            await bot.send_message(
                chat_id, t(f"contact-ask-{callback_data.field}", name=contact.name)
            )
        elif callback_data.action == "del":
            contact = await contact_service.get(session, manager, callback_data.id)
            await query.answer()
            markup = InlineKeyboardMarkup(
                inline_keyboard=[
                    [
                        InlineKeyboardButton(
                            text=t("delete-confirm-yes"),
                            callback_data=ContactCb(action="purge", id=contact.id).pack(),
                        )
                    ],
                    [
                        InlineKeyboardButton(
                            text=t("delete-confirm-no"),
                            callback_data=ContactCb(action="open", id=contact.id).pack(),
                        )
                    ],
                ]
            )
            await edit_or_send(
                bot, chat_id, message_id, t("contact-delete-confirm", name=contact.name), markup
            )
        elif callback_data.action == "purge":
            client_id, name = await contact_service.delete(session, manager, callback_data.id)
            await query.answer(t("contact-deleted-toast"))
            await edit_or_send(
                bot,
                chat_id,
                message_id,
                t("contact-deleted", name=name),
                InlineKeyboardMarkup(
                    inline_keyboard=[
                        [
                            InlineKeyboardButton(
                                text=t("contact-btn-client"),
                                callback_data=ClientCb(
                                    action=ClientAction.OPEN, id=client_id
                                ).pack(),
                            )
                        ]
                    ]
                ),
            )
        else:
            await query.answer(t("callback-outdated"), show_alert=True)
    except ContactNotFound:
        await query.answer(t("contact-not-found"), show_alert=True)


async def on_contact_field_text(
    message: Message,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    assert message.text is not None
    data = await state.get_data()
    try:
        contact = await contact_service.set_text(
            session,
            manager,
            int(data.get("contact_id", 0)),
            str(data.get("contact_field", "")),
            message.text,
            clock.now(),
        )
    except ContactNotFound:
        await state.set_state(None)
        await message.answer(t("contact-not-found"))
        return
    except ClientProblem as exc:
        await message.answer(t(exc.key) + "\n" + t("try-again-or-cancel"))
        return
    await state.set_state(None)
    await message.answer(
        t("saved")
        + "\n\n"
        + contact_text(t, contact, manager.language, _days(contact, manager, clock)),
        reply_markup=contact_kb(t, contact),
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_contact, Command("contact"))
    router.callback_query.register(
        pick_handler("contact_draft", save_contact),
        ClientCb.filter(F.action == ClientAction.PICK_FOR_CONTACT),
    )
    # Before the catch-all below: «🏢 Не тот клиент» under a saved contact.
    router.callback_query.register(contact_move.on_move_ask, ContactCb.filter(F.action == "mv"))
    router.callback_query.register(
        contact_move.on_move_pick, ClientCb.filter(F.action == ClientAction.MOVE_CONTACT)
    )
    router.message.register(
        contact_move.on_move_text, contact_move.ContactMoveInput.client, F.text, NOT_A_COMMAND
    )
    router.callback_query.register(on_contact_action, ContactCb.filter())
    router.message.register(on_details_text, ContactInput.details, F.text, NOT_A_COMMAND)
    router.message.register(on_birthday_text, ContactInput.birthday, F.text, NOT_A_COMMAND)
    router.message.register(on_contact_field_text, ContactInput.field, F.text, NOT_A_COMMAND)
    return router
