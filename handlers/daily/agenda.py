"""/today (the morning digest on demand) and /birthdays (the next 30 days)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.context import Ctx
from bot.services.crm import agenda as agenda_service
from bot.views.agenda import agenda_message, birthday_line


async def on_today(message: Message, ctx: Ctx) -> None:
    now = ctx.now
    agenda = await agenda_service.today(ctx.session, ctx.manager, now)
    if agenda.empty:
        pace = f"\n\n{agenda.pace}" if agenda.pace else ""
        await message.answer(ctx.t("today-empty") + pace)
        return
    text, markup = agenda_message(ctx.t, ctx.manager, agenda, now)
    await message.answer(text, reply_markup=markup)


async def on_birthdays(message: Message, ctx: Ctx) -> None:
    items = await agenda_service.birthdays(ctx.session, ctx.manager, ctx.now)
    if not items:
        await message.answer(ctx.t("birthdays-empty"))
        return
    lines = [ctx.t("birthdays-title", count=len(items))]
    lines.extend(birthday_line(ctx.t, ctx.manager.language, b) for b in items[:50])
    await message.answer("\n".join(lines))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_today, Command("today"))
    router.message.register(on_birthdays, Command("birthdays"))
    return router
