"""Telegram Mini App ``initData``: who is asking, as signed by Telegram.

The signature check is aiogram's ``safe_parse_webapp_init_data``, which follows Telegram's
"Validating data received via the Mini App": secret_key = HMAC_SHA256("WebAppData", bot_token),
hash = hex HMAC_SHA256(secret_key, data_check_string), compared in constant time. What it does
not check is age: a valid initData stays valid for ever, so a leaked one would be replayable;
``auth_date`` older than the maximum age (or in the future beyond a little clock skew) is refused.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from aiogram.utils.web_app import safe_parse_webapp_init_data

CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock plays no part, but Telegram's and ours may


class InvalidInitData(Exception):
    """Forged, tampered, expired or without a user: the caller answers 401, whichever it was."""


def telegram_user_id(init_data: str, bot_token: str, now: datetime, max_age: timedelta) -> int:
    """The Telegram user id of a genuine, fresh initData; InvalidInitData otherwise."""
    try:
        parsed = safe_parse_webapp_init_data(bot_token, init_data)
    except ValueError as exc:  # also pydantic's ValidationError on a signed but odd payload
        raise InvalidInitData("bad signature or payload") from exc
    signed_at = parsed.auth_date
    if signed_at.tzinfo is None:  # aiogram reads the unix time as aware UTC; never trust naive
        raise InvalidInitData("auth_date without a timezone")
    if now - signed_at > max_age:
        raise InvalidInitData("expired")
    if signed_at - now > CLOCK_SKEW:
        raise InvalidInitData("auth_date in the future")
    if parsed.user is None:
        raise InvalidInitData("no user")
    return parsed.user.id
