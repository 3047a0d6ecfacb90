"""CallbackData factories. callback_data carries short codes and ids, never text (64-byte cap)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class Flow:
    ONBOARDING = "o"
    SETTINGS = "s"


class PrefCb(CallbackData, prefix="p"):
    """A chosen value for one personal setting, in onboarding or in /settings."""

    field: str
    value: str
    flow: str


class SettingsCb(CallbackData, prefix="sm"):
    """Opens one item of the /settings menu."""

    item: str
