"""Factories: bot, dispatcher, commands menu. Nothing here runs at import time."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import (
    BotCommand,
    BotCommandScopeDefault,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.fsm_storage import BoundedMemoryStorage
from bot.i18n import LANGUAGES, translator
from bot.inline_filters import run_filters_inline
from bot.middlewares import InFlight, register_middlewares
from bot.services.clock import Clock, SystemClock
from handlers import errors as handler_errors
from handlers import get_routers

_PINNED: tuple[type, ...] = ()
MENU_COMMANDS = (
    "today",
    "call",
    "log",
    "sale",
    "kpi",
    "note",
    "brief",
    "client",
    "clients",
    "contact",
    "notes",
    "birthdays",
    "plan",
    "request",
    "review",
    "undo",
    "import",
    "export",
    "team",
    "handover",
    "privacy",
    "forget",
    "demo",
    "settings",
    "help",
    "cancel",
    "start",
)


def pin_response_types() -> tuple[type, ...]:
    """Builds aiogram's Response[T] models once and keeps them alive.

    aiogram parses every answer with ``Response[method.__returning__]``; pydantic caches those
    generic models only weakly, so the garbage collector keeps dropping them and each rebuild
    costs ~10 ms of CPU on a reply (measured in bench/bench_logging.py).
    """
    from aiogram import methods
    from aiogram.methods.base import Response

    used = (
        methods.SendMessage,
        methods.EditMessageText,
        methods.EditMessageReplyMarkup,
        methods.AnswerCallbackQuery,
        methods.SendDocument,
        methods.SendPhoto,
        methods.GetUpdates,
        methods.GetMe,
        methods.GetFile,
        methods.SetMyCommands,
        methods.DeleteWebhook,
        methods.SetWebhook,
        methods.DeleteMessage,
    )
    return tuple(Response[m.__returning__] for m in used)  # type: ignore[name-defined]


def create_bot(settings: Settings) -> Bot:
    session = None
    if settings.telegram_api_url:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    global _PINNED
    _PINNED = _PINNED or pin_response_types()
    return Bot(
        token=settings.token_value,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_fsm_storage(settings: Settings) -> BaseStorage:
    if settings.redis_url:
        from aiogram.fsm.storage.base import DefaultKeyBuilder
        from aiogram.fsm.storage.redis import RedisStorage

        # with_destiny: bot/reply_guard.py keeps its record under a key of its own destiny.
        return RedisStorage.from_url(
            settings.redis_url, key_builder=DefaultKeyBuilder(with_destiny=True)
        )
    # Not aiogram's MemoryStorage: that one keeps a record for every user ever seen.
    return BoundedMemoryStorage()


def create_dispatcher(
    settings: Settings,
    session_pool: async_sessionmaker[AsyncSession],
    *,
    clock: Clock | None = None,
    storage: BaseStorage | None = None,
    in_flight: InFlight | None = None,
) -> Dispatcher:
    clock = clock or SystemClock()
    in_flight = in_flight or InFlight()
    dp = Dispatcher(
        storage=storage or create_fsm_storage(settings),
        settings=settings,
        session_pool=session_pool,
        clock=clock,
        in_flight=in_flight,
    )
    register_middlewares(
        dp, settings=settings, session_pool=session_pool, clock=clock, in_flight=in_flight
    )
    handler_errors.register(dp)
    dp.include_routers(*get_routers())
    run_filters_inline(dp)
    return dp


async def set_commands(bot: Bot, default_language: str) -> None:
    for lang in LANGUAGES:
        t = translator(lang)
        commands = [BotCommand(command=c, description=t(f"cmd-{c}")) for c in MENU_COMMANDS]
        await bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=lang)
    t = translator(default_language)
    await bot.set_my_commands(
        [BotCommand(command=c, description=t(f"cmd-{c}")) for c in MENU_COMMANDS],
        scope=BotCommandScopeDefault(),
    )


async def set_menu_button(bot: Bot, webapp_url: str | None, default_language: str) -> None:
    """The chat's menu button opens the Mini App when WEBAPP_URL is set; unset, it is Telegram's
    default again, so turning the Mini App off removes the button a previous start put there."""
    if webapp_url:
        text = translator(default_language)("webapp-menu-button")
        button: MenuButtonWebApp | MenuButtonDefault = MenuButtonWebApp(
            text=text, web_app=WebAppInfo(url=webapp_url)
        )
    else:
        button = MenuButtonDefault()
    await bot.set_chat_menu_button(menu_button=button)
