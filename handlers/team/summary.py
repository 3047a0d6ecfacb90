"""/team with no words: the team at a glance.

A head sees the table of the month (handlers/team/table.py: the period buttons, each member's
/kpi and clients, the chart). A member sees the team, its heads and its size, and their own
place by plan % only when the head switched rankings on.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.context import Ctx
from bot.services.kpi.periods import local_today, period_of
from bot.services.kpi.text import period_label
from bot.services.teams import membership
from bot.services.teams.table import my_rank
from handlers.team import team_views as views
from handlers.team.table import send_table
from storage.enums import PeriodKind, TeamRole


async def show(ctx: Ctx, kind: PeriodKind = PeriodKind.MONTH) -> None:
    """`kind`: the period named after /team, in /kpi's words; the month when none."""
    if ctx.manager.role == TeamRole.HEAD:
        await send_table(ctx, kind)
        return
    team, members = await membership.members(ctx.session, ctx.manager)
    lines = [
        ctx.t("team-info", team=team.name, heads=views.heads_line(members), count=len(members))
    ]
    if team.rankings_visible:
        rank = await my_rank(ctx.session, ctx.manager, kind, ctx.now)
        period = period_of(kind, local_today(ctx.now, ZoneInfo(ctx.manager.timezone)))
        label = period_label(period, ctx.t.lang)
        if rank is None:
            lines.append(ctx.t("tt-rank-no-plan", period=label))
        else:
            lines.append(ctx.t("tt-rank", period=label, place=rank.place, count=rank.ranked))
    await ctx.send("\n\n".join(lines))
