"""The per-update context: what a handler needs to read and reply, in one typed object.

Built once per update by ``ContextMiddleware`` (the innermost outer middleware, after the
manager, the sandbox switch and the translator are known), so a handler reads
``async def on_call(message: Message, command: CommandObject, ctx: Ctx)`` and passes ``ctx`` to
its helpers instead of threading ``bot, t, session, manager, state, clock`` by hand. Services
never see it: they keep taking plain values (``ctx.session, ctx.manager, ctx.now``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message, TelegramObject, Update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import Translator
from bot.services.clock import Clock
from bot.views.replies import edit_or_send
from storage.models import Manager

Markup = InlineKeyboardMarkup | None


@dataclass(slots=True)
class Ctx:
    bot: Bot
    session: AsyncSession
    manager: Manager  # the sandbox row inside /demo
    t: Translator
    state: FSMContext
    clock: Clock
    chat_id: int
    # The message a button was pressed on: what ``edit`` changes. None for a typed message.
    message_id: int | None = None
    # WEBAPP_URL: set, the chat's replies carry buttons that open the Mini App (issue 14).
    webapp_url: str | None = None

    @property
    def now(self) -> datetime:
        return self.clock.now()

    async def send(self, text: str, reply_markup: Markup = None) -> Message:
        return await self.bot.send_message(self.chat_id, text, reply_markup=reply_markup)

    async def edit(self, text: str, reply_markup: Markup = None) -> None:
        """Edits the pressed message, or sends a new one when it can no longer be edited."""
        await edit_or_send(self.bot, self.chat_id, self.message_id, text, reply_markup)


class ContextMiddleware(BaseMiddleware):
    async def __call__(self, handler: Any, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        chat = data.get("event_chat")
        user = data.get("event_from_user")
        pressed = event.callback_query.message if event.callback_query is not None else None
        settings = data.get("settings")  # the dispatcher's workflow data
        chat_id = chat.id if chat is not None else user.id if user is not None else None
        if "manager" in data and chat_id is not None:
            data["ctx"] = Ctx(
                bot=data["bot"],
                session=data["session"],
                manager=data["manager"],
                t=data["t"],
                state=data["state"],
                clock=data["clock"],
                chat_id=chat_id,
                message_id=pressed.message_id if pressed is not None else None,
                webapp_url=settings.webapp_url if isinstance(settings, Settings) else None,
            )
        return await handler(event, data)
