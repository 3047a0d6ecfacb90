"""The chart's series from the database, at local-day boundaries in non-UTC timezones.

Every expected value is counted by hand from the rows inserted here.
"""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import translator
from bot.services.kpi.chart_b2c import b2c_chart_data
from bot.services.kpi.chart_data import chart_data, sales_by_local_day
from bot.services.kpi.charts import kpi_chart_png
from storage.enums import PeriodKind
from storage.models import Client, ClientRequest, Interaction, Manager, Plan, Review, Sale

pytestmark = pytest.mark.db

# Saturday 28 November 2026, 16:00 in Vladivostok (UTC+10, no DST).
NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
RUB = 100  # minor units per rouble


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


async def _manager(session: AsyncSession, telegram_id: int, tz: str) -> tuple[Manager, Client]:
    manager = Manager(telegram_id=telegram_id, full_name="M", timezone=tz)
    session.add(manager)
    await session.flush()
    client = Client(owner_id=manager.id, name="Ромашка", name_norm="ромашка")
    session.add(client)
    await session.flush()
    return manager, client


async def _sales(
    session: AsyncSession, manager: Manager, client: Client, rows: list[tuple[datetime, int, str]]
) -> None:
    await session.execute(
        insert(Sale),
        [
            {
                "client_id": client.id,
                "manager_id": manager.id,
                "amount_minor": amount * RUB,
                "currency": currency,
                "sold_at": at,
                "created_at": NOW,
            }
            for at, amount, currency in rows
        ],
    )


async def _touches(
    session: AsyncSession, manager: Manager, client: Client, times: list[datetime]
) -> None:
    await session.execute(
        insert(Interaction),
        [
            {
                "client_id": client.id,
                "manager_id": manager.id,
                "kind": "call",
                "occurred_at": at,
                "summary": "",
                "next_step_has_time": False,
                "created_at": NOW,
            }
            for at in times
        ],
    )


async def _vladivostok_month(session: AsyncSession) -> Manager:
    manager, client = await _manager(session, 1, "Asia/Vladivostok")
    other, other_client = await _manager(session, 2, "Asia/Vladivostok")
    await _sales(
        session,
        manager,
        client,
        [
            (utc(2026, 10, 31, 13, 59), 999, "RUB"),  # 31 Oct 23:59 local: October
            (utc(2026, 10, 31, 14, 0), 100_000, "RUB"),  # 1 Nov 00:00 local
            (utc(2026, 11, 10, 13, 30), 50_000, "RUB"),  # 10 Nov 23:30 local
            (utc(2026, 11, 10, 14, 0), 25_000, "RUB"),  # 11 Nov 00:00 local
            (utc(2026, 11, 10, 14, 30), 5_000, "RUB"),  # 11 Nov 00:30 local
            (utc(2026, 11, 28, 5, 0), 20_000, "RUB"),  # today 15:00 local
            (utc(2026, 11, 30, 13, 59), 1_000, "RUB"),  # 30 Nov 23:59, after "now": not drawn
        ],
    )
    await _sales(session, other, other_client, [(utc(2026, 11, 5, 3, 0), 77_777, "RUB")])
    await _touches(
        session,
        manager,
        client,
        [
            utc(2026, 9, 6, 13, 59),  # Sun 6 Sep 23:59 local: before the 12 weeks
            utc(2026, 9, 6, 14, 0),  # Mon 7 Sep 00:00 local: the first week
            utc(2026, 11, 22, 13, 59),  # Sun 22 Nov 23:59 local: week of 16 Nov
            utc(2026, 11, 22, 14, 0),  # Mon 23 Nov 00:00 local: this week
            utc(2026, 11, 27, 20, 0),  # Sat 28 Nov 06:00 local: this week
        ],
    )
    await _touches(session, other, other_client, [utc(2026, 11, 24, 3, 0)])
    session.add_all(
        [
            Plan(
                manager_id=manager.id,
                period_kind=PeriodKind.MONTH,
                period_start=date(2026, 11, 1),
                amount_minor=3_000_000 * RUB,
            ),
            # Neither a quarter plan nor a key account's plan is the month's plan.
            Plan(
                manager_id=manager.id,
                period_kind=PeriodKind.QUARTER,
                period_start=date(2026, 10, 1),
                amount_minor=9_999_999 * RUB,
            ),
            Plan(
                manager_id=manager.id,
                client_id=client.id,
                period_kind=PeriodKind.MONTH,
                period_start=date(2026, 11, 1),
                amount_minor=1_111 * RUB,
            ),
        ]
    )
    await session.commit()
    return manager


