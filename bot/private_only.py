"""Group chats are public: personal data is served in a private chat only.

One outer middleware, ahead of the database session, so an update from a group, supergroup or
channel never reaches a handler, never registers a manager and writes nothing. /start and /help
get a short hint with a button that opens the private chat; a button pressed under a message in
a group gets a short alert; everything else is ignored.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.enums import ChatType
from aiogram.types import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
    Update,
    User,
)

from bot.config import Settings
from bot.i18n import Translator, pick_language, translator

log = logging.getLogger(__name__)
HINTED_COMMANDS = frozenset({"start", "help"})


def _command(message: Message, username: str | None) -> str | None:
    """The command of "/help" or "/help@our_bot"; None for text or another bot's command."""
    name, _, mention = (message.text or "/").split(maxsplit=1)[0][1:].partition("@")
    if mention and (username is None or mention.lower() != username.lower()):
        return None
    return name.lower()


class PrivateOnlyMiddleware(BaseMiddleware):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _t(self, data: dict[str, Any]) -> Translator:
        # No manager is looked up for a group: speak the sender's own language.
        user = data.get("event_from_user")
        code = user.language_code if isinstance(user, User) else None
        return translator(pick_language(code, self.settings.default_language))

    async def __call__(self, handler: Any, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat = data.get("event_chat")
        if not isinstance(chat, Chat) or chat.type == ChatType.PRIVATE:
            return await handler(event, data)
        assert isinstance(event, Update)
        bot: Bot = data["bot"]
        if event.callback_query is not None:
            await bot.answer_callback_query(
                event.callback_query.id, text=self._t(data)("private-only-alert"), show_alert=True
            )
            return None
        message = event.message or event.channel_post
        if message is None or not (message.text or "").startswith("/"):
            return None
        me = await bot.me()  # aiogram caches it: one getMe per process
        if _command(message, me.username) not in HINTED_COMMANDS:
            return None
        t = self._t(data)
        button = InlineKeyboardButton(
            text=t("private-only-button"), url=f"https://t.me/{me.username}"
        )
        await bot.send_message(
            chat.id,
            t("private-only-hint"),
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]]),
        )
        log.info("%s %s: offered the private chat", chat.type, chat.id)
        return None
