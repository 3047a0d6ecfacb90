"""Sales: one message → one sale, saved first, then fixable; undo; the activity clock.

"/sale Ромашка 150 000 кабель ВВГ вчера" has no separators, so the amount is the anchor: the
words before it name the client (found like /call finds one), the words after it are the
product line and an optional date.

Decisions:
- A sale counts as a touch: a B2B farmer talks to the buyer to close it, so it resets the
  check-in clock (``last_touch_at`` moves to the sale if it is newer). Undo, a date fix and a
  move recompute it from the newest touch or sale of the client.
- The date looks back: "в пятницу" is the last Friday, "12.03" the last 12 March. A date after
  today is refused (a sale that has not happened is a forecast, not a sale): nothing is saved
  and the reply says why. A day without a time is stored at local noon, as backdated touches.
- A sale for an archived client is not recorded silently: the manager is asked to restore the
  client and record the sale in one step (one transaction), or to cancel.
- The product line is stored normalised (trimmed, single spaces, case-folded, a leading
  "за"/"for" dropped) so that "Кабель ВВГ" and "кабель  ввг" are one line for the KPI "new
  product lines sold", grouped in SQL (SQLite's lower() folds ASCII only, so folding happens
  here, once, on the way in).
- An amount written in another currency than the manager's is refused, never converted: plans
  and KPI sum one currency.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from bot.services.crm import quicklog
from bot.services.crm.clients import ClientNotFound, ClientRef, Lookup, refresh_checkin
from bot.services.errors import NotFound
from bot.services.parsing.amounts import (
    Amount,
    AmountError,
    AmountErrorKind,
    AmountMatch,
    find_amounts,
    has_number_words,
)
from bot.services.parsing.date_order import month_first
from bot.services.parsing.dates import When, find_all_when, find_invalid_date, local_day
from storage import clients as client_store
from storage import sales as store
from storage import touches as touch_store
from storage.models import Client, Manager, Sale

log = logging.getLogger(__name__)
MAX_LINE = 120
_NOON = time(12, 0)
_MAX_TRIES = 4  # amount readings tried against the client names


class SaleNotFound(NotFound):
    """Missing, or someone else's: deliberately indistinguishable."""

    key = "sale-not-found"


class SaleProblem(ValueError):
    """Input that cannot become a sale; ``key`` is the i18n message key, ``args`` its values."""

    def __init__(self, key: str, **args: str) -> None:
        super().__init__(key)
        self.key = key
        self.args_ = args


class ClientArchived(Exception):
    def __init__(self, client: Client) -> None:
        super().__init__(client.name)
        self.client = client


@dataclass(frozen=True, slots=True)
class NewSale:
    amount_minor: int
    product_line: str | None = None
    sold_at: datetime | None = None  # None: now


@dataclass(frozen=True, slots=True)
class Understood:
    client: ClientRef | None  # None: ask (ambiguous) or offer to create (none)
    lookup: Lookup
    query: str  # the words taken as the client's name
    sale: NewSale


@dataclass(frozen=True, slots=True)
class Recorded:
    sale: Sale
    client: Client


# --- reading the message -------------------------------------------------------------------
_LINE_EDGE = " \t\r\n.,;:!?-—–()[]\"'«»"
_LINE_LEAD = re.compile(r"^(?:за|на|по|for|of)\s+", re.IGNORECASE)


def normalize_line(text: str | None) -> str | None:
    """ "  Кабель   ВВГ, " → "кабель ввг"; nothing left → None."""
    if not text:
        return None
    line = " ".join(text.split()).strip(_LINE_EDGE)
    line = _LINE_LEAD.sub("", line).strip(_LINE_EDGE)
    line = line.casefold().replace("ё", "е")[:MAX_LINE].strip()
    return line or None


def _check_currency(amount: Amount, manager: Manager) -> None:
    if amount.currency is not None and amount.currency != manager.currency:
        raise SaleProblem("sale-currency", written=amount.currency, currency=manager.currency)


def sale_moment(when: When, manager: Manager, now: datetime) -> datetime:
    """When the sale happened; a day after today is refused."""
    zone = ZoneInfo(manager.timezone)
    today = now.astimezone(zone).date()
    day = local_day(when, manager.timezone)
    if day > today or (when.has_time and when.at > now):
        raise SaleProblem("sale-date-future")
    if when.yearless and _upcoming_is_nearer(day, today):
        # "25.12" typed on 6 December means the 25th ahead, not a sale a year back: ask.
        raise SaleProblem(
            "sale-date-yearless-ahead",
            date=when.text.strip(),
            past=day.strftime("%d.%m.%Y"),
        )
    if when.has_time:
        return when.at.astimezone(UTC)
    if day == today:
        return now.astimezone(UTC)
    return datetime.combine(day, _NOON, tzinfo=zone).astimezone(UTC)


def _upcoming_is_nearer(past: date, today: date) -> bool:
    """Whether a day-month without a year is nearer ahead than behind (its past reading given)."""
    if past.year == today.year:
        return False
    try:
        ahead = past.replace(year=today.year)
    except ValueError:  # 29 February in a common year
        return False
    return ahead > today and (ahead - today) < (today - past)


def read_tail(text: str, manager: Manager, now: datetime) -> tuple[str | None, datetime | None]:
    """The words after the amount: the product line and the date, if any."""
    if find_invalid_date(text) is not None:
        raise SaleProblem("sale-date-invalid", date=find_invalid_date(text) or "")
    order = month_first(manager.language, manager.timezone)
    found = find_all_when(text, now, manager.timezone, future=False, month_first=order)
    if not found:
        return normalize_line(text), None
    when = found[0]
    sold_at = sale_moment(when, manager, now)
    rest = f"{text[: when.start]} {text[when.end :]}"
    return normalize_line(rest), sold_at


def _readings(text: str, manager: Manager, now: datetime) -> list[AmountMatch]:
    """Amount readings worth trying: "12.03" next to a date is a date, not 12 roubles."""
    order = month_first(manager.language, manager.timezone)
    found = find_all_when(text, now, manager.timezone, month_first=order)
    date_spans = [(w.start, w.end) for w in found]
    return [
        m
        for m in find_amounts(text, alternatives=True)
        if m.marked or not any(s < m.end and m.start < e for s, e in date_spans)
    ]


def _raise_for(match: AmountMatch) -> Amount:
    if match.error is not None:
        raise match.error
    assert match.amount is not None
    return match.amount


async def understand(
    session: AsyncSession, manager: Manager, text: str, now: datetime
) -> Understood:
    """Splits the message into client, amount, product line and date.

    Raises ``AmountError`` for a bad amount and ``SaleProblem`` for anything else unusable.
    """
    readings = _readings(text, manager, now)
    if not readings:
        kind = AmountErrorKind.WORDS if has_number_words(text) else AmountErrorKind.GARBAGE
        raise AmountError(kind, text[:100])
    best: tuple[int, AmountMatch, quicklog.Found] | None = None
    for match in readings[:_MAX_TRIES]:
        head, tail = text[: match.start], text[match.end :]
        # "/sale 150к Ромашка": the amount first, the client after it.
        found = await quicklog.find_client(session, manager, head if head.strip() else tail)
        rank = {"exact": 0, "confident": 1}.get(found.lookup.kind, 2)
        if best is None or rank < best[0]:
            best = (rank, match, found)
        if rank == 0:
            break
    assert best is not None
    _, match, found = best
    amount = _raise_for(match)
    _check_currency(amount, manager)
    head, tail = text[: match.start], text[match.end :]
    rest = f"{found.rest} {tail}" if head.strip() else found.rest
    line, sold_at = read_tail(rest, manager, now)
    if not found.query:
        raise SaleProblem("sale-no-client")
    return Understood(found.client, found.lookup, found.query, NewSale(amount.minor, line, sold_at))


def amount_for(manager: Manager, amount: Amount) -> int:
    """A typed fix of the amount, with the same currency rule as a new sale."""
    _check_currency(amount, manager)
    return amount.minor


