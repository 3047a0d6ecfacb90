"""/team log: the team's audit records (handovers, joins, leaves, removals, roles), newest first.

A head's view only; the page button re-checks the role at the tap like every team button.
Names come from the record itself, so an entry still reads right after an account is gone.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup

from bot.context import Ctx
from bot.i18n import Translator
from bot.services.teams import handover as service
from bot.views.formatting import when_label
from handlers.callbacks import HandoverAction, HandoverCb
from handlers.team.handover_views import button
from storage.models import Manager, TeamEvent

PAGE_SIZE = 10
NAMES_SHOWN = 5  # client names per handover line, then "and N more"
KINDS = frozenset(
    {"create", "join", "leave", "remove", "role-head", "role-manager", "account-deleted"}
)


def _names_line(t: Translator, payload: dict[str, Any]) -> str:
    clients = payload.get("clients") or []
    shown = ", ".join(str(name) for _, name in clients[:NAMES_SHOWN])
    more = int(payload.get("client_count", len(clients))) - min(len(clients), NAMES_SHOWN)
    if shown and more > 0:
        shown += " " + t("team-log-more", more=more)
    return shown or "none"


def _line(t: Translator, event: TeamEvent, me: Manager, now: Any) -> str:
    payload = event.payload or {}
    names = payload.get("names") or {}
    fields: dict[str, Any] = {
        "when": when_label(t, event.created_at, me, now, with_time=True),
        "actor": names.get("actor", "?"),
        "from": names.get("from", "?"),
        "to": names.get("to", "?"),
    }
    if event.kind == "handover":
        clients = int(payload.get("client_count", 0))
        return t("team-log-handover", clients=clients, names=_names_line(t, payload), **fields)
    if event.kind in KINDS:
        return t(f"team-log-{event.kind}", **fields)
    return t("team-log-other", kind=event.kind, **fields)


def _kb(t: Translator, page: int, older: bool) -> InlineKeyboardMarkup | None:
    nav = []
    if older:
        nav.append(button(t("team-log-older-button"), HandoverAction.LOG, page=page + 1))
    if page > 0:
        nav.append(button(t("team-log-newer-button"), HandoverAction.LOG, page=page - 1))
    return InlineKeyboardMarkup(inline_keyboard=[nav]) if nav else None


async def _render(ctx: Ctx, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    events, older = await service.log_page(ctx.session, ctx.manager, page, PAGE_SIZE)
    if not events and page == 0:
        return ctx.t("team-log-empty"), None
    lines = [ctx.t("team-log-title", page=page + 1 if page else 0)]
    lines += [_line(ctx.t, event, ctx.manager, ctx.now) for event in events]
    return "\n".join(lines), _kb(ctx.t, page, older)


async def show_log(ctx: Ctx, rest: str) -> None:
    """The /team word ("log", "журнал")."""
    await ctx.send(*await _render(ctx, 0))


async def on_log_page(query: CallbackQuery, callback_data: HandoverCb, ctx: Ctx) -> None:
    text, markup = await _render(ctx, callback_data.page)
    await query.answer()
    await ctx.edit(text, markup)


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_log_page, HandoverCb.filter(F.action == HandoverAction.LOG))
    return router
