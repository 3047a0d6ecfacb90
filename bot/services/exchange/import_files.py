"""What a file sent to /import is: a client list, a kambot export to restore, or a table of
touches, notes, sales... — each goes where it belongs, never all into clients.

Pure and synchronous (it runs in the thread pool): bytes in, a parsed upload out.

* A ZIP with ``kambot.json``: the whole export, lossless (bot/services/exchange/bundle_json.py).
* A ZIP of kambot CSVs without it (an export made before the JSON existed): every CSV by kind.
* Any other ZIP: refused, saying it is not a kambot export and what to send.
* An XLSX with kambot's sheets (Клиенты, Касания, ...): every sheet by kind.
* A single table (CSV, or an XLSX with one sheet): by its headers, a touches/notes/sales/...
  table is read as such; anything else is today's client import.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Final
from zoneinfo import ZoneInfo

from bot.services.exchange import bundle_json, importing, workbook_bundle
from bot.services.exchange.export_model import ExportClient, ExportContact, ExportData
from bot.services.exchange.exporting import INFO_HEADERS
from bot.services.exchange.import_limits import (
    MAX_UNPACKED_BYTES,
    ImportFileError,
    unpacked_too_large,
)
from bot.services.exchange.import_mapping import map_columns
from bot.services.exchange.import_model import RowError
from bot.services.exchange.import_readers import Table, header_key, read_table, read_workbook_tables
from bot.services.exchange.sheet_kinds import sheet_title_kind, split_zone, table_kind
from bot.services.exchange.sheet_records import parse_kind_table, wall_clock, yes_no

_ZIP_MAGIC: Final = b"PK\x03\x04"
# An export's CSVs, in the order their rows link: clients first.
_CSV_FILES: Final = (
    "clients.csv",
    "touches.csv",
    "notes.csv",
    "sales.csv",
    "requests.csv",
    "reviews.csv",
    "plans.csv",
)


@dataclass(slots=True)
class Restorable:
    """Rows of every kind to go through bot/services/exchange/restore.py."""

    data: ExportData
    source: str  # "json" | "sheets" | a kind: "touches", "notes", "sales", ...
    errors: list[RowError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # headers not read, for the preview
    sheets: list[str] = field(default_factory=list)  # the sheets or files read


Upload = importing.ImportResult | Restorable


def read_upload(content: bytes, filename: str, today: date, timezone: str) -> Upload:
    if content.startswith(_ZIP_MAGIC) and not _is_workbook(content):
        return _read_zip(content, today, timezone)
    if content.startswith(_ZIP_MAGIC):
        document = workbook_bundle.hidden_document(content)
        if document is not None:
            return Restorable(bundle_json.load(document), "json", sheets=["XLSX"])
        tables = [
            t
            for t in read_workbook_tables(content)
            if header_key(t.sheet or "") != workbook_bundle.SHEET_TITLE
        ]
        kinds = [sheet_title_kind(t.sheet) or table_kind(t.headers) for t in tables]
        if len([k for k in kinds if k is not None]) > 1:
            # An edited /export workbook (its seal broken): every sheet by its kind.
            return _from_tables(tables, today, timezone, "sheets")
    if filename.lower().endswith(".json") or content.lstrip()[:1] == b"{":
        # kambot.json taken out of the ZIP and sent alone.
        return Restorable(bundle_json.load(content), "json", sheets=[bundle_json.FILE_NAME])
    table = read_table(content, filename)
    kind = table_kind(table.headers)
    if kind in (None, "clients"):
        mapping = map_columns(table.headers)
        parsed = importing.parse_rows(table, mapping, today)
        return importing.ImportResult(table, mapping, parsed, parsed.clients)
    return _from_tables([table], today, timezone, kind)


def _from_tables(tables: list[Table], today: date, timezone: str, source: str) -> Restorable:
    """Rows of every table by its kind; a reminders table alone is refused (it can't be
    restored without the rows it reminds of)."""
    parts: dict[str, list[object]] = {}
    clients: list[ExportClient] = []
    errors: list[RowError] = []
    skipped: list[str] = []
    for table in tables:
        kind = sheet_title_kind(table.sheet) or table_kind(table.headers)
        if kind is None:
            continue
        if kind == "reminders":
            if source != "sheets":
                raise ImportFileError("import-file-reminders-table")
            continue  # the workbook's reminders need the ids only kambot.json has
        if kind == "clients":
            found, problems, ignored = _clients(table, today)
            clients.extend(found)
            errors.extend(problems)
            skipped.extend(ignored)
            continue
        parsed = parse_kind_table(kind, table, timezone)
        parts.setdefault(kind, []).extend(parsed.records)
        errors.extend(parsed.errors)
        skipped.extend(h for h in parsed.skipped if h not in skipped)
    data = ExportData(
        clients=clients,
        touches=parts.get("touches", []),  # type: ignore[arg-type]
        notes=parts.get("notes", []),  # type: ignore[arg-type]
        sales=parts.get("sales", []),  # type: ignore[arg-type]
        requests=parts.get("requests", []),  # type: ignore[arg-type]
        reviews=parts.get("reviews", []),  # type: ignore[arg-type]
        plans=parts.get("plans", []),  # type: ignore[arg-type]
        timezone=timezone,
    )
    sheets = [t.sheet or "" for t in tables]
    return Restorable(data, source, errors=errors, skipped=skipped, sheets=sheets)


def _clients(table: Table, today: date) -> tuple[list[ExportClient], list[RowError], list[str]]:
    """The client sheet through the client import's own parsing, plus the export's archive and
    created columns that a plain client import leaves out."""
    mapping = map_columns(table.headers)
    parsed = importing.parse_rows(table, mapping, today)
    info = _info_columns(table)
    by_row = dict(zip(table.row_numbers, table.rows, strict=True))
    clients = []
    for index, draft in enumerate(parsed.clients, 1):
        cells = by_row.get(draft.rows[0], []) if draft.rows else []
        archived = yes_no(_cell(cells, info.get("archived"))) is True
        created = _created(_cell(cells, info.get("created")), table.headers, info.get("created"))
        clients.append(
            ExportClient(
                id=-index,
                name=draft.name,
                segment=draft.segment or "b2b",
                tier=draft.tier or "regular",
                status=draft.status or "active",
                cadence_days=draft.cadence_days,
                preferred_channel=draft.preferred_channel,
                tax_id=draft.tax_id,
                phone=draft.phone,
                tags=draft.tags,
                archived=archived,
                created_at=created,
                contacts=[
                    ExportContact(
                        name=c.name,
                        role=c.role,
                        phone=c.phone,
                        email=c.email,
                        birth_day=c.birthday.day if c.birthday else None,
                        birth_month=c.birthday.month if c.birthday else None,
                        birth_year=c.birthday.year if c.birthday else None,
                    )
                    for c in draft.contacts
                ],
            )
        )
    ignored = [h for h in mapping.ignored if h]
    return clients, parsed.errors, ignored


def _info_columns(table: Table) -> dict[str, int]:
    found: dict[str, int] = {}
    for field_name, names in INFO_HEADERS.items():
        keys = {header_key(n) for n in names.values()}
        for index, header in enumerate(table.headers):
            if header_key(split_zone(header)[0]) in keys:
                found.setdefault(field_name, index)
    return found


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _created(text: str, headers: list[str], index: int | None) -> datetime | None:
    found = wall_clock(text) if text and index is not None else None
    if found is None or index is None:
        return None
    zone = split_zone(headers[index])[1] or "UTC"
    return found[0].replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _csv_zip(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], today: date, timezone: str
) -> Restorable:
    """The CSVs of an export made before kambot.json existed, each by its kind."""
    tables = []
    for name in _CSV_FILES:
        info = members.get(name)
        if info is None:
            continue
        try:
            raw = archive.read(info)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
            raise ImportFileError("import-file-corrupt") from exc
        table = read_table(raw, name)
        table.sheet = name
        tables.append(table)
    if "clients.csv" not in members or not tables:
        raise ImportFileError("import-file-zip-not-kambot")
    return _from_tables(tables, today, timezone, "sheets")


def _is_workbook(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in {n.lower() for n in archive.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        return True  # let the workbook reader say it is corrupt


def _read_zip(content: bytes, today: date, timezone: str) -> Restorable:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = {info.filename.rsplit("/", 1)[-1].lower(): info for info in archive.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError("import-file-corrupt") from exc
    if sum(info.file_size for info in members.values()) > MAX_UNPACKED_BYTES:
        raise unpacked_too_large(MAX_UNPACKED_BYTES)
    found = members.get(bundle_json.FILE_NAME)
    if found is None:
        return _csv_zip(archive, members, today, timezone)
    if found.file_size > bundle_json.MAX_JSON_BYTES:
        raise ImportFileError(
            "restore-json-too-large", limit_mb=bundle_json.MAX_JSON_BYTES // (1024 * 1024)
        )
    try:
        raw = archive.read(found)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise ImportFileError("import-file-corrupt") from exc
    return Restorable(bundle_json.load(raw), "json", sheets=[bundle_json.FILE_NAME])
