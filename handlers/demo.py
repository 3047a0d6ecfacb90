"""/demo: a clearly marked sandbox with sample data — enter, leave, regenerate, delete.

Handlers here always act on `real_manager` (the person); inside the demo `manager` is the
sandbox row. Real data must not go into the sandbox, so /import and files are refused there, and
buttons of real reminders ask to leave the demo first.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup

from bot import sandbox_mode
from bot.context import Ctx
from bot.i18n import Translator
from bot.services.sample import demo as demo_service
from handlers.callbacks import DemoAction, DemoCb, ImportCb, ReminderCb
from storage.models import Manager

log = logging.getLogger(__name__)

ENTER_WORDS = {"", "on", "start", "вкл", "войти", "старт"}
LEAVE_WORDS = {"off", "exit", "leave", "stop", "quit", "выйти", "выход", "выкл", "стоп"}
RESET_WORDS = {"reset", "new", "renew", "сброс", "заново", "сбросить", "обновить"}
DELETE_WORDS = {"delete", "remove", "del", "удалить", "удали", "стереть", "удаление"}


def _tour_kb(t: Translator, sandbox_id: int) -> Markup:
    return Markup(
        inline_keyboard=[
            [
                Button(
                    text=t("demo-btn-leave"),
                    callback_data=DemoCb(action=DemoAction.LEAVE, id=sandbox_id).pack(),
                ),
                Button(
                    text=t("demo-btn-delete"),
                    callback_data=DemoCb(action=DemoAction.DELETE, id=sandbox_id).pack(),
                ),
            ]
        ]
    )


def _confirm_kb(t: Translator, sandbox_id: int) -> Markup:
    return Markup(
        inline_keyboard=[
            [
                Button(
                    text=t("demo-btn-purge"),
                    callback_data=DemoCb(action=DemoAction.PURGE, id=sandbox_id).pack(),
                ),
                Button(
                    text=t("demo-btn-keep"),
                    callback_data=DemoCb(action=DemoAction.KEEP, id=sandbox_id).pack(),
                ),
            ]
        ]
    )


def _tour(t: Translator, entered: demo_service.Entered) -> str:
    c = entered.contents
    return t(
        "demo-tour-new" if entered.created else "demo-tour-back",
        clients=c.clients,
        key=c.key_accounts,
        contacts=c.contacts,
        touches=c.touches,
        sales=c.sales,
        requests=c.requests,
        reviews=c.reviews,
        example=entered.example,
    )


async def _enter(message: Message, ctx: Ctx, real: Manager, *, fresh: bool) -> None:
    was_in = real.in_sandbox
    if fresh:
        entered = await demo_service.reset(ctx.session, real, ctx.now)
    else:
        entered = await demo_service.enter(ctx.session, real, ctx.now)
    if entered.created_ms is not None:
        log.info("demo sandbox for manager %s made in %.0f ms", real.id, entered.created_ms)
    text = _tour(ctx.t, entered)
    if not was_in:
        # This update started outside the demo, so the outgoing mark is not on yet.
        text = sandbox_mode.with_mark(text, sandbox_mode.mark_text(entered.sandbox.language))
    await message.answer(text, reply_markup=_tour_kb(ctx.t, entered.sandbox.id))


async def _leave(ctx: Ctx, real: Manager) -> str:
    """Back to the real base; the reply says whether there was a demo to leave."""
    # A half-finished dialog must not carry sandbox data out.
    await ctx.state.clear()
    left = await demo_service.leave(ctx.session, real)
    sandbox_mode.suppress()
    return ctx.t("demo-left" if left else "demo-not-in")


async def on_demo(
    message: Message, command: CommandObject, ctx: Ctx, real_manager: Manager
) -> None:
    word = (command.args or "").strip().casefold()
    if word in ENTER_WORDS or word in RESET_WORDS:
        # A half-finished dialog must not carry real data into the sandbox or out of it.
        await ctx.state.clear()
        await _enter(message, ctx, real_manager, fresh=word in RESET_WORDS)
        return
    if word in LEAVE_WORDS:
        await message.answer(await _leave(ctx, real_manager))
        return
    if word in DELETE_WORDS:
        sandbox = await demo_service.sandbox_of(ctx.session, real_manager)
        if sandbox is None:
            await message.answer(ctx.t("demo-nothing-to-delete"))
            return
        await message.answer(
            ctx.t("demo-delete-confirm"),
            reply_markup=_confirm_kb(ctx.t, sandbox.id),
        )
        return
    await message.answer(ctx.t("demo-usage"))


async def _own_sandbox(
    query: CallbackQuery, callback_data: DemoCb, ctx: Ctx, real: Manager
) -> Manager | None:
    """The presser's sandbox the button names, the press answered; None (alerted) if it is not."""
    sandbox = await demo_service.sandbox_of(ctx.session, real)
    if sandbox is None or sandbox.id != callback_data.id:
        # Someone else's sandbox id (forged) or a button of a sandbox deleted since.
        log.warning(
            "manager %s pressed a demo button for sandbox %s which is not theirs or gone",
            real.id,
            callback_data.id,
        )
        await query.answer(ctx.t("demo-button-outdated"), show_alert=True)
        return None
    await query.answer()
    return sandbox


