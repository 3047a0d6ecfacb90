"""Domain errors every service raises the same way, so one place answers them for the user
(handlers/errors.py): a handler never catches "not found" itself.

``key`` is the i18n key of the answer. Not found and not yours are one error on purpose: a
forged id for someone else's row learns nothing that a deleted row wouldn't tell.
"""

from __future__ import annotations

from typing import ClassVar


class NotFound(LookupError):
    key: ClassVar[str] = "callback-outdated"


class Refused(ValueError):
    """An action that cannot be done as asked (a bad value, a rule it would break).

    ``key`` is the answer's i18n key and ``fields`` its arguments. Unlike ``NotFound`` the
    dialog stays open: the user can try again at once.
    """

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields
