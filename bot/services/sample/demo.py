"""The demo sandbox: a manager row of its own, filled with realistic sample data.

The sandbox is a second `managers` row (`sandbox_of_id` = the real manager, `telegram_id` =
minus the real one, `is_active` = False), so sample data can never mix with real data: every
query is already scoped by manager, and the scheduler plans and delivers nothing for an
inactive manager. While `real.in_sandbox` is set, the update middleware hands the sandbox row
to every handler instead of the real one.

Personal settings (language, timezone, work mode, digest time, quiet hours, reminder defaults)
belong to the person, not to the data: they are copied into the sandbox when entering it and
copied back to the real manager when changed inside it (`mirror_back`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from dataclasses import field as list_field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import managers as manager_service
from bot.services.crm.clients import refresh_checkin
from bot.services.parsing.names import normalize_name
from bot.services.parsing.phones import normalize_phone
from bot.services.sample.demo_data import (
    DEFAULT_SEED,
    PROFILES,
    DemoClient,
    DemoData,
    DemoNote,
    DemoRequest,
    DemoReview,
    DemoSale,
    DemoTouch,
    generate,
)
from storage import managers as manager_store
from storage import sandbox as store
from storage.enums import TeamRole, Tier
from storage.models import (
    Client,
    ClientRequest,
    ClientTag,
    Contact,
    Interaction,
    Manager,
    Note,
    NoteTag,
    Plan,
    Review,
    Sale,
)
from storage.transfer import insert_clients, insert_returning, insert_rows

# The person's settings, shared by the real manager and their sandbox.
PERSONAL = (
    "language",
    "timezone",
    "work_mode",
    "currency",
    "digest_time",
    "quiet_start",
    "quiet_end",
    "birthday_lead_days",
)
CADENCES = ("cadence_key_days", "cadence_regular_days")
Action = Literal["enter", "reset", "remove"]


@dataclass(frozen=True, slots=True)
class Contents:
    """What the sandbox holds, counted in SQL."""

    clients: int
    key_accounts: int
    contacts: int
    touches: int
    notes: int
    sales: int
    plans: int
    requests: int
    reviews: int


@dataclass(frozen=True, slots=True)
class Entered:
    sandbox: Manager
    contents: Contents
    created: bool
    example: str  # a demo client to try /brief on
    created_ms: float | None = None  # how long filling the sandbox took


def sandbox_telegram_id(real_telegram_id: int) -> int:
    """Telegram user ids are positive and the column is unique: the negative id is free."""
    return -abs(real_telegram_id)


async def sandbox_of(session: AsyncSession, real: Manager) -> Manager | None:
    return await store.sandbox_of(session, real.id)


async def contents(session: AsyncSession, sandbox: Manager) -> Contents:
    return Contents(**await store.counts(session, sandbox.id))


def example_client() -> str:
    """The short name of a key account, as a user would type it after /brief."""
    name = next(p.name for p in PROFILES if p.tier == Tier.KEY)
    quoted = re.search(r"«(.+?)»", name)
    return quoted.group(1) if quoted else name


def _copy_settings(source: Manager, target: Manager) -> None:
    for field in (*PERSONAL, *CADENCES):
        setattr(target, field, getattr(source, field))


# --- creating the sandbox -------------------------------------------------------------------
def _client_values(sandbox: Manager, client: DemoClient, now: datetime) -> dict[str, Any]:
    # A transient Client lets the one rule for the next check-in (refresh_checkin) decide.
    probe = Client(
        status=client.status,
        tier=client.tier,
        cadence_days=client.cadence_days,
        archived_at=None,
        last_touch_at=client.last_touch_at,
        created_at=client.created_at,
    )
    refresh_checkin(probe, sandbox, now)
    return {
        "owner_id": sandbox.id,
        "team_id": None,  # never in a team: team views must not see sample data
        "name": client.name,
        "name_norm": normalize_name(client.name),
        "segment": client.segment,
        "tier": client.tier,
        "status": client.status,
        "cadence_days": client.cadence_days,
        "preferred_channel": client.preferred_channel,
        "tax_id": client.tax_id,
        "phone": client.phone,
        "phone_norm": normalize_phone(client.phone) if client.phone else None,
        "is_demo": True,
        "archived_at": None,
        "last_touch_at": client.last_touch_at,
        "next_checkin_at": probe.next_checkin_at,
        "created_at": client.created_at,
        "updated_at": now,
    }


def _contact_rows(client_ids: list[int], data: DemoData, now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "client_id": cid,
            "name": p.name,
            "name_norm": normalize_name(p.name),
            "role": p.role,
            "phone": p.phone,
            "email": p.email,
            "birth_day": p.birth_day,
            "birth_month": p.birth_month,
            "birth_year": p.birth_year,
            "created_at": c.created_at,
            "updated_at": now,
        }
        for cid, c in zip(client_ids, data.clients, strict=True)
        for p in c.contacts
    ]


def _touch_row(sid: int, cid: int, contact_id: int | None, t: DemoTouch) -> dict[str, Any]:
    return {
        "client_id": cid,
        "manager_id": sid,
        "contact_id": contact_id,
        "kind": t.kind,
        "occurred_at": t.occurred_at,
        "outcome": t.outcome,
        "summary": t.summary,
        "next_step": t.next_step,
        "next_step_due_at": t.next_step_due_at,
        "next_step_has_time": t.next_step_has_time,
        "next_step_done_at": t.next_step_done_at,
        "created_at": t.occurred_at,
    }


def _note_row(sid: int, cid: int, contact_id: int | None, n: DemoNote) -> dict[str, Any]:
    # A note on a person belongs to the person, as /note stores it.
    return {
        "manager_id": sid,
        "client_id": cid if n.contact is None else None,
        "contact_id": contact_id,
        "text": n.text,
        "is_private": False,
        "remind_at": None,
        "created_at": n.created_at,
    }


def _sale_row(sandbox: Manager, cid: int, s: DemoSale) -> dict[str, Any]:
    return {
        "client_id": cid,
        "manager_id": sandbox.id,
        "amount_minor": s.amount_minor,
        "currency": sandbox.currency,
        "product_line": s.product_line,
        "sold_at": s.sold_at,
        "created_at": s.sold_at,
    }


def _request_row(sid: int, cid: int, r: DemoRequest) -> dict[str, Any]:
    return {
        "client_id": cid,
        "manager_id": sid,
        "text": r.text,
        "opened_at": r.opened_at,
        "first_response_at": r.first_response_at,
        "resolved_at": r.resolved_at,
        "feedback": r.feedback,
        "created_at": r.opened_at,
    }


@dataclass(slots=True)
class _Rows:
    """The rows that hang off the clients and contacts, gathered before the bulk inserts."""

    touches: list[dict[str, Any]] = list_field(default_factory=list)
    notes: list[dict[str, Any]] = list_field(default_factory=list)
    note_tags: list[list[str]] = list_field(default_factory=list)
    sales: list[dict[str, Any]] = list_field(default_factory=list)
    plans: list[dict[str, Any]] = list_field(default_factory=list)
    requests: list[dict[str, Any]] = list_field(default_factory=list)
    request_reviews: list[tuple[int, DemoReview | None]] = list_field(default_factory=list)
    reviews: list[dict[str, Any]] = list_field(default_factory=list)


def _collect_rows(
    sandbox: Manager,
    data: DemoData,
    client_ids: list[int],
    contact_ids: list[list[int]],
    now: datetime,
) -> _Rows:
    sid = sandbox.id
    rows = _Rows()

    def person(index: int, contact: int | None) -> int | None:
        return contact_ids[index][contact] if contact is not None else None

    for index, (cid, c) in enumerate(zip(client_ids, data.clients, strict=True)):
        for t in c.touches:
            rows.touches.append(_touch_row(sid, cid, person(index, t.contact), t))
        for n in c.notes:
            rows.notes.append(_note_row(sid, cid, person(index, n.contact), n))
            rows.note_tags.append(n.tags)
        for s in c.sales:
            rows.sales.append(_sale_row(sandbox, cid, s))
        for p in c.plans:
            rows.plans.append(_plan_row(sandbox, cid, p.kind, p.start, p.amount_minor, now))
        for r in c.requests:
            rows.requests.append(_request_row(sid, cid, r))
            rows.request_reviews.append((cid, r.review))
        for v in c.reviews:
            rows.reviews.append(_review_row(sid, cid, None, v.is_positive, v.text, v.created_at))
    for p in data.plans:
        rows.plans.append(_plan_row(sandbox, None, p.kind, p.start, p.amount_minor, now))
    return rows


async def _insert_rows_of(session: AsyncSession, sid: int, rows: _Rows) -> None:
    await insert_rows(session, Interaction, rows.touches)
    note_ids = await insert_returning(session, Note, rows.notes)
    await insert_rows(
        session,
        NoteTag,
        [
            {"note_id": nid, "tag": tag}
            for nid, tags in zip(note_ids, rows.note_tags, strict=True)
            for tag in tags
        ],
    )
    await insert_rows(session, Sale, rows.sales)
    await insert_rows(session, Plan, rows.plans)
    request_ids = await insert_returning(session, ClientRequest, rows.requests)
    for rid, (cid, review) in zip(request_ids, rows.request_reviews, strict=True):
        if review is not None:
            rows.reviews.append(
                _review_row(sid, cid, rid, review.is_positive, review.text, review.created_at)
            )
    await insert_rows(session, Review, rows.reviews)


async def _fill(session: AsyncSession, sandbox: Manager, data: DemoData, now: datetime) -> None:
    """Bulk inserts, table by table: a handful of statements for ~1,000 rows."""
    client_ids = await insert_clients(
        session, [_client_values(sandbox, c, now) for c in data.clients]
    )
    await insert_rows(
        session,
        ClientTag,
        [
            {"client_id": cid, "tag": tag}
            for cid, c in zip(client_ids, data.clients, strict=True)
            for tag in c.tags
        ],
    )
    contact_rows = _contact_rows(client_ids, data, now)
    flat_ids = iter(await insert_returning(session, Contact, contact_rows))
    contact_ids = [[next(flat_ids) for _ in c.contacts] for c in data.clients]
    rows = _collect_rows(sandbox, data, client_ids, contact_ids, now)
    await _insert_rows_of(session, sandbox.id, rows)


def _plan_row(
    sandbox: Manager, client_id: int | None, kind: Any, start: Any, amount: int, now: datetime
) -> dict[str, Any]:
    return {
        "manager_id": sandbox.id,
        "client_id": client_id,
        "period_kind": kind,
        "period_start": start,
        "amount_minor": amount,
        "currency": sandbox.currency,
        "created_at": now,
        "updated_at": now,
    }


def _review_row(
    sid: int, cid: int, rid: int | None, positive: bool, text: str, at: datetime
) -> dict[str, Any]:
    return {
        "client_id": cid,
        "manager_id": sid,
        "request_id": rid,
        "is_positive": positive,
        "text": text,
        "created_at": at,
    }


async def _create(session: AsyncSession, real: Manager, now: datetime, seed: int) -> Manager:
    sandbox = Manager(
        telegram_id=sandbox_telegram_id(real.telegram_id),
        team_id=None,
        role=TeamRole.MANAGER,
        full_name=real.full_name,
        username=None,
        onboarded_at=real.onboarded_at,
        # Never active: the scheduler plans and delivers nothing for the sandbox.
        is_active=False,
        sandbox_of_id=real.id,
        in_sandbox=False,
        created_at=now,
        updated_at=now,
    )
    _copy_settings(real, sandbox)
    session.add(sandbox)
    await session.flush()
    data = generate(
        now,
        sandbox.timezone,
        cadence_key_days=sandbox.cadence_key_days,
        cadence_regular_days=sandbox.cadence_regular_days,
        seed=seed,
    )
    await _fill(session, sandbox, data, now)
    return sandbox


# --- use cases ------------------------------------------------------------------------------
async def enter(
    session: AsyncSession, real: Manager, now: datetime, *, seed: int = DEFAULT_SEED
) -> Entered:
    """Creates the sandbox when missing and switches the manager into it (idempotent)."""
    if real.sandbox_of_id is not None:
        raise ValueError("a sandbox cannot have a sandbox")
    sandbox = await sandbox_of(session, real)
    created_ms: float | None = None
    if sandbox is None:
        started = time.perf_counter()
        try:
            sandbox = await _create(session, real, now, seed)
        except IntegrityError:
            # A double tap created it a moment ago: use that one.
            await session.rollback()
            sandbox = await sandbox_of(session, real)
            assert sandbox is not None
        else:
            created_ms = (time.perf_counter() - started) * 1000
    else:
        # Settings changed outside the demo since it was made: the sandbox follows the person.
        _copy_settings(real, sandbox)
    real.in_sandbox = True
    await session.commit()
    return Entered(
        sandbox,
        await contents(session, sandbox),
        created=created_ms is not None,
        example=example_client(),
        created_ms=created_ms,
    )


async def leave(session: AsyncSession, real: Manager) -> bool:
    """Back to real data; the sample data is kept. False when not in the demo."""
    was_in = real.in_sandbox
    if was_in:
        real.in_sandbox = False
        await session.commit()
    return was_in


async def remove(session: AsyncSession, real: Manager) -> bool:
    """Deletes the sandbox and everything in it, in one step. False when there was none."""
    sandbox = await sandbox_of(session, real)
    real.in_sandbox = False
    if sandbox is not None:
        await store.delete_manager(session, sandbox.id)
    await session.commit()
    return sandbox is not None


async def reset(
    session: AsyncSession, real: Manager, now: datetime, *, seed: int = DEFAULT_SEED
) -> Entered:
    """Fresh sample data, placed relative to today."""
    sandbox = await sandbox_of(session, real)
    if sandbox is not None:
        await store.delete_manager(session, sandbox.id)
        await session.flush()
    return await enter(session, real, now, seed=seed)


async def mirror_back(
    session: AsyncSession, sandbox: Manager, real: Manager, now: datetime
) -> None:
    """After an update handled in the sandbox: settings changed there are the person's.

    Only when the handler committed something: a read-only update is rolled back by the
    idempotency middleware, which expires the loaded attributes, and then nothing changed.
    """
    loaded = inspect(sandbox).dict
    if "language" not in loaded:
        return
    current = inspect(real).dict
    for field in PERSONAL:
        if field in loaded and current.get(field) != loaded[field]:
            setattr(real, field, loaded[field])
    if current.get("onboarded_at") is None and loaded.get("onboarded_at") is not None:
        real.onboarded_at = loaded["onboarded_at"]
    # Clients added by hand inside the demo are sample data too.
    await store.mark_clients_demo(session, sandbox.id)
    if any(field in loaded and current.get(field) != loaded[field] for field in CADENCES):
        # Moves the real clients on the default cadence too, and commits.
        await manager_service.set_cadence(
            session,
            real,
            key_days=loaded.get("cadence_key_days"),
            regular_days=loaded.get("cadence_regular_days"),
            now=now,
        )
        return
    await session.commit()


# --- the command line -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SeedResult:
    manager_id: int
    registered: bool  # the manager did not exist and was created with defaults
    entered: Entered | None  # None after a removal
    removed: bool
    reset: bool = False


async def seed_account(
    session: AsyncSession,
    telegram_id: int,
    action: Action,
    *,
    defaults: manager_service.Defaults,
    now: datetime,
    seed: int = DEFAULT_SEED,
) -> SeedResult:
    """`python -m bot demo <telegram_id> [--reset|--remove]`."""
    if telegram_id <= 0:
        raise ValueError("a Telegram user id is a positive number")
    real = await manager_store.by_telegram_id(session, telegram_id)
    registered = real is None
    if real is None:
        real = await manager_service.get_or_register(
            session,
            manager_service.TelegramUser(telegram_id, None, "", None),
            defaults=defaults,
            now=now,
        )
    if action == "remove":
        return SeedResult(real.id, registered, None, await remove(session, real))
    if action == "reset":
        entered = await reset(session, real, now, seed=seed)
        return SeedResult(real.id, registered, entered, removed=False, reset=True)
    return SeedResult(real.id, registered, await enter(session, real, now, seed=seed), False)


def describe(result: SeedResult, telegram_id: int) -> str:
    """What the command line did, for a terminal (English, like the other CLI messages)."""
    lines = []
    if result.registered:
        lines.append(f"kambot: registered manager {telegram_id} with the default settings")
    entered = result.entered
    if entered is None:
        what = "removed" if result.removed else "not found, nothing to remove"
        lines.append(f"kambot: demo sandbox of {telegram_id} {what}")
        return "\n".join(lines)
    c = entered.contents
    inside = (
        f"{c.clients} clients ({c.key_accounts} key), {c.contacts} contacts, {c.touches} touches, "
        f"{c.notes} notes, {c.sales} sales, {c.plans} plans, {c.requests} requests, "
        f"{c.reviews} reviews"
    )
    if entered.created_ms is None:
        lines.append(f"kambot: demo sandbox of {telegram_id} already there: {inside}")
    else:
        verb = "made again" if result.reset else "made"
        lines.append(
            f"kambot: demo sandbox of {telegram_id} {verb} in {entered.created_ms:.0f} ms: {inside}"
        )
    lines.append(f"kambot: {telegram_id} is in demo mode now; /demo off in the chat leaves it")
    return "\n".join(lines)
