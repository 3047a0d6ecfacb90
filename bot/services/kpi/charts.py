"""The /kpi chart: one phone-sized PNG with cumulative sales against the plan line (top) and
touches per week (bottom). The numbers come from chart_data; this module only draws them.

matplotlib is used through its object API (`Figure` + `FigureCanvasAgg`): no pyplot, no global
backend switch, no rcParams changes, so nothing leaks into the rest of the process or the tests.
Rendering runs in a worker thread; a lock keeps it to one figure at a time because matplotlib's
font and text caches are not documented as thread-safe.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from math import ceil
from typing import TYPE_CHECKING

from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession

from bot import workers
from bot.i18n import Translator
from bot.services.kpi.chart_data import ChartData, chart_data
from bot.services.kpi.periods import Period
from bot.services.kpi.text import period_label
from bot.services.money import format_money_compact, format_percent
from storage.enums import PeriodKind
from storage.models import Manager

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# 1080 × 1350 px: Telegram shows a 4:5 portrait photo full-width on a phone without cropping.
WIDTH_IN, HEIGHT_IN, DPI = 7.2, 9.0, 150
# Sizes in points at 150 dpi; the picture is shown at about a third of its size on a phone.
TITLE, TEXT, TICK = 20, 15, 14
SALES, PLAN, FORECAST, TODAY, BARS, BAR_NOW, MUTED = (
    "#1f6fb5",
    "#7f7f7f",
    "#e07b00",
    "#c62828",
    "#5b9e6f",
    "#2e7d4f",
    "#6b6b6b",
)

render_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class ChartLabels:
    lang: str
    sales_title: str
    sales_subtitle: str
    sales: str
    plan: str
    forecast: str
    today: str
    no_plan: str | None
    touches_title: str


async def kpi_chart_png(
    session: AsyncSession, manager: Manager, kind: PeriodKind, now: datetime, t: Translator
) -> bytes:
    data = await chart_data(session, manager, kind, now)
    return await workers.run_heavy(render_png, data, chart_labels(data, t))


def chart_labels(data: ChartData, t: Translator) -> ChartLabels:
    lang = t.lang
    sold = compact_money(data.sold_minor, data.currency, lang)
    if data.plan_minor:
        share = Fraction(data.sold_minor, data.plan_minor)  # one percent rule: money.py
        subtitle = t(
            "chart-sold-of-plan",
            sold=sold,
            plan=compact_money(data.plan_minor, data.currency, lang),
            percent=format_percent(share, lang),
        )
    else:
        subtitle = t("chart-sold-no-plan", sold=sold)
    return ChartLabels(
        lang=lang,
        sales_title=t("chart-sales-title", period=period_label(data.period, lang)),
        sales_subtitle=subtitle,
        sales=t("chart-legend-sales"),
        plan=t("chart-legend-plan"),
        forecast=t("chart-legend-forecast"),
        today=t("chart-today"),
        # A zero plan draws nothing useful either: say how to set one.
        no_plan=None if data.plan_minor else t("chart-no-plan"),
        touches_title=t("chart-touches-title"),
    )


def compact_money(minor: int, currency: str, lang: str) -> str:
    """1,2 млн ₽ / ₽1.2M: the money format of every reply, shortened (bot.services.money)."""
    return format_money_compact(minor, currency, lang)


def render_png(data: ChartData, labels: ChartLabels) -> bytes:
    with render_lock:
        figure = build_figure(data, labels)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        return buffer.getvalue()


def build_figure(data: ChartData, labels: ChartLabels) -> Figure:
    # Imported here: matplotlib costs about a second to import, paid on the first chart only
    # rather than at every start of the bot.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # Fixed margins rather than a layout engine: constrained layout measured every text
    # twice and cost about half of the render time.
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    sales_axes, touches_axes = figure.subplots(
        2,
        1,
        gridspec_kw={
            "height_ratios": [3, 2],
            "left": 0.17,
            "right": 0.96,
            "top": 0.89,
            "bottom": 0.05,
            "hspace": 0.32,
        },
    )
    _draw_sales(sales_axes, data, labels)
    _draw_touches(touches_axes, data, labels)
    return figure


def _draw_sales(ax: Axes, data: ChartData, labels: ChartLabels) -> None:
    sold, top = _plot_sales_lines(ax, data, labels)
    _mark_today(ax, data.today_index + 1, sold[-1], labels)
    _format_sales_axes(ax, data, labels, top)


def _plot_sales_lines(ax: Axes, data: ChartData, labels: ChartLabels) -> tuple[list[float], float]:
    """Sales so far, the plan and the forecast; returns the sales curve and the highest y."""
    n = len(data.days)
    # x is the day's end: the curve starts at 0 when the period starts.
    done = [v for v in data.cumulative if v is not None]
    xs = list(range(len(done) + 1))
    sold = [0.0, *(v / 100 for v in done)]
    ax.fill_between(xs, sold, color=SALES, alpha=0.12, linewidth=0)
    ax.plot(xs, sold, color=SALES, linewidth=3.5, label=labels.sales, solid_capstyle="round")
    top = max(sold)
    if data.plan_cumulative is not None and data.plan_minor:
        plan = [0.0, *(v / 100 for v in data.plan_cumulative)]
        ax.plot(range(n + 1), plan, color=PLAN, linewidth=2.2, linestyle="--", label=labels.plan)
        top = max(top, plan[-1])
    today_x = data.today_index + 1
    if data.forecast_minor is not None and today_x < n and data.sold_minor > 0:
        end = data.forecast_minor / 100
        ax.plot(
            [today_x, n],
            [sold[-1], end],
            color=FORECAST,
            linewidth=2.2,
            linestyle=":",
            label=labels.forecast,
        )
        top = max(top, end)
    return sold, top


def _mark_today(ax: Axes, today_x: int, sold_today: float, labels: ChartLabels) -> None:
    ax.plot([today_x], [sold_today], "o", color=TODAY, markersize=9, zorder=5)
    ax.axvline(today_x, color=TODAY, linewidth=1.2, alpha=0.6)
    ax.text(
        today_x,
        1.0,
        labels.today,
        transform=ax.get_xaxis_transform(),
        ha="center",
        va="bottom",
        color=TODAY,
        fontsize=TICK,
    )
    if labels.no_plan:
        ax.text(
            0.02,
            0.95,
            labels.no_plan,
            transform=ax.transAxes,
            va="top",
            color=MUTED,
            fontsize=TEXT - 1,
            style="italic",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.9, "pad": 2},
            zorder=6,
        )


def _format_sales_axes(ax: Axes, data: ChartData, labels: ChartLabels, top: float) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.set_xlim(0, len(data.days))
    ax.set_ylim(0, top * 1.12 if top > 0 else 1)
    ticks = _day_ticks(data.period)
    # A day's tick sits where the curve shows the total at its end (the "today" dot sits on
    # today's tick); month ticks of a quarter or year mark where the month begins.
    shift = 1 if data.period.kind in (PeriodKind.WEEK, PeriodKind.MONTH) else 0
    ax.set_xticks([(d - data.period.start).days + shift for d in ticks])
    ax.set_xticklabels([_day_label(d, data.period.kind, labels.lang) for d in ticks])
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, min_n_ticks=2))
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _pos: compact_money(round(v * 100), data.currency, labels.lang))
    )
    figure = ax.get_figure()
    assert figure is not None
    figure.text(0.03, 0.985, labels.sales_title, fontsize=TITLE, fontweight="bold", va="top")
    figure.text(0.03, 0.945, labels.sales_subtitle, fontsize=TEXT, color=MUTED, va="top")
    # White boxes: the "today" line may run through the legend and the note in long periods.
    ax.legend(
        loc="upper left",
        fontsize=TICK,
        bbox_to_anchor=(0, 0.88),
        facecolor="white",
        edgecolor="none",
        framealpha=0.9,
    )
    tidy(ax)


def _draw_touches(ax: Axes, data: ChartData, labels: ChartLabels) -> None:
    from matplotlib.ticker import MaxNLocator

    heights = [v or 0 for v in data.touches]
    colors = [BAR_NOW if i == data.current_week else BARS for i in range(len(heights))]
    bars = ax.bar(range(len(heights)), heights, color=colors, width=0.75)
    if len(heights) <= 14:
        shown = [str(v) if v else "" for v in data.touches]
        ax.bar_label(bars, labels=shown, fontsize=TICK - 1, padding=2, color=MUTED)
    step = max(1, ceil(len(data.weeks) / 5))
    positions = list(range(0, len(data.weeks), step))
    ax.set_xticks(positions)
    ax.set_xticklabels([format_date(data.weeks[i], "d MMM", locale=labels.lang) for i in positions])
    ax.set_xlim(-0.6, len(heights) - 0.4)
    ax.set_ylim(0, max(heights) * 1.18 if any(heights) else 1)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True, min_n_ticks=2))
    ax.set_title(labels.touches_title, fontsize=TITLE - 2, fontweight="bold", loc="left")
    tidy(ax)


def tidy(ax: Axes) -> None:
    ax.tick_params(labelsize=TICK, length=4)
    ax.grid(axis="y", alpha=0.25)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _day_ticks(period: Period) -> Sequence[date]:
    """Few ticks: every day of a week, weekly in a month, month starts in a quarter, quarter
    starts in a year."""
    if period.kind is PeriodKind.WEEK:
        return [period.start + timedelta(days=n) for n in range(7)]
    if period.kind is PeriodKind.MONTH:
        return [period.start + timedelta(days=n) for n in range(0, period.days(), 7)]
    months = 1 if period.kind is PeriodKind.QUARTER else 3
    ticks, day = [], period.start
    while day < period.end:
        ticks.append(day)
        index = day.year * 12 + day.month - 1 + months
        day = date(index // 12, index % 12 + 1, 1)
    return ticks


def _day_label(day: date, kind: PeriodKind, lang: str) -> str:
    if kind is PeriodKind.WEEK:
        return f"{format_date(day, 'EEE', locale=lang)}\n{day.day}"
    if kind is PeriodKind.MONTH:
        return format_date(day, "d MMM", locale=lang)
    return format_date(day, "LLL", locale=lang)
