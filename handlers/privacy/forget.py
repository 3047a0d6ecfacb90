"""/forget <person>: erase one decision-maker's personal data on their request.

Found like /contact finds people; never guessed between two; always confirmed with what goes
and what stays. Acts on the base in use (inside the demo, the sample's people).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup

from bot.context import Ctx
from bot.i18n import Translator
from bot.services.privacy import forget as forget_service
from handlers.privacy.callbacks import ForgetAction, ForgetCb

BUTTON_TEXT = 60


def _button(text: str, action: ForgetAction, contact_id: int) -> Button:
    return Button(text=text, callback_data=ForgetCb(action=action, id=contact_id).pack())


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _confirm(t: Translator, found: forget_service.Footprint) -> tuple[str, Markup]:
    person = found.person
    text = t(
        "forget-confirm",
        name=person.name,
        client=person.client_name,
        phone=_yes_no(found.has_phone),
        email=_yes_no(found.has_email),
        birthday=_yes_no(found.has_birthday),
        notes=found.notes,
        birthdays=found.birthdays,
        touches=found.touches,
    )
    markup = Markup(
        inline_keyboard=[
            [
                _button(t("forget-btn-erase"), ForgetAction.ERASE, person.id),
                _button(t("forget-btn-cancel"), ForgetAction.CANCEL, person.id),
            ]
        ]
    )
    return text, markup


async def on_forget(message: Message, command: CommandObject, ctx: Ctx) -> None:
    query = (command.args or "").strip()
    if not query:
        await message.answer(ctx.t("forget-usage"))
        return
    found = await forget_service.find(ctx.session, ctx.manager, query)
    if found.kind == "none":
        await message.answer(ctx.t("forget-nobody", query=query[:100]))
        return
    if found.kind == "one":
        footprint = await forget_service.footprint(ctx.session, ctx.manager, found.people[0].id)
        text, markup = _confirm(ctx.t, footprint)
        await message.answer(text, reply_markup=markup)
        return
    rows = [
        [
            _button(
                ctx.t("forget-person-button", name=p.name, client=p.client_name)[:BUTTON_TEXT],
                ForgetAction.PICK,
                p.id,
            )
        ]
        for p in found.people
    ]
    await message.answer(ctx.t("forget-pick"), reply_markup=Markup(inline_keyboard=rows))


async def on_pick(query: CallbackQuery, callback_data: ForgetCb, ctx: Ctx) -> None:
    footprint = await forget_service.footprint(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    await ctx.edit(*_confirm(ctx.t, footprint))


async def on_erase(query: CallbackQuery, callback_data: ForgetCb, ctx: Ctx) -> None:
    name = await forget_service.forget(ctx.session, ctx.manager, callback_data.id)
    await query.answer()
    await ctx.edit(ctx.t("forget-done", name=name))


async def on_cancel(query: CallbackQuery, ctx: Ctx) -> None:
    await query.answer()
    await ctx.edit(ctx.t("forget-cancelled"))


def register(router: Router) -> None:
    router.message.register(on_forget, Command("forget"))
    callback = router.callback_query.register
    callback(on_pick, ForgetCb.filter(F.action == ForgetAction.PICK))
    callback(on_erase, ForgetCb.filter(F.action == ForgetAction.ERASE))
    callback(on_cancel, ForgetCb.filter(F.action == ForgetAction.CANCEL))
