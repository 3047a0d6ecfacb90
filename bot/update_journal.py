"""Updates confirmed to Telegram before they finished, kept on disk until they do.

The poller confirms an update only when it and every earlier one finished, so one slow update
(a big /export) would hold the getUpdates window (Telegram shows the earliest 100 unconfirmed
updates) and, after 100 more, stop the bot from seeing anything new. An update that runs longer
than a moment is therefore *parked*: its JSON is written here (write, fsync, rename) and only
then is the offset moved past it. When it finishes its file goes. After a crash the files
left are replayed first at the next start; the idempotency middleware skips those whose
handler had already committed. One file per update, so parking and finishing never rewrite
anything else.

Polling only (one process polls a token); webhook updates are retried by Telegram itself.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from aiogram import Bot
from aiogram.types import Update
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)
FOLDER_NAME = "updates-in-flight"


def journal_folder(database_url: str) -> Path:
    """Beside the SQLite file (the bot's data folder); the working folder otherwise."""
    url = make_url(database_url)
    if url.drivername.startswith("sqlite") and url.database not in (None, "", ":memory:"):
        return Path(url.database).expanduser().resolve().parent / FOLDER_NAME
    return Path.cwd() / FOLDER_NAME


class UpdateJournal:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, update_id: int) -> Path:
        return self.folder / f"{update_id}.json"

    def park(self, update: Update) -> bool:
        """Stores the update durably; False (and the offset must stay) when that failed."""
        try:
            # A parked update holds the user's text: readable by the bot's own account only.
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            path = self._path(update.update_id)
            temporary = path.with_suffix(".tmp")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(descriptor, "w", encoding="utf-8") as file:
                file.write(update.model_dump_json(exclude_unset=True))
                file.flush()
                os.fsync(file.fileno())
            temporary.replace(path)
            folder = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(folder)  # the rename itself survives a power cut
            finally:
                os.close(folder)
        except OSError as exc:
            log.warning("could not park update %s: %s", update.update_id, exc)
            return False
        return True

    def done(self, update_id: int) -> None:
        try:
            self._path(update_id).unlink(missing_ok=True)
        except OSError as exc:  # replayed next start, then skipped as processed: harmless
            log.warning("could not remove parked update %s: %s", update_id, exc)

    def load(self, bot: Bot) -> list[Update]:
        """Parked updates left by a crash, oldest first; unreadable files are logged and kept."""
        if not self.folder.is_dir():
            return []
        updates = []
        for path in self.folder.glob("*.json"):
            try:
                text = path.read_text(encoding="utf-8")
                updates.append(Update.model_validate_json(text, context={"bot": bot}))
            except (OSError, ValueError) as exc:
                log.error("parked update %s unreadable, left in place: %s", path.name, exc)
        return sorted(updates, key=lambda u: u.update_id)
