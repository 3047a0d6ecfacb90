"""/undo: takes back the newest thing done within ten minutes; again, the one before it."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.context import Ctx
from bot.i18n import Translator
from bot.services.history.undo import Undone, undo_last


def undone_text(t: Translator, undone: Undone) -> str:
    args = dict(undone.args)
    fields = args.pop("fields", None)
    if isinstance(fields, list):
        args["fields"] = ", ".join(t(f"undone-field-{name}") for name in fields)
    lines = [t(f"undone-{undone.kind}", **args)]
    if undone.kind.startswith("plan") and args.get("client"):
        lines[0] += " · " + t("undone-for-client", client=args["client"])
    if args.get("text"):
        lines.append(t("undone-text", text=args["text"]))
    if undone.more:
        lines.append(t("undone-more"))
    return "\n".join(lines)


async def on_undo(message: Message, ctx: Ctx) -> None:
    undone = await undo_last(ctx.session, ctx.manager, ctx.now)
    if undone is None:
        await message.answer(ctx.t("undone-nothing"))
        return
    await message.answer(undone_text(ctx.t, undone))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_undo, Command("undo"))
    return router
