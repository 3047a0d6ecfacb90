"""KPI: where the manager stands in the period and what it takes to make the plan.

build.py assembles a report from SQL aggregates (storage/kpi.py); report.py holds the numbers;
text.py formats them and renders the one-line pace summary for pushes.
"""

from bot.services.kpi.build import build_kpi
from bot.services.kpi.report import KpiReport, Pace
from bot.services.kpi.text import pace_line

__all__ = ["KpiReport", "Pace", "build_kpi", "pace_line"]
