"""B2C KPI figures against hand-computed values, on SQLite and (when configured) PostgreSQL.

Percentiles are nearest-rank: of N sorted durations, the p-th is the one at rank ceil(p·N/100).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.kpi.kpi_b2c import DurationStats, b2c_metrics
from storage.models import Client, ClientRequest, Manager, Review

pytestmark = pytest.mark.db
Pool = async_sessionmaker[AsyncSession]
M = timedelta(minutes=1)
EKB = ZoneInfo("Asia/Yekaterinburg")  # UTC+5, no DST
# November 2026 in Yekaterinburg, as the caller passes it: local midnights in UTC.
START = datetime(2026, 10, 31, 19, 0, tzinfo=UTC)
END = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 08:00 on 1 December in Yekaterinburg


async def _setup(session: AsyncSession, telegram_id: int = 1) -> tuple[Manager, Client]:
    manager = Manager(telegram_id=telegram_id, full_name="Анна", timezone="Asia/Yekaterinburg")
    session.add(manager)
    await session.flush()
    client = Client(owner_id=manager.id, name=f"Ромашка {telegram_id}", name_norm="ромашка")
    session.add(client)
    await session.flush()
    return manager, client


def _request(
    manager: Manager,
    client: Client,
    opened: datetime,
    response: timedelta | None = None,
    resolution: timedelta | None = None,
    text: str = "заявка",
) -> ClientRequest:
    return ClientRequest(
        manager_id=manager.id,
        client_id=client.id,
        text=text,
        opened_at=opened,
        first_response_at=opened + response if response is not None else None,
        resolved_at=opened + resolution if resolution is not None else None,
    )


def test_the_boundaries_are_local_midnights() -> None:
    assert datetime(2026, 11, 1, tzinfo=EKB).astimezone(UTC) == START
    assert datetime(2026, 12, 1, tzinfo=EKB).astimezone(UTC) == END


async def test_month_in_a_non_utc_zone_with_hand_computed_figures(session_pool: Pool) -> None:
    async with session_pool() as session:
        me, client = await _setup(session)
        other, their_client = await _setup(session, telegram_id=2)
        rows = [
            # In the period: (opened, first response after, resolved after)
            _request(me, client, START, 1 * M, 30 * M, "ровно в начале месяца"),
            _request(me, client, datetime(2026, 11, 2, 5, tzinfo=UTC), 7 * M, 120 * M),
            _request(me, client, datetime(2026, 11, 5, 10, tzinfo=UTC), 3 * M, 300 * M),
            _request(me, client, datetime(2026, 11, 9, 8, tzinfo=UTC), 10 * M, 60 * M),
            _request(me, client, datetime(2026, 11, 12, 14, tzinfo=UTC), 2 * M, 1560 * M),
            _request(me, client, datetime(2026, 11, 15, 9, tzinfo=UTC), 9 * M, 180 * M),
            _request(me, client, datetime(2026, 11, 20, 11, tzinfo=UTC), 5 * M, 90 * M),
            _request(me, client, datetime(2026, 11, 25, 7, tzinfo=UTC), 4 * M, None, "#8"),
            _request(me, client, datetime(2026, 11, 29, 6, tzinfo=UTC), 8 * M, None, "#9"),
            # Answered, open for exactly 24 h at NOW: not past the resolution SLA yet.
            _request(me, client, datetime(2026, 11, 30, 3, tzinfo=UTC), 6 * M, None, "#10"),
            _request(me, client, datetime(2026, 11, 30, 10, 30, tzinfo=UTC), None, None, "#11"),
            # Outside the period:
            # one second before the start (23:59:59 on 31 October, local), solved slowly
            _request(me, client, START - timedelta(seconds=1), 1000 * M, 2000 * M, "A"),
            # at the end (midnight of 1 December, local): the next period's
            _request(me, client, END, None, None, "B"),
            # exactly an hour unanswered at NOW: not past the response SLA yet
            _request(me, client, NOW - timedelta(hours=1), None, None, "C"),
            _request(me, client, NOW - timedelta(hours=1, seconds=1), None, None, "D"),
            _request(me, client, datetime(2026, 10, 10, 9, tzinfo=UTC), None, None, "E"),
            # someone else's, in the period, slow and open
            _request(other, their_client, datetime(2026, 11, 10, tzinfo=UTC), 600 * M, None),
        ]
        random.Random(7).shuffle(rows)  # the SQL must sort, not the insertion order
        session.add_all(rows)
        for who, on, positive in (
            (me, START, False),
            (me, datetime(2026, 11, 3, tzinfo=UTC), False),
            (me, datetime(2026, 11, 4, tzinfo=UTC), True),
            (me, datetime(2026, 11, 14, tzinfo=UTC), True),
            (me, END - timedelta(seconds=1), True),
            (me, START - timedelta(seconds=1), False),
            (me, END, True),
            (other, datetime(2026, 11, 5, tzinfo=UTC), False),
        ):
            client_id = client.id if who is me else their_client.id
            session.add(
                Review(manager_id=who.id, client_id=client_id, is_positive=positive, created_at=on)
            )
        await session.commit()
        manager_id = me.id

    async with session_pool() as session:
        m = await b2c_metrics(session, manager_id, START, END, NOW)

    assert m.opened == 11
    assert m.resolved == 7
    # Responses 1..10 min: rank ceil(5) = 5 → 5 min; rank ceil(9) = 9 → 9 min.
    assert m.first_response == DurationStats(count=10, median_s=300, p90_s=540, within_sla=10)
    # Resolutions sorted: 30, 60, 90, 120, 180, 300, 1560 min; rank ceil(3.5) = 4 → 120 min;
    # rank ceil(6.3) = 7 → 1560 min (26 h, the one past the 24 h SLA).
    assert m.resolution == DurationStats(count=7, median_s=7200, p90_s=93600, within_sla=6)
    # Past the SLA now: E (Oct), #8, #9 (unresolved > 24 h), #11, B, D (unanswered > 1 h);
    # not #10 (exactly 24 h) nor C (exactly 1 h), nor someone else's.
    assert m.overdue_count == 6
    assert [(o.text, o.breach) for o in m.overdue] == [
        ("E", "response"),
        ("#8", "resolution"),
        ("#9", "resolution"),
        ("#11", "response"),
        ("B", "response"),
    ]
    assert m.overdue[0].opened_at == datetime(2026, 10, 10, 9, tzinfo=UTC)
    assert m.overdue[0].client_name == "Ромашка 1"
    assert (m.reviews_negative, m.reviews_positive) == (2, 3)


@pytest.mark.parametrize(
    ("minutes", "median", "p90"),
    [
        (list(range(1, 11)), 5, 9),  # the brief's example
        ([7], 7, 7),  # one value is every percentile
        ([1, 10], 1, 10),  # ranks ceil(1) = 1 and ceil(1.8) = 2
        ([4, 4, 4, 9], 4, 9),  # ties; ranks 2 and ceil(3.6) = 4
        (list(range(1, 21)), 10, 18),  # ranks 10 and 18
        (list(range(1, 12)), 6, 10),  # n = 11: ranks ceil(5.5) = 6 and ceil(9.9) = 10
    ],
)
async def test_nearest_rank_percentiles(
    session_pool: Pool, minutes: list[int], median: int, p90: int
) -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    async with session_pool() as session:
        manager, client = await _setup(session)
        shuffled = list(enumerate(minutes))
        random.Random(3).shuffle(shuffled)
        session.add_all(
            _request(manager, client, start + timedelta(hours=i), m * M, None) for i, m in shuffled
        )
        await session.commit()
        stats = (
            await b2c_metrics(session, manager.id, start, start + timedelta(days=30), NOW)
        ).first_response
    assert stats.count == len(minutes)
    assert (stats.median_s, stats.p90_s) == (median * 60, p90 * 60)


async def test_seconds_are_exact_across_days_and_fractions(session_pool: Pool) -> None:
    opened = datetime(2026, 11, 3, 23, 59, 59, 250_000, tzinfo=UTC)
    async with session_pool() as session:
        manager, client = await _setup(session)
        session.add(
            _request(
                manager,
                client,
                opened,
                timedelta(seconds=3599),  # one second inside the SLA
                timedelta(days=1, seconds=1),  # one second past it
            )
        )
        await session.commit()
        m = await b2c_metrics(session, manager.id, START, END, NOW)
    assert m.first_response == DurationStats(1, 3599, 3599, 1)
    assert m.resolution == DurationStats(1, 86401, 86401, 0)


async def test_no_requests_no_figures(session_pool: Pool) -> None:
    async with session_pool() as session:
        manager, _ = await _setup(session)
        await session.commit()
        m = await b2c_metrics(session, manager.id, START, END, NOW)
    assert (m.opened, m.resolved, m.overdue_count, m.overdue) == (0, 0, 0, [])
    assert m.first_response == DurationStats(0, None, None, 0)
    assert m.resolution == DurationStats(0, None, None, 0)
    assert (m.reviews_negative, m.reviews_positive) == (0, 0)
