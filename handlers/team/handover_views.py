"""Texts and keyboards of /handover: members, the ways to choose, the checklist, the confirm."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from bot.services.teams.handover import Outcome, Preview
from bot.services.teams.people import display_name
from handlers.callbacks import HandoverAction, HandoverCb
from storage.models import Manager

PAGE_SIZE = 8  # checklist rows per page: a phone screen with the buttons below
NAMES_TOLD = 10  # client names in the new owner's message, then "and N more"


def button(
    text: str, action: HandoverAction, src: int = 0, id_: int = 0, page: int = 0
) -> InlineKeyboardButton:
    data = HandoverCb(action=action, id=id_, src=src, page=page).pack()
    return InlineKeyboardButton(text=text, callback_data=data)


def cancel_row(t: Translator, src: int) -> list[InlineKeyboardButton]:
    return [button(t("handover-cancel-button"), HandoverAction.CANCEL, src)]


def sources_kb(
    members: list[Manager], counts: dict[int, int], t: Translator
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for member in members:
        if counts.get(member.id, 0):
            label = t(
                "handover-source-button", name=display_name(member), clients=counts[member.id]
            )
            builder.row(button(label, HandoverAction.SOURCE, id_=member.id))
    return builder.as_markup()


def how_kb(t: Translator, src: int, clients: int) -> InlineKeyboardMarkup:
    rows = [
        [button(t("handover-all-button", clients=clients), HandoverAction.ALL, src)],
        [button(t("handover-tags-button"), HandoverAction.TAGS, src)],
        [button(t("handover-pick-button"), HandoverAction.PICK, src)],
        cancel_row(t, src),
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def tags_kb(t: Translator, src: int, tags: list[tuple[str, int]]) -> InlineKeyboardMarkup:
    rows = [
        [button(t("handover-tag-button", tag=tag, clients=n), HandoverAction.TAG, src, index)]
        for index, (tag, n) in enumerate(tags)
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, cancel_row(t, src)])


def checklist_kb(
    t: Translator, src: int, clients: list[tuple[int, str]], picked: set[int], page: int
) -> InlineKeyboardMarkup:
    pages = max(1, -(-len(clients) // PAGE_SIZE))
    page = min(page, pages - 1)
    builder = InlineKeyboardBuilder()
    for client_id, name in clients[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        mark = "☑️" if client_id in picked else "⬜"
        builder.row(button(f"{mark} {name}", HandoverAction.TOGGLE, src, client_id, page))
    nav = []
    if page > 0:
        nav.append(button(t("handover-prev-button"), HandoverAction.PICK, src, page=page - 1))
    if page + 1 < pages:
        nav.append(button(t("handover-next-button"), HandoverAction.PICK, src, page=page + 1))
    if nav:
        builder.row(*nav)
    done = t("handover-done-button", picked=len(picked))
    builder.row(button(done, HandoverAction.DONE, src), *cancel_row(t, src))
    return builder.as_markup()


def targets_kb(
    t: Translator, src: int, members: list[Manager], me: Manager
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for member in members:
        if member.id == src:
            continue
        name = display_name(member)
        label = t("handover-target-me", name=name) if member.id == me.id else name
        builder.row(button(label, HandoverAction.TARGET, src, member.id))
    builder.row(*cancel_row(t, src))
    return builder.as_markup()


def confirm_text(t: Translator, preview: Preview) -> str:
    counts = preview.counts
    return t(
        "handover-confirm",
        **{"from": display_name(preview.source)},
        to=display_name(preview.target),
        clients=counts["clients"],
        touches=counts["touches"],
        sales=counts["sales"],
        promises=counts["promises"],
        reminders=counts["reminders"],
        notes=counts["notes"],
        private=counts["private_notes"],
    )


def confirm_kb(t: Translator, src: int, target: int) -> InlineKeyboardMarkup:
    yes = button(t("handover-confirm-button"), HandoverAction.CONFIRM, src, target)
    return InlineKeyboardMarkup(inline_keyboard=[[yes], cancel_row(t, src)])


def history_counts(outcome: Outcome) -> dict[str, int]:
    counts = outcome.moved.counts
    return {k: counts.get(k, 0) for k in ("touches", "sales", "promises", "reminders")}


def done_text(t: Translator, outcome: Outcome) -> str:
    if not outcome.moved.client_count:
        return t("handover-already-moved")
    return t(
        "handover-done",
        **{"from": display_name(outcome.source)},
        to=display_name(outcome.target),
        clients=outcome.moved.client_count,
        skipped=outcome.wanted - outcome.moved.client_count,
        **history_counts(outcome),
    )


def received_fields(outcome: Outcome, head: Manager) -> dict[str, object]:
    """The new owner's message: who, from whom, the first names and "and N more"."""
    names = [name for _, name in outcome.moved.clients]
    return {
        "head": display_name(head),
        "from": display_name(outcome.source),
        "clients": len(names),
        "names": "\n".join(f"• {name}" for name in names[:NAMES_TOLD]),
        "more": max(0, len(names) - NAMES_TOLD),
        **history_counts(outcome),
    }
