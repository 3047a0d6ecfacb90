"""The key-account section of /kpi on a real database, against figures worked out by hand.

The manager lives in Moscow (UTC+3): November 2026 is [2026-10-31 21:00, 2026-11-30 21:00) UTC,
so sales one minute either side of those instants fall in October or December.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.kpi.kpi_accounts import key_accounts
from bot.services.kpi.periods import period_of, utc_bounds
from storage.enums import PeriodKind, Tier
from storage.models import Client, Manager, Plan, Sale

pytestmark = pytest.mark.db
MOSCOW = ZoneInfo("Europe/Moscow")


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def _fill(session: AsyncSession) -> tuple[Manager, dict[str, Client]]:
    anna = Manager(telegram_id=1, full_name="Анна")
    boris = Manager(telegram_id=2, full_name="Борис")
    session.add_all([anna, boris])
    await session.flush()

    def client(name: str, owner: Manager, tier: Tier, archived: bool = False) -> Client:
        return Client(
            owner_id=owner.id,
            name=name,
            name_norm=name.lower(),
            tier=tier,
            archived_at=_utc(2026, 11, 1) if archived else None,
        )

    clients = {
        "gpn": client("Газпромнефть", anna, Tier.KEY),
        "luk": client("Лукойл", anna, Tier.KEY),
        "sib": client("Сибур", anna, Tier.KEY),
        "old": client("Архивный", anna, Tier.KEY, archived=True),
        "rom": client("Ромашка", anna, Tier.REGULAR),
        "bor": client("Борисов ключ", boris, Tier.KEY),
    }
    session.add_all(clients.values())
    await session.flush()

    def sale(key: str, manager: Manager, minor: int, at: datetime) -> Sale:
        return Sale(
            client_id=clients[key].id, manager_id=manager.id, amount_minor=minor, sold_at=at
        )

    session.add_all(
        [
            sale("gpn", anna, 50_000_000, _utc(2026, 11, 10, 12)),
            sale("gpn", anna, 25_000_000, _utc(2026, 11, 30, 20, 59)),  # 23:59 on 30 Nov MSK
            sale("gpn", anna, 100_000_000, _utc(2026, 10, 31, 20, 59)),  # 23:59 on 31 Oct MSK
            sale("gpn", boris, 40_000_000, _utc(2026, 11, 12)),  # recorded by someone else
            sale("luk", anna, 15_000_050, _utc(2026, 10, 31, 21, 0)),  # 00:00 on 1 Nov MSK
            sale("luk", anna, 30_000_000, _utc(2026, 11, 30, 21, 0)),  # 00:00 on 1 Dec MSK
            sale("old", anna, 10_000_000, _utc(2026, 11, 5)),
            sale("rom", anna, 25_000_000, _utc(2026, 11, 15)),
            sale("bor", boris, 99_000_000, _utc(2026, 11, 15)),
        ]
    )

    def plan(key: str | None, kind: PeriodKind, start: date, minor: int) -> Plan:
        return Plan(
            manager_id=anna.id,
            client_id=clients[key].id if key else None,
            period_kind=kind,
            period_start=start,
            amount_minor=minor,
        )

    session.add_all(
        [
            plan("gpn", PeriodKind.MONTH, date(2026, 11, 1), 100_000_000),
            plan("luk", PeriodKind.MONTH, date(2026, 10, 1), 1_000),  # another month
            plan("luk", PeriodKind.QUARTER, date(2026, 10, 1), 60_000_000),  # another kind
            plan("sib", PeriodKind.MONTH, date(2026, 11, 1), 20_000_000),
            plan(None, PeriodKind.MONTH, date(2026, 11, 1), 300_000_000),  # the manager's own
        ]
    )
    await session.commit()
    return anna, clients


async def test_key_accounts_of_november_in_moscow(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    async with session_pool() as session:
        anna, clients = await _fill(session)
        period = period_of(PeriodKind.MONTH, date(2026, 11, 28))
        start, end = utc_bounds(period, MOSCOW)
        assert (start, end) == (_utc(2026, 10, 31, 21), _utc(2026, 11, 30, 21))
        result = await key_accounts(session, anna.id, period, start, end)

    # Anna's November: 500 000 + 250 000 (Газпромнефть) + 150 000,50 (Лукойл)
    # + 100 000 (archived key client) + 250 000 (Ромашка) = 1 250 000,50 ₽.
    assert result.total_minor == 125_000_050
    got = [
        (a.name, a.turnover_minor, a.plan_minor, a.attainment_pct, a.share_pct)
        for a in result.accounts
    ]
    assert got == [
        # 750 000 of a 1 000 000 plan = 75.0 %; 750 000 / 1 250 000,50 = 59.99997… % → 60.0
        ("Газпромнефть", 75_000_000, 100_000_000, Decimal("75.0"), Decimal("60.0")),
        # 150 000,50 / 1 250 000,50 = 12.00003… % → 12.0; no November month plan
        ("Лукойл", 15_000_050, None, None, Decimal("12.0")),
        # silent key account: listed with zero, 0 % of its 200 000 plan
        ("Сибур", 0, 20_000_000, Decimal("0.0"), Decimal("0.0")),
    ]
    assert [a.client_id for a in result.accounts] == [
        clients["gpn"].id,
        clients["luk"].id,
        clients["sib"].id,
    ]
    assert result.key_total_minor == 90_000_050


async def test_other_periods_and_no_sales_divide_nothing_by_zero(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    async with session_pool() as session:
        anna, _ = await _fill(session)
        december = period_of(PeriodKind.MONTH, date(2026, 12, 1))
        result = await key_accounts(session, anna.id, december, *utc_bounds(december, MOSCOW))
        # Only Лукойл's sale at 00:00 on 1 December, Moscow time.
        assert result.total_minor == 30_000_000
        assert [(a.name, a.turnover_minor, a.share_pct) for a in result.accounts] == [
            ("Лукойл", 30_000_000, Decimal("100.0")),
            ("Газпромнефть", 0, Decimal("0.0")),
            ("Сибур", 0, Decimal("0.0")),
        ]
        quarter = period_of(PeriodKind.QUARTER, date(2026, 11, 28))
        result = await key_accounts(session, anna.id, quarter, *utc_bounds(quarter, MOSCOW))
        luk = next(a for a in result.accounts if a.name == "Лукойл")
        # The quarter holds both of Лукойл's sales: 450 000,50 of a 600 000 plan = 75.00008 %.
        assert (luk.turnover_minor, luk.plan_minor, luk.attainment_pct) == (
            45_000_050,
            60_000_000,
            Decimal("75.0"),
        )
        empty = period_of(PeriodKind.MONTH, date(2027, 1, 1))
        result = await key_accounts(session, anna.id, empty, *utc_bounds(empty, MOSCOW))
        assert result.total_minor == 0
        assert all(a.share_pct is None and a.turnover_minor == 0 for a in result.accounts)
        assert result.key_total_minor == 0


async def test_a_manager_without_key_accounts(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    async with session_pool() as session:
        lonely = Manager(telegram_id=3, full_name="Вера")
        session.add(lonely)
        await session.commit()
        period = period_of(PeriodKind.YEAR, date(2026, 6, 1))
        result = await key_accounts(session, lonely.id, period, *utc_bounds(period, MOSCOW))
    assert (result.accounts, result.total_minor, result.key_total_minor) == ([], 0, 0)
