"""``kambot.json``: the lossless, versioned copy of a manager's base inside the /export ZIP.

The schema is the dataclasses of bot/services/exchange/export_model.py, written and checked
by pydantic
(a kept library, not a hand-written validator). Layout, version 1::

    {"format": "kambot", "version": 1, "exported_at": "2026-12-06T09:00:00Z",
     "settings": {...}, "clients": [{..., "contacts": [...]}], "touches": [...],
     "notes": [...], "sales": [...], "requests": [...], "reviews": [...], "plans": [...],
     "reminders": [...], "timezone": "Europe/Moscow", "language": "ru"}

Times are ISO 8601 in UTC, dates ISO, money integer minor units with its currency. ``id``
fields are the exporting base's ids and only link rows to each other. A reader accepts its own
version and older ones; a newer file is refused with a message that says to update kambot,
never half-read. Fields a version adds get defaults, so older files stay readable.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Final

from pydantic import TypeAdapter, ValidationError

from bot.services.exchange.export_model import ExportData
from bot.services.exchange.import_limits import ImportFileError

FILE_NAME: Final = "kambot.json"
FORMAT: Final = "kambot"
VERSION: Final = 1
# Measured (bench/bench_restore.py): 10,000 clients with 60,000 touches and the rest are 31.5 MB
# of compact JSON (3.3 MB zipped) and peak at ~6x that in memory while restoring; 64 MB holds
# twice that base and keeps a restore under ~400 MB.
MAX_JSON_BYTES: Final = 64 * 1024 * 1024
# Rows of one kind: ten years of a busy manager's touches fit many times over.
MAX_RECORDS: Final = 200_000

_ADAPTER: Final = TypeAdapter(ExportData)
_KINDS: Final = (
    "clients",
    "touches",
    "notes",
    "sales",
    "requests",
    "reviews",
    "plans",
    "reminders",
)


def dump(data: ExportData, exported_at: datetime) -> bytes:
    body = _ADAPTER.dump_python(data, mode="json")
    header = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    }
    # Compact: indentation would cost a fifth of the size, for a file people rarely read raw.
    document = {**header, **body}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def load(content: bytes) -> ExportData:
    """The data of a kambot.json; ``ImportFileError`` for anything else."""
    if len(content) > MAX_JSON_BYTES:
        raise ImportFileError("restore-json-too-large", limit_mb=MAX_JSON_BYTES // (1024 * 1024))
    try:
        document = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFileError("restore-json-corrupt") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFileError("restore-json-corrupt")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportFileError("restore-json-corrupt")
    if version > VERSION:
        raise ImportFileError("restore-json-newer", version=version, supported=VERSION)
    for kind in _KINDS:
        rows = document.get(kind)
        if isinstance(rows, list) and len(rows) > MAX_RECORDS:
            raise ImportFileError("restore-json-too-many", limit=MAX_RECORDS)
    body: dict[str, Any] = {
        key: value
        for key, value in document.items()
        if key not in ("format", "version", "exported_at")
    }
    try:
        return _ADAPTER.validate_python(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ImportFileError("restore-json-invalid", where=where[:80]) from exc
