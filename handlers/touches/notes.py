"""/note on a client or a person (tags, 🔒 private, "напомни 5 июня …"), /notes to search."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup
from babel.dates import format_date

from bot.context import Ctx
from bot.i18n import Translator
from bot.services.crm import clients as client_service
from bot.services.crm import notes as note_service
from bot.services.crm.clients import ClientRef
from bot.services.crm.notes import NewNote
from bot.services.parsing.date_order import month_first
from bot.services.parsing.note_parse import parse_note, split_target
from bot.views.quiet_hold import held_suffix
from handlers.callbacks import ClientAction, ClientCb, EntryKind, NoteAction, NoteCb
from handlers.clientbase import client_views as views
from handlers.clientbase.client_views import esc
from handlers.touches.drafts import forget, prompt_of, recall, remember
from handlers.touches.entry_move import move_button
from handlers.touches.touch_views import when_label

SEARCH_RESULTS = 10
PICK = ClientAction.PICK_FOR_NOTE  # the match buttons under an ambiguous /note


def _draft_data(rest: str) -> dict[str, Any]:
    return {"rest": rest}


def _saved_kb(t: Translator, note_id: int, client_id: int) -> Markup:
    return Markup(
        inline_keyboard=[
            [
                Button(
                    text=t("btn-undo"),
                    callback_data=NoteCb(action=NoteAction.UNDO, id=note_id).pack(),
                ),
                Button(
                    text=t("contact-btn-client"),
                    callback_data=ClientCb(action=ClientAction.OPEN, id=client_id).pack(),
                ),
            ],
            [move_button(t, EntryKind.NOTE, note_id)],
        ]
    )


async def save_note(ctx: Ctx, ref: ClientRef, data: dict[str, Any]) -> None:
    t, manager, now = ctx.t, ctx.manager, ctx.now
    order = month_first(manager.language, manager.timezone)  # a US user's "12/15"
    draft = parse_note(str(data["rest"]), now, manager.timezone, month_first=order)
    if "empty" in draft.problems:  # a lone 🔒 or #tag: an empty note helps nobody later
        await ctx.send(t("note-problem-empty"))
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
        ctx.session,
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
    await ctx.send("\n".join(lines), _saved_kb(t, note.id, ref.id))


async def on_note(message: Message, command: CommandObject, ctx: Ctx) -> None:
    t = ctx.t
    target, rest = split_target((command.args or "").strip())
    if not target or not rest.strip():
        await message.answer(t("note-usage"))
        return
    found = await client_service.lookup(ctx.session, ctx.manager, target)
    if found.kind in ("exact", "confident") and found.best is not None:
        await save_note(ctx, found.best, _draft_data(rest))
        return
    note_draft = {
        **_draft_data(rest),
        "matches": [[m.id, m.name, m.archived, m.via_contact, m.contact_id] for m in found.matches],
    }
    if found.kind == "ambiguous":
        markup = views.lookup_kb(t, found.matches, offer_create=False, action=PICK)
        # The same client can appear once for itself and once through a person: the index of
        # the match, not the client id, tells which one was meant.
        for i, row in enumerate(markup.inline_keyboard):
            row[0].callback_data = ClientCb(
                action=PICK, id=found.matches[i].id, value=str(i)
            ).pack()
        sent = await message.answer(t("note-which", query=target[:100]), reply_markup=markup)
        # The prompt owns its draft: a newer /note must not replace what this one will save.
        await remember(ctx.state, sent.message_id, {"note_draft": note_draft})
    else:
        await message.answer(t("note-target-not-found", query=target[:100]))


async def on_pick_target(query: CallbackQuery, callback_data: ClientCb, ctx: Ctx) -> None:
    prompt = prompt_of(query)
    data = ((await recall(ctx.state, prompt)) or {}).get("note_draft")
    if not isinstance(data, dict) or not callback_data.value.isdigit():
        await query.answer(ctx.t("callback-outdated"), show_alert=True)
        return
    matches = data.get("matches") or []
    index = int(callback_data.value)
    if index >= len(matches) or matches[index][0] != callback_data.id:
        await query.answer(ctx.t("callback-outdated"), show_alert=True)
        return
    # A client or person gone since the prompt: handlers/errors.py answers.
    await save_note(ctx, ClientRef(*matches[index]), data)
    await forget(ctx.state, prompt)
    await query.answer()


async def on_note_undo(query: CallbackQuery, callback_data: NoteCb, ctx: Ctx) -> None:
    await note_service.delete(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    await ctx.edit(ctx.t("note-undone"))


async def on_notes(message: Message, command: CommandObject, ctx: Ctx) -> None:
    t, manager = ctx.t, ctx.manager
    query = (command.args or "").strip()
    if not query:
        await message.answer(t("notes-usage"))
        return
    found = await note_service.search(ctx.session, manager, query)
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
    router.callback_query.register(on_pick_target, ClientCb.filter(F.action == PICK))
    router.callback_query.register(on_note_undo, NoteCb.filter(F.action == NoteAction.UNDO))
    return router
