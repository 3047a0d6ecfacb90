"""Logging set-up. The bot token never reaches a log line: aiogram puts it in request URLs.

Plain text by default; ``LOG_FORMAT=json`` writes one JSON object a line for a log search
(issue 11), with the standard library alone: every module already logs through ``logging``, so a
formatter is all it takes, where structlog would add a dependency and a second API to wire into
the same handlers. Lines logged while an update is handled carry its ``update_id`` and the
user's ``user`` hash (bot/update_log.py opens that context); the Telegram id itself is never
written in JSON, not even inside a message, only its hash.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import sys
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["text", "json"]
UPDATES_LOGGER = "kambot.updates"


@dataclass(slots=True)
class UpdateTrace:
    """The update being handled in this task: what every log line of it is tagged with."""

    update_id: int
    kind: str
    user_id: int | None
    user: str | None
    handler: str | None = None
    failed: bool = False


CURRENT_UPDATE: ContextVar[UpdateTrace | None] = ContextVar("kambot_update", default=None)


def user_hash(user_id: int, token: str) -> str:
    """A user's stable pseudonym in logs: HMAC-SHA256 keyed by a salt of this install's token.

    Stable across restarts and processes of one bot, so one user's lines can be followed; not
    reversible by someone who reads the logs without the token (Telegram ids are small numbers,
    a plain hash of one is found by trying them all)."""
    salt = hashlib.sha256(b"kambot log salt v1:" + token.encode()).digest()
    return hmac.new(salt, str(user_id).encode(), hashlib.sha256).hexdigest()[:12]


class _Redactor:
    def __init__(self, secrets: list[str]) -> None:
        parts: set[str] = set()
        for secret in (s for s in secrets if s):
            parts.add(secret)
            # The numeric bot id before ":" is public; the part after it is the secret.
            _, _, tail = secret.partition(":")
            if tail:
                parts.add(tail)
        # Longest first: the whole token goes before its tail would leave "123:<redacted>".
        self._secrets = sorted(parts, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "<redacted>")
        return text


class RedactingFormatter(logging.Formatter):
    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        self._redact = _Redactor(secrets)

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


# LogRecord's own attributes: whatever else a record has came from ``extra=``.
_RESERVED = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the update's context, the extras."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._redact = _Redactor(secrets)

    def format(self, record: logging.LogRecord) -> str:
        trace = CURRENT_UPDATE.get()
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if trace is not None:
            entry["update_id"] = trace.update_id
            if trace.user is not None:
                entry["user"] = trace.user
        entry.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        if trace is not None and trace.user_id is not None and trace.user is not None:
            # Other modules' messages name the user by id ("update 5 from user 1001 failed").
            pattern = re.compile(rf"(?<!\d){trace.user_id}(?!\d)")
            for key in ("msg", "exc"):
                if key in entry:
                    entry[key] = pattern.sub(trace.user, entry[key])
        return self._redact(json.dumps(entry, ensure_ascii=False, default=str))


class _MarkFailures(logging.Filter):
    """An error logged with a traceback during an update (the error boundary's) marks the
    update failed, so its summary line says so even though the boundary swallowed the error."""

    def filter(self, record: logging.LogRecord) -> bool:
        trace = CURRENT_UPDATE.get()
        if trace is not None and record.levelno >= logging.ERROR and record.exc_info:
            trace.failed = True
        return True


def setup_logging(level: str, secrets: list[str], log_format: LogFormat | None = None) -> None:
    """``log_format`` None: the LOG_FORMAT environment variable, else plain text."""
    chosen = log_format or os.environ.get("LOG_FORMAT", "text").strip().lower()
    handler = logging.StreamHandler(sys.stderr)
    formatter: logging.Formatter = (
        JsonFormatter(secrets)
        if chosen == "json"
        else RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    handler.setFormatter(formatter)
    handler.addFilter(_MarkFailures())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # One line per update is for a log search (JSON); plain text stays as quiet as it was.
    logging.getLogger(UPDATES_LOGGER).setLevel(logging.NOTSET if chosen == "json" else "WARNING")
    # aiohttp's access log and APScheduler's per-run lines drown the useful ones at INFO.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    # APScheduler's "Adding job tentatively" and Alembic's "Context impl SQLiteImpl.",
    # "Running upgrade …" fill a new user's first screen above the line that matters; the
    # runner logs one line of its own when a migration actually ran.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # pymorphy3 announces its dictionary path and revision at every start.
    logging.getLogger("pymorphy3").setLevel(logging.WARNING)
