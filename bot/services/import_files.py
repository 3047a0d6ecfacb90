"""What a file sent to /import is: a client list, a kambot export to restore, or a table of
touches, notes, sales... — each goes where it belongs, never all into clients.

Pure and synchronous (it runs in the thread pool): bytes in, a parsed upload out.

* A ZIP with ``kambot.json``: the whole export, lossless (bot/services/bundle_json.py).
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
from datetime import date
from typing import Final

from bot.services import bundle_json, importing, workbook_bundle
from bot.services.export_model import ExportData
from bot.services.import_limits import MAX_UNPACKED_BYTES, ImportFileError, unpacked_too_large
from bot.services.import_model import RowError

_ZIP_MAGIC: Final = b"PK\x03\x04"


@dataclass(slots=True)
class Restorable:
    """Rows of every kind to go through bot/services/restore.py."""

    data: ExportData
    source: str  # "json" | "sheets" | a kind: "touches", "notes", "sales", ...
    errors: list[RowError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # headers not read, for the preview
    sheets: list[str] = field(default_factory=list)  # the sheets or files read


Upload = importing.ImportResult | Restorable


def read_upload(content: bytes, filename: str, today: date, timezone: str) -> Upload:
    if content.startswith(_ZIP_MAGIC) and not _is_workbook(content):
        return _read_zip(content)
    if content.startswith(_ZIP_MAGIC):
        document = workbook_bundle.hidden_document(content)
        if document is not None:
            return Restorable(bundle_json.load(document), "json", sheets=["XLSX"])
    if filename.lower().endswith(".json") or content.lstrip()[:1] == b"{":
        # kambot.json taken out of the ZIP and sent alone.
        return Restorable(bundle_json.load(content), "json", sheets=[bundle_json.FILE_NAME])
    return importing.parse_file(content, filename, today)


def _is_workbook(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in {n.lower() for n in archive.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        return True  # let the workbook reader say it is corrupt


def _read_zip(content: bytes) -> Restorable:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = {info.filename.rsplit("/", 1)[-1].lower(): info for info in archive.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError("import-file-corrupt") from exc
    if sum(info.file_size for info in members.values()) > MAX_UNPACKED_BYTES:
        raise unpacked_too_large(MAX_UNPACKED_BYTES)
    found = members.get(bundle_json.FILE_NAME)
    if found is None:
        raise ImportFileError("import-file-zip-not-kambot")
    if found.file_size > bundle_json.MAX_JSON_BYTES:
        raise ImportFileError(
            "restore-json-too-large", limit_mb=bundle_json.MAX_JSON_BYTES // (1024 * 1024)
        )
    try:
        raw = archive.read(found)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise ImportFileError("import-file-corrupt") from exc
    return Restorable(bundle_json.load(raw), "json", sheets=[bundle_json.FILE_NAME])
