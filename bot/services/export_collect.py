"""The whole export: what ``transfer.collect_export`` gathers (clients, touches, notes, sales)
plus requests, reviews, plans and reminders, so /export is a full copy of what a manager has."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import transfer
from bot.services.exporting import (
    ExportData,
    ExportPlan,
    ExportReminder,
    ExportRequest,
    ExportReview,
)
from storage import transfer as store
from storage.models import Manager


async def collect_full_export(session: AsyncSession, manager: Manager) -> ExportData:
    data = await transfer.collect_export(session, manager)
    return replace(
        data,
        requests=[
            ExportRequest(
                client_name=name,
                text=r.text,
                opened_at=r.opened_at,
                first_response_at=r.first_response_at,
                resolved_at=r.resolved_at,
                feedback=r.feedback,
            )
            for r, name in await store.requests_for_export(session, manager.id)
        ],
        reviews=[
            ExportReview(
                client_name=name, is_positive=r.is_positive, created_at=r.created_at, text=r.text
            )
            for r, name in await store.reviews_for_export(session, manager.id)
        ],
        plans=[
            ExportPlan(
                period_kind=p.period_kind.value,
                period_start=p.period_start,
                amount_minor=p.amount_minor,
                currency=p.currency,
                client_name=name,
            )
            for p, name in await store.plans_for_export(session, manager.id)
        ],
        reminders=[
            ExportReminder(
                kind=r.kind.value,
                due_at=r.due_at,
                state=r.state.value,
                client_name=client,
                contact_name=contact,
                text=text,
            )
            for r, client, contact, text in await store.reminders_for_export(session, manager.id)
        ],
    )