# --- storage -------------------------------------------------------------------------------
async def total(session: AsyncSession, manager_id: int, start: datetime, end: datetime) -> int:
    """The manager's sales in [start, end), minor units."""
    return await store.total(session, manager_id, start, end)


async def _reset_activity(
    session: AsyncSession, manager: Manager, client: Client, now: datetime
) -> None:
    await session.flush()
    client.last_touch_at = await touch_store.latest_activity_time(session, client.id)
    refresh_checkin(client, manager, now)


# --- use cases -----------------------------------------------------------------------------
async def record(
    session: AsyncSession,
    manager: Manager,
    client_id: int,
    new: NewSale,
    now: datetime,
    *,
    restore: bool = False,
) -> Recorded:
    """Saves the sale (restoring an archived client first when asked to), in one commit."""
    client = await client_store.owned_bare(session, manager.id, client_id)
    if client is None:
        log.warning(
            "manager %s tried to sell to client %s: not theirs or gone", manager.id, client_id
        )
        raise ClientNotFound(client_id)
    if client.archived_at is not None:
        if not restore:
            raise ClientArchived(client)
        client.archived_at = None
    sale = Sale(
        client_id=client.id,
        manager_id=manager.id,
        amount_minor=new.amount_minor,
        currency=manager.currency,
        product_line=normalize_line(new.product_line),
        sold_at=min(new.sold_at or now, now),
        created_at=now,
    )
    session.add(sale)
    await session.flush()
    if client.last_touch_at is None or sale.sold_at > client.last_touch_at:
        client.last_touch_at = sale.sold_at
    refresh_checkin(client, manager, now)
    await session.commit()
    return Recorded(sale, client)


async def get(session: AsyncSession, manager: Manager, sale_id: int) -> Recorded:
    sale = await store.owned(session, manager.id, sale_id)
    if sale is None:
        log.warning("manager %s asked for sale %s: not theirs or gone", manager.id, sale_id)
        raise SaleNotFound(sale_id)
    client = await client_service.get(session, manager, sale.client_id)
    return Recorded(sale, client)


async def delete(session: AsyncSession, manager: Manager, sale_id: int, now: datetime) -> Recorded:
    found = await get(session, manager, sale_id)
    await session.delete(found.sale)
    await _reset_activity(session, manager, found.client, now)
    await session.commit()
    return found


async def set_amount(
    session: AsyncSession, manager: Manager, sale_id: int, amount_minor: int
) -> Recorded:
    found = await get(session, manager, sale_id)
    found.sale.amount_minor = amount_minor
    await session.commit()
    return found


async def set_line(
    session: AsyncSession, manager: Manager, sale_id: int, raw: str | None
) -> Recorded:
    found = await get(session, manager, sale_id)
    found.sale.product_line = normalize_line(raw)
    await session.commit()
    return found


async def set_date(
    session: AsyncSession, manager: Manager, sale_id: int, sold_at: datetime, now: datetime
) -> Recorded:
    found = await get(session, manager, sale_id)
    found.sale.sold_at = min(sold_at, now)
    await _reset_activity(session, manager, found.client, now)
    await session.commit()
    return found


async def move(
    session: AsyncSession, manager: Manager, sale_id: int, client_id: int, now: datetime
) -> Recorded:
    """The sale went to the wrong client: move it; both activity clocks stay right."""
    found = await get(session, manager, sale_id)
    target = await client_service.get(session, manager, client_id)
    if target.archived_at is not None:
        raise ClientArchived(target)
    source = found.client
    found.sale.client_id = target.id
    await _reset_activity(session, manager, source, now)
    await _reset_activity(session, manager, target, now)
    await session.commit()
    return Recorded(found.sale, target)


async def create_client_and_record(
    session: AsyncSession, manager: Manager, name: str, new: NewSale, now: datetime
) -> Recorded:
    """ "Create the client and record the sale": a namesake found meanwhile gets the sale."""
    try:
        client = await client_service.create(session, manager, name, now)
    except client_service.DuplicateClient as dup:
        return await record(session, manager, dup.existing.id, new, now)
    return await record(session, manager, client.id, new, now)
