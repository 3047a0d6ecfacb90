"""CallbackData factories. callback_data carries short codes and ids, never text (64-byte cap)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import AfterValidator, Field

from storage.enums import PeriodKind

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


class Flow(StrEnum):
    ONBOARDING = "o"
    SETTINGS = "s"


class PrefField(StrEnum):
    """The personal setting a PrefCb button sets; each has its own handler."""

    LANGUAGE = "lang"
    TIMEZONE = "tz"
    MODE = "mode"
    DIGEST = "digest"
    QUIET = "quiet"
    BIRTHDAY_LEAD = "lead"
    CADENCE_KEY = "ck"
    CADENCE_REGULAR = "cr"


class PrefCb(CallbackData, prefix="p"):
    """A chosen value for one personal setting, in onboarding or in /settings."""

    field: PrefField
    value: str  # "skip": the step is skipped, nothing is set
    flow: Flow


class SettingsItem(StrEnum):
    """An item of the /settings menu: a setting to ask about, back to the menu, or close."""

    LANGUAGE = "lang"
    TIMEZONE = "tz"
    MODE = "mode"
    DIGEST = "digest"
    QUIET = "quiet"
    REMINDERS = "reminders"
    MENU = "menu"
    CLOSE = "close"


class SettingsCb(CallbackData, prefix="sm"):
    """Opens one item of the /settings menu."""

    item: SettingsItem


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


class ContactAction(StrEnum):
    """What a contact button does; each action has its own handler."""

    OPEN = "open"
    ASK = "ask"
    DELETE = "del"
    PURGE = "purge"
    MOVE = "mv"  # «🏢 Не тот клиент» under a saved contact


class ContactCb(CallbackData, prefix="ct"):
    action: ContactAction
    id: Id
    field: str = ""


class ImportAction(StrEnum):
    GO = "go"
    CANCEL = "cancel"


class ImportCb(CallbackData, prefix="im"):
    action: ImportAction


class TouchAction(StrEnum):
    """What a button under a logged touch does; each action has its own handler."""

    ASK_KIND = "kind"
    SET_KIND = "setk"
    ASK_DUE = "due"
    SET_DUE = "setd"
    ASK_CLIENT = "client"
    UNDO = "undo"
    DONE = "done"  # the promised next step was kept (agenda, brief, card)


class TouchCb(CallbackData, prefix="t"):
    """An action on a logged touch; `id` is re-checked against the asking manager."""

    action: TouchAction
    id: Id
    value: Value = ""


class TapCb(CallbackData, prefix="tp"):
    """Logging by taps: client → type → outcome; each step carries what was chosen so far."""

    id: Id  # client id
    kind: str = ""  # kind
    outcome: str = ""  # outcome, "x" for skipped


class NoteAction(StrEnum):
    UNDO = "undo"


class NoteCb(CallbackData, prefix="n"):
    action: NoteAction
    id: Id


class ReminderAction(StrEnum):
    DONE = "done"
    LOG = "log"
    SNOOZE = "snooze"  # value: 1h | tomorrow | 3d | week


class ReminderCb(CallbackData, prefix="r"):
    """A tap on a reminder: done | log | snooze (v = 1h | tomorrow | 3d | week)."""

    action: ReminderAction
    id: Id
    value: Value = ""


class RequestAction(StrEnum):
    """What a B2C request button does; each action has its own handler."""

    OPEN = "open"
    RESPONDED = "resp"
    RESOLVED = "done"
    UNDO = "undo"
    LIST = "list"  # the open list, at `page`
    CREATE_CLIENT = "new"  # create the client the waiting request or review names


class RequestCb(CallbackData, prefix="rq"):
    """A B2C request. `id` is re-checked against the asking manager."""

    action: RequestAction
    id: OptionalId = 0
    page: Page = 0


class EntryKind(StrEnum):
    """What a «🏢 Не тот клиент» button moves; services/crm/entry_move.py keys by these codes."""

    NOTE = "n"
    REQUEST = "rq"
    REVIEW = "rv"


class MoveCb(CallbackData, prefix="mv"):
    """«🏢 Не тот клиент» under a saved note, request or review. `id` is re-checked against the
    asking manager: a forged one moves nothing."""

    kind: EntryKind
    id: Id


class ReviewAction(StrEnum):
    UNDO = "undo"
    OPEN_REQUEST = "req"  # a request to work on, from a negative review


class ReviewCb(CallbackData, prefix="rv"):
    """A saved review."""

    action: ReviewAction
    id: Id


class ReviewSign(StrEnum):
    POSITIVE = "p"
    NEGATIVE = "n"


class ReviewSignCb(CallbackData, prefix="rvs"):
    """👍/👎 under a mixed review: the draft waits in FSM data under the prompt's message id."""

    sign: ReviewSign


