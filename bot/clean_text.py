"""Removes control characters from incoming message text before anything reads or stores it.

PostgreSQL refuses NUL in text ("invalid byte sequence for encoding UTF8: 0x00") and the other
C0 controls are invisible noise in a client's history; SQLite would keep them. Telegram's own
apps never send them, but the Bot API accepts them from anyone. Tab, CR and LF stay.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, MessageEntity, TelegramObject, Update

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _shift(entities: list[MessageEntity] | None, text: str) -> list[MessageEntity] | None:
    """Entities count UTF-16 units: each removed control (one unit) moves later offsets back."""
    if not entities:
        return entities
    removed = [_utf16_len(text[: m.start()]) for m in _CONTROLS.finditer(text)]
    shifted = []
    for entity in entities:
        end = entity.offset + entity.length
        before = sum(1 for p in removed if p < entity.offset)
        inside = sum(1 for p in removed if entity.offset <= p < end)
        if entity.length - inside > 0:
            shifted.append(
                entity.model_copy(
                    update={"offset": entity.offset - before, "length": entity.length - inside}
                )
            )
    return shifted


def clean_message(message: Message) -> Message:
    changes: dict[str, Any] = {}
    if message.text and _CONTROLS.search(message.text):
        changes["text"] = _CONTROLS.sub("", message.text)
        changes["entities"] = _shift(message.entities, message.text)
    if message.caption and _CONTROLS.search(message.caption):
        changes["caption"] = _CONTROLS.sub("", message.caption)
        changes["caption_entities"] = _shift(message.caption_entities, message.caption)
    return message.model_copy(update=changes) if changes else message


class CleanTextMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Update) and event.message is not None:
            message = clean_message(event.message)
            if message is not event.message:
                event = event.model_copy(update={"message": message})
                data["event_update"] = event
        return await handler(event, data)
