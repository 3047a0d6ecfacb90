"""What a team action can refuse, each with the i18n key of its answer."""

from __future__ import annotations

from bot.services.errors import NotFound, Refused


class TeamProblem(Refused):
    """A team action that cannot be done as asked (answered by handlers/errors.py)."""


class NotInTeam(NotFound):
    key = "team-none"


class NotAHead(NotFound):
    """Only a head may do this: asked by a member, a former head or a stranger alike."""

    key = "team-head-only"


class MemberNotFound(NotFound):
    key = "team-member-not-found"


class InviteNotFound(NotFound):
    key = "team-invite-not-found"
