"""Issue 12: one access rule. Every storage query that answers a manager's request is called
as another manager with this manager's ids, names and words, and must give nothing back.

The query functions are found by inspection, so a new one is covered (or has to be listed
below with the reason it is not a manager's query) without anyone remembering this test.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.clients import ListFilter
from storage.enums import Channel, PeriodKind, ReminderKind, Tier
from storage.models import (
    Base,
    Client,
    ClientRequest,
    Contact,
    Interaction,
    Manager,
    Note,
    Plan,
    Reminder,
    Review,
    Sale,
    UndoEntry,
)

pytestmark = pytest.mark.db

MODULES = (
    "storage.clients",
    "storage.touches",
    "storage.reminders",
    "storage.kpi",
    "storage.transfer",
    "storage.restore",
    "storage.sandbox",
    "storage.managers",
    "storage.updates",
    "storage.requests",
    "storage.reviews",
    "storage.sales",
    "storage.plans",
    "storage.entries",
    "storage.charts",
    "storage.kpi_b2c",
    "storage.undo",
    "storage.teams",
    "storage.privacy",
    "storage.kpi_team",
)
WHO = ("owner_id", "manager_id")
# Functions that take no "who": each with the reason it needs none.
EXEMPT: dict[str, str] = {
    **{
        f"storage.{name}": "reads rows of a client id its caller got from an access-checked query"
        for name in (
            "clients.recent_notes",
            "clients.sales_total",
            "touches.latest_activity_time",
            "touches.recent_touches",
            "touches.open_promises",
            "touches.followup_reminder",
            "touches.client_notes",
            "restore.tags",
            "restore.contacts",
            "restore.touch_keys",
            "restore.sale_keys",
            "restore.request_keys",
            "restore.review_keys",
            "restore.clients_by_id",
            "clients.name_of",
            "undo.last_touch_at",
            "transfer.contacts_of",
        )
    },
    **{
        f"storage.{name}": "the planner and the deliverer: every manager's reminders by design"
        for name in (
            "reminders.insert_missing",
            "reminders.birthdays_on",
            "reminders.checkins_due",
            "reminders.digests_near",
            "reminders.move_digest_marks",
            "reminders.claim_due",
            "reminders.release_claims",
            "reminders.cancel_stale",
            "reminders.with_clients",
            "reminders.by_ids",
            "restore.reminder_keys",
        )
    },
    **{
        f"storage.{name}": "writes rows its caller built for the asking manager"
        for name in (
            "transfer.insert_clients",
            "transfer.insert_rows",
            "transfer.insert_returning",
            "transfer.insert_contacts",
        )
    },
    **{
        f"storage.{name}": "team rows, by the team id of the asker's own manager row"
        for name in (
            "teams.team",
            "teams.members",
            "teams.member",
            "teams.head_count",
            "teams.client_counts",
            "teams.release_clients",
            "teams.invite_by_token",
            "teams.open_invites",
            "teams.invite_of_team",
            "teams.use_invite",
            "teams.events",
        )
    },
    "storage.teams.readdress": "rows of clients its caller has just taken over (take_clients)",
    "storage.privacy.delete_account": "the asker's own account row, by the id of the update's "
    "manager (a deletion they confirmed by typing the word)",
    **{
        f"storage.{name}": "the person or reminders of a note its caller got access-checked"
        for name in ("entries.contact_client_id", "entries.move_note_reminders")
    },
    **{
        f"storage.{name}": "not a client-owned row: who the user is, which updates were handled"
        for name in (
            "managers.by_telegram_id",
            "managers.by_telegram_id_with_update",
            "sandbox.sandbox_of",
            "updates.is_processed",
            "updates.ensure_processed",
            "updates.prune",
            "updates.first_press",
        )
    },
}
# Scoped functions that change the asker's own rows: checked by what they leave of A's.
WRITERS = {
    "sandbox.delete_manager",
    "sandbox.mark_clients_demo",
    "reminders.fold_into_digest",
    "entries.move_review_request",
    "undo.move_entry",
}
NOT_ROWS = {"managers.by_id"}  # the asker's own manager row, by its id

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
SECRET = "Секретная Ромашка"


@dataclasses.dataclass
class Owned:
    stranger: int
    client: Client
    contact: Contact
    touch: Interaction
    note: Note
    reminder: Reminder
    sale: Sale
    plan: Plan
    request: ClientRequest
    review: Review


async def _base(session: AsyncSession) -> Owned:
    owner = Manager(telegram_id=101, full_name="Owner")
    stranger = Manager(telegram_id=202, full_name="Stranger")
    session.add_all([owner, stranger])
    await session.flush()
    client = Client(
        owner_id=owner.id,
        name=SECRET,
        name_norm="секретная ромашка",
        tier=Tier.KEY,
        last_touch_at=NOW - timedelta(days=40),
        next_checkin_at=NOW - timedelta(days=10),
        created_at=NOW - timedelta(days=300),
    )
    session.add(client)
    await session.flush()
    contact = Contact(
        client_id=client.id,
        name="Иван Тайный",
        name_norm="иван тайный",
        birth_day=NOW.day,
        birth_month=NOW.month,
    )
    touch = Interaction(
        client_id=client.id,
        manager_id=owner.id,
        kind=Channel.CALL,
        occurred_at=NOW - timedelta(days=40),
        summary="тайна",
        next_step="тайный шаг",
        next_step_due_at=NOW - timedelta(days=1),
    )
    note = Note(
        manager_id=owner.id, client_id=client.id, text="тайна", remind_at=NOW + timedelta(days=1)
    )
    session.add_all([contact, touch, note])
    await session.flush()
    reminder = Reminder(
        manager_id=owner.id,
        kind=ReminderKind.NOTE,
        client_id=client.id,
        note_id=note.id,
        due_at=NOW - timedelta(hours=1),
        dedupe_key=f"note:{note.id}",
    )
    sale = Sale(
        client_id=client.id,
        manager_id=owner.id,
        amount_minor=100_00,
        product_line="кабель",
        sold_at=NOW - timedelta(days=5),
    )
    plan = Plan(
        manager_id=owner.id,
        client_id=client.id,
        period_kind=PeriodKind.MONTH,
        period_start=NOW.date().replace(day=1),
        amount_minor=1_000_00,
    )
    # Answered, never solved: it has a response time and is past the resolution SLA.
    request = ClientRequest(
        client_id=client.id,
        manager_id=owner.id,
        text="тайна",
        opened_at=NOW - timedelta(days=40),
        first_response_at=NOW - timedelta(days=39),
    )
    session.add_all(
        [
            reminder,
            sale,
            Sale(
                client_id=client.id,
                manager_id=owner.id,
                amount_minor=500_00,
                product_line="провод",
                sold_at=NOW - timedelta(days=200),
            ),
            plan,
            request,
        ]
    )
    await session.flush()
    review = Review(
        client_id=client.id,
        manager_id=owner.id,
        is_positive=False,
        text="тайна",
        created_at=NOW - timedelta(days=1),
    )
    session.add(review)
    await session.flush()
    session.add(
        UndoEntry(
            manager_id=owner.id,
            kind="request",
            object_id=request.id,
            client_id=client.id,
            created_at=NOW,
        )
    )
    await session.commit()
    return Owned(stranger.id, client, contact, touch, note, reminder, sale, plan, request, review)


def _arguments(function: Callable[..., Any], owned: Owned) -> dict[str, Any] | None:
    values: dict[str, Any] = {
        "owner_id": owned.stranger,
        "to_id": owned.stranger,
        "team_id": 999_999,  # no such team: a stranger's team is not the owner's
        "manager_id": owned.stranger,
        "client_id": owned.client.id,
        "contact_id": owned.contact.id,
        "touch_id": owned.touch.id,
        "note_id": owned.note.id,
        "reminder_id": owned.reminder.id,
        "name_norm": owned.client.name_norm,
        "norms": [owned.client.name_norm],
        "words": ["тайна"],
        "tags": [],
        "flt": ListFilter(),
        "now": NOW,
        "before": NOW + timedelta(days=400),
        "end": NOW + timedelta(days=1),
        "split": NOW - timedelta(days=90),
        "start": NOW - timedelta(days=400),
        "earlier": NOW - timedelta(days=400),
        "offset": 0,
        "limit": 50,
        "days": [(NOW.month, NOW.day)],
        "kind": PeriodKind.MONTH,
        "message_id": 1,
        "sale_id": owned.sale.id,
        "plan_id": owned.plan.id,
        "request_id": owned.request.id,
        "review_id": owned.review.id,
        "period_start": owned.plan.period_start,
        "start_utc": NOW - timedelta(days=400),
        "end_utc": NOW + timedelta(days=1),
        "lower": NOW - timedelta(days=400),
        "upper": NOW + timedelta(days=1),
        "bucket_size": 3600,
        "since": NOW - timedelta(days=400),
        "stamp": "first_response_at",
        "sla_s": 3600.0,
        "percents": (50, 90),
        "response_within": timedelta(hours=1),
        "resolve_within": timedelta(hours=24),
        # A forged target: an UPDATE that reached the owner's row would break the foreign key.
        "from_client_id": owned.client.id,
        "to_client_id": -1,
        "entry_kind": "request",
        "object_id": owned.request.id,
        "contact_ids": [owned.contact.id],
        "client_ids": [owned.client.id],
        "touch_ids": [owned.touch.id],
        "keys": [(owned.client.id, owned.contact.name_norm)],
        "ids_by_kind": {
            "reminders": [owned.reminder.id],
            "reviews": [owned.review.id],
            "requests": [owned.request.id],
            "plans": [owned.plan.id],
            "sales": [owned.sale.id],
            "notes": [owned.note.id],
            "touches": [owned.touch.id],
            "contacts": [owned.contact.id],
            "clients": [owned.client.id],
        },
    }
    names = [p for p in inspect.signature(function).parameters if p != "session"]
    if any(name not in values for name in names):
        return None
    return {name: values[name] for name in names}


def _empty(value: Any) -> bool:
    if value is None or value in (0, "", False):
        return True
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return all(_empty(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return all(_empty(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False  # a row, a name, a date: something the stranger should not have


def _queries() -> list[tuple[str, Callable[..., Any]]]:
    found = []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name, function in vars(module).items():
            if (
                inspect.iscoroutinefunction(function)
                and function.__module__ == module_name
                and not name.startswith("_")
            ):
                found.append((f"{module_name.removeprefix('storage.')}.{name}", function))
    return found


def test_every_storage_query_takes_who_asks_or_says_why_not() -> None:
    unexplained = [
        name
        for name, function in _queries()
        if not set(inspect.signature(function).parameters) & set(WHO)
        and f"storage.{name}" not in EXEMPT
    ]
    assert not unexplained, f"scope these by storage.access, or list them in EXEMPT: {unexplained}"


async def test_no_query_gives_a_stranger_anything_of_another_managers(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    async with session_pool() as session:
        owned = await _base(session)
    checked = []
    for name, function in _queries():
        parameters = set(inspect.signature(function).parameters)
        if not parameters & set(WHO) or name in NOT_ROWS:
            continue
        arguments = _arguments(function, owned)
        assert arguments is not None, f"teach this test the arguments of storage.{name}"
        async with session_pool() as session:
            result = await function(session, **arguments)
            await session.commit()
        if name not in WRITERS:
            assert _empty(result), f"storage.{name} gave a stranger: {result!r}"[:500]
        checked.append(name)
    # The writers ran as the stranger: the owner's rows are all still there, untouched.
    async with session_pool() as session:
        client = await session.get(Client, owned.client.id)
        reminder = await session.get(Reminder, owned.reminder.id)
        assert client is not None
        assert client.is_demo is False
        assert reminder is not None
        assert reminder.chat_message_id is None
        request = await session.get(ClientRequest, owned.request.id)
        assert request is not None
        assert request.client_id == owned.client.id
        journal = await session.scalar(select(UndoEntry))
        assert journal is not None
        assert journal.client_id == owned.client.id
        for model, row_id in (
            (Sale, owned.sale.id),
            (Plan, owned.plan.id),
            (Review, owned.review.id),
        ):
            assert await session.get(model, row_id) is not None
    assert len(checked) >= 40, checked


def test_models_module_is_the_whole_schema() -> None:
    # The rows this test builds are every client-owned kind: a new kind must be added above.
    owned_kinds = {
        mapper.class_.__name__
        for mapper in Base.registry.mappers
        if {"client_id", "owner_id"} & set(mapper.columns.keys())
    }
    assert owned_kinds <= {
        "Client",
        "ClientTag",
        "Contact",
        "Interaction",
        "Note",
        "Sale",
        "Plan",
        "ClientRequest",
        "Review",
        "Reminder",
        "UndoEntry",
    }, owned_kinds
