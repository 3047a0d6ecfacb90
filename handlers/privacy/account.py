"""/privacy: what kambot keeps and why; export all of my data; delete my account.

These act on the person (``real_manager``), never on the demo sandbox; inside the demo the
export and the delete ask to leave it first.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.state import default_state
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup

from bot import export_job, workers
from bot.callbacks import MAX_ID
from bot.context import Ctx
from bot.i18n import Translator
from bot.services.crm.clients import local_today
from bot.services.exchange import export_collect
from bot.services.privacy import account, exports
from bot.services.privacy.errors import AccountGone, PrivacyRefused
from bot.services.teams.people import display_name
from handlers.privacy.callbacks import PrivacyAction, PrivacyCb
from handlers.privacy.states import PrivacyInput
from handlers.team.notify import tell
from storage.models import Manager

log = logging.getLogger(__name__)
NOT_A_COMMAND = ~F.text.startswith("/")


def account_stamp(manager: Manager) -> int:
    """The registration moment in milliseconds, folded into a button's 31-bit field."""
    return int(manager.created_at.timestamp() * 1000) % MAX_ID


def _button_data(action: PrivacyAction, manager: Manager) -> str:
    return PrivacyCb(action=action, id=manager.id, since=account_stamp(manager)).pack()


def _about_kb(t: Translator, manager: Manager) -> Markup:
    def button(key: str, action: PrivacyAction) -> list[Button]:
        data = _button_data(action, manager)
        return [Button(text=t(key), callback_data=data)]

    return Markup(
        inline_keyboard=[
            button("privacy-btn-export", PrivacyAction.EXPORT),
            button("privacy-btn-delete", PrivacyAction.DELETE),
        ]
    )


async def on_privacy(message: Message, ctx: Ctx, real_manager: Manager) -> None:
    await message.answer(ctx.t("privacy-about"), reply_markup=_about_kb(ctx.t, real_manager))


def _same_account(callback_data: PrivacyCb, real: Manager) -> None:
    if (callback_data.id, callback_data.since) != (real.id, account_stamp(real)):
        # The button of an account deleted since (or a forged id): it acts on nobody.
        log.info("privacy button for account %s pressed by %s", callback_data.id, real.id)
        raise AccountGone(callback_data.id)


def _this_account(callback_data: PrivacyCb, real: Manager) -> None:
    _same_account(callback_data, real)
    if real.in_sandbox:
        raise PrivacyRefused("privacy-in-demo")


async def _build(ctx: Ctx, manager: Manager) -> export_job.ExportFiles:
    # The /export machinery: a worker process on a real database, a thread on an in-memory one.
    url = workers.database_url(ctx.session)
    if url is None:
        data = await export_collect.collect_full_export(ctx.session, manager)
        return await workers.run_heavy(export_job.export_files, data)
    return await workers.run_in_process(export_job.build_export, url, manager.id)


async def on_export(
    query: CallbackQuery, callback_data: PrivacyCb, ctx: Ctx, real_manager: Manager
) -> None:
    _this_account(callback_data, real_manager)
    await query.answer()
    with exports.building(real_manager.id):
        files = await _build(ctx, real_manager)
        record = await exports.account_record(ctx.session, real_manager)
        stamp = local_today(real_manager, ctx.now).isoformat()
        archive = await workers.run_heavy(
            exports.data_archive, files.archive, files.workbook, record, stamp, ctx.now
        )
    caption = ctx.t(
        "privacy-export-caption",
        clients=files.clients,
        touches=files.touches,
        notes=files.notes,
        sales=files.sales,
    )
    await ctx.bot.send_document(
        ctx.chat_id,
        BufferedInputFile(archive, filename=f"kambot-my-data-{stamp}.zip"),
        caption=caption,
    )


async def on_delete_asked(
    query: CallbackQuery, callback_data: PrivacyCb, ctx: Ctx, real_manager: Manager
) -> None:
    _this_account(callback_data, real_manager)
    account.check_can_delete(real_manager)
    await query.answer()
    await ctx.state.set_state(PrivacyInput.confirm_delete)
    await ctx.state.update_data(delete_for=real_manager.id)
    keep = _button_data(PrivacyAction.KEEP, real_manager)
    await ctx.send(
        ctx.t("privacy-delete-ask", team="yes" if real_manager.team_id else "no"),
        Markup(inline_keyboard=[[Button(text=ctx.t("privacy-btn-cancel"), callback_data=keep)]]),
    )


async def on_keep(
    query: CallbackQuery, callback_data: PrivacyCb, ctx: Ctx, real_manager: Manager
) -> None:
    _same_account(callback_data, real_manager)
    if await ctx.state.get_state() == PrivacyInput.confirm_delete.state:
        await ctx.state.clear()
    await query.answer()
    await ctx.edit(ctx.t("privacy-delete-kept"))


async def on_confirm_text(message: Message, ctx: Ctx, real_manager: Manager) -> None:
    if not account.is_confirm_word(message.text or ""):
        await ctx.state.clear()
        await message.answer(ctx.t("privacy-delete-kept"))
        return
    data = await ctx.state.get_data()
    asked_for = int(data.get("delete_for") or 0)
    name = display_name(real_manager)
    done = await account.delete_account(ctx.session, real_manager, asked_for, ctx.now)
    # The dialog data is the person's too: nothing of it stays in the FSM storage.
    await ctx.state.clear()
    heir = done.heir
    await message.answer(
        ctx.t("privacy-deleted", moved=done.moved, heir=display_name(heir) if heir else "")
    )
    if heir is not None:
        promoted = "yes" if done.promoted else "no"
        await tell(
            ctx.bot, heir, "privacy-heir-received", name=name, clients=done.moved, promoted=promoted
        )


async def on_stray_word(message: Message, ctx: Ctx) -> None:
    """The word sent again after the account went (or never asked for): said plainly."""
    await message.answer(ctx.t("privacy-delete-nothing-waiting"))


def register(router: Router) -> None:
    router.message.register(on_privacy, Command("privacy"))
    router.message.register(on_confirm_text, PrivacyInput.confirm_delete, F.text, NOT_A_COMMAND)
    router.message.register(
        on_stray_word, StateFilter(default_state), F.text.func(account.is_confirm_word)
    )
    callback = router.callback_query.register
    callback(on_export, PrivacyCb.filter(F.action == PrivacyAction.EXPORT))
    callback(on_delete_asked, PrivacyCb.filter(F.action == PrivacyAction.DELETE))
    callback(on_keep, PrivacyCb.filter(F.action == PrivacyAction.KEEP))
