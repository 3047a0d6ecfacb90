"""Logging set-up. The bot token never reaches a log line: aiogram puts it in request URLs."""

from __future__ import annotations

import logging
import sys


class RedactingFormatter(logging.Formatter):
    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "<redacted>")
            # The numeric bot id before ":" is public; the part after it is the secret.
            _, _, tail = secret.partition(":")
            if tail:
                text = text.replace(tail, "<redacted>")
        return text


def setup_logging(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
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