async def test_month_series_at_local_day_boundaries(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    async with session_pool() as session:
        manager = await _vladivostok_month(session)
        data = await chart_data(session, manager, PeriodKind.MONTH, NOW)

    assert data.today == date(2026, 11, 28)
    assert data.days[0] == date(2026, 11, 1)
    assert len(data.days) == 30
    by_day = dict(zip(data.days, data.cumulative, strict=True))
    expected = (
        {date(2026, 11, d): 100_000 for d in range(1, 10)}
        | {date(2026, 11, 10): 150_000}
        | {date(2026, 11, d): 180_000 for d in range(11, 28)}
        | {date(2026, 11, 28): 200_000, date(2026, 11, 29): None, date(2026, 11, 30): None}
    )
    assert by_day == {d: v * RUB if v is not None else None for d, v in expected.items()}
    assert data.sold_minor == 200_000 * RUB


async def test_plan_line_and_forecast(session_pool: async_sessionmaker[AsyncSession]) -> None:
    async with session_pool() as session:
        manager = await _vladivostok_month(session)
        data = await chart_data(session, manager, PeriodKind.MONTH, NOW)

    assert data.plan_minor == 3_000_000 * RUB
    assert data.plan_cumulative is not None
    line = dict(zip(data.days, data.plan_cumulative, strict=True))
    # November 2026 in Russia: 20 working days (Wednesday the 4th is a holiday).
    assert line[date(2026, 11, 1)] == 0  # Sunday
    assert line[date(2026, 11, 2)] == 150_000 * RUB  # 1 of 20
    assert line[date(2026, 11, 4)] == 300_000 * RUB  # the holiday adds nothing
    assert line[date(2026, 11, 28)] == 2_850_000 * RUB  # 19 of 20
    assert line[date(2026, 11, 30)] == 3_000_000 * RUB  # the plan, on the last day
    # 200,000 ₽ in 19 working days, over 20: 210,526.31 ₽.
    assert data.forecast_minor == 21_052_631


async def test_touches_per_local_week(session_pool: async_sessionmaker[AsyncSession]) -> None:
    async with session_pool() as session:
        manager = await _vladivostok_month(session)
        data = await chart_data(session, manager, PeriodKind.MONTH, NOW)

    assert data.weeks[0] == date(2026, 9, 7)
    assert data.weeks[-1] == date(2026, 11, 23)
    assert len(data.weeks) == 12
    assert data.current_week == 11
    assert data.touches == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2]


async def test_no_plan_means_no_plan_line(session_pool: async_sessionmaker[AsyncSession]) -> None:
    async with session_pool() as session:
        manager = await _vladivostok_month(session)
        # The plan is for the month: the week has none.
        data = await chart_data(session, manager, PeriodKind.WEEK, NOW)

    assert data.plan_minor is None
    assert data.plan_cumulative is None
    # Week of Monday 23 November: only today's 20,000 ₽ (the 30th is next week).
    assert data.cumulative == [0, 0, 0, 0, 0, 20_000 * RUB, None]


