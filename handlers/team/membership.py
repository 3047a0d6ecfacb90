"""/team and its words (new, invite, invites, members, rankings, leave), joining by a link, and
the membership buttons. Each button re-reads the presser's team and role (services/teams)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.context import Ctx
from bot.services.kpi.words import parse_period
from bot.services.teams import membership
from bot.services.teams.membership import JOIN_PREFIX
from bot.services.teams.people import display_name
from handlers.callbacks import Flow, TeamAction, TeamCb
from handlers.setup.prefs_flow import ONBOARDING_STEPS, ask
from handlers.team import log as team_log
from handlers.team import summary
from handlers.team import team_views as views
from handlers.team.notify import tell
from storage.enums import PeriodKind, TeamRole

Word = Callable[[Ctx, str], Awaitable[None]]


async def _new(ctx: Ctx, rest: str) -> None:
    team = await membership.create(ctx.session, ctx.manager, rest, ctx.now)
    brought = await membership.client_counts(ctx.session, ctx.manager)
    await ctx.send(ctx.t("team-created", name=team.name, clients=brought.get(ctx.manager.id, 0)))


async def _invite(ctx: Ctx, rest: str) -> None:
    many = rest.strip().lower() in {"many", "много", "многоразовая", "multi"}
    invite = await membership.invite(ctx.session, ctx.manager, ctx.now, single_use=not many)
    me = await ctx.bot.me()
    team, _ = await membership.members(ctx.session, ctx.manager)
    link = f"https://t.me/{me.username}?start={JOIN_PREFIX}{invite.token}"
    await ctx.send(
        ctx.t(
            "team-invite-created",
            team=team.name,
            kind=views.invite_kind(invite),
            until=views.until(ctx.t, invite, ctx.manager, ctx.now),
            link=link,
        )
    )


async def _invites(ctx: Ctx, rest: str) -> None:
    invites = await membership.open_invites(ctx.session, ctx.manager, ctx.now)
    await ctx.send(
        views.invites_text(ctx.t, invites, ctx.manager, ctx.now),
        views.invites_kb(ctx.t, invites, ctx.manager, ctx.now),
    )


async def _members(ctx: Ctx, rest: str) -> None:
    team, members = await membership.members(ctx.session, ctx.manager)
    counts = await membership.client_counts(ctx.session, ctx.manager)
    markup = views.members_kb(members, ctx.manager) if ctx.manager.role == TeamRole.HEAD else None
    await ctx.send(views.members_text(ctx.t, team.name, members, counts), markup)


async def _rankings(ctx: Ctx, rest: str) -> None:
    word = rest.strip().lower()
    if word not in {"on", "off", "вкл", "выкл"}:
        await ctx.send(ctx.t("team-rankings-usage"))
        return
    visible = word in {"on", "вкл"}
    await membership.set_rankings(ctx.session, ctx.manager, visible)
    await ctx.send(ctx.t("team-rankings-on" if visible else "team-rankings-off"))


async def _leave(ctx: Ctx, rest: str) -> None:
    team, members = await membership.members(ctx.session, ctx.manager)
    key = "team-leave-last-ask" if len(members) == 1 else "team-leave-ask"
    await ctx.send(
        ctx.t(key, team=team.name),
        views.confirm_kb(ctx.t, "team-leave-confirm-button", TeamAction.LEAVE),
    )


async def _help(ctx: Ctx, rest: str) -> None:
    await ctx.send(ctx.t("team-usage"))


WORDS: dict[str, Word] = {
    **dict.fromkeys(("new", "create", "создать", "новая"), _new),
    **dict.fromkeys(("invite", "пригласить", "ссылка"), _invite),
    **dict.fromkeys(("invites", "links", "приглашения", "ссылки"), _invites),
    **dict.fromkeys(("members", "участники", "состав"), _members),
    **dict.fromkeys(("rankings", "ranking", "рейтинг"), _rankings),
    **dict.fromkeys(("leave", "выйти"), _leave),
    **dict.fromkeys(("log", "журнал"), team_log.show_log),
    **dict.fromkeys(("help", "помощь"), _help),
}


async def on_team(message: Message, command: CommandObject, ctx: Ctx) -> None:
    first, _, rest = (command.args or "").strip().partition(" ")
    word = WORDS.get(first.lower())
    if word is not None:
        await word(ctx, rest)
    elif first and parse_period(first) is None:
        await _help(ctx, rest)
    elif ctx.manager.team_id is None:
        await ctx.send(ctx.t("team-none"))
    else:
        await summary.show(ctx, parse_period(first) or PeriodKind.MONTH)  # /kpi's period words


async def on_join_link(message: Message, command: CommandObject, ctx: Ctx) -> None:
    token = (command.args or "")[len(JOIN_PREFIX) :]
    offer = await membership.offer(ctx.session, ctx.manager, token, ctx.now)
    await ctx.send(views.join_offer_text(ctx.t, offer), views.join_kb(ctx.t, offer, token))


# ---------------------------------------------------------------- buttons


async def on_join(query: CallbackQuery, callback_data: TeamCb, ctx: Ctx) -> None:
    team, brought = await membership.join(
        ctx.session, ctx.manager, callback_data.value, bool(callback_data.id), ctx.now
    )
    await query.answer()
    await ctx.edit(ctx.t("team-joined", team=team.name, clients=brought))
    _, members = await membership.members(ctx.session, ctx.manager)
    for head in (m for m in members if m.role == TeamRole.HEAD):
        await tell(ctx.bot, head, "team-member-joined", name=display_name(ctx.manager))
    if ctx.manager.onboarded_at is None:  # a newcomer who came by the link: settings next
        await ask(ctx, ONBOARDING_STEPS[0], Flow.ONBOARDING)


async def on_revoke(query: CallbackQuery, callback_data: TeamCb, ctx: Ctx) -> None:
    await membership.revoke(ctx.session, ctx.manager, callback_data.id, ctx.now)
    await query.answer(ctx.t("team-invite-revoked"))
    invites = await membership.open_invites(ctx.session, ctx.manager, ctx.now)
    await ctx.edit(
        views.invites_text(ctx.t, invites, ctx.manager, ctx.now),
        views.invites_kb(ctx.t, invites, ctx.manager, ctx.now),
    )


async def on_members(query: CallbackQuery, ctx: Ctx) -> None:
    membership.head_of_team(ctx.manager)
    await query.answer()
    team, members = await membership.members(ctx.session, ctx.manager)
    counts = await membership.client_counts(ctx.session, ctx.manager)
    await ctx.edit(
        views.members_text(ctx.t, team.name, members, counts),
        views.members_kb(members, ctx.manager),
    )


async def on_member(query: CallbackQuery, callback_data: TeamCb, ctx: Ctx) -> None:
    member = await membership.member_of_my_team(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    await ctx.edit(views.member_card(ctx.t, member), views.member_kb(ctx.t, member))


async def _set_role(query: CallbackQuery, ctx: Ctx, member_id: int, role: TeamRole) -> None:
    member = await membership.set_role(ctx.session, ctx.manager, member_id, role, ctx.now)
    await query.answer()
    key = "team-role-head" if role == TeamRole.HEAD else "team-role-manager"
    await ctx.edit(ctx.t(key, name=display_name(member)), views.member_kb(ctx.t, member))


async def on_make_head(query: CallbackQuery, callback_data: TeamCb, ctx: Ctx) -> None:
    await _set_role(query, ctx, callback_data.id, TeamRole.HEAD)


async def on_make_manager(query: CallbackQuery, callback_data: TeamCb, ctx: Ctx) -> None:
    await _set_role(query, ctx, callback_data.id, TeamRole.MANAGER)


async def on_remove_ask(query: CallbackQuery, callback_data: TeamCb, ctx: Ctx) -> None:
    member = await membership.member_of_my_team(ctx.session, ctx.manager, callback_data.id)
    counts = await membership.client_counts(ctx.session, ctx.manager)
    await query.answer()
    await ctx.edit(
        ctx.t("team-remove-ask", name=display_name(member), clients=counts.get(member.id, 0)),
        views.confirm_kb(ctx.t, "team-remove-confirm-button", TeamAction.REMOVE, member.id),
    )


async def on_remove(query: CallbackQuery, callback_data: TeamCb, ctx: Ctx) -> None:
    team, _ = await membership.members(ctx.session, ctx.manager)
    team_name = team.name
    member, moved = await membership.remove(ctx.session, ctx.manager, callback_data.id, ctx.now)
    await query.answer()
    name = display_name(member)
    await ctx.edit(ctx.t("team-removed", name=name, clients=moved.client_count))
    await tell(ctx.bot, member, "team-you-were-removed", team=team_name)


async def on_leave(query: CallbackQuery, ctx: Ctx) -> None:
    moved = await membership.leave(ctx.session, ctx.manager, ctx.now)
    await query.answer()
    if moved is None:
        await ctx.edit(ctx.t("team-dissolved"))
    else:
        await ctx.edit(ctx.t("team-left", clients=moved.client_count))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_team, Command("team"))
    router.message.register(
        on_join_link, CommandStart(deep_link=True, magic=F.args.startswith(JOIN_PREFIX))
    )
    actions: dict[TeamAction, Callable[..., Awaitable[None]]] = {
        TeamAction.JOIN: on_join,
        TeamAction.REVOKE: on_revoke,
        TeamAction.MEMBERS: on_members,
        TeamAction.MEMBER: on_member,
        TeamAction.MAKE_HEAD: on_make_head,
        TeamAction.MAKE_MANAGER: on_make_manager,
        TeamAction.REMOVE_ASK: on_remove_ask,
        TeamAction.REMOVE: on_remove,
        TeamAction.LEAVE: on_leave,
    }
    for action, handler in actions.items():
        router.callback_query.register(handler, TeamCb.filter(F.action == action))
    return router
