"""The last router: whatever nobody else took gets a helpful hint, never silence."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator

log = logging.getLogger(__name__)


async def on_unknown_command(message: Message, t: Translator) -> None:
    assert message.text is not None
    command = message.text.split(maxsplit=1)[0][:64]
    await message.answer(t("unknown-command", command=command))


async def on_stray_text(message: Message, t: Translator) -> None:
    await message.answer(t("stray-text"))


async def on_other_content(message: Message, t: Translator) -> None:
    await message.answer(t("unsupported-content"))


async def on_unknown_callback(query: CallbackQuery, t: Translator) -> None:
    # Old keyboards after an update, or forged data: say so instead of spinning forever.
    log.warning(
        "unknown callback data %r from user %s", (query.data or "")[:64], query.from_user.id
    )
    await query.answer(t("callback-outdated"), show_alert=True)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_unknown_command, F.text.startswith("/"))
    router.message.register(on_stray_text, F.text)
    router.message.register(on_other_content)
    router.callback_query.register(on_unknown_callback)
    return router
