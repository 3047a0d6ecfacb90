"""Domain errors answered in one place: a handler lets ``NotFound`` and ``Refused`` (and their
kinds) rise, and the user gets the alert (a button) or the reply (a message) its ``key`` names.

An inner middleware on messages and button presses rather than an aiogram errors router: the
outer error boundary (bot/middlewares.py) must stay the outermost catch-all, so that anything
unexpected still gets the apology with a reference code and the update is still recorded as
handled; a domain error is not unexpected and never reaches it.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.i18n import Translator
from bot.services.errors import NotFound, Refused

log = logging.getLogger(__name__)


class DomainErrorsMiddleware(BaseMiddleware):
    async def __call__(self, handler: Any, event: TelegramObject, data: dict[str, Any]) -> Any:
        try:
            return await handler(event, data)
        except NotFound as exc:
            t: Translator = data["t"]
            log.info("%s: %s", type(exc).__name__, exc)
            if isinstance(event, CallbackQuery):
                await event.answer(t(exc.key), show_alert=True)
            elif isinstance(event, Message):
                # The dialog was about something that is gone: leave it.
                state: FSMContext | None = data.get("state")
                if state is not None:
                    await state.set_state(None)
                await event.answer(t(exc.key))
            return None
        except Refused as exc:
            t = data["t"]
            log.info("refused: %s %s", exc.key, exc.fields)
            text = t(exc.key, **exc.fields)
            if isinstance(event, CallbackQuery):
                await event.answer(text[:200], show_alert=True)
            elif isinstance(event, Message):
                await event.answer(text)
            return None


def register(dp: Dispatcher) -> None:
    middleware = DomainErrorsMiddleware()
    dp.message.middleware(middleware)
    dp.callback_query.middleware(middleware)
