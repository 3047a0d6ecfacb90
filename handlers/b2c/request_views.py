"""How a request, the open list and a review are shown. Texts come from requests.ftl."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup

from bot.i18n import Translator
from bot.services.crm.requests import SLA, OpenList, RequestView, breach, undo_target
from bot.services.crm.reviews import ReviewView
from bot.views.formatting import format_duration as format_duration
from handlers.callbacks import (
    ClientAction,
    ClientCb,
    RequestAction,
    RequestCb,
    ReviewAction,
    ReviewCb,
    TapCb,
)
from handlers.clientbase.client_views import esc
from handlers.touches.entry_move import move_button
from handlers.touches.touch_views import Reader, when_label

SHOWN = 1500
LIST_TEXT = 60


def _sla(t: Translator, delta: timedelta) -> str:
    # SLAs are quoted in hours up to two days ("24 ч", not "1 дн."), as support teams say them.
    hours, rest = divmod(int(delta.total_seconds()), 3600)
    if not rest and 0 < hours <= 48:
        return t("dur-hours", n=hours)
    return format_duration(t, delta.total_seconds())


def request_text(t: Translator, request: RequestView, reader: Reader, now: datetime) -> str:
    lines = [t("request-card-title", id=request.id, client=request.client_name)]
    shown = request.text if len(request.text) <= SHOWN else request.text[:SHOWN] + "…"
    lines.append(f"💬 {esc(shown)}")
    opened = when_label(t, request.opened_at, reader, now, with_time=True)
    if request.resolved_at is None:
        ago = format_duration(t, (now - request.opened_at).total_seconds())
        lines.append(t("request-opened", when=opened, ago=ago))
    else:
        # A solved request waits for nothing: the resolved line says how long it took.
        lines.append(t("request-opened-closed", when=opened))
    if request.first_response_at is not None:
        lines.append(
            t(
                "request-responded",
                when=when_label(t, request.first_response_at, reader, now, with_time=True),
                took=format_duration(
                    t, (request.first_response_at - request.opened_at).total_seconds()
                ),
            )
        )
    if request.resolved_at is not None:
        lines.append(
            t(
                "request-resolved",
                when=when_label(t, request.resolved_at, reader, now, with_time=True),
                took=format_duration(t, (request.resolved_at - request.opened_at).total_seconds()),
            )
        )
    broken = breach(request, now)
    if broken == "response":
        lines.append(t("request-breach-response", sla=_sla(t, SLA.first_response)))
    elif broken == "resolution":
        lines.append(t("request-breach-resolution", sla=_sla(t, SLA.resolution)))
    return "\n".join(lines)


def request_kb(t: Translator, request: RequestView, now: datetime) -> Markup:
    rows: list[list[Button]] = []
    if request.is_open:
        stamps = [
            Button(
                text=t("request-btn-resolved"), callback_data=_cb(RequestAction.RESOLVED, request)
            )
        ]
        if request.first_response_at is None:
            stamps.insert(
                0,
                Button(
                    text=t("request-btn-responded"),
                    callback_data=_cb(RequestAction.RESPONDED, request),
                ),
            )
        rows.append(stamps)
    client = Button(
        text=t("request-btn-client"),
        callback_data=ClientCb(action=ClientAction.OPEN, id=request.client_id).pack(),
    )
    target = undo_target(request, now)
    if target is None:
        rows.append([client])
    else:
        undo = Button(
            text=t(f"request-btn-undo-{target}"), callback_data=_cb(RequestAction.UNDO, request)
        )
        rows.append([undo, client])
    rows.append(
        [
            move_button(t, "rq", request.id),
            Button(
                text=t("request-btn-list"),
                callback_data=RequestCb(action=RequestAction.LIST).pack(),
            ),
        ]
    )
    return Markup(inline_keyboard=rows)


def _cb(action: RequestAction, request: RequestView) -> str:
    return RequestCb(action=action, id=request.id).pack()


def list_text(t: Translator, page: OpenList, now: datetime) -> str:
    if page.total == 0:
        return t("request-list-empty")
    lines = [t("request-list-title", count=page.total)]
    for number, request in enumerate(page.items, start=1):
        flag = "⚠️ " if breach(request, now) else ""
        text = request.text if len(request.text) <= LIST_TEXT else request.text[:LIST_TEXT] + "…"
        waiting = "" if request.first_response_at is not None else " · " + t("request-no-answer")
        lines.append(
            t(
                "request-list-line",
                n=number,
                flag=flag,
                client=request.client_name,
                text=text,
                age=format_duration(t, (now - request.opened_at).total_seconds()),
                waiting=waiting,
            )
        )
    if page.pages > 1:
        lines.append(t("request-list-page", page=page.page + 1, pages=page.pages))
    lines.append(
        t(
            "request-list-sla",
            response=_sla(t, SLA.first_response),
            resolution=_sla(t, SLA.resolution),
        )
    )
    return "\n".join(lines)


def list_kb(t: Translator, page: OpenList, now: datetime) -> Markup | None:
    rows = [
        [
            Button(
                text=(
                    f"{number}. {'⚠️ ' if breach(r, now) else ''}{r.client_name[:30]}"
                    f" · {format_duration(t, (now - r.opened_at).total_seconds())}"
                ),
                callback_data=RequestCb(action=RequestAction.OPEN, id=r.id).pack(),
            )
        ]
        for number, r in enumerate(page.items, start=1)
    ]
    nav = []
    if page.page > 0:
        nav.append(
            Button(
                text="◀️",
                callback_data=RequestCb(action=RequestAction.LIST, page=page.page - 1).pack(),
            )
        )
    if page.page + 1 < page.pages:
        nav.append(
            Button(
                text="▶️",
                callback_data=RequestCb(action=RequestAction.LIST, page=page.page + 1).pack(),
            )
        )
    if nav:
        rows.append(nav)
    return Markup(inline_keyboard=rows) if rows else None


def review_text(t: Translator, review: ReviewView) -> str:
    key = "review-saved-positive" if review.positive else "review-saved-negative"
    lines = [t(key, client=review.client_name)]
    if review.text:
        shown = review.text if len(review.text) <= SHOWN else review.text[:SHOWN] + "…"
        lines.append(f"💬 {esc(shown)}")
    if not review.positive:
        lines.append(t("review-negative-hint"))
    return "\n".join(lines)


def review_kb(t: Translator, review: ReviewView) -> Markup:
    rows: list[list[Button]] = []
    if not review.positive:
        rows.append(
            [
                Button(
                    text=t("review-btn-request"),
                    callback_data=ReviewCb(action=ReviewAction.OPEN_REQUEST, id=review.id).pack(),
                ),
                Button(text=t("review-btn-call"), callback_data=TapCb(id=review.client_id).pack()),
            ]
        )
    rows.append(
        [
            Button(
                text=t("btn-undo"),
                callback_data=ReviewCb(action=ReviewAction.UNDO, id=review.id).pack(),
            ),
            Button(
                text=t("request-btn-client"),
                callback_data=ClientCb(action=ClientAction.OPEN, id=review.client_id).pack(),
            ),
        ]
    )
    rows.append([move_button(t, "rv", review.id)])
    return Markup(inline_keyboard=rows)
