"""KPI figures against hand-computed values, for a manager in Asia/Vladivostok (UTC+10, no DST):
period edges fall at 14:00 UTC of the day before, so a sale at 23:30 local on 31 October is
stored as 13:30 UTC on the 31st (October) and one at 00:10 local on 1 November as 14:10 UTC on
31 October (November). Working days follow the Russian calendar (November 2026: 20, the 4th is a
holiday). Every expected number is worked out by hand in the comments, not by the code tested.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.crm.clients import refresh_checkin
from bot.services.kpi import build_kpi, pace_line
from storage.enums import ClientStatus, PeriodKind, Tier, WorkMode
from storage.models import Client, Interaction, Manager, Plan, Sale

pytestmark = pytest.mark.db
VLAD = ZoneInfo("Asia/Vladivostok")
RUB = 100  # minor units per rouble
# Thursday 19 November 2026, 10:00 in Vladivostok.
NOW = datetime(2026, 11, 19, 0, 0, tzinfo=UTC)


def local(y: int, m: int, d: int, hh: int = 12, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VLAD).astimezone(UTC)


class Seed:
    def __init__(self, session: AsyncSession, manager: Manager) -> None:
        self.session = session
        self.manager = manager
        self.clients: dict[str, Client] = {}

    async def client(
        self,
        name: str,
        *,
        created: datetime,
        touches: tuple[datetime, ...] = (),
        tier: Tier = Tier.REGULAR,
        cadence: int | None = None,
        status: ClientStatus = ClientStatus.ACTIVE,
        archived: datetime | None = None,
    ) -> Client:
        c = Client(
            owner_id=self.manager.id,
            name=name,
            name_norm=name.lower(),
            tier=tier,
            cadence_days=cadence,
            status=status,
            created_at=created,
            archived_at=archived,
            last_touch_at=max(touches) if touches else None,
        )
        # The clients service keeps next_checkin_at right; the fixture uses it the same way.
        refresh_checkin(c, self.manager, NOW)
        self.session.add(c)
        await self.session.flush()
        for at in touches:
            self.session.add(
                Interaction(client_id=c.id, manager_id=self.manager.id, occurred_at=at)
            )
        self.clients[name] = c
        return c

    async def sale(
        self, name: str, roubles: int, at: datetime, line: str | None = None, seller: int = 0
    ) -> None:
        self.session.add(
            Sale(
                client_id=self.clients[name].id,
                manager_id=seller or self.manager.id,
                amount_minor=roubles * RUB,
                product_line=line,
                sold_at=at,
            )
        )

    async def plan(
        self, roubles: int, kind: PeriodKind, start: date, client: str | None = None
    ) -> None:
        self.session.add(
            Plan(
                manager_id=self.manager.id,
                client_id=self.clients[client].id if client else None,
                period_kind=kind,
                period_start=start,
                amount_minor=roubles * RUB,
            )
        )


async def _manager(
    session: AsyncSession, telegram_id: int = 1, mode: WorkMode = WorkMode.B2B
) -> Manager:
    manager = Manager(
        telegram_id=telegram_id, timezone="Asia/Vladivostok", work_mode=mode, language="ru"
    )
    session.add(manager)
    await session.flush()
    return manager


async def _november(session: AsyncSession) -> Manager:
    """The fixed data set most tests read. Defaults: key cadence 7 days, regular 30."""
    m = await _manager(session)
    other = await _manager(session, telegram_id=2)
    s = Seed(session, m)
    await s.client(
        "Ромашка",
        created=local(2026, 1, 10),
        touches=(local(2026, 10, 31, 23, 0), local(2026, 11, 3), local(2026, 11, 10)),
    )  # last touch 10 Nov + 30 days = 10 Dec > now: touched within cadence
    await s.client(
        "Лютик", created=local(2026, 1, 10), touches=(local(2026, 11, 5, 10),), tier=Tier.KEY
    )  # key: 5 Nov 10:00 local + 7 days = 12 Nov: 7 days overdue now
    await s.client("Василёк", created=datetime(2026, 10, 1, tzinfo=UTC), cadence=14)
    # never touched: created 1 Oct + 14 days = 15 Oct, 35 days overdue
    await s.client(
        "Одуванчик", created=local(2026, 1, 10), touches=(local(2026, 11, 1, 0, 30),)
    )  # 00:30 local on 1 Nov is 31 Oct 14:30 UTC: a November touch; due 30 Nov
    await s.client("Ирис", created=local(2026, 1, 10), touches=(local(2026, 11, 10),))
    await s.client("Астра", created=local(2026, 11, 10))  # new, untouched, due 10 Dec
    await s.client(
        "Пион",
        created=local(2026, 1, 10),
        touches=(local(2026, 11, 15),),
        status=ClientStatus.PAUSED,
    )  # paused: no next check-in, not "in work"
    await s.client(
        "Архив", created=local(2026, 1, 10), touches=(local(2026, 11, 12),), archived=NOW
    )
    # September: the last minute of 30 Sep local is not October.
    await s.sale("Ромашка", 999_000, local(2026, 9, 30, 23, 50), "кабель")
    # October (the previous period): 200 000 + 100 000 + 100 000 = 400 000, 3 sales, 2 clients.
    await s.sale("Ромашка", 200_000, local(2026, 10, 1, 0, 5), "кабель")
    await s.sale("Ромашка", 100_000, local(2026, 10, 31, 23, 30), "кабель")
    await s.sale("Лютик", 100_000, local(2026, 10, 15), "монтаж")
    # November: 300 000 + 20 000 + 30 000 + 150 000 + 250 000 + 490 000 = 1 240 000,
    # 6 sales, 3 clients.
    await s.sale("Ромашка", 300_000, local(2026, 11, 1, 0, 10), "кабель")
    await s.sale("Ромашка", 20_000, local(2026, 11, 16), "монтаж")  # new line for Ромашка
    await s.sale("Ромашка", 30_000, local(2026, 11, 17), "монтаж")  # same pair: counted once
    await s.sale("Лютик", 150_000, local(2026, 11, 10), "монтаж")  # bought in October: not new
    await s.sale("Лютик", 250_000, local(2026, 11, 18), "кабель")  # new line for Лютик
    await s.sale("Василёк", 490_000, local(2026, 11, 12))  # first purchase ever: not "existing"
    # Another manager's sale to my client: not in my figures.
    await s.sale("Ромашка", 777_000, local(2026, 11, 11), "кабель", seller=other.id)
    # Average-check windows: recent [now-91d, now) = [20 Aug, 19 Nov), earlier [21 May, 20 Aug).
    await s.sale("Лютик", 300_000, local(2026, 7, 1))  # earlier avg 300 000
    await s.sale("Одуванчик", 100_000, local(2026, 6, 1))
    await s.sale("Одуванчик", 200_000, local(2026, 7, 1))  # earlier avg 150 000
    await s.sale("Одуванчик", 100_000, local(2026, 9, 1))  # recent avg 100 000: −33 %
    await s.sale("Ирис", 100_000, local(2026, 6, 1))
    await s.sale("Ирис", 80_000, local(2026, 9, 1))  # exactly −20 %: at risk
    await s.sale("Пион", 100_000, local(2026, 6, 1))
    await s.sale("Пион", 80_001, local(2026, 9, 1))  # −19.999 %: not at risk
    await s.sale("Архив", 100_000, local(2026, 6, 1))
    await s.sale("Архив", 10_000, local(2026, 9, 1))  # archived: never listed
    await s.plan(2_000_000, PeriodKind.MONTH, date(2026, 11, 1))
    await s.plan(5_000_000, PeriodKind.MONTH, date(2026, 11, 1), client="Лютик")  # per-client
    await s.plan(9_999_999, PeriodKind.MONTH, date(2026, 10, 1))  # another month
    await session.commit()
    return m


async def test_b2b_month_in_vladivostok(session_pool: async_sessionmaker[AsyncSession]) -> None:
    async with session_pool() as session:
        manager = await _november(session)
        report = await build_kpi(session, manager, PeriodKind.MONTH, NOW)

    assert (report.period.start, report.period.end) == (date(2026, 11, 1), date(2026, 12, 1))
    assert (report.sales.total_minor, report.sales.count, report.sales.buyers) == (
        1_240_000 * RUB,
        6,
        3,
    )
    prev = report.previous_sales
    assert (prev.total_minor, prev.count, prev.buyers) == (400_000 * RUB, 3, 2)

    pace = report.pace
    # Working days of November 2026 up to Thursday the 19th: 2, 3, 5, 6, 9-13, 16-19 = 13 of 20
    # (the 4th is a holiday); left after today: 20, 23-27, 30 = 7; today still counts: 8 to go.
    assert (pace.day, pace.total_days, pace.days_to_go) == (13, 20, 8)
    assert pace.plan_minor == 2_000_000 * RUB  # the manager's own row, not the client's plan
    assert pace.attainment == Fraction(62, 100)  # 1 240 000 / 2 000 000
    assert pace.needed_per_day_minor == 95_000 * RUB  # (2 000 000 − 1 240 000) / 8
    # 1 240 000 × 20 / 13 = 1 907 692.30… → 190 769 230 kopecks (floor)
    assert pace.forecast_minor == 190_769_230
    assert pace.forecast == Fraction(1_240_000 * 20, 13 * 2_000_000)  # 95.38 %

    b2b = report.b2b
    assert b2b is not None
    # Non-archived: Ромашка, Лютик, Василёк, Одуванчик, Ирис, Астра, Пион = 7; in work (status
    # active): 6 without Пион; touched within cadence: Ромашка, Одуванчик, Ирис = 3;
    # active: those 3 + Лютик and Василёк, who bought in November = 5.
    assert (b2b.clients.total, b2b.clients.base, b2b.clients.touched, b2b.clients.active) == (
        7,
        6,
        3,
        5,
    )
    assert b2b.coverage == Fraction(3, 6)
    # November touches: Ромашка 3 and 10 Nov, Лютик, Одуванчик (00:30 local on the 1st), Ирис,
    # Пион, Архив (archived now, but the touch was made) = 7 touches, 6 clients; Ромашка's
    # 23:00 local on 31 October is October's.
    assert (b2b.touches, b2b.touched_clients) == (7, 6)
    # Average check: 1 240 000 / 6 vs 400 000 / 3 → ratio 1 240 000·3 / (6·400 000) = 1.55.
    assert b2b.average_check.current == Fraction(1_240_000 * RUB, 6)
    assert b2b.average_check.change == Fraction(55, 100)
    # Per client: 1 240 000 / 3 vs 400 000 / 2 → 2 480 000 / 1 200 000 = 31/15 → +16/15.
    assert b2b.per_client.change == Fraction(16, 15)
    assert b2b.new_lines == [("Лютик", "кабель"), ("Ромашка", "монтаж")]
    assert [(c.name, c.total_minor) for c in b2b.top] == [
        ("Василёк", 490_000 * RUB),
        ("Лютик", 400_000 * RUB),  # 150 000 + 250 000
        ("Ромашка", 350_000 * RUB),  # 300 000 + 20 000 + 30 000 (not the other manager's)
    ]
    risk = b2b.risk
    assert risk.overdue_count == 2
    assert [(o.name, (NOW - o.next_checkin_at).days) for o in risk.overdue] == [
        ("Василёк", 35),
        ("Лютик", 7),
    ]
    # Drops: Ирис 100 000 → 80 000 (−20 %), Лютик 300 000 → 500 000/3 (−44 %),
    # Одуванчик 150 000 → 100 000 (−33 %); Пион −19.999 % and the archived client are out.
    assert [d.name for d in risk.drops] == ["Ирис", "Лютик", "Одуванчик"]
    assert risk.count == 4  # Василёк, Лютик (overdue and dropping: once), Одуванчик, Ирис


async def test_plan_changed_mid_period_restates_the_pace(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    async with session_pool() as session:
        manager = await _november(session)
        await session.execute(
            update(Plan)
            .where(Plan.client_id.is_(None), Plan.period_start == date(2026, 11, 1))
            .values(amount_minor=3_100_000 * RUB)
        )
        await session.commit()
        pace = (await build_kpi(session, manager, PeriodKind.MONTH, NOW)).pace
    assert pace.attainment == Fraction(1_240_000, 3_100_000)  # 40 %
    assert pace.needed_per_day_minor == 232_500 * RUB  # (3 100 000 − 1 240 000) / 8
    assert pace.forecast == Fraction(1_240_000 * 20, 13 * 3_100_000)  # 61.5 %


async def test_week_starts_at_local_monday_midnight(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    now = local(2026, 11, 23, 0, 30)  # Monday 00:30 local = Sunday 22 Nov 14:30 UTC
    async with session_pool() as session:
        manager = await _manager(session)
        s = Seed(session, manager)
        await s.client("Ромашка", created=local(2026, 1, 10))
        await s.sale("Ромашка", 10_000, local(2026, 11, 22, 23, 50))  # Sunday: last week
        await s.sale("Ромашка", 20_000, local(2026, 11, 23, 0, 10))  # Monday: this week
        await s.plan(100_000, PeriodKind.WEEK, date(2026, 11, 23))
        await session.commit()
        report = await build_kpi(session, manager, PeriodKind.WEEK, now)
    assert (report.period.start, report.period.end) == (date(2026, 11, 23), date(2026, 11, 30))
    assert report.sales.total_minor == 20_000 * RUB
    assert report.previous_sales.total_minor == 10_000 * RUB
    # Mon 23 to Fri 27: 5 working days; Monday is day 1 and still to be worked: 5 to go.
    assert (report.pace.day, report.pace.total_days, report.pace.days_to_go) == (1, 5, 5)
    assert report.pace.needed_per_day_minor == 16_000 * RUB  # (100 000 − 20 000) / 5
    assert report.pace.forecast == Fraction(20_000 * 5, 1 * 100_000)  # 100 %


async def test_quarter_and_year_edge_before_the_first_working_day(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    now = local(2026, 1, 1, 0, 30)  # New Year's night, 00:30 local = 31 Dec 2025 14:30 UTC
    async with session_pool() as session:
        manager = await _manager(session)
        s = Seed(session, manager)
        await s.client("Ромашка", created=local(2025, 1, 10))
        await s.sale("Ромашка", 70_000, local(2025, 12, 31, 23, 50))  # Q4 2025, year 2025
        await s.sale("Ромашка", 100_000, local(2026, 1, 1, 0, 10))  # Q1 2026, year 2026
        await s.plan(5_500_000, PeriodKind.QUARTER, date(2026, 1, 1))
        await session.commit()
        quarter = await build_kpi(session, manager, PeriodKind.QUARTER, now)
        year = await build_kpi(session, manager, PeriodKind.YEAR, now)
    assert quarter.sales.total_minor == year.sales.total_minor == 100_000 * RUB
    assert quarter.previous_sales.total_minor == year.previous_sales.total_minor == 70_000 * RUB
    pace = quarter.pace
    # Q1 2026: January 15 (holidays to the 11th), February 19 (23 Feb), March 21 (8 March is a
    # Sunday, moved to Monday the 9th) = 55. 1 January is a holiday: day 0, all 55 to go.
    assert (pace.day, pace.total_days, pace.days_to_go) == (0, 55, 55)
    assert pace.attainment == Fraction(100_000, 5_500_000)
    assert pace.forecast is None  # no working day elapsed: no pace yet, no division by zero
    assert pace.forecast_minor is None
    # (5 500 000 − 100 000) / 55 = 98 181.81… → rounded up to 98 182
    assert pace.needed_per_day_minor == 98_182 * RUB
    assert year.pace.plan_minor is None  # no yearly plan


async def test_no_working_days_left_and_none_at_all(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    async with session_pool() as session:
        manager = await _manager(session)
        s = Seed(session, manager)
        await s.client("Ромашка", created=local(2025, 1, 10))
        await s.sale("Ромашка", 300_000, local(2026, 11, 24))
        await s.plan(500_000, PeriodKind.WEEK, date(2026, 11, 23))
        await s.plan(100_000, PeriodKind.WEEK, date(2026, 1, 5))
        await session.commit()
        saturday = await build_kpi(session, manager, PeriodKind.WEEK, local(2026, 11, 28, 10))
        # 5-11 January 2026: every weekday is a holiday (the 9th moved from Saturday 3rd).
        holiday_week = await build_kpi(session, manager, PeriodKind.WEEK, local(2026, 1, 7, 10))
    pace = saturday.pace
    assert (pace.day, pace.total_days, pace.days_to_go) == (5, 5, 0)
    assert pace.out_of_days
    assert pace.remaining_minor == 200_000 * RUB
    assert pace.needed_per_day_minor is None
    empty = holiday_week.pace
    assert (empty.day, empty.total_days, empty.days_to_go) == (0, 0, 0)
    assert empty.forecast is None
    assert empty.needed_per_day_minor is None
    assert empty.out_of_days
    assert empty.attainment == 0


async def test_plan_made_and_zero_plan(session_pool: async_sessionmaker[AsyncSession]) -> None:
    async with session_pool() as session:
        manager = await _manager(session)
        s = Seed(session, manager)
        await s.client("Ромашка", created=local(2025, 1, 10))
        await s.sale("Ромашка", 1_500_000, local(2026, 11, 2))
        await s.plan(1_000_000, PeriodKind.MONTH, date(2026, 11, 1))
        await s.plan(0, PeriodKind.QUARTER, date(2026, 10, 1))
        await session.commit()
        month = (await build_kpi(session, manager, PeriodKind.MONTH, NOW)).pace
        quarter = (await build_kpi(session, manager, PeriodKind.QUARTER, NOW)).pace
    assert month.attainment == Fraction(3, 2)
    assert (month.remaining_minor, month.needed_per_day_minor) == (0, None)
    assert not month.out_of_days
    assert quarter.attainment is None  # a zero plan is no plan: no division by zero
    assert not quarter.has_plan


async def test_empty_manager(session_pool: async_sessionmaker[AsyncSession]) -> None:
    async with session_pool() as session:
        manager = await _manager(session)
        await session.commit()
        report = await build_kpi(session, manager, PeriodKind.MONTH, NOW)
        assert await pace_line(session, manager, NOW) is None
    assert report.sales.count == 0
    assert report.pace.attainment is None
    assert report.pace.forecast_minor == 0
    b2b = report.b2b
    assert b2b is not None
    assert b2b.clients.total == 0
    assert b2b.coverage is None
    assert b2b.average_check.current is None
    assert b2b.average_check.change is None
    assert b2b.per_client.change is None
    assert (b2b.top, b2b.new_lines, b2b.risk.count) == ([], [], 0)


async def test_pace_line(session_pool: async_sessionmaker[AsyncSession]) -> None:
    async with session_pool() as session:
        manager = await _november(session)
        line = await pace_line(session, manager, NOW)
        manager.language = "en"
        english = await pace_line(session, manager, NOW)
        await session.execute(update(Plan).values(amount_minor=0))
        no_plan = await pace_line(session, manager, NOW)
    assert line == (
        "🎯 План на ноябрь 2026: <b>62\u00a0%</b> · рабочий день 13 из 20"
        " · нужно 95\u00a0000\u00a0₽ в день · прогноз 95\u00a0%"
    )
    assert english == (
        "🎯 Plan for November 2026: <b>62%</b> · working day 13 of 20"
        " · ₽95,000 needed per day · forecast 95%"
    )
    assert no_plan == ("💰 Sales in November 2026: <b>₽1,240,000</b> (no plan set: /plan)")


async def test_b2c_and_kam_modes_get_the_sales_and_plan_lines(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    async with session_pool() as session:
        manager = await _november(session)
        manager.work_mode = WorkMode.B2C
        report = await build_kpi(session, manager, PeriodKind.MONTH, NOW)
    assert report.b2b is None
    assert report.b2c is not None
    assert report.sales.total_minor == 1_240_000 * RUB
    assert report.pace.attainment == Fraction(62, 100)


@pytest.mark.parametrize(
    ("first_sale_day", "comparable"),
    [
        (1, True),  # October starts the history: a whole previous month
        (4, True),  # within the first tenth of October's 31 days (3.1 days after 1 Oct 00:00)
        (5, False),  # history starts inside October: "+x %" would compare with a stub
    ],
)
async def test_no_comparison_with_a_previous_period_the_history_does_not_cover(
    session_pool: async_sessionmaker[AsyncSession], first_sale_day: int, comparable: bool
) -> None:
    async with session_pool() as session:
        manager = await _manager(session)
        s = Seed(session, manager)
        await s.client("Ромашка", created=local(2026, 1, 10))
        # Oct 1 00:00 local + 3.1 days = Oct 4 02:24 local: a sale at 00:30 on the 4th is within.
        await s.sale("Ромашка", 10_000, local(2026, 10, first_sale_day, 0, 30))
        await s.sale("Ромашка", 30_000, local(2026, 11, 10))
        await session.commit()
        report = await build_kpi(session, manager, PeriodKind.MONTH, NOW)
    assert report.previous_comparable is comparable
    assert report.b2b is not None
    # 30 000 vs 10 000 per sale: +200 % when comparable.
    assert report.b2b.average_check.change == (Fraction(2) if comparable else None)
