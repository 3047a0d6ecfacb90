"""The whole export: every row a manager has, with the ids that link the rows to each other,
so /export is a full copy and ``kambot.json`` restores it (bot/services/exchange/restore.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.exchange.export_model import (
    ExportClient,
    ExportContact,
    ExportData,
    ExportNote,
    ExportPlan,
    ExportReminder,
    ExportRequest,
    ExportReview,
    ExportSale,
    ExportSettings,
    ExportTouch,
)
from storage import transfer as store
from storage.models import Client, Contact, Manager


def _contact(p: Contact) -> ExportContact:
    return ExportContact(
        id=p.id,
        name=p.name,
        role=p.role,
        phone=p.phone,
        email=p.email,
        birth_day=p.birth_day,
        birth_month=p.birth_month,
        birth_year=p.birth_year,
    )


def _client(c: Client, manager: Manager) -> ExportClient:
    return ExportClient(
        id=c.id,
        name=c.name,
        segment=c.segment.value,
        tier=c.tier.value,
        status=c.status.value,
        cadence_days=c.cadence_days,
        preferred_channel=c.preferred_channel.value if c.preferred_channel else None,
        tax_id=c.tax_id,
        # As typed (the card shows it so); a restore normalises it again for matching.
        phone=c.phone or c.phone_norm,
        tags=sorted(t.tag for t in c.tags),
        archived=c.archived_at is not None,
        owner_name=manager.full_name,
        created_at=c.created_at,
        contacts=[_contact(p) for p in sorted(c.contacts, key=lambda p: p.id)],
        archived_at=c.archived_at,
        last_touch_at=c.last_touch_at,
        next_checkin_at=c.next_checkin_at,
    )


def settings_of(manager: Manager) -> ExportSettings:
    return ExportSettings(
        language=manager.language,
        timezone=manager.timezone,
        work_mode=manager.work_mode.value,
        currency=manager.currency,
        digest_time=manager.digest_time,
        quiet_start=manager.quiet_start,
        quiet_end=manager.quiet_end,
        birthday_lead_days=manager.birthday_lead_days,
        cadence_key_days=manager.cadence_key_days,
        cadence_regular_days=manager.cadence_regular_days,
    )


async def _touches(session: AsyncSession, manager_id: int) -> list[ExportTouch]:
    return [
        ExportTouch(
            id=i.id,
            client_id=i.client_id,
            contact_id=i.contact_id,
            client_name=name,
            contact_name=contact,
            kind=i.kind.value,
            occurred_at=i.occurred_at,
            outcome=i.outcome.value if i.outcome else None,
            summary=i.summary,
            next_step=i.next_step,
            next_step_due_at=i.next_step_due_at,
            next_step_has_time=i.next_step_has_time,
            next_step_done_at=i.next_step_done_at,
        )
        for i, name, contact in await store.touches_for_export(session, manager_id)
    ]


async def _notes(session: AsyncSession, manager_id: int) -> list[ExportNote]:
    return [
        ExportNote(
            id=n.id,
            client_id=client_id,
            contact_id=n.contact_id,
            client_name=client_name,
            contact_name=contact_name,
            text=n.text,
            created_at=n.created_at,
            tags=sorted(t.tag for t in n.tags),
            is_private=n.is_private,
            remind_at=n.remind_at,
        )
        for n, client_id, client_name, contact_name in await store.notes_for_export(
            session, manager_id
        )
    ]


async def _sales(session: AsyncSession, manager_id: int) -> list[ExportSale]:
    return [
        ExportSale(
            id=s.id,
            client_id=s.client_id,
            client_name=name,
            amount_minor=s.amount_minor,
            currency=s.currency,
            sold_at=s.sold_at,
            product_line=s.product_line,
        )
        for s, name in await store.sales_for_export(session, manager_id)
    ]


async def _requests(session: AsyncSession, manager_id: int) -> list[ExportRequest]:
    return [
        ExportRequest(
            id=r.id,
            client_id=r.client_id,
            client_name=name,
            text=r.text,
            opened_at=r.opened_at,
            first_response_at=r.first_response_at,
            resolved_at=r.resolved_at,
            feedback=r.feedback,
        )
        for r, name in await store.requests_for_export(session, manager_id)
    ]


async def _reviews(session: AsyncSession, manager_id: int) -> list[ExportReview]:
    return [
        ExportReview(
            id=r.id,
            client_id=r.client_id,
            request_id=r.request_id,
            client_name=name,
            is_positive=r.is_positive,
            created_at=r.created_at,
            text=r.text,
        )
        for r, name in await store.reviews_for_export(session, manager_id)
    ]


async def _plans(session: AsyncSession, manager_id: int) -> list[ExportPlan]:
    return [
        ExportPlan(
            period_kind=p.period_kind.value,
            period_start=p.period_start,
            amount_minor=p.amount_minor,
            currency=p.currency,
            client_name=name,
            client_id=p.client_id,
        )
        for p, name in await store.plans_for_export(session, manager_id)
    ]


async def _reminders(session: AsyncSession, manager_id: int) -> list[ExportReminder]:
    return [
        ExportReminder(
            kind=r.kind.value,
            due_at=r.due_at,
            state=r.state.value,
            client_name=client,
            contact_name=contact,
            text=text,
            client_id=client_id,
            contact_id=r.contact_id,
            touch_id=r.interaction_id,
            note_id=r.note_id,
            dedupe_key=r.dedupe_key,
            payload=r.payload,
            sent_at=r.sent_at,
        )
        for r, client_id, client, contact, text in await store.reminders_for_export(
            session, manager_id
        )
    ]


async def collect_full_export(session: AsyncSession, manager: Manager) -> ExportData:
    # Keyword arguments are evaluated left to right: the queries run in this order.
    clients = await store.clients_for_export(session, manager.id)
    return ExportData(
        clients=[_client(c, manager) for c in clients],
        touches=await _touches(session, manager.id),
        notes=await _notes(session, manager.id),
        sales=await _sales(session, manager.id),
        requests=await _requests(session, manager.id),
        reviews=await _reviews(session, manager.id),
        plans=await _plans(session, manager.id),
        reminders=await _reminders(session, manager.id),
        timezone=manager.timezone,
        language="en" if manager.language == "en" else "ru",
        settings=settings_of(manager),
    )
