"""Serving an update inside the demo sandbox, and marking every reply sent while there.

The mark is added in one place, on the way out: a request middleware on the bot's session
prefixes the text (or caption) of every message sent or edited while the update is served in
the sandbox, and names exported files `…-demo-…`. Which update is "in the sandbox" travels in a
context variable, set only around the handler, so proactive sends (reminders, digests: other
tasks) are never marked and a reply of another user's update never is either.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import EditMessageText, SendDocument, SendMessage, SendPhoto
from aiogram.methods.base import Response, TelegramMethod, TelegramType
from aiogram.types import BufferedInputFile, TelegramObject
from sqlalchemy import inspect

from bot.i18n import translator
from bot.services.clock import Clock
from bot.services.sample import demo as demo_service
from storage.models import Manager

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


@dataclass(frozen=True, slots=True)
class _Scope:
    sandbox: Manager
    language: str  # as the update began

    def mark(self) -> str:
        # Read without a lazy load: after a language change inside the demo the mark follows
        # at once; after a rollback (attributes expired) the language the update began with.
        language = inspect(self.sandbox).dict.get("language", self.language)
        return mark_text(str(language))


_scope: ContextVar[_Scope | None] = ContextVar("kambot_demo_scope", default=None)


def mark_text(language: str) -> str:
    # Plain text (no tags): valid whatever the parse mode of the message it goes on.
    return translator(language)("demo-mark")


def with_mark(text: str, mark: str) -> str:
    return text if text.startswith(mark) else f"{mark}\n{text}"


def suppress() -> None:
    """The rest of this update is no longer in the demo (the user just left or deleted it)."""
    _scope.set(None)


def _demo_file_name(name: str) -> str:
    return (
        name.replace("kambot-", "kambot-demo-", 1)
        if name.startswith("kambot-")
        else (f"demo-{name}")
    )


def marked(method: TelegramMethod[Any], mark: str) -> TelegramMethod[Any]:
    """A copy of the request with the demo mark; requests that show no text pass unchanged."""
    if isinstance(method, SendMessage | EditMessageText):
        if not method.text or len(method.text) + len(mark) + 1 > TEXT_LIMIT:
            return method  # a full page stays sendable; the next reply carries the mark
        return method.model_copy(update={"text": with_mark(method.text, mark)})
    if isinstance(method, SendDocument | SendPhoto):
        caption = method.caption or ""
        update: dict[str, Any] = {}
        if len(caption) + len(mark) + 1 <= CAPTION_LIMIT:
            update["caption"] = with_mark(caption, mark) if caption else mark
        document = getattr(method, "document", None)
        if isinstance(document, BufferedInputFile) and document.filename:
            update["document"] = BufferedInputFile(
                document.data, filename=_demo_file_name(document.filename)
            )
        return method.model_copy(update=update)
    return method


class DemoMarkMiddleware(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        scope = _scope.get()
        if scope is not None:
            method = marked(method, scope.mark())
        return await make_request(bot, method)


def install(bot: Bot) -> None:
    """Once per bot session; costs nothing for updates outside the sandbox."""
    if not any(isinstance(m, DemoMarkMiddleware) for m in bot.session.middleware):
        bot.session.middleware(DemoMarkMiddleware())


async def serve_in_sandbox(
    handler: Handler, event: TelegramObject, data: dict[str, Any], clock: Clock
) -> Any:
    """The manager is in the demo: the handler gets the sandbox row as `manager` (the real one
    stays in `real_manager`) and every reply is marked."""
    real: Manager = data["real_manager"]
    session = data["session"]
    sandbox = await demo_service.sandbox_of(session, real)
    if sandbox is None:  # deleted meanwhile (from the command line): back to real data
        await demo_service.leave(session, real)
        return await handler(event, data)
    data["manager"] = sandbox
    install(data["bot"])
    token = _scope.set(_Scope(sandbox, sandbox.language))
    try:
        result = await handler(event, data)
        await demo_service.mirror_back(session, sandbox, real, clock.now())
        return result
    finally:
        _scope.reset(token)
