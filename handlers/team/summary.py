"""/team with no words: the team at a glance.

A member sees the team, its heads and, when the head switched rankings on, their own place. A
head sees the members with their client counts.
"""

from __future__ import annotations

from bot.context import Ctx
from bot.services.teams import membership
from handlers.team import team_views as views
from storage.enums import TeamRole


async def show(ctx: Ctx) -> None:
    team, members = await membership.members(ctx.session, ctx.manager)
    if ctx.manager.role == TeamRole.HEAD:
        counts = await membership.client_counts(ctx.session, ctx.manager)
        await ctx.send(
            views.members_text(ctx.t, team.name, members, counts),
            views.members_kb(members, ctx.manager),
        )
        return
    await ctx.send(
        ctx.t("team-info", team=team.name, heads=views.heads_line(members), count=len(members))
    )
