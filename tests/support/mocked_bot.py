"""A Bot whose session records every request instead of calling Telegram.

The pattern of aiogram's own tests/mocked_bot.py, with sensible default answers so a test only
queues a response when it wants something special (an error, a particular file).
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType

from tests.support import telegram_html

BOT_ID = 4242424
BOT_TOKEN = f"{BOT_ID}:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ"
MESSAGE_RESULT_METHODS = {
    "sendMessage",
    "editMessageText",
    "editMessageReplyMarkup",
    "sendDocument",
    "sendPhoto",
    "sendLocation",
}


@dataclass
class QueuedError:
    status: int
    description: str
    retry_after: int | None = None


class RecordingSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[TelegramMethod[Any]] = []
        # results[i] answers requests[i]; None where the request failed.
        self.results: list[Any] = []
        self._errors: dict[str, deque[QueuedError]] = defaultdict(deque)
        self._message_ids: dict[int, int] = defaultdict(lambda: 100)
        # Files users "uploaded": file_id -> bytes, served by getFile + download.
        self.files: dict[str, bytes] = {}
        # Opt-in: refuse malformed HTML the way Telegram does ("can't parse entities").
        self.strict_html = False

    def fail_next(
        self,
        api_method: str,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `api_method` fail: 500/502 raise TelegramServerError,
        429 with retry_after raises TelegramRetryAfter, as aiogram maps Telegram's answers."""
        for _ in range(times):
            self._errors[api_method].append(QueuedError(status, description, retry_after))

    def clear_failures(self) -> None:
        self._errors.clear()

    async def close(self) -> None:
        return None

    async def stream_content(
        self, url: str, *args: Any, **kwargs: Any
    ) -> AsyncGenerator[bytes, None]:
        file_id = url.rsplit("/", 1)[-1]
        yield self.files[file_id]

    def _message(self, bot: Bot, method: TelegramMethod[Any]) -> dict[str, Any]:
        chat_id = int(getattr(method, "chat_id", 0) or 0)
        existing = getattr(method, "message_id", None)
        if existing is None:
            self._message_ids[chat_id] += 1
        message: dict[str, Any] = {
            "message_id": existing or self._message_ids[chat_id],
            "date": 1_700_000_000,
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "KamBot"},
        }
        text = getattr(method, "text", None)
        if isinstance(text, str):
            message["text"] = text
        markup = getattr(method, "reply_markup", None)
        if markup is not None and getattr(markup, "inline_keyboard", None) is not None:
            message["reply_markup"] = markup.model_dump(mode="json", exclude_none=True)
        return message

    def _result(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        name = method.__api_method__
        if name in MESSAGE_RESULT_METHODS:
            return self._message(bot, method)
        if name == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "KamBot",
                "username": "kam_test_bot",
            }
        if name in {"getMyCommands", "getUpdates"}:
            return []
        if name == "getFile":
            file_id = str(getattr(method, "file_id", ""))
            return {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_size": len(self.files.get(file_id, b"")),
                "file_path": f"documents/{file_id}",
            }
        return True

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - BaseSession's signature
    ) -> TelegramType:
        self.requests.append(method)
        self.results.append(None)
        text = getattr(method, "text", None)
        if self.strict_html and isinstance(text, str) and getattr(method, "parse_mode", 1):
            try:
                telegram_html.parse(text)
            except telegram_html.HtmlError as exc:
                error = f"Bad Request: can't parse entities: {exc}"
                self._errors[method.__api_method__].appendleft(QueuedError(400, error))
        queued = self._errors.get(method.__api_method__)
        if queued:
            error = queued.popleft()
            body: dict[str, Any] = {
                "ok": False,
                "error_code": error.status,
                "description": error.description,
            }
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
            self.check_response(bot, method, error.status, json.dumps(body))
        content = json.dumps({"ok": True, "result": self._result(bot, method)})
        response = self.check_response(bot, method, 200, content)
        self.results[-1] = response.result
        return response.result  # type: ignore[return-value]


class MockedBot(Bot):
    session: RecordingSession

    def __init__(self) -> None:
        super().__init__(
            BOT_TOKEN,
            session=RecordingSession(),
            default=DefaultBotProperties(parse_mode=ParseMode.HTML),
        )