async def on_leave(
    query: CallbackQuery, callback_data: DemoCb, ctx: Ctx, real_manager: Manager
) -> None:
    if await _own_sandbox(query, callback_data, ctx, real_manager) is not None:
        await ctx.edit(await _leave(ctx, real_manager))


async def on_delete(
    query: CallbackQuery, callback_data: DemoCb, ctx: Ctx, real_manager: Manager
) -> None:
    sandbox = await _own_sandbox(query, callback_data, ctx, real_manager)
    if sandbox is not None:
        await ctx.edit(ctx.t("demo-delete-confirm"), _confirm_kb(ctx.t, sandbox.id))


async def on_purge(
    query: CallbackQuery, callback_data: DemoCb, ctx: Ctx, real_manager: Manager
) -> None:
    if await _own_sandbox(query, callback_data, ctx, real_manager) is None:
        return
    await ctx.state.clear()
    await demo_service.remove(ctx.session, real_manager)
    sandbox_mode.suppress()
    await ctx.edit(ctx.t("demo-deleted"))


async def on_keep(
    query: CallbackQuery, callback_data: DemoCb, ctx: Ctx, real_manager: Manager
) -> None:
    if await _own_sandbox(query, callback_data, ctx, real_manager) is not None:
        await ctx.edit(ctx.t("demo-kept"))


def _in_sandbox(_: TelegramObject, manager: Manager) -> bool:
    return manager.sandbox_of_id is not None


async def on_import_in_sandbox(message: Message, ctx: Ctx) -> None:
    await ctx.state.clear()
    await message.answer(ctx.t("demo-no-import"))


async def on_import_button_in_sandbox(query: CallbackQuery, ctx: Ctx) -> None:
    await ctx.state.clear()
    await query.answer(ctx.t("demo-no-import-short"), show_alert=True)


async def on_real_reminder_in_sandbox(query: CallbackQuery, ctx: Ctx) -> None:
    await query.answer(ctx.t("demo-real-reminder"), show_alert=True)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_demo, Command("demo"))
    router.callback_query.register(on_leave, DemoCb.filter(F.action == DemoAction.LEAVE))
    router.callback_query.register(on_delete, DemoCb.filter(F.action == DemoAction.DELETE))
    router.callback_query.register(on_purge, DemoCb.filter(F.action == DemoAction.PURGE))
    router.callback_query.register(on_keep, DemoCb.filter(F.action == DemoAction.KEEP))
    # Real data never goes into the sandbox: no imports while in the demo.
    router.message.register(on_import_in_sandbox, Command("import"), _in_sandbox)
    router.message.register(on_import_in_sandbox, F.document, _in_sandbox)
    router.callback_query.register(on_import_button_in_sandbox, ImportCb.filter(), _in_sandbox)
    # Pushes are about the real base: their buttons act there, after leaving the demo.
    router.callback_query.register(on_real_reminder_in_sandbox, ReminderCb.filter(), _in_sandbox)
    return router
