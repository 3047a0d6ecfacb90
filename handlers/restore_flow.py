"""Restoring a kambot export (or a touches/notes/sales table) sent to /import: the preview with
counts per kind, then all or nothing. The file-level flow lives in handlers/transfer.py."""

from __future__ import annotations

import logging
from datetime import datetime

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator
from bot.services import restore
from bot.services.import_files import Restorable
from bot.services.import_limits import ImportFileError
from handlers.callbacks import ImportCb
from handlers.client_views import esc
from handlers.replies import edit_or_send
from handlers.states import ImportInput
from storage.models import Manager

log = logging.getLogger(__name__)
MAX_ERROR_LINES = 15
MERGED_SHOWN = 5


def _kind_lines(t: Translator, report: restore.RestoreReport) -> list[str]:
    lines = []
    for kind in restore.KINDS:
        count = report.counts[kind]
        if count.new or count.present:
            lines.append(t("restore-kind-line", kind=kind, new=count.new, present=count.present))
    return lines


def preview_text(t: Translator, upload: Restorable, report: restore.RestoreReport) -> str:
    lines = [t("restore-preview-title", source=upload.source)]
    lines += _kind_lines(t, report)
    if report.merged_clients:
        names = ", ".join(esc(name) for name in report.merged_clients[:MERGED_SHOWN])
        more = report.counts["clients"].present - MERGED_SHOWN
        lines.append(t("restore-preview-merged", names=names, more=max(more, 0)))
    if report.created_by_reference:
        lines.append(t("restore-preview-created", count=report.created_by_reference))
    if report.reminders_past:
        lines.append(t("restore-preview-reminders-past", count=report.reminders_past))
    if report.settings_restored:
        lines.append(t("restore-preview-settings-restored"))
    elif report.settings_kept:
        lines.append(t("restore-preview-settings-kept"))
    if upload.skipped:
        columns = ", ".join(f"«{esc(h)}»" for h in upload.skipped[:10])
        lines.append(t("restore-preview-skipped", columns=columns))
    if not report.total_new:
        lines.append(t("restore-preview-nothing"))
    return "\n".join(lines)


def _errors_text(t: Translator, upload: Restorable) -> str:
    errors = upload.errors
    lines = [
        t("import-error-line", row=e.row, column=e.column, reason=t(e.reason), value=e.value[:60])
        for e in errors[:MAX_ERROR_LINES]
    ]
    text = t("import-rejected", rows=len({e.row for e in errors}), errors=len(errors))
    text += "\n\n" + "\n".join(lines)
    if len(errors) > MAX_ERROR_LINES:
        text += "\n" + t("import-more-errors", count=len(errors) - MAX_ERROR_LINES)
    return text


async def show_preview(
    message: Message,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    state: FSMContext,
    now: datetime,
    upload: Restorable,
    file_id: str,
    file_name: str,
) -> None:
    if upload.errors:
        await state.set_state(ImportInput.file)
        await message.answer(_errors_text(t, upload))
        return
    try:
        report = await restore.run(session, manager, upload.data, now, write=False)
    except ImportFileError as exc:
        await message.answer(t(exc.key, **exc.params))
        return
    await state.set_state(ImportInput.confirm)
    await state.update_data(import_file_id=file_id, import_file_name=file_name)
    markup = None
    if report.total_new:
        markup = Markup(
            inline_keyboard=[
                [
                    Button(
                        text=t("restore-btn-go", count=report.total_new),
                        callback_data=ImportCb(action="go").pack(),
                    )
                ],
                [
                    Button(
                        text=t("import-btn-cancel"), callback_data=ImportCb(action="cancel").pack()
                    )
                ],
            ]
        )
    else:
        await state.set_state(None)
    await message.answer(preview_text(t, upload, report), reply_markup=markup)


async def apply(
    bot: Bot,
    chat_id: int,
    t: Translator,
    session: AsyncSession,
    manager: Manager,
    now: datetime,
    upload: Restorable,
) -> None:
    if upload.errors:  # the file changed under the same id: never restore half
        await bot.send_message(chat_id, _errors_text(t, upload))
        return
    progress_message = await bot.send_message(chat_id, t("restore-progress", step="clients"))

    async def progress(step: str) -> None:
        if step != "clients":
            await edit_or_send(
                bot, chat_id, progress_message.message_id, t("restore-progress", step=step)
            )

    try:
        report = await restore.run(
            session, manager, upload.data, now, write=True, progress=progress
        )
    except ImportFileError as exc:
        await edit_or_send(bot, chat_id, progress_message.message_id, t(exc.key, **exc.params))
        return
    except Exception:
        log.exception("restore failed")  # rolled back: all or nothing
        await edit_or_send(bot, chat_id, progress_message.message_id, t("import-failed"))
        return
    # Settings may have come back with the data: the reply speaks the restored language.
    lines = [t("restore-done"), *_kind_lines(t, report)]
    if report.reminders_past:
        lines.append(t("restore-preview-reminders-past", count=report.reminders_past))
    lines.append(t("restore-done-undo"))
    await edit_or_send(bot, chat_id, progress_message.message_id, "\n".join(lines))
