"""The head's /team table: period buttons, the team chart, a member's /kpi and client lists.

Every handler asks the services, which re-check at the tap that the presser heads a team and
that the member is in it (bot/services/teams): a forged or stale button is "not found".
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.enums import ChatAction
from aiogram.types import BufferedInputFile, CallbackQuery

from bot.context import Ctx
from bot.services.kpi.periods import local_today, period_of
from bot.services.kpi.text import period_label
from bot.services.teams import membership, readonly
from bot.services.teams.member_kpi import member_kpi
from bot.services.teams.people import display_name
from bot.services.teams.table import team_chart_png, team_table
from handlers.callbacks import TeamTableAction, TeamTableCb
from handlers.selling.kpi_views import kpi_text
from handlers.team import table_views as views
from storage.enums import PeriodKind


async def send_table(ctx: Ctx, kind: PeriodKind, page: int = 0, *, edit: bool = False) -> None:
    table = await team_table(ctx.session, ctx.manager, kind, ctx.now)
    page = min(page, views.pages(table) - 1)  # the team shrank since the button was drawn
    text = views.table_text(ctx.t, table, period_label(table.period, ctx.t.lang), page)
    markup = views.table_kb(ctx.t, table, page)
    if edit:
        await ctx.edit(text, markup)
    else:
        await ctx.send(text, markup)


async def on_period(query: CallbackQuery, callback_data: TeamTableCb, ctx: Ctx) -> None:
    await send_table(ctx, callback_data.period, callback_data.page, edit=True)
    await query.answer()


async def on_chart(query: CallbackQuery, callback_data: TeamTableCb, ctx: Ctx) -> None:
    kind, head = callback_data.period, ctx.manager
    png = await team_chart_png(ctx.session, head, kind, ctx.now, ctx.t)  # checks the head first
    await query.answer()
    await ctx.bot.send_chat_action(ctx.chat_id, ChatAction.UPLOAD_PHOTO)
    team, _ = await membership.members(ctx.session, head)
    period = period_of(kind, local_today(ctx.now, ZoneInfo(head.timezone)))
    caption = ctx.t("tt-chart-caption", team=team.name, period=period_label(period, ctx.t.lang))
    await ctx.bot.send_photo(ctx.chat_id, BufferedInputFile(png, "team.png"), caption=caption)


async def on_member(query: CallbackQuery, callback_data: TeamTableCb, ctx: Ctx) -> None:
    member, report = await member_kpi(
        ctx.session, ctx.manager, callback_data.id, callback_data.period, ctx.now
    )
    await query.answer()
    title = ctx.t("tt-member-title", name=display_name(member))
    await ctx.edit(
        f"{title}\n\n{kpi_text(ctx.t, report)}",
        views.member_kb(ctx.t, member.id, callback_data.period),
    )


async def _list(ctx: Ctx, callback_data: TeamTableCb, overdue_only: bool) -> None:
    page = await readonly.member_list(
        ctx.session, ctx.manager, callback_data.id, overdue_only, callback_data.page, ctx.now
    )
    await ctx.edit(views.list_text(ctx.t, page), views.list_kb(ctx.t, page))


async def on_overdue(query: CallbackQuery, callback_data: TeamTableCb, ctx: Ctx) -> None:
    await _list(ctx, callback_data, overdue_only=True)
    await query.answer()


async def on_clients(query: CallbackQuery, callback_data: TeamTableCb, ctx: Ctx) -> None:
    await _list(ctx, callback_data, overdue_only=False)
    await query.answer()


def build_router() -> Router:
    router = Router(name=__name__)
    for action, handler in (
        (TeamTableAction.PERIOD, on_period),
        (TeamTableAction.CHART, on_chart),
        (TeamTableAction.MEMBER, on_member),
        (TeamTableAction.OVERDUE, on_overdue),
        (TeamTableAction.CLIENTS, on_clients),
    ):
        router.callback_query.register(handler, TeamTableCb.filter(F.action == action))
    return router
