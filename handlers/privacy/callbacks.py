"""Button data of /privacy and /forget (prefixes "pv" and "fg", unused elsewhere)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id, OptionalId


class PrivacyAction(StrEnum):
    EXPORT = "x"
    DELETE = "d"
    KEEP = "k"


class PrivacyCb(CallbackData, prefix="pv"):
    """``id`` and ``since``: the account the buttons were shown to. After it is deleted, the
    same Telegram user is a new account, and an old button says so instead of acting. The id
    alone is not enough: SQLite gives a deleted highest id to the next row."""

    action: PrivacyAction
    id: Id
    since: OptionalId  # the account's registration moment (see account_stamp)


class ForgetAction(StrEnum):
    PICK = "p"
    ERASE = "e"
    CANCEL = "c"


class ForgetCb(CallbackData, prefix="fg"):
    action: ForgetAction
    id: Id  # the contact
