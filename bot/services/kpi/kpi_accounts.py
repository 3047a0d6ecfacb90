"""The key-account section of /kpi: each key client's turnover, its plan and its share.

Turnover and the manager's total count the sales this manager recorded (``Sale.manager_id``),
so the shares of all accounts never add up to more than 100%. Archived key clients are left
out; a key client with no sales in the period is listed with zero, because a silent key
account is exactly what the manager must see. Everything is summed in SQL, in minor units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.kpi.periods import Period
from storage import kpi as store
from storage import sales as sale_store

_TENTH = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class KeyAccount:
    client_id: int
    name: str
    turnover_minor: int
    plan_minor: int | None  # the per-client plan of exactly this period, if set
    attainment_pct: Decimal | None  # turnover / plan × 100, one decimal; None without a plan
    share_pct: Decimal | None  # turnover / manager total × 100; None when the total is 0


@dataclass(frozen=True, slots=True)
class KeyAccounts:
    accounts: list[KeyAccount]  # turnover descending, then name
    total_minor: int  # all of the manager's sales in the period, key or not
    key_total_minor: int


def percent(part: int, whole: int | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_TENTH, rounding=ROUND_HALF_UP)


async def key_accounts(
    session: AsyncSession,
    manager_id: int,
    period: Period,
    start_utc: datetime,
    end_utc: datetime,
) -> KeyAccounts:
    total_minor = await sale_store.total(session, manager_id, start_utc, end_utc)
    rows = await store.key_account_rows(
        session, manager_id, period.kind, period.start, start_utc, end_utc
    )
    accounts = [
        KeyAccount(
            client_id=cid,
            name=name,
            turnover_minor=sold,
            plan_minor=plan,
            attainment_pct=percent(sold, plan),
            share_pct=percent(sold, total_minor),
        )
        for cid, name, sold, plan in rows
    ]
    return KeyAccounts(accounts, total_minor, sum(a.turnover_minor for a in accounts))
