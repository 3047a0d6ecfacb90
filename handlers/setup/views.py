"""Rendering of replies that several handlers share. Texts come from the locale files."""

from __future__ import annotations

from datetime import datetime

from bot.i18n import Translator
from bot.services.parsing.timezones import describe_timezone
from storage.models import Manager


def timezone_label(manager: Manager, now: datetime) -> str:
    return describe_timezone(manager.timezone, manager.language, now)


def quiet_label(t: Translator, manager: Manager) -> str:
    if manager.quiet_start == manager.quiet_end:
        return t("quiet-none")
    return f"{manager.quiet_start:%H:%M}–{manager.quiet_end:%H:%M}"


def settings_text(t: Translator, manager: Manager, now: datetime) -> str:
    return t(
        "settings-summary",
        language=t(f"language-name-{manager.language}"),
        timezone=timezone_label(manager, now),
        mode=t(f"mode-{manager.work_mode.value}-name"),
        digest=f"{manager.digest_time:%H:%M}",
        quiet=quiet_label(t, manager),
        lead=manager.birthday_lead_days,
        key_days=manager.cadence_key_days,
        regular_days=manager.cadence_regular_days,
    )


def reminders_text(t: Translator, manager: Manager) -> str:
    return t(
        "settings-reminders",
        lead=manager.birthday_lead_days,
        key_days=manager.cadence_key_days,
        regular_days=manager.cadence_regular_days,
    )
