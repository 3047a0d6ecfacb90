"""Domain errors every service raises the same way, so one place answers them for the user
(handlers/errors.py): a handler never catches "not found" itself.

``key`` is the i18n key of the answer. Not found and not yours are one error on purpose: a
forged id for someone else's row learns nothing that a deleted row wouldn't tell.
"""

from __future__ import annotations

from typing import ClassVar


class NotFound(LookupError):
    key: ClassVar[str] = "callback-outdated"
