"""Sales plans: the manager's own for a month, quarter or year, and per-client ones for key
accounts, in the manager's timezone.

Decisions:
- The period is the current one unless named: "/plan 3 млн" is this month; "следующий месяц"
  / "next month", or a month's name ("декабрь", "december"), sets another one. A month's name
  is the coming one, except the month just past: "ноябрь" typed in December is the November
  that has just ended (a manager filling in last month's plan), never November next year.
- A kind misspelt as /kpi forgives it ("кватрал") is read the same way here.
- One row per manager, client (or none), kind and period start (a unique constraint): setting
  a plan again replaces it, and the reply says what it was. "/plan 0" removes the plan.
- A per-client plan may be set for any active client; the /kpi key-account section shows only
  key-tier clients, so the reply offers to mark the client 🔑 when it is not one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from bot.services.kpi.periods import (
    Period,
    local_today,
    period_of,
    previous,
    shifted,
    utc_bounds,
)
from bot.services.kpi.words import parse_period
from bot.services.money import share
from bot.services.parsing.amounts import (
    AmountError,
    AmountErrorKind,
    AmountMatch,
    find_amounts,
    has_number_words,
)
from bot.services.parsing.dates import fold
from storage import plans as store
from storage.enums import PeriodKind, Tier
from storage.models import Client, Manager, Plan

SHOWN_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
_KIND_WORDS: dict[PeriodKind, tuple[str, ...]] = {
    PeriodKind.MONTH: ("месяц", "месяца", "месяцу", "мес", "month", "monthly", "mo"),
    PeriodKind.QUARTER: (
        "квартал",
        "квартала",
        "кварталу",
        "кв",
        "quarter",
        "quarterly",
        "q",
        "qtr",
    ),
    PeriodKind.YEAR: ("год", "года", "году", "г", "year", "yearly", "annual", "yr"),
}
_KIND_BY_WORD = {word: kind for kind, words in _KIND_WORDS.items() for word in words}
_NEXT_WORDS = frozenset({"следующий", "следующего", "следующему", "след", "next", "будущий"})
_FILLER = frozenset(
    {"на", "в", "за", "этот", "этого", "текущий", "текущего", "this", "current", "for", "the", "a"}
)
_MONTH_PREFIXES = (
    ("янв", "jan"), ("фев", "feb"), ("мар", "mar"), ("апр", "apr"), ("май", "мая", "may"),
    ("июн", "jun"), ("июл", "jul"), ("авг", "aug"), ("сен", "sep"), ("окт", "oct"),
    ("ноя", "nov"), ("дек", "dec"),
)  # fmt: skip


class PlanProblem(ValueError):
    def __init__(self, key: str, **args: str) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


@dataclass(frozen=True, slots=True)
class PlanRequest:
    client_query: str | None  # words before the amount: a per-client plan
    amount_minor: int  # 0: remove the plan
    currency: str | None
    kind: PeriodKind
    steps: int = 0  # periods after the current one
    month: int | None = None  # a month named by its name


@dataclass(frozen=True, slots=True)
class PlanChange:
    period: Period
    client_id: int | None
    client_name: str | None
    client_is_key: bool
    old_minor: int | None
    new_minor: int | None  # None: removed
    sold_minor: int


@dataclass(frozen=True, slots=True)
class PlanLine:
    period: Period
    plan_minor: int | None
    sold_minor: int
    client_id: int | None = None
    client_name: str | None = None


@dataclass(frozen=True, slots=True)
class PlansOverview:
    own: list[PlanLine]  # month, quarter, year, set or not
    clients: list[PlanLine]  # per-client plans of those periods


# --- reading "/plan ..." -------------------------------------------------------------------
def _month_of(word: str) -> int | None:
    for index, prefixes in enumerate(_MONTH_PREFIXES, start=1):
        if word.startswith(prefixes) and len(word) >= 3:
            return index
    return None


def _misspelt_kind(word: str) -> PeriodKind | None:
    # The same forgiveness as /kpi ("кватрал"); a week has no plan, and short words are too risky.
    if len(word) < 4:
        return None
    kind = parse_period(word)
    return kind if kind in SHOWN_KINDS else None


def _read_period(words: list[str]) -> tuple[PeriodKind, int, int | None]:
    kind, steps, month = PeriodKind.MONTH, 0, None
    for word in words:
        if word in _FILLER:
            continue
        if word in _NEXT_WORDS:
            steps = 1
        elif word in _KIND_BY_WORD:
            kind = _KIND_BY_WORD[word]
        elif _month_of(word) is not None:
            kind, month = PeriodKind.MONTH, _month_of(word)
        elif (typo := _misspelt_kind(word)) is not None:
            kind = typo
        else:
            raise PlanProblem("plan-period-unknown", word=word)
    return kind, steps, month


def parse_request(text: str) -> PlanRequest:
    """ "Ромашка 500 000 квартал" → client, amount, period. Raises AmountError or PlanProblem."""
    matches = find_amounts(text)
    if not matches:
        error = AmountErrorKind.WORDS if has_number_words(text) else AmountErrorKind.GARBAGE
        raise AmountError(error, text[:100])
    match: AmountMatch = matches[0]
    head, tail = text[: match.start].strip(" :,—-"), text[match.end :]
    if match.error is not None and match.error.kind != AmountErrorKind.ZERO:
        raise match.error
    words = re.findall(r"\w+", fold(tail))
    kind, steps, month = _read_period(words)
    amount = match.amount
    return PlanRequest(
        client_query=head or None,
        amount_minor=amount.minor if amount is not None else 0,
        currency=amount.currency if amount is not None else None,
        kind=kind,
        steps=steps,
        month=month,
    )


def target_period(request: PlanRequest, manager: Manager, now: datetime) -> Period:
    today = local_today(now, ZoneInfo(manager.timezone))
    if request.month is not None:
        just_past = previous(period_of(PeriodKind.MONTH, today))
        if request.month == just_past.start.month:
            return just_past
        year = today.year if request.month >= today.month else today.year + 1
        return period_of(PeriodKind.MONTH, date(year, request.month, 1))
    return shifted(period_of(request.kind, today), request.steps)


# --- storage -------------------------------------------------------------------------------
async def _find(
    session: AsyncSession, manager_id: int, client_id: int | None, period: Period
) -> Plan | None:
    return await store.find(session, manager_id, client_id, period.kind, period.start)


async def _sold(
    session: AsyncSession, manager: Manager, period: Period, client_id: int | None
) -> int:
    start, end = utc_bounds(period, ZoneInfo(manager.timezone))
    return await store.sold(session, manager.id, start, end, client_id)


# --- use cases -----------------------------------------------------------------------------
async def set_plan(
    session: AsyncSession,
    manager: Manager,
    request: PlanRequest,
    now: datetime,
    *,
    client_id: int | None = None,
) -> PlanChange:
    """Upserts (or, for 0, removes) the plan; the client, if any, is re-checked as owned."""
    if request.currency is not None and request.currency != manager.currency:
        raise PlanProblem("plan-currency", written=request.currency, currency=manager.currency)
    client: Client | None = None
    if client_id is not None:
        client = await client_service.get(session, manager, client_id)
        if client.archived_at is not None:
            raise PlanProblem("plan-client-archived", name=client.name)
    period = target_period(request, manager, now)
    existing = await _find(session, manager.id, client_id, period)
    old = existing.amount_minor if existing is not None else None
    if request.amount_minor == 0:
        if existing is not None:
            await session.delete(existing)
        new = None
    elif existing is not None:
        existing.amount_minor = request.amount_minor
        existing.currency = manager.currency
        existing.updated_at = now
        new = request.amount_minor
    else:
        session.add(
            Plan(
                manager_id=manager.id,
                client_id=client_id,
                period_kind=period.kind,
                period_start=period.start,
                amount_minor=request.amount_minor,
                currency=manager.currency,
                created_at=now,
                updated_at=now,
            )
        )
        new = request.amount_minor
    await session.commit()
    return PlanChange(
        period=period,
        client_id=client_id,
        client_name=client.name if client is not None else None,
        client_is_key=client is not None and client.tier == Tier.KEY,
        old_minor=old,
        new_minor=new,
        sold_minor=await _sold(session, manager, period, client_id),
    )


async def overview(session: AsyncSession, manager: Manager, now: datetime) -> PlansOverview:
    """The plans of the current month, quarter and year with what is sold so far."""
    today = local_today(now, ZoneInfo(manager.timezone))
    own: list[PlanLine] = []
    per_client: list[PlanLine] = []
    for kind in SHOWN_KINDS:
        period = period_of(kind, today)
        plan = await _find(session, manager.id, None, period)
        sold = await _sold(session, manager, period, None)
        own.append(PlanLine(period, plan.amount_minor if plan else None, sold))
        per_client.extend(await _client_lines(session, manager, period))
    return PlansOverview(own, per_client)


async def _client_lines(session: AsyncSession, manager: Manager, period: Period) -> list[PlanLine]:
    start, end = utc_bounds(period, ZoneInfo(manager.timezone))
    rows = await store.client_plans(session, manager.id, period.kind, period.start, start, end)
    return [PlanLine(period, plan, sold, client_id, name) for plan, sold, client_id, name in rows]


def attainment(sold_minor: int, plan_minor: int | None) -> Fraction | None:
    """The share of the plan made, exact, or None without a plan (never a division by zero).
    Replies show it through money.format_percent, the same rule as /kpi and /today."""
    return share(sold_minor, plan_minor)


async def progress(
    session: AsyncSession, manager: Manager, kind: PeriodKind, now: datetime
) -> PlanLine:
    """The manager's own plan of the current period of ``kind`` and what is sold so far."""
    period = period_of(kind, local_today(now, ZoneInfo(manager.timezone)))
    plan = await _find(session, manager.id, None, period)
    sold = await _sold(session, manager, period, None)
    return PlanLine(period, plan.amount_minor if plan else None, sold)