class KpiAction(StrEnum):
    PERIOD = "p"  # the report for `period`
    CHART = "c"  # its chart


class KpiCb(CallbackData, prefix="kp"):
    """/kpi. Only the period kind travels: the report is always the pressing manager's own, so
    there is no id to forge."""

    action: KpiAction
    period: PeriodKind


class SaleAction(StrEnum):
    """What a sale button does; each action has its own handler."""

    # On a logged sale (`id` = sale).
    UNDO = "undo"
    ASK_AMOUNT = "amt"
    ASK_LINE = "line"
    ASK_DATE = "date"
    ASK_CLIENT = "cli"
    DAYS_AGO = "d"  # `value` = days ago
    MOVE = "mv"  # `value` = client id
    # On a waiting sale draft (`id` = client).
    PICK = "pick"
    CREATE_CLIENT = "new"
    RESTORE = "rst"  # restore the archived client and save
    CANCEL = "cancel"


class SaleCb(CallbackData, prefix="sl"):
    """An action on a logged sale or on a waiting sale draft. Every id is re-checked against the
    asking manager."""

    action: SaleAction
    id: OptionalId = 0
    value: Value = ""


class PlanAction(StrEnum):
    PICK = "pick"  # `id` = client for the waiting per-client plan
    KEY = "key"  # `id` = client to mark 🔑


class PlanCb(CallbackData, prefix="pl"):
    action: PlanAction
    id: OptionalId = 0


class DemoAction(StrEnum):
    LEAVE = "leave"
    DELETE = "delete"  # asks first
    PURGE = "purge"  # confirmed
    KEEP = "keep"


class DemoCb(CallbackData, prefix="dm"):
    """/demo: leave | delete (ask) | purge (confirmed) | keep. `id` is the sandbox's manager id,
    re-checked against the pressing manager's own sandbox."""

    action: DemoAction
    id: OptionalId = 0


class TeamAction(StrEnum):
    """Team buttons (issue 10). Every one re-checks the presser's team and role at the tap."""

    JOIN = "join"  # `value` = the link's token, `id` 1 = bring my clients, 0 = keep them
    REVOKE = "revoke"  # `id` = invite
    MEMBERS = "members"
    MEMBER = "member"  # `id` = member: their card of actions
    MAKE_HEAD = "head"  # `id` = member
    MAKE_MANAGER = "mgr"  # `id` = member
    REMOVE_ASK = "rm?"  # `id` = member
    REMOVE = "rm"  # `id` = member, confirmed
    LEAVE = "leave"  # confirmed (/team leave asks first)


class TeamCb(CallbackData, prefix="tm"):
    action: TeamAction
    id: OptionalId = 0
    value: Value = ""


class TeamTableAction(StrEnum):
    """The head's /team table (issue 10). Every one re-checks at the tap that the presser heads
    a team and that the member or client is in it; a forged id is "not found"."""

    PERIOD = "p"  # the table for `period`
    CHART = "c"  # the team chart for `period`
    MEMBER = "m"  # `id` = member: their /kpi for `period`
    OVERDUE = "o"  # `id` = member: their overdue clients, `page`
    CLIENTS = "l"  # `id` = member: their clients, `page`
    CARD = "k"  # `id` = client: the read-only card
    HISTORY = "h"  # `id` = client: its history, `page`


class TeamTableCb(CallbackData, prefix="tt"):
    action: TeamTableAction
    id: OptionalId = 0
    period: PeriodKind = PeriodKind.MONTH
    page: Page = 0


class HandoverAction(StrEnum):
    """/handover and /team log (issue 10). `src` is the source member the dialog is about: a
    button of an older dialog (another source) is refused; every tap re-checks head and members.
    """

    SOURCE = "src"  # `id` = member whose clients move
    ALL = "all"
    TAGS = "tags"
    TAG = "tag"  # `id` = index into the tag list kept in the dialog's state
    PICK = "pick"  # the checklist, `page`
    TOGGLE = "tg"  # `id` = client, `page` to redraw
    DONE = "done"  # the checklist is chosen
    TARGET = "to"  # `id` = member who receives
    CONFIRM = "ok"  # `id` = target
    CANCEL = "x"
    LOG = "log"  # /team log, `page`


class HandoverCb(CallbackData, prefix="ho"):
    action: HandoverAction
    id: OptionalId = 0
    src: OptionalId = 0
    page: Page = 0
