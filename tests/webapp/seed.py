"""The Mini App tests' base: Anna (a Russian speaker) with 100 clients and a year's history,
and «Ромашка» with a contact, a touch, a sale and notes; Boris, another manager."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.bench_kpi import History, seed_manager
from storage.enums import Channel, Outcome
from storage.models import Client, Contact, Interaction, Manager, Note, Sale
from tests.conftest import NOW

MOSCOW = ZoneInfo("Europe/Moscow")  # Anna's zone

ANNA, BORIS = 501, 502  # Telegram ids: Anna has the seeded base, Boris is another manager
SMALL_HISTORY = History(days=120, touches=400, sales=160)


async def _client(
    session: AsyncSession, owner: Manager, name: str, norm: str, team_id: int | None = None
) -> Client:
    client = Client(owner_id=owner.id, team_id=team_id, name=name, name_norm=norm)
    session.add(client)
    await session.flush()
    return client


async def seed(pool: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Anna: a base of 100 with history (as bench_kpi seeds it) and «Ромашка» with a contact,
    a touch, a sale and notes; Boris: his own «Ромашка», and a private note on Anna's one (he
    wrote it when the client was his: a handover keeps a note its author's)."""
    anna = await seed_manager(pool, ANNA, SMALL_HISTORY, seed=14)
    async with pool() as session:
        boris = Manager(telegram_id=BORIS, full_name="Борис")
        session.add(boris)
        await session.flush()
        anna = await session.get(Manager, anna.id) or anna
        mine = await _client(session, anna, "ООО «Ромашка»", "ромашка")
        theirs = await _client(session, boris, "Ромашка", "ромашка")
        session.add_all(
            [
                Contact(client_id=mine.id, name="Иван Петров", name_norm="иван петров"),
                Interaction(
                    client_id=mine.id,
                    manager_id=anna.id,
                    kind=Channel.CALL,
                    occurred_at=NOW - timedelta(days=3),
                    outcome=Outcome.POSITIVE,
                    summary="обсудили отгрузку",
                ),
                Sale(
                    client_id=mine.id,
                    manager_id=anna.id,
                    amount_minor=123_456_00,
                    product_line="кабель",
                    sold_at=NOW - timedelta(days=2),
                ),
                Note(manager_id=anna.id, client_id=mine.id, text="общая заметка Анны"),
                Note(manager_id=anna.id, client_id=mine.id, text="личное Анны", is_private=True),
                Note(manager_id=boris.id, client_id=mine.id, text="тайна Бориса", is_private=True),
                Note(manager_id=boris.id, client_id=theirs.id, text="заметка о чужой Ромашке"),
            ]
        )
        await session.commit()
        return {"anna": anna.id, "mine": mine.id, "theirs": theirs.id}


async def step_due_today(
    pool: async_sessionmaker[AsyncSession], client_id: int, manager_id: int, step: str
) -> int:
    """A touch of yesterday whose next step is due today (date-only: the manager's midnight)."""
    today = NOW.astimezone(MOSCOW).date()
    due = datetime.combine(today, time(0), tzinfo=MOSCOW).astimezone(UTC)
    async with pool() as session:
        touch = Interaction(
            client_id=client_id,
            manager_id=manager_id,
            kind=Channel.CALL,
            occurred_at=NOW - timedelta(days=1),
            summary="договорились",
            next_step=step,
            next_step_due_at=due,
            next_step_has_time=False,
        )
        session.add(touch)
        await session.commit()
        return touch.id


async def step_done_at(pool: async_sessionmaker[AsyncSession], touch_id: int) -> datetime | None:
    async with pool() as session:
        touch = await session.get(Interaction, touch_id)
        assert touch is not None
        return touch.next_step_done_at
