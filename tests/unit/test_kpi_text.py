"""KPI pieces without a database: period words, the pace arithmetic, durations, percentages."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from bot.i18n import translator
from bot.services.kpi.periods import period_of
from bot.services.kpi.report import Compared, Pace
from bot.services.kpi.text import percent, period_label, signed_percent
from bot.services.kpi.words import parse_period
from handlers.selling.kpi_views import duration
from storage.enums import PeriodKind as K

NB = "\u00a0"


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        (None, K.MONTH),
        ("", K.MONTH),
        ("неделя", K.WEEK),
        ("Неделю", K.WEEK),
        ("нед.", K.WEEK),
        ("месяц", K.MONTH),
        ("мсяц", K.MONTH),
        ("квартал", K.QUARTER),
        ("кватрал", K.QUARTER),
        ("кварт", K.QUARTER),
        ("год", K.YEAR),
        ("ГОДА", K.YEAR),
        ("week", K.WEEK),
        ("Month", K.MONTH),
        ("q", K.QUARTER),
        ("qurter", K.QUARTER),
        ("yaer", K.YEAR),
        ("день", None),
        ("сто", None),
        ("abc", None),
    ],
)
def test_parse_period(typed: str | None, kind: K | None) -> None:
    assert parse_period(typed) is kind


def test_pace_arithmetic_by_hand() -> None:
    # 1 000 000.01 left over 3 working days = 333 333.34 a day → rounded up to 333 334.
    pace = Pace(plan_minor=100_000_001, sold_minor=0, day=1, total_days=3, days_to_go=3)
    assert pace.needed_per_day_minor == 33_333_400
    assert pace.forecast == 0
    assert pace.forecast_minor == 0
    # Sold 1 000 in 2 of 3 days: forecast 1 500, half of a 3 000 plan.
    pace = Pace(plan_minor=300_000, sold_minor=100_000, day=2, total_days=3, days_to_go=1)
    assert (pace.forecast_minor, pace.forecast) == (150_000, Fraction(1, 2))
    assert pace.needed_per_day_minor == 200_000
    no_plan = Pace(plan_minor=None, sold_minor=5, day=0, total_days=0, days_to_go=0)
    assert (no_plan.attainment, no_plan.forecast, no_plan.forecast_minor) == (None, None, None)
    assert (no_plan.needed_per_day_minor, no_plan.out_of_days) == (None, False)


def test_compared_change() -> None:
    assert Compared(Fraction(310), Fraction(200)).change == Fraction(11, 20)
    assert Compared(Fraction(310), None).change is None
    assert Compared(None, Fraction(200)).change is None


@pytest.mark.parametrize(
    ("seconds", "ru", "en"),
    [
        (None, "—", "—"),
        # The request card's format (one duration format): minutes truncated, days from 24 h.
        (0, "меньше минуты", "under a minute"),
        (30, "меньше минуты", "under a minute"),
        (59 * 60 + 59, "59 мин", "59 min"),
        (3600, "1 ч", "1 h"),
        (80 * 60, "1 ч 20 мин", "1 h 20 min"),
        (47 * 3600 + 59 * 60, "1 дн. 23 ч", "1 d 23 h"),
        (2 * 86400 + 3 * 3600, "2 дн. 3 ч", "2 d 3 h"),
        (3 * 86400, "3 дн.", "3 d"),
    ],
)
def test_duration(seconds: int | None, ru: str, en: str) -> None:
    assert duration(translator("ru"), seconds) == ru
    assert duration(translator("en"), seconds) == en


def test_percentages_per_locale() -> None:
    assert percent(Fraction(62, 100), "ru") == f"62{NB}%"
    assert percent(Fraction(62, 100), "en") == "62%"
    assert signed_percent(Fraction(55, 100), "ru") == f"+55{NB}%"
    assert signed_percent(Fraction(-1, 3), "en") == "−33%"
    assert signed_percent(Fraction(1, 1000), "ru") == f"0{NB}%"


def test_period_labels() -> None:
    day = date(2026, 11, 28)
    assert period_label(period_of(K.WEEK, day), "ru") == "23 нояб. – 29 нояб."
    assert period_label(period_of(K.MONTH, day), "ru") == "ноябрь 2026"
    assert period_label(period_of(K.MONTH, day), "en") == "November 2026"
    assert period_label(period_of(K.QUARTER, day), "en") == "Q4 2026"
    assert period_label(period_of(K.QUARTER, day), "ru") == "4-й квартал 2026"
    assert period_label(period_of(K.YEAR, day), "ru") == "2026 год"
