"""/import a CSV or XLSX (preview, confirm, progress, report) and /export the whole base."""

from __future__ import annotations

import csv
import io
import logging
import time
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Document, Message
from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup

from bot import export_job, workers
from bot.context import Ctx
from bot.i18n import Translator
from bot.services.crm.clients import local_today
from bot.services.exchange import export_collect, exporting, import_files, importing, transfer
from handlers.callbacks import ImportAction, ImportCb
from handlers.clientbase.client_views import esc
from handlers.files import restore_flow
from handlers.replies import edit_or_send
from handlers.states import ImportInput
from storage.models import Manager

log = logging.getLogger(__name__)
MAX_ERROR_LINES = 15
PREVIEW_CLIENTS = 3
PROGRESS_EVERY_SECONDS = 1.0
TABLE_EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".zip", ".json")


async def on_import(message: Message, ctx: Ctx) -> None:
    await ctx.state.set_state(ImportInput.file)
    await message.answer(
        ctx.t(
            "import-intro",
            limit_mb=importing.MAX_FILE_BYTES // (1024 * 1024),
            max_rows=importing.MAX_ROWS,
        )
    )


async def _download(bot: Bot, document: Document) -> bytes:
    buffer = await bot.download(document.file_id)
    assert buffer is not None
    return buffer.read()


async def _parse(
    bot: Bot, document: Document, today_: datetime, manager: Manager
) -> import_files.Upload:
    content = await _download(bot, document)
    # Parsing 10,000 rows takes a second of CPU: off the event loop, so other users are served.
    return await workers.run_heavy(
        import_files.read_upload,
        content,
        document.file_name or "file",
        local_today(manager, today_),
        manager.timezone,
    )


def _error_report_csv(t: Translator, errors: list[importing.RowError]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            t("import-report-row"),
            t("import-report-column"),
            t("import-report-reason"),
            t("import-report-value"),
        ]
    )
    for e in errors:
        writer.writerow([e.row, e.column, t(e.reason), exporting.neutralize(e.value)])
    return out.getvalue().encode("utf-8-sig")


