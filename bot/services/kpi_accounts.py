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

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.periods import Period
from storage.enums import Tier
from storage.models import Client, Plan, Sale

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
    total = await session.scalar(
        select(func.coalesce(func.sum(Sale.amount_minor), 0)).where(
            Sale.manager_id == manager_id, Sale.sold_at >= start_utc, Sale.sold_at < end_utc
        )
    )
    turnover = func.coalesce(func.sum(Sale.amount_minor), 0)
    rows = await session.execute(
        select(Client.id, Client.name, turnover, Plan.amount_minor)
        .outerjoin(
            Sale,
            and_(
                Sale.client_id == Client.id,
                Sale.manager_id == manager_id,
                Sale.sold_at >= start_utc,
                Sale.sold_at < end_utc,
            ),
        )
        .outerjoin(
            Plan,
            and_(
                Plan.client_id == Client.id,
                Plan.manager_id == manager_id,
                Plan.period_kind == period.kind,
                Plan.period_start == period.start,
            ),
        )
        .where(
            Client.owner_id == manager_id,
            Client.tier == Tier.KEY,
            Client.archived_at.is_(None),
        )
        .group_by(Client.id, Client.name, Plan.amount_minor)
        .order_by(turnover.desc(), Client.name, Client.id)
    )
    total_minor = int(total or 0)
    accounts = [
        KeyAccount(
            client_id=cid,
            name=name,
            turnover_minor=int(sold),
            plan_minor=int(plan) if plan is not None else None,
            attainment_pct=percent(int(sold), plan),
            share_pct=percent(int(sold), total_minor),
        )
        for cid, name, sold, plan in rows
    ]
    return KeyAccounts(accounts, total_minor, sum(a.turnover_minor for a in accounts))
