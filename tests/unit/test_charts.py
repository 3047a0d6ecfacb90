"""The chart's pure parts: plan line, pace, weeks, labels in both languages, and the PNG itself."""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime, timedelta

import pytest
from matplotlib.text import Text

from bot.i18n import translator
from bot.services.crm.requests import SLA
from bot.services.kpi.chart_b2c import (
    B2CChartData,
    b2c_labels,
    buckets_of,
    build_b2c_figure,
    duration_ticks,
    render_b2c_png,
)
from bot.services.kpi.chart_data import (
    ChartData,
    cumulate,
    plan_cumulative,
    touch_weeks,
)
from bot.services.kpi.charts import (
    build_figure,
    chart_labels,
    compact_money,
    render_png,
)
from bot.services.kpi.kpi_b2c import B2CMetrics, DurationStats
from bot.services.kpi.periods import WorkCalendar, period_of
from handlers.b2c.request_views import format_duration
from storage.enums import PeriodKind as K

RU = WorkCalendar("RU")
WEEKDAYS = WorkCalendar(None)
NBSP = "\u00a0"


def _days(start: date, count: int) -> list[date]:
    return [start + timedelta(days=n) for n in range(count)]


def test_plan_line_climbs_on_working_days_only() -> None:
    week = _days(date(2026, 11, 23), 7)  # Monday to Sunday
    assert plan_cumulative(week, 500, WEEKDAYS) == [100, 200, 300, 400, 500, 500, 500]


def test_plan_line_of_a_week_without_working_days_uses_calendar_days() -> None:
    # 5 to 11 January 2026: all days off in Russia.
    week = _days(date(2026, 1, 5), 7)
    assert plan_cumulative(week, 700, RU) == [100, 200, 300, 400, 500, 600, 700]


def test_plan_line_rounds_down_and_ends_on_the_plan() -> None:
    days = _days(date(2026, 11, 23), 3)  # Mon, Tue, Wed
    assert plan_cumulative(days, 100, WEEKDAYS) == [33, 66, 100]


def test_cumulate_stops_at_today() -> None:
    days = _days(date(2026, 11, 1), 5)
    daily = {date(2026, 11, 1): 5, date(2026, 11, 3): 7, date(2026, 11, 5): 100}
    assert cumulate(days, daily, date(2026, 11, 3)) == [5, 5, 12, None, None]


def test_touch_weeks() -> None:
    today = date(2026, 11, 28)
    recent = touch_weeks(period_of(K.MONTH, today), today)
    assert (recent[0], recent[-1], len(recent)) == (date(2026, 9, 7), date(2026, 11, 23), 12)
    # Q4 2026: Thursday 1 October to Thursday 31 December.
    quarter = touch_weeks(period_of(K.QUARTER, today), today)
    assert (quarter[0], quarter[-1], len(quarter)) == (date(2026, 9, 28), date(2026, 12, 28), 14)
    year = touch_weeks(period_of(K.YEAR, today), today)
    assert (year[0], year[-1], len(year)) == (date(2025, 12, 29), date(2026, 12, 28), 53)


@pytest.mark.parametrize(
    ("minor", "lang", "text"),
    [
        (1_234_567_00, "ru", f"1,2{NBSP}млн{NBSP}₽"),
        (1_234_567_00, "en", "₽1.2M"),
        (150_000_00, "ru", f"150{NBSP}тыс.{NBSP}₽"),
        (150_000_00, "en", "₽150K"),
        (0, "ru", f"0{NBSP}₽"),
    ],
)
def test_compact_money(minor: int, lang: str, text: str) -> None:
    assert compact_money(minor, "RUB", lang) == text


def _november(plan: int | None, sold: int) -> ChartData:
    period = period_of(K.MONTH, date(2026, 11, 28))
    days = _days(period.start, 30)
    cumulative: list[int | None] = [sold if d <= date(2026, 11, 28) else None for d in days]
    weeks = _days(date(2026, 9, 7), 84)[::7]
    return ChartData(
        period=period,
        today=date(2026, 11, 28),
        currency="RUB",
        days=days,
        cumulative=cumulative,
        plan_minor=plan,
        plan_cumulative=plan_cumulative(days, plan, RU) if plan is not None else None,
        forecast_minor=sold * 20 // 19,
        weeks=weeks,
        touches=[3] * 12,
        current_week=11,
    )


def _texts(data: ChartData, lang: str) -> set[str]:
    figure = build_figure(data, chart_labels(data, translator(lang)))
    figure.draw_without_rendering()  # tick labels are made at draw time
    return {t.get_text() for t in figure.findobj(Text) if t.get_text()}