async def on_document(message: Message, ctx: Ctx) -> None:
    document = message.document
    assert document is not None
    t = ctx.t
    if document.file_size and document.file_size > importing.MAX_FILE_BYTES:
        await message.answer(
            t("import-file-too-large", limit_mb=importing.MAX_FILE_BYTES // (1024 * 1024))
        )
        return
    try:
        result = await _parse(ctx.bot, document, ctx.now, ctx.manager)
    except importing.ImportFileError as exc:
        await message.answer(t(exc.key, **exc.params))
        return
    name = document.file_name or "file"
    if isinstance(result, import_files.Restorable):
        await restore_flow.show_preview(message, ctx, result, document.file_id, name)
        return
    if result.parsed.errors:
        await _reject(message, ctx, result.parsed.errors)
        return
    preview = importing.preview(result.table, result.mapping, result.parsed, limit=PREVIEW_CLIENTS)
    await ctx.state.set_state(ImportInput.confirm)
    await ctx.state.update_data(import_file_id=document.file_id, import_file_name=name)
    await message.answer(
        _preview_text(t, preview, result), reply_markup=_confirm_kb(t, len(result.clients))
    )


async def _reject(message: Message, ctx: Ctx, errors: list[importing.RowError]) -> None:
    """The file is refused as a whole: the first errors here, all of them as a CSV."""
    t = ctx.t
    await ctx.state.set_state(ImportInput.file)
    lines = [
        t(
            "import-error-line",
            row=e.row,
            column=e.column,
            reason=t(e.reason),
            value=e.value[:60],
        )
        for e in errors[:MAX_ERROR_LINES]
    ]
    text = (
        t("import-rejected", rows=len({e.row for e in errors}), errors=len(errors))
        + "\n\n"
        + "\n".join(lines)
    )
    if len(errors) > MAX_ERROR_LINES:
        text += "\n" + t("import-more-errors", count=len(errors) - MAX_ERROR_LINES)
    await message.answer(text)
    if len(errors) > MAX_ERROR_LINES:
        report = BufferedInputFile(_error_report_csv(t, errors), filename="import-errors.csv")
        await ctx.bot.send_document(ctx.chat_id, report)


def _preview_text(t: Translator, preview: importing.Preview, result: importing.ImportResult) -> str:
    # Headers and names come from the user's file: escaped here; translator arguments are
    # escaped by the translator itself.
    lines = [
        t(
            "import-preview-title",
            clients=preview.clients,
            contacts=preview.contacts,
            rows=preview.total_rows,
        )
    ]
    if preview.sheet:
        lines.append(t("import-note-sheet", sheet=preview.sheet))
    lines.extend(t(note) for note in preview.notes if note != importing.NOTE_SHEET)
    lines += ["", t("import-preview-mapping")]
    lines.extend(
        f"• «{esc(header)}» → {t('import-field-' + field)}" for header, field in preview.mapping
    )
    if preview.recent_birthday_rows:
        rows = preview.recent_birthday_rows
        lines.append(
            t(
                "import-preview-recent-birthdays",
                count=len(rows),
                rows=", ".join(str(row) for row in rows[:10]) + ("…" if len(rows) > 10 else ""),
                years=importing.RECENT_BIRTH_YEARS,
            )
        )
    if preview.skipped:
        # Every column left out is named with its reason: nothing is lost unannounced.
        lines += ["", t("import-preview-skipped")]
        reasons = dict.fromkeys(column.reason for column in preview.skipped)
        for reason in reasons:
            columns = [column for column in preview.skipped if column.reason == reason]
            names = [
                f"«{column.header}»"
                if column.header.strip()
                else t("import-skip-column-number", number=column.number)
                for column in columns[:10]
            ]
            if len(columns) > 10:
                names.append(t("import-skip-more", count=len(columns) - 10))
            lines.append("• " + t(reason, columns=", ".join(names), count=len(columns)))
    lines += ["", t("import-preview-first")]
    for draft in result.clients[:PREVIEW_CLIENTS]:
        people = ", ".join(c.name for c in draft.contacts[:3])
        lines.append(f"• {esc(draft.name)}" + (f" — {esc(people)}" if people else ""))
    return "\n".join(lines)


def _confirm_kb(t: Translator, clients: int) -> Markup:
    return Markup(
        inline_keyboard=[
            [
                Button(
                    text=t("import-btn-go", clients=clients),
                    callback_data=ImportCb(action=ImportAction.GO).pack(),
                )
            ],
            [
                Button(
                    text=t("import-btn-cancel"),
                    callback_data=ImportCb(action=ImportAction.CANCEL).pack(),
                )
            ],
        ]
    )


async def _confirmed_file(query: CallbackQuery, ctx: Ctx) -> Document | None:
    """The file waiting for this confirmation, taken (so a second tap does nothing); None, the
    press answered as outdated, when none waits."""
    data = await ctx.state.get_data()
    file_id = data.get("import_file_id")
    if await ctx.state.get_state() != ImportInput.confirm.state or not isinstance(file_id, str):
        await query.answer(ctx.t("callback-outdated"), show_alert=True)
        return None
    # Leave the confirm state first: a second tap on the same button must not import twice.
    await ctx.state.set_state(None)
    await ctx.state.update_data(import_file_id=None)
    await query.answer()
    name = str(data.get("import_file_name"))
    return Document(file_id=file_id, file_unique_id=file_id, file_name=name)


async def on_import_cancel(query: CallbackQuery, ctx: Ctx) -> None:
    if await _confirmed_file(query, ctx) is not None:
        await ctx.edit(ctx.t("import-cancelled"))


async def on_import_go(query: CallbackQuery, ctx: Ctx) -> None:
    document = await _confirmed_file(query, ctx)
    if document is None:
        return
    t = ctx.t
    try:
        result = await _parse(ctx.bot, document, ctx.now, ctx.manager)
    except importing.ImportFileError as exc:
        await ctx.send(t(exc.key, **exc.params))
        return
    if isinstance(result, import_files.Restorable):
        await restore_flow.apply(ctx, result)
        return
    if result.parsed.errors:  # the file changed under the same id: never import half
        errors = len(result.parsed.errors)
        await ctx.send(t("import-rejected", rows=errors, errors=errors))
        return
    await _import(ctx, result.clients)


async def _import(ctx: Ctx, clients: list[importing.ClientDraft]) -> None:
    """Imports all or nothing, the progress shown on one message that ends with the report."""
    t, bot, chat_id = ctx.t, ctx.bot, ctx.chat_id
    progress_message = await ctx.send(t("import-progress", done=0, total=len(clients)))
    last = time.monotonic()

    async def say(text: str) -> None:
        await edit_or_send(bot, chat_id, progress_message.message_id, text)

    async def progress(done: int, total: int) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_EVERY_SECONDS and done < total:
            last = time.monotonic()
            await say(t("import-progress", done=done, total=total))

    try:
        report = await transfer.apply_import(ctx.session, ctx.manager, clients, ctx.now, progress)
    except Exception:
        # apply_import rolled back: all or nothing. Say so on the progress message, which
        # would otherwise stay at "0 of N" forever.
        log.exception("import of %d clients failed", len(clients))
        await say(t("import-failed"))
        return
    await say(
        t(
            "import-done",
            created=report.created,
            existing=report.existing,
            contacts=report.contacts_added,
            contacts_existing=report.contacts_existing,
        )
    )


async def on_photo_instead_of_file(message: Message, ctx: Ctx) -> None:
    await message.answer(ctx.t("import-photo"))


async def on_text_instead_of_file(message: Message, ctx: Ctx) -> None:
    await message.answer(ctx.t("import-waiting-file"))


async def on_export(message: Message, ctx: Ctx) -> None:
    # Loading a big base through the ORM and building the files is seconds of pure-Python CPU:
    # in a worker process, so other chats are served meanwhile (a thread would still hold the
    # GIL most of the time: measured in bench/bench_fairness.py).
    manager = ctx.manager
    url = workers.database_url(ctx.session)
    if url is None:  # an in-memory database only this connection sees
        data = await export_collect.collect_full_export(ctx.session, manager)
        files = await workers.run_heavy(export_job.export_files, data)
    else:
        files = await workers.run_in_process(export_job.build_export, url, manager.id)
    stamp = local_today(manager, ctx.now).isoformat()
    caption = ctx.t(
        "export-caption",
        clients=files.clients,
        touches=files.touches,
        notes=files.notes,
        sales=files.sales,
    )
    await ctx.bot.send_document(
        ctx.chat_id,
        BufferedInputFile(files.workbook, filename=f"kambot-{stamp}.xlsx"),
        caption=caption,
    )
    await ctx.bot.send_document(
        ctx.chat_id, BufferedInputFile(files.archive, filename=f"kambot-{stamp}.zip")
    )


def _is_table(document: Document | None) -> bool:
    return document is not None and (document.file_name or "").lower().endswith(TABLE_EXTENSIONS)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_import, Command("import"))
    router.message.register(on_export, Command("export"))
    router.message.register(on_document, ImportInput.file, F.document)
    router.message.register(on_document, ImportInput.confirm, F.document)
    # A spreadsheet sent without /import first is still plainly an import.
    router.message.register(on_document, F.document.func(_is_table))
    router.message.register(on_photo_instead_of_file, ImportInput.file, F.photo)
    router.message.register(
        on_text_instead_of_file, ImportInput.file, F.text, ~F.text.startswith("/")
    )
    router.callback_query.register(on_import_go, ImportCb.filter(F.action == ImportAction.GO))
    router.callback_query.register(
        on_import_cancel, ImportCb.filter(F.action == ImportAction.CANCEL)
    )
    return router
