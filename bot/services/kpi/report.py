"""What a KPI report holds: plain numbers, no text. Ratios are exact Fractions so that tests can
compare them with hand-computed values and the views round them once, for display."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from bot.services.kpi.kpi_accounts import KeyAccounts
from bot.services.kpi.kpi_b2c import B2CMetrics
from bot.services.kpi.periods import Period
from storage.enums import WorkMode
from storage.kpi import CheckDrop, ClientCounts, ClientSum, Overdue, SalesTotals


def ratio(numerator: int | Fraction, denominator: int | Fraction) -> Fraction | None:
    return Fraction(numerator) / Fraction(denominator) if denominator else None


@dataclass(frozen=True, slots=True)
class Pace:
    """Plan attainment and the pace to the end of the period, in working days.

    `day` is today's working-day number (today counts once it is a working day); `days_to_go`
    are the working days still available, today included when it is one: at nine in the morning
    today's sales are still to be made. The plan is read as it stands now, so a plan changed
    mid-period simply restates attainment and the daily need against the new figure.
    """

    plan_minor: int | None  # None (or 0): no plan for this period
    sold_minor: int
    day: int
    total_days: int
    days_to_go: int

    @property
    def has_plan(self) -> bool:
        return bool(self.plan_minor)

    @property
    def attainment(self) -> Fraction | None:
        return ratio(self.sold_minor, self.plan_minor) if self.plan_minor else None

    @property
    def remaining_minor(self) -> int:
        return max((self.plan_minor or 0) - self.sold_minor, 0)

    @property
    def needed_per_day_minor(self) -> int | None:
        """What each working day left must bring, rounded up to a whole unit of currency.
        None when there is no plan, the plan is made, or no working day is left."""
        if not self.remaining_minor or not self.days_to_go:
            return None
        per_day_major = -(-self.remaining_minor // (self.days_to_go * 100))
        return per_day_major * 100

    @property
    def forecast_minor(self) -> int | None:
        """Sold ÷ working days elapsed × working days in the period; None before day one."""
        if not self.day or not self.total_days:
            return None
        return self.sold_minor * self.total_days // self.day

    @property
    def forecast(self) -> Fraction | None:
        if not self.plan_minor or not self.day or not self.total_days:
            return None
        return Fraction(self.sold_minor * self.total_days, self.day * self.plan_minor)

    @property
    def out_of_days(self) -> bool:
        """Plan not made and no working day left to make it."""
        return self.remaining_minor > 0 and self.days_to_go == 0


@dataclass(frozen=True, slots=True)
class Compared:
    """A value this period and the previous one (e.g. the average check), exact."""

    current: Fraction | None
    previous: Fraction | None

    @property
    def change(self) -> Fraction | None:
        if self.current is None or not self.previous:
            return None
        return self.current / self.previous - 1


@dataclass(frozen=True, slots=True)
class AtRisk:
    overdue_count: int
    overdue: list[Overdue]  # the longest overdue first, a few
    drops: list[CheckDrop]  # average check down >= 20%
    now: datetime

    @property
    def count(self) -> int:
        # A client both overdue and with a falling check counts once.
        return self.overdue_count + sum(1 for d in self.drops if not self.is_overdue(d))

    def is_overdue(self, drop: CheckDrop) -> bool:
        return drop.next_checkin_at is not None and drop.next_checkin_at < self.now


@dataclass(frozen=True, slots=True)
class B2B:
    clients: ClientCounts
    touches: int
    touched_clients: int
    average_check: Compared
    per_client: Compared
    new_lines: list[tuple[str, str]]  # (client, product line)
    top: list[ClientSum]
    risk: AtRisk

    @property
    def coverage(self) -> Fraction | None:
        return ratio(self.clients.touched, self.clients.base)


@dataclass(frozen=True, slots=True)
class KpiReport:
    mode: WorkMode
    period: Period
    today: date
    currency: str
    sales: SalesTotals
    previous_sales: SalesTotals
    pace: Pace
    # False when the history starts inside the previous period: no "vs previous" then.
    previous_comparable: bool = True
    # One of the three, by work mode; the B2C and key-account figures have modules of their own.
    b2b: B2B | None = None
    b2c: B2CMetrics | None = None
    key_accounts: KeyAccounts | None = None
