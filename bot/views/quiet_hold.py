"""The word a confirmation adds when the ping it promises will be held by quiet hours."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_time

from bot.i18n import Translator
from bot.services.crm.touches import followup_due
from bot.services.schedule.schedule_rules import push_out_of_quiet_hours
from storage.models import Manager


def held_suffix(
    t: Translator, manager: Manager, due: datetime, has_time: bool, now: datetime
) -> str:
    """ " · 🌙 придёт в 08:00 (тихие часы)" when the ping for `due` will wait for the end of quiet
    hours, else "": a confirmation must name the time the ping really comes."""
    moment = followup_due(manager, due, has_time)
    if moment <= now:
        return ""
    zone, start, end = manager.timezone, manager.quiet_start, manager.quiet_end
    comes = push_out_of_quiet_hours(moment, zone, start, end)
    if comes == moment:
        return ""
    local = comes.astimezone(ZoneInfo(manager.timezone))
    same_day = local.date() == moment.astimezone(ZoneInfo(manager.timezone)).date()
    return t(
        "quiet-held-suffix",
        time=format_time(local.time(), "HH:mm", locale=manager.language),
        day="same" if same_day else "next",
    )
