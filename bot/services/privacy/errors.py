"""What a data-rights action can refuse, each with the i18n key of its answer."""

from __future__ import annotations

from bot.services.errors import NotFound, Refused


class PrivacyRefused(Refused):
    """Answered by handlers/errors.py; the user can try again (after the export, say)."""


class AccountGone(NotFound):
    """An old confirmation of an account that is already deleted."""

    key = "privacy-delete-already"
