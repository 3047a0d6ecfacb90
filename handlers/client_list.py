"""/clients: the base page by page, with filters: overdue, key accounts, archive, by tag."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services import clients as client_service
from bot.services.clock import Clock
from handlers import client_views as views
from handlers.callbacks import ListCb
from handlers.replies import edit_or_send
from storage.clients import ListFilter
from storage.models import Manager

FILTER_WORDS = {
    "overdue": "overdue",
    "просрочен": "overdue",
    "просроченные": "overdue",
    "⚠️": "overdue",
    "key": "key",
    "ключевые": "key",
    "ключевой": "key",
    "🔑": "key",
    "archive": "archived",
    "archived": "archived",
    "архив": "archived",
    "all": "all",
    "все": "all",
}


async def _render(
    bot: Bot,
    chat_id: int,
    message_id: int | None,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
    kind: str,
    page: int,
    tag: str | None,
    tag_index: int,
) -> None:
    flt = ListFilter(kind=kind, tag=tag)
    result = await client_service.list_page(session, manager, flt, page, clock.now())
    # The tag buttons carry an index into this list, not the tag text (64-byte callback cap).
    tags = [name for name, _ in result.tags]
    if tag is not None:
        if tag not in tags:
            tags.append(tag)
        tag_index = tags.index(tag)
    await state.update_data(list_tags=tags)
    await edit_or_send(
        bot,
        chat_id,
        message_id,
        views.list_text(t, result, kind, tag),
        views.list_kb(t, result, kind, tag_index),
    )


async def on_clients(
    message: Message,
    command: CommandObject,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    arg = (command.args or "").strip().casefold()
    kind, tag = "all", None
    if arg.startswith("#") and len(arg) > 1:
        kind, tag = "tag", arg[1:64]
    elif arg:
        kind = FILTER_WORDS.get(arg, "all")
    await _render(bot, message.chat.id, None, t, session, manager, state, clock, kind, 0, tag, -1)


async def on_list_page(
    query: CallbackQuery,
    callback_data: ListCb,
    bot: Bot,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    kind, tag, index = callback_data.view, None, callback_data.tag
    if kind not in {"all", "overdue", "key", "archived", "tag"}:
        await query.answer(t("callback-outdated"), show_alert=True)
        return
    if kind == "tag":
        tags = (await state.get_data()).get("list_tags") or []
        if not 0 <= index < len(tags):
            await query.answer(t("callback-outdated"), show_alert=True)
            return
        tag = str(tags[index])
    await query.answer()
    message_id = query.message.message_id if query.message is not None else None
    await _render(
        bot,
        query.from_user.id,
        message_id,
        t,
        session,
        manager,
        state,
        clock,
        kind,
        callback_data.page,
        tag,
        index,
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_clients, Command("clients"))
    router.callback_query.register(on_list_page, ListCb.filter())
    return router
