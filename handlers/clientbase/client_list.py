"""/clients: the base page by page, with filters: overdue, key accounts, archive, by tag."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.context import Ctx
from bot.services.crm import clients as client_service
from handlers.callbacks import ListCb
from handlers.clientbase import client_views as views

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
    ctx: Ctx, kind: str, page: int, tag: str | None, tag_index: int, *, edit: bool
) -> None:
    flt = client_service.ListFilter(kind=kind, tag=tag)
    result = await client_service.list_page(ctx.session, ctx.manager, flt, page, ctx.now)
    # The tag buttons carry an index into this list, not the tag text (64-byte callback cap).
    tags = [name for name, _ in result.tags]
    if tag is not None:
        if tag not in tags:
            tags.append(tag)
        tag_index = tags.index(tag)
    await ctx.state.update_data(list_tags=tags)
    text = views.list_text(ctx.t, result, kind, tag)
    markup = views.list_kb(ctx.t, result, kind, tag_index)
    if edit:
        await ctx.edit(text, markup)
    else:
        await ctx.send(text, markup)


async def on_clients(message: Message, command: CommandObject, ctx: Ctx) -> None:
    arg = (command.args or "").strip().casefold()
    kind, tag = "all", None
    if arg.startswith("#") and len(arg) > 1:
        kind, tag = "tag", arg[1:64]
    elif arg:
        kind = FILTER_WORDS.get(arg, "all")
    await _render(ctx, kind, 0, tag, -1, edit=False)


async def on_list_page(query: CallbackQuery, callback_data: ListCb, ctx: Ctx) -> None:
    kind, tag, index = callback_data.view, None, callback_data.tag
    if kind not in {"all", "overdue", "key", "archived", "tag"}:
        await query.answer(ctx.t("callback-outdated"), show_alert=True)
        return
    if kind == "tag":
        tags = (await ctx.state.get_data()).get("list_tags") or []
        if not 0 <= index < len(tags):
            await query.answer(ctx.t("callback-outdated"), show_alert=True)
            return
        tag = str(tags[index])
    await query.answer()
    await _render(ctx, kind, callback_data.page, tag, index, edit=True)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_clients, Command("clients"))
    router.callback_query.register(on_list_page, ListCb.filter())
    return router