def test_russian_labels_on_the_figure() -> None:
    texts = _texts(_november(plan=3_000_000_00, sold=200_000_00), "ru")
    assert {"Продажи · ноябрь 2026", "Продажи", "План", "сегодня", "Касания по неделям"} <= texts
    # 6.67 % reads 6 %: the one percent rule (truncated) of /kpi and /sale, bot.services.money.
    assert f"200{NBSP}тыс.{NBSP}₽ из 3{NBSP}млн{NBSP}₽ · 6{NBSP}% плана" in texts
    assert {"1 нояб.", "8 нояб.", "29 нояб."} <= texts  # day ticks
    assert "7 сент." in texts  # the first week's bar
    assert not any("План на период не задан" in t for t in texts)


def test_english_labels_without_a_plan() -> None:
    texts = _texts(_november(plan=None, sold=200_000_00), "en")
    assert {"Sales · November 2026", "Sales", "today", "Touches per week"} <= texts
    assert "Sold: ₽200K" in texts
    assert "No plan for this period — /plan 3,000,000" in texts
    assert "Plan" not in texts
    assert {"1 Nov", "29 Nov", "7 Sep"} <= texts


@pytest.mark.parametrize("sold", [0, 200_000_00])
def test_png_is_portrait_1080_by_1350(sold: int) -> None:
    data = _november(plan=None, sold=sold)
    png = render_png(data, chart_labels(data, translator("ru")))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (1080, 1350)
    assert len(png) < 300_000  # a phone on a slow network should not wait for it


def test_money_axis_is_compact() -> None:
    texts = _texts(_november(plan=3_000_000_00, sold=200_000_00), "en")
    assert {"₽0", "₽3M"} <= texts


# The B2C chart (issue 15 #13): request times against the SLA and reviews, no sales, no plan.


def _b2c(lang: str) -> tuple[B2CChartData, list[str]]:
    period = period_of(K.WEEK, date(2026, 11, 28))
    unit, buckets = buckets_of(period)
    total = B2CMetrics(
        start_utc=datetime(2026, 11, 23, tzinfo=UTC),
        end_utc=datetime(2026, 11, 30, tzinfo=UTC),
        now=datetime(2026, 11, 28, 6, tzinfo=UTC),
        sla=SLA,
        opened=4,
        resolved=2,
        first_response=DurationStats(3, 30 * 60, 90 * 60, 2),
        resolution=DurationStats(0, None, None, 0),
        overdue_count=0,
        overdue=[],
        reviews_positive=2,
        reviews_negative=1,
    )
    ahead = [None]
    data = B2CChartData(
        period,
        unit,
        buckets,
        5,
        [720, None, 5400, None, None, 1800, *ahead],
        [None] * 7,
        [0, 1, 0, 1, 0, 0, *ahead],
        [0, 0, 0, 1, 0, 0, *ahead],
        total,
    )
    figure = build_b2c_figure(data, b2c_labels(data, translator(lang), format_duration))
    texts = [a.get_text() for a in figure.findobj(Text) if a.get_text()]
    return data, texts


def test_b2c_buckets_per_period() -> None:
    assert buckets_of(period_of(K.WEEK, date(2026, 11, 28)))[0] == "day"
    unit, days = buckets_of(period_of(K.MONTH, date(2026, 11, 28)))
    assert (unit, len(days)) == ("day", 30)
    unit, weeks = buckets_of(period_of(K.QUARTER, date(2026, 11, 28)))
    assert (unit, weeks[0], weeks[-1]) == ("week", date(2026, 9, 28), date(2026, 12, 28))
    unit, months = buckets_of(period_of(K.YEAR, date(2026, 11, 28)))
    assert (unit, months[0], months[-1]) == ("month", date(2026, 1, 1), date(2026, 12, 1))


def test_b2c_duration_ticks_are_round() -> None:
    t = translator("ru")
    assert duration_ticks(66 * 60, t, format_duration) == [
        (0, "0"),
        (1800, "30 мин"),
        (3600, "1 ч"),
        (5400, "1 ч 30 мин"),
    ]
    assert [s for s, _ in duration_ticks(int(26.4 * 3600), t, format_duration)] == [
        0,
        43200,
        86400,
        129600,
    ]


def test_b2c_labels_russian_no_sales_no_plan() -> None:
    _data, texts = _b2c("ru")
    assert "Заявки · 23 нояб. – 29 нояб." in texts
    assert f"Первый ответ: медиана 30 мин · в SLA 66{NBSP}%" in texts  # 2 of 3, truncated
    assert "Решение: решённых заявок за период пока нет" in texts
    assert "Отзывы: хорошие — 2, негативные — 1" in texts
    assert {"SLA 1 ч", "SLA 1 дн.", "Хорошие", "Негативные"} <= set(texts)
    assert not any("План" in t or "/plan" in t or "Продаж" in t for t in texts)


def test_b2c_labels_english_and_png() -> None:
    data, texts = _b2c("en")
    assert "First response: median 30 min · within SLA 66%" in texts
    assert "SLA 1 h" in texts
    assert not any("Plan" in t or "Sales" in t for t in texts)
    png = render_b2c_png(data, b2c_labels(data, translator("en"), format_duration))
    assert struct.unpack(">II", png[16:24]) == (1080, 1350)
