"""Buttons that open the Mini App (issue 14) from the chat: under /kpi, under a client card and
in the morning digest. Views shared by handlers and the notifier, so they live in bot/views."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from aiogram.types import InlineKeyboardButton, WebAppInfo

from bot.i18n import Translator


def webapp_link(base: str, **params: str) -> str:
    """WEBAPP_URL with `params` in its query string.

    Telegram opens a web_app button's URL as given and puts its own data (initData, theme) in
    the fragment, so where to open travels in the query, merged with any query WEBAPP_URL
    already has (a key of ours replaces the same key there, the rest is kept as it was).
    """
    parts = urlsplit(base)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return urlunsplit(parts._replace(query=urlencode([*kept, *params.items()])))


def webapp_button(t: Translator, key: str, base: str, **params: str) -> InlineKeyboardButton:
    # web_app buttons work in private chats only: the bot answers nowhere else (private_only).
    return InlineKeyboardButton(text=t(key), web_app=WebAppInfo(url=webapp_link(base, **params)))
