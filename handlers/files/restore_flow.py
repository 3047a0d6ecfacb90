"""Restoring a kambot export (or a touches/notes/sales table) sent to /import: the preview with
counts per kind, then all or nothing. The file-level flow lives in handlers/files/transfer.py."""

from __future__ import annotations

import logging

from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup
from aiogram.types import Message

from bot.context import Ctx
from bot.i18n import Translator
from bot.services.exchange import restore
from bot.services.exchange.import_files import Restorable
from bot.services.exchange.import_limits import ImportFileError
from handlers.callbacks import ImportAction, ImportCb
from handlers.clientbase.client_views import esc
from handlers.replies import edit_or_send
from handlers.states import ImportInput

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


def _confirm_kb(t: Translator, report: restore.RestoreReport) -> Markup:
    go = ImportCb(action=ImportAction.GO).pack()
    cancel = ImportCb(action=ImportAction.CANCEL).pack()
    return Markup(
        inline_keyboard=[
            [Button(text=t("restore-btn-go", count=report.total_new), callback_data=go)],
            [Button(text=t("import-btn-cancel"), callback_data=cancel)],
        ]
    )


async def show_preview(
    message: Message, ctx: Ctx, upload: Restorable, file_id: str, file_name: str
) -> None:
    t = ctx.t
    if upload.errors:
        await ctx.state.set_state(ImportInput.file)
        await message.answer(_errors_text(t, upload))
        return
    try:
        report = await restore.run(ctx.session, ctx.manager, upload.data, ctx.now, write=False)
    except ImportFileError as exc:
        await message.answer(t(exc.key, **exc.params))
        return
    await ctx.state.set_state(ImportInput.confirm)
    await ctx.state.update_data(import_file_id=file_id, import_file_name=file_name)
    markup = None
    if report.total_new:
        markup = _confirm_kb(t, report)
    else:
        await ctx.state.set_state(None)
    await message.answer(preview_text(t, upload, report), reply_markup=markup)


async def apply(ctx: Ctx, upload: Restorable) -> None:
    t = ctx.t
    if upload.errors:  # the file changed under the same id: never restore half
        await ctx.send(_errors_text(t, upload))
        return
    progress_message = await ctx.send(t("restore-progress", step="clients"))

    async def say(text: str) -> None:
        await edit_or_send(ctx.bot, ctx.chat_id, progress_message.message_id, text)

    async def progress(step: str) -> None:
        if step != "clients":
            await say(t("restore-progress", step=step))

    try:
        report = await restore.run(
            ctx.session, ctx.manager, upload.data, ctx.now, write=True, progress=progress
        )
    except ImportFileError as exc:
        await say(t(exc.key, **exc.params))
        return
    except Exception:
        log.exception("restore failed")  # rolled back: all or nothing
        await say(t("import-failed"))
        return
    # Settings may have come back with the data: the reply speaks the restored language.
    lines = [t("restore-done"), *_kind_lines(t, report)]
    if report.reminders_past:
        lines.append(t("restore-preview-reminders-past", count=report.reminders_past))
    lines.append(t("restore-done-undo"))
    await say("\n".join(lines))
