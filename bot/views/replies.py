"""Editing a shown message robustly: taps on old or unchanged messages must not fail."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InlineKeyboardMarkup

log = logging.getLogger(__name__)


async def edit_or_send(
    bot: Bot,
    chat_id: int,
    message_id: int | None,
    text: str,
    reply_markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Edits the message; sends a new one when it can no longer be edited.

    Pressing the same button twice asks for an edit to identical content, which Telegram
    refuses with "message is not modified": the screen is already right, so nothing to do.
    """
    if message_id is not None:
        try:
            await bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, reply_markup=reply_markup
            )
            return
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return
            log.info("cannot edit message %s in chat %s: %s", message_id, chat_id, exc.message)
    await bot.send_message(chat_id, text, reply_markup=reply_markup)
