"""The small formats every view uses: escaping, durations, and the day a moment falls on."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from bot.i18n import Translator


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def format_duration(t: Translator, seconds: float) -> str:
    """ "12 мин", "2 ч 5 мин", "3 дн. 4 ч": two units at most, read at a glance.

    The one duration format of the bot (request cards, the open list, /kpi medians): whole
    minutes, truncated like percents are — "59 мин" is not yet the hour an SLA may allow."""
    total = max(int(seconds), 0) // 60
    days, rest = divmod(total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        parts = [t("dur-days", n=days)] + ([t("dur-hours", n=hours)] if hours else [])
    elif hours:
        parts = [t("dur-hours", n=hours)] + ([t("dur-minutes", n=minutes)] if minutes else [])
    elif minutes:
        parts = [t("dur-minutes", n=minutes)]
    else:
        return t("dur-under-minute")
    return " ".join(parts)


class Reader(Protocol):
    """Whose clock and language a date is shown in: a Manager, or a reminder Ping."""

    @property
    def timezone(self) -> str: ...

    @property
    def language(self) -> str: ...


def when_label(
    t: Translator, moment: datetime, manager: Reader, now: datetime, *, with_time: bool
) -> str:
    zone = ZoneInfo(manager.timezone)
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    delta = (local.date() - today).days
    if delta in (-1, 0, 1):
        day = t("day-relative", delta=delta)
    else:
        pattern = "EEE, d MMM" if manager.language == "ru" else "EEE, MMM d"
        if local.year != today.year:
            # Another year is said, never left to guess (issue 15: a sale a year back looked new).
            pattern += " y" if manager.language == "ru" else ", y"
        day = format_date(local.date(), pattern, locale=manager.language)
    if with_time:
        return f"{day}, {format_time(local.time(), 'HH:mm', locale=manager.language)}"
    return day
