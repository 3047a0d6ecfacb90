"""Texts and keyboards of team membership: invites, the join offer, members, confirmations."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from bot.services.teams.membership import JoinOffer
from bot.services.teams.people import display_name
from bot.views.formatting import when_label
from handlers.callbacks import TeamAction, TeamCb
from storage.enums import TeamRole
from storage.models import Manager, TeamInvite


def _button(text: str, action: TeamAction, id_: int = 0, value: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=TeamCb(action=action, id=id_, value=value).pack()
    )


def invite_kind(invite: TeamInvite) -> str:
    return "single" if invite.single_use else "many"


def until(t: Translator, invite: TeamInvite, manager: Manager, now: datetime) -> str:
    return when_label(t, invite.expires_at, manager, now, with_time=True)


def invites_text(t: Translator, invites: list[TeamInvite], manager: Manager, now: datetime) -> str:
    if not invites:
        return t("team-invites-none")
    lines = [t("team-invites-title")]
    for invite in invites:
        line = t(
            "team-invite-line",
            kind=invite_kind(invite),
            until=until(t, invite, manager, now),
            used=invite.used_count,
        )
        lines.append(f"• {line}")
    return "\n".join(lines)


def invites_kb(
    t: Translator, invites: list[TeamInvite], manager: Manager, now: datetime
) -> InlineKeyboardMarkup | None:
    if not invites:
        return None
    builder = InlineKeyboardBuilder()
    for invite in invites:
        label = t("team-invite-revoke-button", until=until(t, invite, manager, now))
        builder.row(_button(label, TeamAction.REVOKE, invite.id))
    return builder.as_markup()


def join_offer_text(t: Translator, offer: JoinOffer) -> str:
    return t(
        "team-join-offer",
        team=offer.team_name,
        head=offer.head_name or "none",
        clients=offer.personal_clients,
    )


def join_kb(t: Translator, offer: JoinOffer, token: str) -> InlineKeyboardMarkup:
    if offer.personal_clients == 0:
        buttons = [[_button(t("team-join-button"), TeamAction.JOIN, 1, token)]]
    else:
        buttons = [
            [_button(t("team-join-bring-button"), TeamAction.JOIN, 1, token)],
            [_button(t("team-join-keep-button"), TeamAction.JOIN, 0, token)],
        ]
    return InlineKeyboardMarkup(inline_keyboard=buttons)


def members_text(
    t: Translator, team_name: str, members: list[Manager], counts: dict[int, int]
) -> str:
    lines = [t("team-members-title", team=team_name)]
    for member in members:
        lines.append(
            t(
                "team-member-line",
                role=member.role.value,
                name=display_name(member),
                clients=counts.get(member.id, 0),
            )
        )
    return "\n".join(lines)


def members_kb(members: list[Manager], me: Manager) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for member in members:
        if member.id != me.id:
            builder.row(_button(display_name(member), TeamAction.MEMBER, member.id))
    return builder.as_markup()


def member_card(t: Translator, member: Manager) -> str:
    return t("team-member-card", role=member.role.value, name=display_name(member))


def member_kb(t: Translator, member: Manager) -> InlineKeyboardMarkup:
    if member.role == TeamRole.HEAD:
        role = _button(t("team-make-manager-button"), TeamAction.MAKE_MANAGER, member.id)
    else:
        role = _button(t("team-make-head-button"), TeamAction.MAKE_HEAD, member.id)
    remove = _button(t("team-remove-button"), TeamAction.REMOVE_ASK, member.id)
    return InlineKeyboardMarkup(inline_keyboard=[[role], [remove]])


def confirm_kb(t: Translator, yes: str, action: TeamAction, id_: int = 0) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(t(yes), action, id_)],
            [_button(t("team-cancel-button"), TeamAction.MEMBERS)],
        ]
    )


def heads_line(members: list[Manager]) -> str:
    return ", ".join(display_name(m) for m in members if m.role == TeamRole.HEAD)
