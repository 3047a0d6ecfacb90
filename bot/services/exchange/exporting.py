"""The file layer of /export: everything a manager owns, as XLSX and as CSV files.

Pure: dataclasses in, bytes out; no aiogram, no database.

The Clients sheet (and clients.csv) is the import format: one row per contact with the client's
columns repeated, a client without contacts on one row of its own, headers in the manager's
language that ``importing.map_columns`` recognises, and values it parses back, so that
export -> import reproduces the clients and their contacts exactly. Four informational columns
close the sheet (ID, archived, owner, created); import knows them and leaves them out.

Formula injection (OWASP "CSV Injection"): a text cell that begins with ``= + - @``, TAB or CR
is neutralized by prefixing an apostrophe, in both formats, and so is a text that already begins
with an apostrophe, so that import can strip exactly one and get the original back. Pure
numbers ("-1500") are left alone: they are not formulas. Phones are the one exception, and only
in XLSX: a normalized phone is "+" and digits, which cannot call anything even if evaluated, and
an XLSX string cell is never evaluated anyway; it is written with Excel's own quote-prefix style
(what Excel stores when you type '+7...), so the manager sees "+79991234567", not
"'+79991234567". In CSV, where Excel would evaluate "+79991234567" into 7.99912E+10, phones do
get the apostrophe. Import strips it either way, so the round trip is exact.

Known limits of the round trip: two clients whose names normalize alike (and that have no tax
ids to tell them apart) come back as one; an archived client comes back active; contacts of one
client with the same name come back as one; a tag containing ``, ; #`` comes back split.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final, TypeAlias
from zoneinfo import ZoneInfo

from babel.numbers import get_currency_precision
from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped, unused-ignore]
from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]

from bot.services.exchange import workbook_bundle
from bot.services.exchange.export_model import (
    ExportClient,
    ExportContact,
    ExportData,
    ExportNote,
    ExportPlan,
    ExportReminder,
    ExportRequest,
    ExportReview,
    ExportSale,
    ExportTouch,
    Language,
)
from bot.services.parsing.phones import normalize_phone

# Re-exported: callers and tests know them as exporting.*.
__all__ = [
    "CLIENT_HEADERS",
    "INFO_HEADERS",
    "ExportClient",
    "ExportContact",
    "ExportData",
    "ExportNote",
    "ExportPlan",
    "ExportReminder",
    "ExportRequest",
    "ExportReview",
    "ExportSale",
    "ExportTouch",
    "Language",
    "build_csvs",
    "build_workbook",
    "neutralize",
]

# Characters that make a spreadsheet treat a cell as a formula (OWASP), plus the apostrophe that
# marks our own neutralization.
_DANGEROUS_START: Final = ("=", "+", "-", "@", "\t", "\r", "'")
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
_STRICT_PHONE = re.compile(r"^\+\d{5,15}$")
# Control characters XML 1.0 cannot carry; openpyxl refuses them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MIN_WIDTH, _MAX_WIDTH = 8, 50
_XLSX_MAX_TEXT = 32_767


@dataclass(frozen=True, slots=True)
class _Phone:
    """A phone cell: the one text that XLSX writes without an apostrophe (see the docstring)."""

    text: str


@dataclass(frozen=True, slots=True)
class _Money:
    amount: Decimal
    precision: int


_Value: TypeAlias = str | int | datetime | date | _Phone | _Money | None


@dataclass(slots=True)
class _Sheet:
    name: str  # the XLSX sheet title
    file: str  # the CSV file name
    headers: list[str]
    rows: list[list[_Value]] = field(default_factory=list)


# --- words -----------------------------------------------------------------------------------

# Header texts per field. The client ones must stay recognisable by importing.map_columns; a
# test checks that they are.
CLIENT_HEADERS: Final[dict[str, dict[Language, str]]] = {
    "client": {"ru": "Клиент", "en": "Client"},
    "tax_id": {"ru": "ИНН", "en": "Tax ID"},
    "phone": {"ru": "Телефон", "en": "Phone"},
    "segment": {"ru": "Сегмент", "en": "Segment"},
    "tier": {"ru": "Уровень", "en": "Tier"},
    "status": {"ru": "Статус", "en": "Status"},
    "cadence": {"ru": "Частота контакта, дней", "en": "Cadence, days"},
    "channel": {"ru": "Канал", "en": "Channel"},
    "tags": {"ru": "Теги", "en": "Tags"},
    "contact_name": {"ru": "Контакт", "en": "Contact"},
    "contact_role": {"ru": "Должность", "en": "Role"},
    "contact_phone": {"ru": "Телефон контакта", "en": "Contact phone"},
    "contact_email": {"ru": "Эл. почта", "en": "Email"},
    "birthday": {"ru": "День рождения", "en": "Birthday"},
}
INFO_HEADERS: Final[dict[str, dict[Language, str]]] = {
    "id": {"ru": "ID", "en": "ID"},
    "archived": {"ru": "В архиве", "en": "Archived"},
    "owner": {"ru": "Ответственный", "en": "Owner"},
    "created": {"ru": "Создан", "en": "Created"},
}
_SHEETS: Final[dict[str, dict[Language, str]]] = {
    "clients": {"ru": "Клиенты", "en": "Clients"},
    "touches": {"ru": "Касания", "en": "Touches"},
    "notes": {"ru": "Заметки", "en": "Notes"},
    "sales": {"ru": "Продажи", "en": "Sales"},
    "requests": {"ru": "Запросы", "en": "Requests"},
    "reviews": {"ru": "Отзывы", "en": "Reviews"},
    "plans": {"ru": "Планы", "en": "Plans"},
    "reminders": {"ru": "Напоминания", "en": "Reminders"},
}
_TOUCH_HEADERS: Final[dict[Language, list[str]]] = {
    # The last two came later; appended so older exports and what reads them keep their columns.
    "ru": ["Клиент", "Тип", "Когда", "Итог", "Содержание", "Следующий шаг", "Срок шага",
           "Контакт", "Шаг выполнен"],
    "en": ["Client", "Type", "When", "Outcome", "Summary", "Next step", "Next step due",
           "Contact", "Step done"],
}  # fmt: skip
_NOTE_HEADERS: Final[dict[Language, list[str]]] = {
    "ru": ["Клиент", "Контакт", "Текст", "Теги", "Личная", "Создана", "Напомнить"],
    "en": ["Client", "Contact", "Text", "Tags", "Private", "Created", "Remind at"],
}
_SALE_HEADERS: Final[dict[Language, list[str]]] = {
    "ru": ["Клиент", "Дата", "Сумма", "Валюта", "Продуктовая линейка"],
    "en": ["Client", "Date", "Amount", "Currency", "Product line"],
}
# Stable headers: a later import of the whole export reads these sheets by them.
_REQUEST_HEADERS: Final[dict[Language, list[str]]] = {
    "ru": ["Клиент", "Запрос", "Открыт", "Первый ответ", "Решён", "Итог"],
    "en": ["Client", "Request", "Opened", "First response", "Resolved", "Feedback"],
}
_REVIEW_HEADERS: Final[dict[Language, list[str]]] = {
    "ru": ["Клиент", "Оценка", "Текст", "Когда"],
    "en": ["Client", "Rating", "Text", "When"],
}
_PLAN_HEADERS: Final[dict[Language, list[str]]] = {
    "ru": ["Период", "Начало", "Клиент", "Сумма", "Валюта"],
    "en": ["Period", "Start", "Client", "Amount", "Currency"],
}
_REMINDER_HEADERS: Final[dict[Language, list[str]]] = {
    "ru": ["Тип", "Клиент", "Контакт", "Когда", "Состояние", "Текст"],
    "en": ["Kind", "Client", "Contact", "Due", "State", "Text"],
}
# Values as import reads them back (importing._TIERS etc. know both languages).
_WORDS: Final[dict[Language, dict[str, str]]] = {
    "ru": {
        "b2b": "B2B",
        "b2c": "B2C",
        "key": "ключевой",
        "regular": "обычный",
        "active": "активный",
        "paused": "пауза",
        "lost": "потерян",
        "call": "звонок",
        "message": "сообщение",
        "email": "письмо",  # as the bot says it (kind-email); import reads it back
        "visit": "визит",
        "meeting": "встреча",
        "positive": "позитивный",
        "neutral": "нейтральный",
        "negative": "негативный",
        "yes": "да",
        "no": "нет",
        "week": "неделя",
        "month": "месяц",
        "quarter": "квартал",
        "year": "год",
        "birthday": "день рождения",
        "checkin": "пора связаться",
        "followup": "следующий шаг",
        "note": "заметка",
        "pending": "ожидает",
        "claimed": "отправляется",
        "sent": "отправлено",
        "snoozed": "отложено",
        "done": "выполнено",
        "failed": "не доставлено",
        "cancelled": "отменено",
        "blocked": "заблокировано",
    },
    "en": {
        "b2b": "B2B",
        "b2c": "B2C",
        "yes": "yes",
        "no": "no",
    },
}
_DATETIME_FORMAT: Final[dict[Language, tuple[str, str]]] = {
    # (strftime for CSV, Excel number format for XLSX)
    "ru": ("%d.%m.%Y %H:%M", "DD.MM.YYYY HH:MM"),
    "en": ("%Y-%m-%d %H:%M", "YYYY-MM-DD HH:MM"),
}
_DATE_FORMAT: Final[dict[Language, tuple[str, str]]] = {
    "ru": ("%d.%m.%Y", "DD.MM.YYYY"),
    "en": ("%Y-%m-%d", "YYYY-MM-DD"),
}


def _word(language: Language, value: str | None) -> str | None:
    if value is None:
        return None
    return _WORDS[language].get(value, value)


# --- the sheets ------------------------------------------------------------------------------


def _sheets(data: ExportData) -> list[_Sheet]:
    return [
        _clients(data),
        _touches(data),
        _notes(data),
        _sales(data),
        _requests(data),
        _reviews(data),
        _plans(data),
        _reminders(data),
    ]


def _clients(data: ExportData) -> _Sheet:
    language = data.language
    headers = [names[language] for names in (*CLIENT_HEADERS.values(), *INFO_HEADERS.values())]
    sheet = _Sheet(_SHEETS["clients"][language], "clients.csv", headers)
    zone = ZoneInfo(data.timezone)
    for client in data.clients:
        company = _client_cells(client, language)
        info: list[_Value] = [
            client.id,
            _word(language, "yes" if client.archived else "no"),
            client.owner_name or None,
            _local(client.created_at, zone),
        ]
        contacts: Sequence[ExportContact | None] = client.contacts or [None]
        for contact in contacts:
            sheet.rows.append([*company, *_contact_cells(contact), *info])
    return sheet


def _client_cells(client: ExportClient, language: Language) -> list[_Value]:
    return [
        client.name,
        client.tax_id,
        _phone(client.phone),
        _word(language, client.segment),
        _word(language, client.tier),
        _word(language, client.status),
        client.cadence_days,
        _word(language, client.preferred_channel),
        ", ".join(client.tags) or None,
    ]


def _contact_cells(contact: ExportContact | None) -> list[_Value]:
    if contact is None:
        return [None] * 5
    return [
        contact.name,
        contact.role,
        _phone(contact.phone),
        contact.email,
        _birthday(contact),
    ]


def _phone(phone: str | None) -> _Phone | None:
    if not phone:
        return None
    return _Phone(normalize_phone(phone) or phone)


def _birthday(contact: ExportContact) -> str | None:
    # Text, day first, in both languages: the format import reads, with or without the year.
    if contact.birth_day is None or contact.birth_month is None:
        return None
    text = f"{contact.birth_day:02d}.{contact.birth_month:02d}"
    return f"{text}.{contact.birth_year:04d}" if contact.birth_year else text


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    # Excel has no time zones: the manager's wall-clock time, without tzinfo.
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


def _touches(data: ExportData) -> _Sheet:
    language, zone = data.language, ZoneInfo(data.timezone)
    headers = _with_zone(_TOUCH_HEADERS[language], (2, 6, 8), data.timezone)
    sheet = _Sheet(_SHEETS["touches"][language], "touches.csv", headers)
    for touch in data.touches:
        sheet.rows.append(
            [
                touch.client_name,
                _word(language, touch.kind),
                _local(touch.occurred_at, zone),
                _word(language, touch.outcome),
                touch.summary or None,
                touch.next_step,
                _due(touch, zone),
                touch.contact_name,
                _local(touch.next_step_done_at, zone),
            ]
        )
    return sheet


def _due(touch: ExportTouch, zone: ZoneInfo) -> date | None:
    # A step due on a day (no hour) is a date cell, a timed one a date-and-time cell: the cell's
    # kind carries next_step_has_time, so a restore gets it back without a column of its own.
    due = _local(touch.next_step_due_at, zone)
    if due is None or touch.next_step_has_time:
        return due
    return due.date()


def _notes(data: ExportData) -> _Sheet:
    language, zone = data.language, ZoneInfo(data.timezone)
    headers = _with_zone(_NOTE_HEADERS[language], (5, 6), data.timezone)
    sheet = _Sheet(_SHEETS["notes"][language], "notes.csv", headers)
    for note in data.notes:
        sheet.rows.append(
            [
                note.client_name,
                note.contact_name,
                note.text,
                ", ".join(note.tags) or None,
                _word(language, "yes" if note.is_private else "no"),
                _local(note.created_at, zone),
                _local(note.remind_at, zone),
            ]
        )
    return sheet


def _sales(data: ExportData) -> _Sheet:
    language, zone = data.language, ZoneInfo(data.timezone)
    headers = _with_zone(_SALE_HEADERS[language], (1,), data.timezone)
    sheet = _Sheet(_SHEETS["sales"][language], "sales.csv", headers)
    for sale in data.sales:
        precision = _precision(sale.currency)
        amount = Decimal(sale.amount_minor).scaleb(-precision)
        sheet.rows.append(
            [
                sale.client_name,
                _local(sale.sold_at, zone),
                _Money(amount, precision),
                sale.currency,
                sale.product_line,
            ]
        )
    return sheet


def _requests(data: ExportData) -> _Sheet:
    language, zone = data.language, ZoneInfo(data.timezone)
    headers = _with_zone(_REQUEST_HEADERS[language], (2, 3, 4), data.timezone)
    sheet = _Sheet(_SHEETS["requests"][language], "requests.csv", headers)
    for request in data.requests:
        sheet.rows.append(
            [
                request.client_name,
                request.text,
                _local(request.opened_at, zone),
                _local(request.first_response_at, zone),
                _local(request.resolved_at, zone),
                request.feedback,
            ]
        )
    return sheet


def _reviews(data: ExportData) -> _Sheet:
    language, zone = data.language, ZoneInfo(data.timezone)
    headers = _with_zone(_REVIEW_HEADERS[language], (3,), data.timezone)
    sheet = _Sheet(_SHEETS["reviews"][language], "reviews.csv", headers)
    for review in data.reviews:
        rating = "positive" if review.is_positive else "negative"
        sheet.rows.append(
            [
                review.client_name,
                _word(language, rating),
                review.text,
                _local(review.created_at, zone),
            ]
        )
    return sheet


def _plans(data: ExportData) -> _Sheet:
    language = data.language
    sheet = _Sheet(_SHEETS["plans"][language], "plans.csv", list(_PLAN_HEADERS[language]))
    for plan in data.plans:
        precision = _precision(plan.currency)
        sheet.rows.append(
            [
                _word(language, plan.period_kind),
                plan.period_start,
                plan.client_name,
                _Money(Decimal(plan.amount_minor).scaleb(-precision), precision),
                plan.currency,
            ]
        )
    return sheet


def _reminders(data: ExportData) -> _Sheet:
    language, zone = data.language, ZoneInfo(data.timezone)
    headers = _with_zone(_REMINDER_HEADERS[language], (3,), data.timezone)
    sheet = _Sheet(_SHEETS["reminders"][language], "reminders.csv", headers)
    for reminder in data.reminders:
        sheet.rows.append(
            [
                _word(language, reminder.kind),
                reminder.client_name,
                reminder.contact_name,
                _local(reminder.due_at, zone),
                _word(language, reminder.state),
                reminder.text,
            ]
        )
    return sheet


def _precision(currency: str) -> int:
    # Minor units per ISO 4217 (RUB 2, JPY 0, KWD 3); Babel knows them offline.
    return int(get_currency_precision(currency))


def _with_zone(headers: list[str], columns: tuple[int, ...], timezone: str) -> list[str]:
    # Times are the manager's wall clock; say which, since the file outlives a timezone change.
    return [f"{h} ({timezone})" if i in columns else h for i, h in enumerate(headers)]


# --- neutralization --------------------------------------------------------------------------


def neutralize(text: str) -> str:
    """The text with a leading apostrophe when a spreadsheet could take it for a formula."""
    if text.startswith(_DANGEROUS_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _clean(text: str) -> str:
    return _ILLEGAL_XML.sub("", text)


# --- XLSX ------------------------------------------------------------------------------------


def build_workbook(data: ExportData, document: bytes | None = None) -> bytes:
    """All sheets as one XLSX; write-only mode streams rows instead of building cells.

    With ``document`` (kambot.json), the workbook carries it hidden and sealed, so that the
    XLSX sent back as it came restores everything (bot/services/exchange/workbook_bundle.py).
    """
    workbook = Workbook(write_only=True)
    formats = (_DATETIME_FORMAT[data.language][1], _DATE_FORMAT[data.language][1])
    for sheet in _sheets(data):
        _write_sheet(workbook, sheet, formats)
    if document is not None:
        workbook_bundle.write_hidden_sheet(workbook, document)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue() if document is None else workbook_bundle.seal(buffer.getvalue())


def _write_sheet(workbook: Any, sheet: _Sheet, formats: tuple[str, str]) -> None:
    worksheet = workbook.create_sheet(sheet.name)
    # Write-only sheets take layout before the first row.
    worksheet.freeze_panes = "A2"
    for index, width in enumerate(_widths(sheet), 1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    last = get_column_letter(len(sheet.headers))
    worksheet.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
    bold = Font(bold=True)
    worksheet.append([_xlsx_cell(worksheet, header, formats, bold) for header in sheet.headers])
    for row in sheet.rows:
        worksheet.append([_xlsx_cell(worksheet, value, formats) for value in row])


def _xlsx_cell(worksheet: Any, value: _Value, formats: tuple[str, str], font: Any = None) -> Any:
    if isinstance(value, _Phone) and _STRICT_PHONE.match(value.text):
        cell = WriteOnlyCell(worksheet, value=value.text)
        cell.quotePrefix = True
        return cell
    if isinstance(value, _Phone):  # a phone we could not normalize is just text
        value = value.text
    if isinstance(value, _Money):
        number = (
            int(value.amount)
            if value.amount == value.amount.to_integral_value()
            else float(value.amount)
        )
        cell = WriteOnlyCell(worksheet, value=number)
        cell.number_format = "#,##0" if value.precision == 0 else "#,##0." + "0" * value.precision
        return cell
    if isinstance(value, date):  # a datetime too: the format tells which
        cell = WriteOnlyCell(worksheet, value=value)
        cell.number_format = formats[0] if isinstance(value, datetime) else formats[1]
        return cell
    if isinstance(value, str):
        # Neutralized text never starts with "=", so openpyxl never types it as a formula.
        # Excel refuses (and "repairs") a cell over 32,767 characters; the CSV keeps it whole.
        value = neutralize(_clean(value))[:_XLSX_MAX_TEXT]
    if font is None:
        return value  # a plain value: openpyxl makes the cell, cheaper than a styled one
    cell = WriteOnlyCell(worksheet, value=value)
    cell.font = font
    return cell


def _widths(sheet: _Sheet) -> list[float]:
    widths = [len(header) + 2 for header in sheet.headers]
    for row in sheet.rows[:1000]:  # a sample is enough to size columns
        for index, value in enumerate(row):
            widths[index] = max(widths[index], len(_display(value)) + 2)
    return [float(min(max(width, _MIN_WIDTH), _MAX_WIDTH)) for width in widths]


def _display(value: _Value) -> str:
    if isinstance(value, _Phone):
        return value.text
    if isinstance(value, _Money):
        return f"{value.amount:,}"
    if isinstance(value, date):
        return "00.00.0000 00:00" if isinstance(value, datetime) else "00.00.0000"
    return "" if value is None else str(value)


# --- CSV -------------------------------------------------------------------------------------


def build_csvs(data: ExportData) -> dict[str, bytes]:
    """clients.csv, touches.csv, notes.csv, sales.csv, requests.csv, reviews.csv, plans.csv,
    reminders.csv.

    UTF-8 with a BOM and ";" between fields: Excel opens a BOM-less CSV in the ANSI code page
    (Windows-1251 in Russia, so UTF-8 Cyrillic turns into mojibake), and Russian Excel splits
    fields on ";" because "," is its decimal separator; every other tool reads both.
    """
    formats = (_DATETIME_FORMAT[data.language][0], _DATE_FORMAT[data.language][0])
    decimal_comma = data.language == "ru"
    return {
        sheet.file: _csv_bytes(sheet, lambda v: _csv_text(v, formats, decimal_comma))
        for sheet in _sheets(data)
    }


def _csv_bytes(sheet: _Sheet, text: Callable[[_Value], str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralize(header) for header in sheet.headers])
    for row in sheet.rows:
        writer.writerow([text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_text(value: _Value, formats: tuple[str, str], decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, _Phone):
        return neutralize(value.text)
    if isinstance(value, _Money):
        text = format(value.amount, "f")
        # Russian Excel reads "150000,5" as a number and "150000.5" as text (or a date).
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, date):
        return value.strftime(formats[0] if isinstance(value, datetime) else formats[1])
    if isinstance(value, int):
        return str(value)
    return neutralize(value)
