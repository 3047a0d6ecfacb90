"""One real-database test per storage behaviour; runs on SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage import updates as update_store
from storage.db import SQLITE_BUSY_TIMEOUT_MS, create_engine
from storage.enums import ReminderKind, WorkMode
from storage.migrate import current_revision
from storage.models import Base, Client, Contact, Manager, Reminder

pytestmark = pytest.mark.db


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_migrations_build_exactly_the_models(engine: AsyncEngine) -> None:
    assert await current_revision(engine) is not None
    async with engine.connect() as conn:
        diff = await conn.run_sync(_diff)
    assert diff == []


async def _manager(session: AsyncSession, telegram_id: int = 1) -> Manager:
    manager = Manager(telegram_id=telegram_id, full_name="Анна")
    session.add(manager)
    await session.flush()
    return manager


async def test_datetimes_come_back_aware_utc(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    moscow = timezone(timedelta(hours=3))
    async with session_pool() as session:
        manager = await _manager(session)
        client = Client(
            owner_id=manager.id,
            name="Ромашка",
            name_norm="ромашка",
            last_touch_at=datetime(2026, 3, 1, 12, 0, tzinfo=moscow),
        )
        session.add(client)
        await session.commit()
    async with session_pool() as session:
        loaded = await session.scalar(select(Client))
        assert loaded is not None
        assert loaded.last_touch_at == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
        assert loaded.last_touch_at.utcoffset() == timedelta(0)
        assert loaded.created_at.tzinfo is not None


async def test_naive_datetime_is_refused(session_pool: async_sessionmaker[AsyncSession]) -> None:
    async with session_pool() as session:
        manager = await _manager(session)
        session.add(
            Client(
                owner_id=manager.id,
                name="X",
                name_norm="x",
                last_touch_at=datetime(2026, 3, 1, 12, 0),  # noqa: DTZ001 - on purpose
            )
        )
        with pytest.raises(Exception, match="naive datetime"):
            await session.commit()


async def test_enums_are_stored_by_value(session_pool: async_sessionmaker[AsyncSession]) -> None:
    async with session_pool() as session:
        manager = await _manager(session)
        manager.work_mode = WorkMode.KAM
        await session.commit()
        raw = await session.scalar(text("SELECT work_mode FROM managers"))
    assert raw == "kam"


async def test_reminder_dedupe_key_is_unique(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    due = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    async with session_pool() as session:
        manager = await _manager(session)
        session.add(
            Reminder(
                manager_id=manager.id,
                kind=ReminderKind.DIGEST,
                due_at=due,
                dedupe_key="digest:1:2026-12-01",
            )
        )
        await session.commit()
        session.add(
            Reminder(
                manager_id=manager.id,
                kind=ReminderKind.DIGEST,
                due_at=due,
                dedupe_key="digest:1:2026-12-01",
            )
        )
        with pytest.raises(IntegrityError):
            await session.commit()


async def test_deleting_a_client_cascades_to_contacts(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    async with session_pool() as session:
        manager = await _manager(session)
        client = Client(owner_id=manager.id, name="Ромашка", name_norm="ромашка")
        session.add(client)
        await session.flush()
        session.add(
            Contact(client_id=client.id, name="Иван", name_norm="иван", birth_day=12, birth_month=3)
        )
        await session.commit()
        await session.execute(text("DELETE FROM clients"))
        await session.commit()
        assert await session.scalar(select(Contact)) is None


async def test_birthday_range_is_checked(session_pool: async_sessionmaker[AsyncSession]) -> None:
    async with session_pool() as session:
        manager = await _manager(session)
        client = Client(owner_id=manager.id, name="Ромашка", name_norm="ромашка")
        session.add(client)
        await session.flush()
        session.add(
            Contact(
                client_id=client.id, name="Иван", name_norm="иван", birth_day=31, birth_month=13
            )
        )
        with pytest.raises(IntegrityError):
            await session.commit()


async def test_processed_updates_mark_and_prune(
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    old = datetime(2026, 1, 1, tzinfo=UTC)
    async with session_pool() as session:
        update_store.mark_processed(session, 10, old)
        update_store.mark_processed(session, 11, old + timedelta(days=30))
        await session.commit()
        assert await update_store.is_processed(session, 10)
        assert not await update_store.is_processed(session, 12)
        removed = await update_store.prune(session, old + timedelta(days=1))
        await session.commit()
        assert removed == 1
        assert not await update_store.is_processed(session, 10)
        assert await update_store.is_processed(session, 11)


async def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/nested/folder/k.db")
    try:
        async with engine.connect() as conn:
            assert (await conn.scalar(text("PRAGMA journal_mode"))) == "wal"
            assert (await conn.scalar(text("PRAGMA foreign_keys"))) == 1
            assert (await conn.scalar(text("PRAGMA busy_timeout"))) == SQLITE_BUSY_TIMEOUT_MS
    finally:
        await engine.dispose()
    assert (tmp_path / "nested" / "folder" / "k.db").exists()