async def test_local_days_follow_a_dst_change(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    """New York moves from -05:00 to -04:00 on Sunday 8 March 2026 at 02:00."""
    async with session_pool() as session:
        manager, client = await _manager(session, 3, "America/New_York")
        await _sales(
            session,
            manager,
            client,
            [
                (utc(2026, 3, 8, 4, 30), 1, "RUB"),  # Sat 7 Mar 23:30 EST
                (utc(2026, 3, 9, 3, 30), 10, "RUB"),  # Sun 8 Mar 23:30 EDT
                (utc(2026, 3, 9, 4, 30), 100, "RUB"),  # Mon 9 Mar 00:30 EDT (23:30 at -05:00)
            ],
        )
        await session.commit()
        days = await sales_by_local_day(
            session,
            manager.id,
            date(2026, 3, 1),
            date(2026, 4, 1),
            ZoneInfo(manager.timezone),
        )

    assert days == {
        date(2026, 3, 7): 1 * RUB,
        date(2026, 3, 8): 10 * RUB,
        date(2026, 3, 9): 100 * RUB,
    }


async def test_half_hour_timezone(session_pool: async_sessionmaker[AsyncSession]) -> None:
    """India is UTC+05:30: local midnight falls at half past a UTC hour."""
    async with session_pool() as session:
        manager, client = await _manager(session, 4, "Asia/Kolkata")
        await _sales(
            session,
            manager,
            client,
            [
                (utc(2026, 11, 9, 18, 29), 1, "RUB"),  # 9 Nov 23:59 local
                (utc(2026, 11, 9, 18, 30), 10, "RUB"),  # 10 Nov 00:00 local, same UTC hour
            ],
        )
        await session.commit()
        days = await sales_by_local_day(
            session,
            manager.id,
            date(2026, 11, 1),
            date(2026, 12, 1),
            ZoneInfo(manager.timezone),
        )

    assert days == {date(2026, 11, 9): 1 * RUB, date(2026, 11, 10): 10 * RUB}


async def test_kpi_chart_png_end_to_end(session_pool: async_sessionmaker[AsyncSession]) -> None:
    async with session_pool() as session:
        manager = await _vladivostok_month(session)
        png = await kpi_chart_png(session, manager, PeriodKind.MONTH, NOW, translator("ru"))

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (1080, 1350)


async def test_empty_history_draws_a_chart(session_pool: async_sessionmaker[AsyncSession]) -> None:
    async with session_pool() as session:
        manager, _client = await _manager(session, 5, "Europe/Moscow")
        await session.commit()
        data = await chart_data(session, manager, PeriodKind.YEAR, NOW)
        png = await kpi_chart_png(
            session, manager, PeriodKind.YEAR, NOW + timedelta(days=1), translator("en")
        )

    assert data.sold_minor == 0
    assert data.forecast_minor == 0
    assert set(data.touches[: data.current_week + 1]) == {0}
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


async def test_b2c_buckets_are_local_days_and_weeks(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    """A request opened at 00:30 Vladivostok time on the 24th is the 24th's, though in UTC it is
    still the 23rd; a quarter's buckets are weeks, the first one clipped to 1 October."""
    async with session_pool() as session:
        manager, client = await _manager(session, 6, "Asia/Vladivostok")
        opened = utc(2026, 11, 23, 14, 30)  # 24 Nov 00:30 local
        session.add_all(
            [
                ClientRequest(
                    client_id=client.id,
                    manager_id=manager.id,
                    text="late",
                    opened_at=opened,
                    first_response_at=opened + timedelta(minutes=20),
                    resolved_at=opened + timedelta(hours=3),
                ),
                Review(
                    client_id=client.id,
                    manager_id=manager.id,
                    is_positive=False,
                    created_at=utc(2026, 11, 23, 13, 59),
                ),  # 23 Nov 23:59 local
            ]
        )
        await session.commit()
        month = await b2c_chart_data(session, manager, PeriodKind.MONTH, NOW)
        quarter = await b2c_chart_data(session, manager, PeriodKind.QUARTER, NOW)

    day = {d: i for i, d in enumerate(month.buckets)}
    assert month.response_s[day[date(2026, 11, 24)]] == 20 * 60
    assert month.resolution_s[day[date(2026, 11, 24)]] == 3 * 3600
    assert month.response_s[day[date(2026, 11, 23)]] is None
    assert month.negative[day[date(2026, 11, 23)]] == 1
    assert month.negative[day[date(2026, 11, 24)]] == 0
    assert month.total.first_response.median_s == 20 * 60
    assert quarter.unit == "week"
    assert quarter.buckets[0] == date(2026, 9, 28)  # the Monday before 1 October
    week = quarter.buckets.index(date(2026, 11, 23))
    assert quarter.response_s[week] == 20 * 60
    assert quarter.negative[week] == 1
    assert quarter.current == week
    assert quarter.positive[week + 1] is None  # the week of 30 November is still ahead
