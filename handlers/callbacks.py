"""CallbackData factories. callback_data carries short codes and ids, never text (64-byte cap)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import AfterValidator, Field

# Row ids are int4 on PostgreSQL: a forged id outside 1..2³¹−1 would overflow the query. Such
# data fails to unpack, so no handler matches and the fallback says "this button is outdated".
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
OptionalId = Annotated[int, Field(ge=0, le=MAX_ID)]  # 0: "no id" (a list, a draft)
Page = Annotated[int, Field(ge=0, le=MAX_ID)]


def _fits(value: str) -> str:
    """Free values (`v`) carry pages, indices and ids as digits: bound them like ids."""
    if value.lstrip("-").isdigit() and abs(int(value)) > MAX_ID:
        raise ValueError("number out of range")
    return value


Value = Annotated[str, AfterValidator(_fits)]


class Flow:
    ONBOARDING = "o"
    SETTINGS = "s"


class PrefCb(CallbackData, prefix="p"):
    """A chosen value for one personal setting, in onboarding or in /settings."""

    field: str
    value: str
    flow: str


class SettingsCb(CallbackData, prefix="sm"):
    """Opens one item of the /settings menu."""

    item: str


class ClientAction(StrEnum):
    """What a client button does; each action has its own handler."""

    OPEN = "open"
    EDIT = "edit"
    SET = "set"
    ASK = "ask"
    ARCHIVE = "archive"
    RESTORE = "restore"
    DELETE = "delete"
    PURGE = "purge"
    HISTORY = "hist"
    CONTACTS = "contacts"
    BRIEF = "brief"
    TYPE_NAME = "typename"
    # A client picked for what waits in a dialog: a touch, a request, a contact, a note...
    PICK_FOR_LOG = "logc"
    PICK_FOR_REQUEST = "rqc"
    PICK_FOR_CONTACT = "addc"
    PICK_FOR_NOTE = "notec"
    MOVE_CONTACT = "ctmv"
    MOVE_TOUCH = "mvc"
    MOVE_ENTRY = "enmv"


class ClientCb(CallbackData, prefix="c"):
    """An action on one client card. `id` is always re-checked against the asking manager."""

    action: ClientAction  # open | edit | set | ask | archive | restore | delete | purge | contacts
    id: OptionalId = 0
    field: str = ""
    value: Value = ""


class NewClientCb(CallbackData, prefix="nc"):
    """Create the client whose name waits in the dialog data; `dup` creates a namesake."""

    dup: bool = False


class ListCb(CallbackData, prefix="l"):
    view: str = "all"  # all | overdue | key | archived | tag
    page: Page = 0
    tag: Annotated[int, Field(ge=-1, le=MAX_ID)] = -1  # index into the tag list of the page


class ContactCb(CallbackData, prefix="ct"):
    action: str  # open | ask | del | purge
    id: Id
    field: str = ""


class ImportCb(CallbackData, prefix="im"):
    action: str  # go | cancel


class TouchCb(CallbackData, prefix="t"):
    """An action on a logged touch; `id` is re-checked against the asking manager."""

    action: str  # kind | setk | due | setd | client | undo | done
    id: Id
    value: Value = ""


class TapCb(CallbackData, prefix="tp"):
    """Logging by taps: client → type → outcome; each step carries what was chosen so far."""

    id: Id  # client id
    kind: str = ""  # kind
    outcome: str = ""  # outcome, "x" for skipped


class NoteCb(CallbackData, prefix="n"):
    action: str  # undo
    id: Id


class ReminderCb(CallbackData, prefix="r"):
    """A tap on a reminder: done | log | snooze (v = 1h | tomorrow | 3d | week)."""

    action: str
    id: Id
    value: Value = ""


class RequestCb(CallbackData, prefix="rq"):
    """A B2C request: open | resp | done | undo | list (page p) | new (create the client waiting
    in the draft). `id` is re-checked against the asking manager."""

    action: str
    id: OptionalId = 0
    page: Page = 0


class MoveCb(CallbackData, prefix="mv"):
    """«🏢 Не тот клиент» under a saved note (k="n"), request ("rq") or review ("rv"). `id` is
    re-checked against the asking manager: a forged one moves nothing."""

    kind: str
    id: Id


class ReviewCb(CallbackData, prefix="rv"):
    """A saved review: undo | req (open a request from a negative one)."""

    action: str
    id: Id


class KpiCb(CallbackData, prefix="kp"):
    """/kpi: show a period (a="p") or its chart (a="c"). Only the period kind travels: the report
    is always the pressing manager's own, so there is no id to forge."""

    action: str
    period: str  # week | month | quarter | year


class SaleCb(CallbackData, prefix="sl"):
    """An action on a logged sale (`id` = sale) or on a waiting sale draft (`id` = client).

    Sale: undo | amt | line | date | cli | d (v = days ago) | mv (v = client id).
    Draft: pick | new | rst | cancel. Every id is re-checked against the asking manager.
    """

    action: str
    id: OptionalId = 0
    value: Value = ""


class PlanCb(CallbackData, prefix="pl"):
    """pick (`id` = client for the waiting per-client plan) | key (`id` = client to mark 🔑)."""

    action: str
    id: OptionalId = 0


class DemoCb(CallbackData, prefix="dm"):
    """/demo: leave | delete (ask) | purge (confirmed) | keep | reset. `id` is the sandbox's
    manager id, re-checked against the pressing manager's own sandbox."""

    action: str
    id: OptionalId = 0
