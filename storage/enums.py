"""Closed vocabularies of the domain, stored as short strings."""

from __future__ import annotations

from enum import StrEnum


class WorkMode(StrEnum):
    B2B = "b2b"  # "farmer": grows a given base against a sales plan
    B2C = "b2c"  # reactive client service: response and resolution times
    KAM = "kam"  # key account manager: few large accounts


class TeamRole(StrEnum):
    MANAGER = "manager"
    HEAD = "head"


class Segment(StrEnum):
    B2B = "b2b"
    B2C = "b2c"


class Tier(StrEnum):
    KEY = "key"
    REGULAR = "regular"


class ClientStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    LOST = "lost"


class Channel(StrEnum):
    CALL = "call"
    MESSAGE = "message"
    EMAIL = "email"
    VISIT = "visit"
    MEETING = "meeting"


class Outcome(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class ReminderKind(StrEnum):
    BIRTHDAY = "birthday"
    CHECKIN = "checkin"
    FOLLOWUP = "followup"
    NOTE = "note"
    DIGEST = "digest"
    WEEKLY = "weekly"


class ReminderState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    SNOOZED = "snoozed"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    BLOCKED = "blocked"
