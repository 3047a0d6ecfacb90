"""The client card, its keyboards and the client list. Texts come from the locale files."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder
from babel.dates import format_date

from bot.i18n import Translator
from bot.services.crm.birthdays import format_birthday
from bot.services.crm.clients import CADENCE_CHOICES, ClientCard, ClientPage, ClientRef, ContactView
from bot.services.crm.timeline import TimelinePage
from bot.services.money import format_money
from bot.views.formatting import esc as esc
from bot.views.touch_saved import KIND_ICONS as KIND_ICONS  # beside the ✅ reply that uses them
from bot.views.webapp_links import webapp_button
from handlers.callbacks import (
    ClientAction,
    ClientCb,
    ContactAction,
    ContactCb,
    ListCb,
    NewClientCb,
    TapCb,
    TouchAction,
    TouchCb,
)
from storage.enums import Channel, ClientStatus, Segment, Tier

MAX_NOTE_PREVIEW = 120
TEXT_FIELDS = ("name", "tags", "tax_id", "phone")
CHOICE_FIELDS = ("segment", "tier", "status", "cadence", "channel")
CHOICES: dict[str, tuple[str, ...]] = {
    "segment": tuple(s.value for s in Segment),
    "tier": tuple(t.value for t in Tier),
    "status": tuple(s.value for s in ClientStatus),
    "cadence": (*(str(d) for d in CADENCE_CHOICES), "0"),
    "channel": (*(c.value for c in Channel), "none"),
}


def _btn(text: str, cb: ClientCb | ContactCb | ListCb | NewClientCb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=cb.pack())


def short_date(moment: datetime, lang: str, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone)).date()
    return format_date(local, "d MMM" if lang == "ru" else "MMM d", locale=lang)


def contact_line(t: Translator, c: ContactView, lang: str) -> str:
    parts = [f"<b>{esc(c.name)}</b>"]
    if c.role:
        parts.append(esc(c.role))
    line = " — ".join(parts)
    if c.birthday is not None and c.days_to_birthday is not None:
        line += " · " + t(
            "card-birthday",
            date=format_birthday(c.birthday, lang),
            days=c.days_to_birthday,
            turns=c.turns if c.turns is not None else "none",
        )
    return "• " + line


def card_text(t: Translator, card: ClientCard, lang: str, zone: str) -> str:
    lines = [
        t(
            "card-title",
            name=card.name,
            tier=card.tier.value,
            segment=card.segment.value.upper(),
            status=t(f"status-{card.status.value}"),
            archived="yes" if card.archived else "no",
        )
    ]
    if card.tags:
        lines.append("🏷 " + " ".join(f"#{esc(tag)}" for tag in card.tags))
    details = []
    if card.tax_id:
        details.append(t("card-tax-id", value=card.tax_id))
    if card.phone:
        details.append(f"☎️ {esc(card.phone)}")
    if card.channel:
        details.append(t("card-channel", channel=t(f"channel-{card.channel.value}")))
    if details:
        lines.append(" · ".join(details))
    lines.append("")
    lines.extend(_contact_lines(t, card, lang))
    lines.append("")
    lines.extend(_activity_lines(t, card, lang, zone))
    lines.append(
        t(
            "card-sales-month",
            amount=format_money(card.sales_this_month_minor, card.currency, lang),
        )
    )
    lines.append(t("card-owner", name=card.owner_name or "—"))
    return "\n".join(lines)


def _contact_lines(t: Translator, card: ClientCard, lang: str) -> list[str]:
    if not card.contacts:
        return [t("card-no-contacts")]
    lines = [t("card-contacts-title", count=len(card.contacts))]
    lines.extend(contact_line(t, c, lang) for c in card.contacts[:6])
    if len(card.contacts) > 6:
        lines.append(t("card-contacts-more", count=len(card.contacts) - 6))
    return lines


def _activity_lines(t: Translator, card: ClientCard, lang: str, zone: str) -> list[str]:
    """The last touch, the next check-in, open promises and notes."""
    if card.last_touch_at is not None:
        date = short_date(card.last_touch_at, lang, zone)
        lines = [t("card-last-touch", date=date, days=card.days_since_touch or 0)]
    else:
        lines = [t("card-never-touched")]
    if card.checkin_in_days is not None:
        key = "card-checkin-overdue" if card.overdue else "card-checkin-due"
        lines.append(t(key, days=abs(card.checkin_in_days), cadence=card.cadence_days))
    elif card.archived or card.status != ClientStatus.ACTIVE:
        lines.append(t("card-checkin-off"))
    if card.promises:
        lines.append(t("card-promises-title"))
        for promise in card.promises[:5]:
            due = short_date(promise.due_at, lang, zone) if promise.due_at else "—"
            lines.append(f"• {esc(promise.text[:120])} — {due}")
    if card.notes:
        lines.append(t("card-notes-title"))
        for note in card.notes:
            text = (
                note.text
                if len(note.text) <= MAX_NOTE_PREVIEW
                else note.text[:MAX_NOTE_PREVIEW] + "…"
            )
            lock = "🔒 " if note.private else ""
            lines.append(f"• {lock}{esc(text)}")
    return lines


def card_kb(t: Translator, card: ClientCard, webapp_url: str | None = None) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    b.row(
        InlineKeyboardButton(text=t("card-btn-log"), callback_data=TapCb(id=card.id).pack()),
        _btn(t("card-btn-brief"), ClientCb(action=ClientAction.BRIEF, id=card.id)),
        _btn(t("card-btn-history"), ClientCb(action=ClientAction.HISTORY, id=card.id, value="0")),
    )
    for promise in card.promises[:3]:
        b.row(
            InlineKeyboardButton(
                text=t("promise-btn-done", step=promise.text[:30]),
                callback_data=TouchCb(action=TouchAction.DONE, id=promise.touch_id).pack(),
            )
        )
    b.row(
        _btn(t("card-btn-edit"), ClientCb(action=ClientAction.EDIT, id=card.id)),
        _btn(t("card-btn-contacts"), ClientCb(action=ClientAction.CONTACTS, id=card.id)),
    )
    if card.archived:
        b.row(
            _btn(t("card-btn-restore"), ClientCb(action=ClientAction.RESTORE, id=card.id)),
            _btn(t("card-btn-delete"), ClientCb(action=ClientAction.DELETE, id=card.id)),
        )
    else:
        b.row(
            _btn(t("card-btn-archive"), ClientCb(action=ClientAction.ARCHIVE, id=card.id)),
            _btn(t("card-btn-delete"), ClientCb(action=ClientAction.DELETE, id=card.id)),
        )
    if webapp_url:  # the page checks the client is the opener's, as every API call does
        b.row(webapp_button(t, "webapp-btn-client", webapp_url, client=str(card.id)))
    return b.as_markup()


def edit_kb(t: Translator, client_id: int) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    buttons = [
        _btn(t(f"field-{f}"), ClientCb(action=ClientAction.ASK, id=client_id, field=f))
        for f in TEXT_FIELDS
    ]
    buttons += [
        _btn(t(f"field-{f}"), ClientCb(action=ClientAction.EDIT, id=client_id, field=f))
        for f in CHOICE_FIELDS
    ]
    for i in range(0, len(buttons), 3):
        b.row(*buttons[i : i + 3])
    b.row(_btn(t("btn-back"), ClientCb(action=ClientAction.OPEN, id=client_id)))
    return b.as_markup()


def choice_label(t: Translator, field: str, value: str) -> str:
    if field == "cadence":
        return t("cadence-default") if value == "0" else t("cadence-days", days=int(value))
    if field == "segment":
        return value.upper()
    return t(f"{field}-{value}")


def choice_kb(t: Translator, client_id: int, field: str) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    buttons = [
        _btn(
            choice_label(t, field, v),
            ClientCb(action=ClientAction.SET, id=client_id, field=field, value=v),
        )
        for v in CHOICES[field]
    ]
    for i in range(0, len(buttons), 3):
        b.row(*buttons[i : i + 3])
    b.row(_btn(t("btn-back"), ClientCb(action=ClientAction.EDIT, id=client_id)))
    return b.as_markup()


def delete_confirm_kb(t: Translator, client_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("delete-confirm-yes"), ClientCb(action=ClientAction.PURGE, id=client_id))],
            [_btn(t("delete-confirm-no"), ClientCb(action=ClientAction.OPEN, id=client_id))],
        ]
    )


def lookup_kb(
    t: Translator,
    matches: list[ClientRef],
    *,
    offer_create: bool,
    action: str = ClientAction.OPEN,
) -> InlineKeyboardMarkup:
    """Found clients as buttons; `action` is what a tap does (open the card, add a contact…):
    a ClientAction, or its value from a caller that still passes the string."""
    b = InlineKeyboardBuilder()
    for ref in matches:
        label = ref.name if ref.via_contact is None else f"{ref.name} ({ref.via_contact})"
        if ref.archived:
            label = "📦 " + label
        b.row(_btn(label[:60], ClientCb(action=action, id=ref.id)))
    if offer_create:
        b.row(_btn(t("lookup-btn-create"), NewClientCb()))
    return b.as_markup()


def duplicate_kb(t: Translator, existing: ClientRef) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_btn(t("duplicate-open"), ClientCb(action=ClientAction.OPEN, id=existing.id))],
            [_btn(t("duplicate-create"), NewClientCb(dup=True))],
        ]
    )


def timeline_text(t: Translator, page: TimelinePage, lang: str, zone: str) -> str:
    lines = [t("history-title", name=page.client_name, page=page.page + 1)]
    if not page.entries:
        lines.append(t("history-empty"))
    for entry in page.entries:
        day = short_date(entry.at, lang, zone)
        if entry.kind is None:
            lock = "🔒 " if entry.private else ""
            lines.append(f"📝 {day} · {lock}{esc(entry.text[:200])}")
            continue
        icon = KIND_ICONS[entry.kind]
        text = esc(entry.text[:200]) if entry.text else "—"
        step = f" ➡️ {esc(entry.next_step[:80])}" if entry.next_step else ""
        lines.append(f"{icon} {day} · {text}{step}")
    return "\n".join(lines)


def timeline_kb(t: Translator, page: TimelinePage) -> InlineKeyboardMarkup:
    nav = []
    if page.page > 0:
        nav.append(
            _btn(
                "◀️",
                ClientCb(action=ClientAction.HISTORY, id=page.client_id, value=str(page.page - 1)),
            )
        )
    if page.has_more:
        nav.append(
            _btn(
                "▶️",
                ClientCb(action=ClientAction.HISTORY, id=page.client_id, value=str(page.page + 1)),
            )
        )
    rows = [nav] if nav else []
    rows.append([_btn(t("btn-back"), ClientCb(action=ClientAction.OPEN, id=page.client_id))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def list_text(t: Translator, page: ClientPage, kind: str, tag: str | None) -> str:
    header = t(
        "list-title",
        all=page.counts["all"],
        overdue=page.counts["overdue"],
        key=page.counts["key"],
        archived=page.counts["archived"],
    )
    if page.total == 0:
        return header + "\n\n" + t("list-empty", filter=kind)
    filter_line = t(f"list-filter-{kind}", tag=tag or "")
    return f"{header}\n\n{filter_line} · " + t(
        "list-page", page=page.page + 1, pages=page.pages, total=page.total
    )


def list_kb(t: Translator, page: ClientPage, kind: str, tag_index: int) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for item in page.items:
        mark = "⚠️ " if item.overdue else ("🔑 " if item.tier == Tier.KEY else "")
        if item.archived:
            mark = "📦 "
        b.row(_btn((mark + item.name)[:60], ClientCb(action=ClientAction.OPEN, id=item.id)))
    nav = []
    if page.page > 0:
        nav.append(_btn("◀️", ListCb(view=kind, page=page.page - 1, tag=tag_index)))
    if page.page + 1 < page.pages:
        nav.append(_btn("▶️", ListCb(view=kind, page=page.page + 1, tag=tag_index)))
    if nav:
        b.row(*nav)
    filters = [
        _btn(("• " if kind == f else "") + t(f"list-btn-{f}"), ListCb(view=f))
        for f in ("all", "overdue", "key", "archived")
    ]
    b.row(*filters[:2])
    b.row(*filters[2:])
    tags = [
        _btn(
            ("• " if kind == "tag" and tag_index == i else "") + f"#{tag}"[:30],
            ListCb(view="tag", tag=i),
        )
        for i, (tag, _) in enumerate(page.tags[:6])
    ]
    for i in range(0, len(tags), 3):
        b.row(*tags[i : i + 3])
    return b.as_markup()


def contacts_kb(t: Translator, card: ClientCard) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for c in card.contacts[:20]:
        b.row(_btn(("👤 " + c.name)[:60], ContactCb(action=ContactAction.OPEN, id=c.id)))
    b.row(
        _btn(t("contacts-btn-add"), ClientCb(action=ClientAction.ASK, id=card.id, field="contact"))
    )
    b.row(_btn(t("btn-back"), ClientCb(action=ClientAction.OPEN, id=card.id)))
    return b.as_markup()
