"""A word to another member (joined, removed, clients received): best effort, never fatal.

The action is committed before this is sent; a member who blocked the bot or never opened it
must not turn a done action into an error for the one who did it. The text is in the
member's own language, not the sender's.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.i18n import translator
from storage.models import Manager

log = logging.getLogger(__name__)


async def tell(bot: Bot, member: Manager, key: str, **fields: Any) -> bool:
    try:
        await bot.send_message(member.telegram_id, translator(member.language)(key, **fields))
    except TelegramAPIError as exc:
        log.info("could not tell manager %s: %s", member.id, exc)
        return False
    return True
