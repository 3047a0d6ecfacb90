"""The /kpi chart in B2C mode: request response and resolution times against the SLA, and reviews.

A B2C manager has no sales plan: the chart shows what their /kpi text measures. Every figure comes
from kpi_b2c.b2c_metrics, asked once per bucket of the period, so a bucket's median is computed
exactly like the /kpi median (nearest rank over the requests opened in it) and the period's
figures in the titles are the /kpi figures themselves.

Buckets: days for a week or a month, weeks for a quarter, months for a year — at most 31 bars,
and only the buckets up to today are queried (the rest of the period is still ahead).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession

from bot import workers
from bot.i18n import Translator
from bot.services.kpi.charts import (
    DPI,
    HEIGHT_IN,
    TEXT,
    TICK,
    TITLE,
    TODAY,
    WIDTH_IN,
    render_lock,
    tidy,
)
from bot.services.kpi.kpi_b2c import B2CMetrics, b2c_metrics
from bot.services.kpi.periods import Period, local_today, period_of, utc_bounds
from bot.services.kpi.text import period_label
from bot.services.money import format_percent
from storage.enums import PeriodKind
from storage.models import Manager

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# The duration format of the bot (handlers.b2c.request_views.format_duration), passed in by the
# handler: services do not import handlers.
DurationFormat = Callable[[Translator, float], str]

# Round steps for the time axes, in seconds: ticks read "15 мин", "1 ч", "6 ч", never "47 мин".
STEPS = (60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800)
RESPONSE, RESOLUTION, SLA_LINE, GOOD, BAD = "#1f6fb5", "#6a3d9a", "#c62828", "#2e7d4f", "#c62828"


@dataclass(frozen=True, slots=True)
class B2CChartData:
    period: Period
    unit: str  # "day", "week" or "month": what one bucket is
    buckets: list[date]  # the first day of each bucket
    current: int  # index of the bucket holding today
    # Median first response / resolution of the requests opened in each bucket, in seconds;
    # None where no request has the figure yet, and for the buckets still ahead.
    response_s: list[int | None]
    resolution_s: list[int | None]
    positive: list[int | None]  # reviews per bucket; None for the buckets still ahead
    negative: list[int | None]
    total: B2CMetrics  # the whole period, exactly as /kpi shows it


@dataclass(frozen=True, slots=True)
class B2CLabels:
    lang: str
    title: str
    response_title: str
    resolution_title: str
    reviews_title: str
    sla_response: str
    sla_resolution: str
    positive: str
    negative: str
    # Tick positions (seconds) and their texts for the two time axes.
    response_ticks: list[tuple[int, str]]
    resolution_ticks: list[tuple[int, str]]


def buckets_of(period: Period) -> tuple[str, list[date]]:
    if period.kind in (PeriodKind.WEEK, PeriodKind.MONTH):
        return "day", [period.start + timedelta(days=n) for n in range(period.days())]
    if period.kind is PeriodKind.QUARTER:
        # Whole weeks from the Monday on or before the quarter's first day; clipped when queried.
        monday = period.start - timedelta(days=period.start.weekday())
        weeks = []
        while monday < period.end:
            weeks.append(monday)
            monday += timedelta(weeks=1)
        return "week", weeks
    return "month", [date(period.start.year, m, 1) for m in range(1, 13)]


def _bucket_end(unit: str, start: date) -> date:
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(weeks=1)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


async def b2c_chart_data(
    session: AsyncSession, manager: Manager, kind: PeriodKind, now: datetime
) -> B2CChartData:
    tz = ZoneInfo(manager.timezone)
    today = local_today(now, tz)
    period = period_of(kind, today)
    unit, buckets = buckets_of(period)
    total = await b2c_metrics(session, manager.id, *utc_bounds(period, tz), now)
    response: list[int | None] = []
    resolution: list[int | None] = []
    positive: list[int | None] = []
    negative: list[int | None] = []
    current = 0
    for index, start in enumerate(buckets):
        if start > today:
            for series in (response, resolution, positive, negative):
                series.append(None)
            continue
        current = index
        # A quarter's first and last weeks reach outside it: clip them to the period, as /kpi.
        lower = max(start, period.start)
        upper = min(_bucket_end(unit, start), period.end)
        bounds = utc_bounds(Period(period.kind, lower, upper), tz)
        m = await b2c_metrics(session, manager.id, *bounds, now)
        response.append(m.first_response.median_s)
        resolution.append(m.resolution.median_s)
        positive.append(m.reviews_positive)
        negative.append(m.reviews_negative)
    return B2CChartData(
        period, unit, buckets, current, response, resolution, positive, negative, total
    )


async def b2c_chart_png(
    session: AsyncSession,
    manager: Manager,
    kind: PeriodKind,
    now: datetime,
    t: Translator,
    fmt: DurationFormat,
) -> bytes:
    data = await b2c_chart_data(session, manager, kind, now)
    return await workers.run_heavy(render_b2c_png, data, b2c_labels(data, t, fmt))


def duration_ticks(top_s: int, t: Translator, fmt: DurationFormat) -> list[tuple[int, str]]:
    """0 and round steps up to top_s, at most 5 ticks."""
    step = next((s for s in STEPS if top_s / s <= 4), STEPS[-1])
    count = int(top_s // step) + 1
    return [(0, "0")] + [(n * step, fmt(t, n * step)) for n in range(1, count + 1)]


def _title(
    t: Translator, key: str, stats_median: int | None, ok: int, count: int, fmt: DurationFormat
) -> str:
    if not count or stats_median is None:
        return t(f"{key}-none")
    percent = format_percent(Fraction(ok, count), t.lang)  # one percent rule: money.py
    return t(key, median=fmt(t, stats_median), percent=percent)


def b2c_labels(data: B2CChartData, t: Translator, fmt: DurationFormat) -> B2CLabels:
    m = data.total
    sla = m.sla
    response_top = max(
        [*(v or 0 for v in data.response_s), int(sla.first_response.total_seconds())]
    )
    resolution_top = max(
        [*(v or 0 for v in data.resolution_s), int(sla.resolution.total_seconds())]
    )
    fr, rs = m.first_response, m.resolution
    return B2CLabels(
        lang=t.lang,
        title=t("chart-b2c-title", period=period_label(data.period, t.lang)),
        response_title=_title(t, "chart-b2c-response", fr.median_s, fr.within_sla, fr.count, fmt),
        resolution_title=_title(
            t, "chart-b2c-resolution", rs.median_s, rs.within_sla, rs.count, fmt
        ),
        reviews_title=t(
            "chart-b2c-reviews", positive=m.reviews_positive, negative=m.reviews_negative
        ),
        sla_response=t("chart-b2c-sla", sla=fmt(t, sla.first_response.total_seconds())),
        sla_resolution=t("chart-b2c-sla", sla=fmt(t, sla.resolution.total_seconds())),
        positive=t("chart-b2c-positive"),
        negative=t("chart-b2c-negative"),
        response_ticks=duration_ticks(int(response_top * 1.1), t, fmt),
        resolution_ticks=duration_ticks(int(resolution_top * 1.1), t, fmt),
    )


def render_b2c_png(data: B2CChartData, labels: B2CLabels) -> bytes:
    with render_lock:
        figure = build_b2c_figure(data, labels)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        return buffer.getvalue()


def build_b2c_figure(data: B2CChartData, labels: B2CLabels) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    response_ax, resolution_ax, reviews_ax = figure.subplots(
        3,
        1,
        gridspec_kw={"left": 0.19, "right": 0.96, "top": 0.9, "bottom": 0.07, "hspace": 0.55},
    )
    sla = data.total.sla
    _draw_times(
        response_ax,
        data,
        data.response_s,
        RESPONSE,
        labels.response_title,
        int(sla.first_response.total_seconds()),
        labels.sla_response,
        labels.response_ticks,
        labels,
    )
    _draw_times(
        resolution_ax,
        data,
        data.resolution_s,
        RESOLUTION,
        labels.resolution_title,
        int(sla.resolution.total_seconds()),
        labels.sla_resolution,
        labels.resolution_ticks,
        labels,
    )
    _draw_reviews(reviews_ax, data, labels)
    figure.text(0.03, 0.985, labels.title, fontsize=TITLE, fontweight="bold", va="top")
    return figure


def _draw_times(
    ax: Axes,
    data: B2CChartData,
    values: list[int | None],
    color: str,
    title: str,
    sla_s: int,
    sla_label: str,
    ticks: list[tuple[int, str]],
    labels: B2CLabels,
) -> None:
    xs = [i for i, v in enumerate(values) if v is not None]
    ys = [v for v in values if v is not None]
    # Bars, not a line: a bucket without answered requests has no median, and a line through
    # the gap would invent one.
    ax.bar(xs, ys, color=color, width=0.7, alpha=0.85)
    ax.axhline(sla_s, color=SLA_LINE, linewidth=2, linestyle="--", label=sla_label)
    ax.set_yticks([s for s, _ in ticks])
    ax.set_yticklabels([text for _, text in ticks])
    ax.set_ylim(0, ticks[-1][0])
    _panel_title(ax, title)
    ax.legend(
        loc="upper right", fontsize=TICK - 2, facecolor="white", edgecolor="none", framealpha=0.9
    )
    _x_axis(ax, data, labels)


def _draw_reviews(ax: Axes, data: B2CChartData, labels: B2CLabels) -> None:
    from matplotlib.ticker import MaxNLocator

    good = [v or 0 for v in data.positive]
    bad = [v or 0 for v in data.negative]
    xs = range(len(data.buckets))
    ax.bar([x - 0.2 for x in xs], good, width=0.4, color=GOOD, label=labels.positive)
    ax.bar([x + 0.2 for x in xs], bad, width=0.4, color=BAD, label=labels.negative)
    top = max([*good, *bad, 0])
    ax.set_ylim(0, top * 1.45 if top else 1)  # room for the legend above the bars
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True, min_n_ticks=2))
    _panel_title(ax, labels.reviews_title)
    ax.legend(
        loc="upper right", fontsize=TICK - 2, facecolor="white", edgecolor="none", framealpha=0.9
    )
    _x_axis(ax, data, labels)


def _panel_title(ax: Axes, title: str) -> None:
    # From the figure's left edge, not the axes': the titles carry the period's figures and
    # would run off the right edge of a phone-width picture in English.
    ax.annotate(
        title,
        xy=(0.03, 1.0),
        xycoords=("figure fraction", "axes fraction"),
        xytext=(0, 8),
        textcoords="offset points",
        va="bottom",
        fontsize=TEXT,
        fontweight="bold",
    )


def _x_axis(ax: Axes, data: B2CChartData, labels: B2CLabels) -> None:
    n = len(data.buckets)
    ax.set_xlim(-0.6, n - 0.4)
    ax.axvline(data.current, color=TODAY, linewidth=1, alpha=0.4)
    # Few ticks: every day of a week, weekly in a month, every other week or month.
    step = 1 if n <= 7 else 7 if data.unit == "day" else 2
    positions = list(range(0, n, step))
    ax.set_xticks(positions)
    ax.set_xticklabels([_bucket_label(data.buckets[i], data, labels.lang) for i in positions])
    tidy(ax)
    ax.tick_params(labelsize=TICK - 1)  # after tidy: three panels need smaller ticks


def _bucket_label(day: date, data: B2CChartData, lang: str) -> str:
    if data.period.kind is PeriodKind.WEEK:
        return f"{format_date(day, 'EEE', locale=lang)}\n{day.day}"
    if data.unit == "month":
        return format_date(day, "LLL", locale=lang)
    return format_date(day, "d MMM", locale=lang)
