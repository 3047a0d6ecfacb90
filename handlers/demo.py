"""/demo: a clearly marked sandbox with sample data — enter, leave, regenerate, delete.

Handlers here always act on `real_manager` (the person); inside the demo `manager` is the
sandbox row. Real data must not go into the sandbox, so /import and files are refused there, and
buttons of real reminders ask to leave the demo first.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup
from sqlalchemy.ext.asyncio import AsyncSession

from bot import sandbox_mode
from bot.i18n import Translator
from bot.services import demo as demo_service
from bot.services.clock import Clock
from handlers.callbacks import DemoCb, ImportCb, ReminderCb
from handlers.replies import edit_or_send
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
                    callback_data=DemoCb(action="leave", id=sandbox_id).pack(),
                ),
                Button(
                    text=t("demo-btn-delete"),
                    callback_data=DemoCb(action="delete", id=sandbox_id).pack(),
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
                    callback_data=DemoCb(action="purge", id=sandbox_id).pack(),
                ),
                Button(
                    text=t("demo-btn-keep"),
                    callback_data=DemoCb(action="keep", id=sandbox_id).pack(),
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


async def _enter(
    message: Message,
    t: Translator,
    session: AsyncSession,
    real: Manager,
    clock: Clock,
    *,
    fresh: bool,
) -> None:
    was_in = real.in_sandbox
    if fresh:
        entered = await demo_service.reset(session, real, clock.now())
    else:
        entered = await demo_service.enter(session, real, clock.now())
    if entered.created_ms is not None:
        log.info("demo sandbox for manager %s made in %.0f ms", real.id, entered.created_ms)
    text = _tour(t, entered)
    if not was_in:
        # This update started outside the demo, so the outgoing mark is not on yet.
        text = sandbox_mode.with_mark(text, sandbox_mode.mark_text(entered.sandbox.language))
    await message.answer(text, reply_markup=_tour_kb(t, entered.sandbox.id))


async def on_demo(
    message: Message,
    command: CommandObject,
    t: Translator,
    session: AsyncSession,
    real_manager: Manager,
    state: FSMContext,
    clock: Clock,
) -> None:
    word = (command.args or "").strip().casefold()
    if word in ENTER_WORDS or word in RESET_WORDS:
        # A half-finished dialog must not carry real data into the sandbox or out of it.
        await state.clear()
        await _enter(message, t, session, real_manager, clock, fresh=word in RESET_WORDS)
        return
    if word in LEAVE_WORDS:
        await state.clear()
        left = await demo_service.leave(session, real_manager)
        sandbox_mode.suppress()
        await message.answer(t("demo-left" if left else "demo-not-in"))
        return
    if word in DELETE_WORDS:
        sandbox = await demo_service.sandbox_of(session, real_manager)
        if sandbox is None:
            await message.answer(t("demo-nothing-to-delete"))
            return
        await message.answer(
            t("demo-delete-confirm"),
            reply_markup=_confirm_kb(t, sandbox.id),
        )
        return
    await message.answer(t("demo-usage"))


async def on_demo_button(
    query: CallbackQuery,
    callback_data: DemoCb,
    t: Translator,
    session: AsyncSession,
    real_manager: Manager,
    state: FSMContext,
) -> None:
    sandbox = await demo_service.sandbox_of(session, real_manager)
    if sandbox is None or sandbox.id != callback_data.id:
        # Someone else's sandbox id (forged) or a button of a sandbox deleted since.
        log.warning(
            "manager %s pressed a demo button for sandbox %s which is not theirs or gone",
            real_manager.id,
            callback_data.id,
        )
        await query.answer(t("demo-button-outdated"), show_alert=True)
        return
    await query.answer()
    chat_id = query.from_user.id
    message_id = query.message.message_id if query.message is not None else None
    bot = query.bot
    assert bot is not None
    if callback_data.action == "leave":
        await state.clear()
        left = await demo_service.leave(session, real_manager)
        sandbox_mode.suppress()
        await edit_or_send(bot, chat_id, message_id, t("demo-left" if left else "demo-not-in"))
    elif callback_data.action == "delete":
        await edit_or_send(
            bot,
            chat_id,
            message_id,
            t("demo-delete-confirm"),
            _confirm_kb(t, sandbox.id),
        )
    elif callback_data.action == "purge":
        await state.clear()
        await demo_service.remove(session, real_manager)
        sandbox_mode.suppress()
        await edit_or_send(bot, chat_id, message_id, t("demo-deleted"))
    else:  # keep
        await edit_or_send(bot, chat_id, message_id, t("demo-kept"))


def _in_sandbox(_: TelegramObject, manager: Manager) -> bool:
    return manager.sandbox_of_id is not None


async def on_import_in_sandbox(message: Message, t: Translator, state: FSMContext) -> None:
    await state.clear()
    await message.answer(t("demo-no-import"))


async def on_import_button_in_sandbox(
    query: CallbackQuery, t: Translator, state: FSMContext
) -> None:
    await state.clear()
    await query.answer(t("demo-no-import-short"), show_alert=True)


async def on_real_reminder_in_sandbox(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t("demo-real-reminder"), show_alert=True)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_demo, Command("demo"))
    router.callback_query.register(on_demo_button, DemoCb.filter())
    # Real data never goes into the sandbox: no imports while in the demo.
    router.message.register(on_import_in_sandbox, Command("import"), _in_sandbox)
    router.message.register(on_import_in_sandbox, F.document, _in_sandbox)
    router.callback_query.register(on_import_button_in_sandbox, ImportCb.filter(), _in_sandbox)
    # Pushes are about the real base: their buttons act there, after leaving the demo.
    router.callback_query.register(on_real_reminder_in_sandbox, ReminderCb.filter(), _in_sandbox)
    return router
