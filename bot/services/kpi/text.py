"""KPI numbers for people: percentages and period names per locale (Babel), and the pace line
shared by /kpi, /today, the morning digest and the Monday summary."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator, translator
from bot.services.kpi.build import pace_for
from bot.services.kpi.periods import Period, local_today, period_of, utc_bounds
from bot.services.kpi.report import Pace
from bot.services.money import format_money, format_percent, whole_percent
from storage import kpi as store
from storage.enums import PeriodKind
from storage.models import Manager


def percent(value: Fraction, lang: str) -> str:
    # The one rounding rule lives in bot.services.money: /sale, /plan, /kpi, /today agree.
    return format_percent(value, lang)


def signed_percent(value: Fraction, lang: str) -> str:
    """+12 % / −8 %: a change, always with its sign (0 % stays unsigned)."""
    text = percent(abs(value), lang)
    if whole_percent(abs(value)) == 0:
        return text
    return f"+{text}" if value > 0 else f"−{text}"


def money(minor: int | Fraction, currency: str, lang: str) -> str:
    # An amount as stored; a Fraction (an average) to the whole unit — format_money's one rule.
    return format_money(minor, currency, lang)


def period_label(period: Period, lang: str) -> str:
    if period.kind is PeriodKind.WEEK:
        first = format_date(period.start, "d MMM", locale=lang)
        last = format_date(period.last_day, "d MMM", locale=lang)
        return f"{first} – {last}"
    if period.kind is PeriodKind.MONTH:
        return format_date(period.start, "LLLL yyyy", locale=lang)
    if period.kind is PeriodKind.QUARTER:
        # The one quarter name of /kpi, /plan, /sale and the chart: «4-й квартал 2026» (Babel's
        # short «4-й кв.» reads like a typo in a sentence), "Q4 2026" in English.
        pattern = "QQQ yyyy" if lang == "en" else "QQQQ yyyy"
        return format_date(period.start, pattern, locale=lang)
    # «План на 2026 год», "Plan for 2026": the word is the locale's, not ours.
    return translator(lang)("plan-period-year", year=format_date(period.start, "yyyy", locale=lang))


def pace_parts(t: Translator, pace: Pace, currency: str) -> list[str]:
    """Where the plan stands, in short pieces: day N of M, per day needed, forecast."""
    lang = t.lang
    parts: list[str] = []
    if pace.remaining_minor == 0:
        parts.append(t("kpi-pace-done"))
    elif pace.out_of_days:
        parts.append(t("kpi-pace-no-days", short=money(pace.remaining_minor, currency, lang)))
    else:
        if pace.total_days and pace.day:
            parts.append(t("kpi-pace-day", day=pace.day, total=pace.total_days))
        elif pace.total_days:
            parts.append(t("kpi-pace-not-started"))
        if pace.needed_per_day_minor is not None:
            parts.append(t("kpi-pace-need", need=money(pace.needed_per_day_minor, currency, lang)))
    if pace.forecast is not None and pace.remaining_minor and not pace.out_of_days:
        parts.append(t("kpi-pace-forecast", forecast=percent(pace.forecast, lang)))
    return parts


async def pace_line(session: AsyncSession, manager: Manager, now: datetime) -> str | None:
    """One line for the morning digest, the Monday summary and /today: this month's plan and
    pace, or this month's sales when there is no plan; None with neither."""
    zone = ZoneInfo(manager.timezone)
    today = local_today(now, zone)
    month = period_of(PeriodKind.MONTH, today)
    start, end = utc_bounds(month, zone)
    sold = await store.sales_total(session, manager.id, start, end)
    pace = await pace_for(session, manager, month, today, sold)
    if not pace.has_plan and not sold:
        return None
    t = translator(manager.language)
    label = period_label(month, t.lang)
    if pace.attainment is None:
        return t("kpi-line-sales", period=label, sold=money(sold, manager.currency, t.lang))
    head = t("kpi-line-plan", period=label, pct=percent(pace.attainment, t.lang))
    return " · ".join([head, *pace_parts(t, pace, manager.currency)])
