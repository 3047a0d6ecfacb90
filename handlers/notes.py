"""/note on a client or a person (tags, 🔒 private, "напомни 5 июня …"), /notes to search."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup
from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services import clients as client_service
from bot.services import notes as note_service
from bot.services.clients import ClientNotFound, ClientRef
from bot.services.clock import Clock
from bot.services.contacts import ContactNotFound
from bot.services.date_order import month_first
from bot.services.note_parse import parse_note, split_target
from bot.services.notes import NewNote, NoteNotFound
from handlers import client_views as views
from handlers.callbacks import ClientAction, ClientCb, NoteCb
from handlers.client_views import esc
from handlers.drafts import forget, prompt_of, recall, remember
from handlers.entry_move import move_button
from handlers.quiet_views import held_suffix
from handlers.replies import edit_or_send
from handlers.touch_views import when_label
from storage.models import Manager

SEARCH_RESULTS = 10


def _draft_data(rest: str) -> dict[str, Any]:
    return {"rest": rest}


async def save_note(
    bot: Bot,
    chat_id: int,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
    ref: ClientRef,
    data: dict[str, Any],
) -> None:
    now = clock.now()
    order = month_first(manager.language, manager.timezone)  # a US user's "12/15"
    draft = parse_note(str(data["rest"]), now, manager.timezone, month_first=order)
    if "empty" in draft.problems:  # a lone 🔒 or #tag: an empty note helps nobody later
        await bot.send_message(chat_id, t("note-problem-empty"))
        return
    new = NewNote(
        text=draft.text,
        tags=tuple(draft.tags),
        private=draft.private,
        remind_at=draft.remind_at.at if draft.remind_at else None,
        remind_has_time=bool(draft.remind_at and draft.remind_at.has_time),
        remind_text=draft.remind_text,
    )
    note = await note_service.add(
        session,
        manager,
        new,
        now,
        client_id=None if ref.contact_id else ref.id,
        contact_id=ref.contact_id,
    )
    about = f"{ref.via_contact} ({ref.name})" if ref.via_contact else ref.name
    lines = [t("note-saved", about=about, private="yes" if note.is_private else "no")]
    if draft.tags:
        lines.append("🏷 " + " ".join(f"#{esc(tag)}" for tag in draft.tags))
    if draft.remind_at is not None:
        lines.append(
            t(
                "note-remind",
                when=when_label(
                    t, draft.remind_at.at, manager, now, with_time=draft.remind_at.has_time
                )
                + held_suffix(t, manager, draft.remind_at.at, draft.remind_at.has_time, now),
                what=draft.remind_text or draft.text,
            )
        )
    for problem in draft.problems:
        lines.append(t(f"note-problem-{problem}"))
    markup = Markup(
        inline_keyboard=[
            [
                Button(text=t("btn-undo"), callback_data=NoteCb(action="undo", id=note.id).pack()),
                Button(
                    text=t("contact-btn-client"),
                    callback_data=ClientCb(action=ClientAction.OPEN, id=ref.id).pack(),
                ),
            ],
            [move_button(t, "n", note.id)],
        ]
    )
    await bot.send_message(chat_id, "\n".join(lines), reply_markup=markup)


async def on_note(
    message: Message,
    command: CommandObject,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    target, rest = split_target((command.args or "").strip())
    if not target or not rest.strip():
        await message.answer(t("note-usage"))
        return
    found = await client_service.lookup(session, manager, target)
    if found.kind in ("exact", "confident") and found.best is not None:
        await save_note(
            bot, message.chat.id, t, session, manager, state, clock, found.best, _draft_data(rest)
        )
        return
    note_draft = {
        **_draft_data(rest),
        "matches": [[m.id, m.name, m.archived, m.via_contact, m.contact_id] for m in found.matches],
    }
    if found.kind == "ambiguous":
        markup = views.lookup_kb(t, found.matches, offer_create=False, action="notec")
        # The same client can appear once for itself and once through a person: the index of
        # the match, not the client id, tells which one was meant.
        for i, row in enumerate(markup.inline_keyboard):
            row[0].callback_data = ClientCb(
                action="notec", id=found.matches[i].id, value=str(i)
            ).pack()
        sent = await message.answer(t("note-which", query=target[:100]), reply_markup=markup)
        # The prompt owns its draft: a newer /note must not replace what this one will save.
        await remember(state, sent.message_id, {"note_draft": note_draft})
    else:
        await message.answer(t("note-target-not-found", query=target[:100]))


async def on_pick_target(
    query: CallbackQuery,
    callback_data: ClientCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    prompt = prompt_of(query)
    data = ((await recall(state, prompt)) or {}).get("note_draft")
    if not isinstance(data, dict) or not callback_data.value.isdigit():
        await query.answer(t("callback-outdated"), show_alert=True)
        return
    matches = data.get("matches") or []
    index = int(callback_data.value)
    if index >= len(matches) or matches[index][0] != callback_data.id:
        await query.answer(t("callback-outdated"), show_alert=True)
        return
    ref = ClientRef(*matches[index])
    try:
        await save_note(bot, query.from_user.id, t, session, manager, state, clock, ref, data)
    except (ClientNotFound, ContactNotFound):
        await query.answer(t("client-not-found"), show_alert=True)
        return
    await forget(state, prompt)
    await query.answer()


async def on_note_undo(
    query: CallbackQuery,
    callback_data: NoteCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
) -> None:
    message_id = query.message.message_id if query.message is not None else None
    try:
        await note_service.delete(session, manager, callback_data.id)
    except NoteNotFound:
        await query.answer(t("note-not-found"), show_alert=True)
        return
    await query.answer()
    await edit_or_send(bot, query.from_user.id, message_id, t("note-undone"))


async def on_notes(
    message: Message,
    command: CommandObject,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
) -> None:
    query = (command.args or "").strip()
    if not query:
        await message.answer(t("notes-usage"))
        return
    found = await note_service.search(session, manager, query)
    if not found:
        await message.answer(t("notes-none", query=query[:100]))
        return
    zone = ZoneInfo(manager.timezone)
    lines = [t("notes-found", count=len(found))]
    for note, client_name in found[:SEARCH_RESULTS]:
        day = format_date(note.created_at.astimezone(zone).date(), "d MMM", locale=manager.language)
        lock = "🔒 " if note.is_private else ""
        text = note.text if len(note.text) <= 200 else note.text[:200] + "…"
        lines.append(f"• {day} · <b>{esc(client_name or '—')}</b>: {lock}{esc(text)}")
    await message.answer("\n".join(lines))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_note, Command("note"))
    router.message.register(on_notes, Command("notes"))
    router.callback_query.register(
        on_pick_target, ClientCb.filter(F.action == ClientAction.PICK_FOR_NOTE)
    )
    router.callback_query.register(on_note_undo, NoteCb.filter(F.action == "undo"))
    return router
