"""A test client in the spirit of aiogram_dialog's BotClient: send(text), click(button text).

Drives the real Dispatcher (middlewares, routers, filters) with feed_update; replies are read
from the recording session.
"""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiogram import Dispatcher
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import (
    CallbackQuery,
    Chat,
    Document,
    InlineKeyboardMarkup,
    Location,
    Message,
    MessageEntity,
    Update,
    User,
)

from tests.support import telegram_html
from tests.support.mocked_bot import MockedBot

_update_ids = itertools.count(1)


@dataclass
class Reply:
    """One message the bot showed: sent or edited, with its current inline keyboard."""

    message_id: int
    text: str
    markup: InlineKeyboardMarkup | None
    raw_markup: Any


class BotClient:
    def __init__(
        self,
        dp: Dispatcher,
        bot: MockedBot,
        *,
        user_id: int = 1001,
        language_code: str | None = "ru",
        first_name: str = "Анна",
        chat: Chat | None = None,
    ) -> None:
        self.dp = dp
        self.bot = bot
        self.user = User(
            id=user_id, is_bot=False, first_name=first_name, language_code=language_code
        )
        # A group chat (chat=Chat(id=-100…, type="supergroup")) for the private-only rules.
        self.chat = chat or Chat(id=user_id, type="private")
        self._message_ids = itertools.count(1)
        self.messages: dict[int, Reply] = {}

    # --- sending -------------------------------------------------------------------------
    def _message(self, **fields: Any) -> Message:
        return Message(
            message_id=next(self._message_ids),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.user,
            **fields,
        )

    async def feed(self, update: Update) -> list[TelegramMethod[Any]]:
        start = len(self.bot.session.requests)
        await self.dp.feed_update(self.bot, update)
        new = self.bot.session.requests[start:]
        self._track(new, self.bot.session.results[start:])
        return new

    async def send(self, text: str, *, update_id: int | None = None) -> list[TelegramMethod[Any]]:
        entities = None
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            entities = [MessageEntity(type="bot_command", offset=0, length=length)]
        message = self._message(text=text, entities=entities)
        uid = update_id if update_id is not None else next(_update_ids)
        return await self.feed(Update(update_id=uid, message=message))

    async def send_location(self, latitude: float, longitude: float) -> list[TelegramMethod[Any]]:
        message = self._message(location=Location(latitude=latitude, longitude=longitude))
        return await self.feed(Update(update_id=next(_update_ids), message=message))

    async def send_update(self, **fields: Any) -> list[TelegramMethod[Any]]:
        return await self.feed(Update(update_id=next(_update_ids), message=self._message(**fields)))

    async def send_document(
        self, content: bytes, file_name: str, mime_type: str = "text/csv"
    ) -> list[TelegramMethod[Any]]:
        file_id = f"doc{next(_update_ids)}"
        self.bot.session.files[file_id] = content
        document = Document(
            file_id=file_id,
            file_unique_id=file_id,
            file_name=file_name,
            mime_type=mime_type,
            file_size=len(content),
        )
        return await self.send_update(document=document)

    async def click(
        self, button: str, *, message_id: int | None = None
    ) -> list[TelegramMethod[Any]]:
        """Presses the newest inline button whose text equals (or else contains) `button`."""
        reply, data = self._find_button(button, message_id)
        return await self.press(data, message_id=reply.message_id)

    async def press(self, data: str, *, message_id: int | None = None) -> list[TelegramMethod[Any]]:
        """Sends raw callback data: also how a test forges a button."""
        target = self.messages.get(message_id) if message_id is not None else None
        # Telegram hands the message back as plain text plus entities, not as the HTML sent.
        text, entities = target.text if target else "…", None
        with contextlib.suppress(telegram_html.HtmlError):
            text, entities = telegram_html.parse(text)
        message = Message(
            message_id=message_id or 1,
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=User(id=self.bot.id, is_bot=True, first_name="KamBot"),
            text=text,
            entities=entities or None,
        )
        query = CallbackQuery(
            id=str(next(_update_ids)),
            from_user=self.user,
            chat_instance="ci",
            message=message,
            data=data,
        )
        return await self.feed(Update(update_id=next(_update_ids), callback_query=query))

    # --- reading -------------------------------------------------------------------------
    def _track(self, requests: list[TelegramMethod[Any]], results: list[Any]) -> None:
        for request, result in zip(requests, results, strict=True):
            if isinstance(request, SendMessage) and isinstance(result, Message):
                mid = result.message_id
                markup = (
                    request.reply_markup
                    if isinstance(request.reply_markup, InlineKeyboardMarkup)
                    else None
                )
                self.messages[mid] = Reply(mid, request.text, markup, request.reply_markup)
            elif isinstance(request, EditMessageText) and request.message_id in self.messages:
                old = self.messages[request.message_id]
                markup = (
                    request.reply_markup
                    if isinstance(request.reply_markup, InlineKeyboardMarkup)
                    else None
                )
                self.messages[request.message_id] = Reply(
                    old.message_id, request.text, markup, request.reply_markup
                )
            elif (
                isinstance(request, EditMessageReplyMarkup) and request.message_id in self.messages
            ):
                old = self.messages[request.message_id]
                self.messages[request.message_id] = Reply(
                    old.message_id, old.text, request.reply_markup, request.reply_markup
                )

    def _find_button(self, button: str, message_id: int | None) -> tuple[Reply, str]:
        candidates = (
            [self.messages[message_id]] if message_id else list(reversed(self.messages.values()))
        )
        for exact in (True, False):
            for reply in candidates:
                if reply.markup is None:
                    continue
                for row in reply.markup.inline_keyboard:
                    for b in row:
                        if b.callback_data and (b.text == button if exact else button in b.text):
                            return reply, b.callback_data
        shown = [
            b.text for r in candidates if r.markup for row in r.markup.inline_keyboard for b in row
        ]
        raise AssertionError(f"no button {button!r}; buttons shown: {shown}")

    @staticmethod
    def texts(requests: list[TelegramMethod[Any]]) -> list[str]:
        out: list[str] = []
        for r in requests:
            if isinstance(r, SendMessage | EditMessageText) or (
                isinstance(r, AnswerCallbackQuery) and r.text
            ):
                out.append(str(r.text))
        return out

    @property
    def last_text(self) -> str:
        return list(self.messages.values())[-1].text
