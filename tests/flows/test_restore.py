"""Issue 17: the /export ZIP sent back to /import restores every kind of row, through the real
update path, into a fresh account (SQLite and PostgreSQL), and twice adds nothing."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

from aiogram import Dispatcher
from aiogram.methods import SendDocument
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from storage.enums import ReminderState
from storage.models import (
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
)
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

ZIP = "application/zip"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def build_base(client: BotClient) -> None:
    for name in ("Ромашка", "Василёк", "Гамма"):
        await client.send(f"/client {name}")
        await client.click("➕ Создать нового клиента")
    await client.send("/contact Ромашка: Иван Петров, закупки, др 12.03.1980, +7 999 123-45-67")
    await client.send("/contact Ромашка: Иван Петров, склад, +7 999 765-43-21")
    await client.send("/contact Василёк: Мария Орлова, директор, 5 мая, m.orlova@vasilek.ru")
    await client.send("/call Ромашка обсудили поставку, КП в пятницу")
    await client.send("/log Василёк встреча в офисе, всё ок")
    await client.send("/note Мария Орлова: сын сдаёт ЕГЭ #семья напомни 5 июня спросить, как сдал")
    await client.send("/note Ромашка: 🔒 директор недоволен ценой #цены")
    await client.send("/sale Ромашка 150 000 кабель ВВГ")
    await client.send("/sale Василёк 20 000")
    await client.send("/plan 3 000 000")
    await client.send("/request Гамма не пришла доставка")
    await client.send("/review Гамма - курьер опоздал")


async def export_zip(client: BotClient) -> bytes:
    requests = await client.send("/export")
    documents = [r for r in requests if isinstance(r, SendDocument)]
    zips = [d.document for d in documents if str(d.document.filename).endswith(".zip")]  # type: ignore[union-attr]
    return zips[0].data  # type: ignore[union-attr]


Snapshot = dict[str, list[tuple[Any, ...]]]


async def snapshot(pool: async_sessionmaker[AsyncSession], telegram_id: int) -> Snapshot:
    """Every row the manager has, without ids: what a restore must reproduce."""
    async with pool() as session:
        manager = await session.scalar(select(Manager).where(Manager.telegram_id == telegram_id))
        assert manager is not None
        mid = manager.id
        clients = {
            c.id: c.name
            for c in await session.scalars(select(Client).where(Client.owner_id == mid))
        }
        contacts = {
            p.id: p.name
            for p in await session.scalars(
                select(Contact).where(Contact.client_id.in_(list(clients)))
            )
        }

        async def rows(model: Any, *columns: str) -> list[tuple[Any, ...]]:
            found = await session.scalars(select(model).where(model.manager_id == mid))
            out = []
            for row in found:
                values = []
                for column in columns:
                    value = getattr(row, column)
                    if column == "client_id":
                        value = clients.get(value)
                    elif column == "contact_id":
                        value = contacts.get(value)
                    values.append(value)
                out.append(tuple(values))
            return sorted(out, key=repr)

        return {
            "clients": sorted(
                (
                    c.name,
                    c.status.value,
                    c.tier.value,
                    c.archived_at,
                    c.last_touch_at,
                    c.next_checkin_at,
                    c.created_at,
                    tuple(sorted(t.tag for t in c.tags)),
                )
                for c in await session.scalars(select(Client).where(Client.owner_id == mid))
            ),
            "contacts": sorted(
                (clients[p.client_id], p.name, p.role, p.phone, p.email, p.birth_day, p.birth_year)
                for p in await session.scalars(
                    select(Contact).where(Contact.client_id.in_(list(clients)))
                )
            ),
            "touches": await rows(
                Interaction,
                "client_id",
                "contact_id",
                "kind",
                "occurred_at",
                "outcome",
                "summary",
                "next_step",
                "next_step_due_at",
                "next_step_done_at",
            ),
            "notes": await rows(
                Note, "client_id", "contact_id", "text", "is_private", "remind_at", "created_at"
            ),
            "sales": await rows(Sale, "client_id", "amount_minor", "currency", "sold_at"),
            "plans": await rows(Plan, "client_id", "period_kind", "period_start", "amount_minor"),
            "requests": await rows(ClientRequest, "client_id", "text", "opened_at"),
            "reviews": await rows(Review, "client_id", "is_positive", "text", "created_at"),
            "reminders": [
                r
                for r in await rows(Reminder, "kind", "client_id", "contact_id", "due_at", "state")
                if r[0].value not in ("digest", "weekly")
            ],
        }


async def test_export_zip_restores_every_kind_into_a_fresh_account_and_twice_adds_nothing(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await build_base(client)
    original = await snapshot(session_pool, client.user.id)
    assert len(original["contacts"]) == 3
    assert len(original["touches"]) == 2
    assert len(original["reminders"]) >= 2  # the follow-up and the note reminder
    sizes = {kind: len(rows) for kind, rows in original.items()}
    assert (sizes["notes"], sizes["sales"], sizes["plans"]) == (2, 2, 1), sizes
    assert (sizes["requests"], sizes["reviews"]) == (1, 1), sizes
    archive = await export_zip(client)
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        document = json.loads(zf.read("kambot.json"))
    assert (document["format"], document["version"]) == ("kambot", 1)

    other = BotClient(dispatcher, bot, user_id=7007)
    await other.send("/import")
    texts = other.texts(await other.send_document(archive, "kambot-2026-12-06.zip", ZIP))
    preview = "\n".join(texts)
    assert "выгрузка kambot" in preview, preview
    assert "Касания: новых <b>2</b>" in preview, preview
    assert "Продажи: новых <b>2</b>" in preview, preview
    texts = other.texts(await other.click("✅ Восстановить"))
    assert any("Восстановил" in t for t in texts), texts
    restored = await snapshot(session_pool, other.user.id)
    assert restored == original

    # The same archive again: everything is recognised, nothing is added.
    texts = other.texts(await other.send_document(archive, "kambot-2026-12-06.zip", ZIP))
    assert any("уже есть в вашей базе" in t for t in texts), texts
    assert await snapshot(session_pool, other.user.id) == original


async def test_the_export_workbook_sent_back_as_it_came_restores_everything(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await build_base(client)
    original = await snapshot(session_pool, client.user.id)
    requests = await client.send("/export")
    documents = [r.document for r in requests if isinstance(r, SendDocument)]
    workbook = next(d for d in documents if str(d.filename).endswith(".xlsx")).data  # type: ignore[union-attr]
    other = BotClient(dispatcher, bot, user_id=7009)
    texts = other.texts(await other.send_document(workbook, "kambot.xlsx", XLSX))
    assert any("выгрузка kambot" in t for t in texts), texts
    await other.click("✅ Восстановить")
    assert await snapshot(session_pool, other.user.id) == original


async def test_a_zip_that_is_not_a_kambot_export_gets_a_clear_message(client: BotClient) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("photo.txt", "hello")
    await client.send("/import")
    texts = client.texts(await client.send_document(buffer.getvalue(), "archive.zip", ZIP))
    assert any("не выгрузка kambot" in t for t in texts), texts


async def test_past_reminders_are_not_sent_again_after_a_restore(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await client.send("/client Ромашка")
    await client.click("➕ Создать нового клиента")
    await client.send("/note Ромашка: позвонить насчёт склада напомни завтра")
    archive = await export_zip(client)
    clock.advance(timedelta(days=3))  # the reminder's moment passes before the restore
    other = BotClient(dispatcher, bot, user_id=7008)
    await other.send("/import")
    texts = other.texts(await other.send_document(archive, "kambot.zip", ZIP))
    assert any("уже прошло: 1" in t for t in texts), texts
    await other.click("✅ Восстановить")
    async with session_pool() as session:
        states = list(
            await session.scalars(
                select(Reminder.state)
                .join(Manager, Manager.id == Reminder.manager_id)
                .where(Manager.telegram_id == 7008, Reminder.kind == "note")
            )
        )
    assert states == [ReminderState.CANCELLED]


async def test_undo_takes_a_whole_restore_back_and_leaves_what_was_there(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await build_base(client)
    archive = await export_zip(client)
    other = BotClient(dispatcher, bot, user_id=7010)
    await other.send("/client Ромашка")
    await other.click("➕ Создать нового клиента")
    await other.send("/call Ромашка договорились о встрече")
    before = await snapshot(session_pool, other.user.id)
    await other.send("/import")
    texts = other.texts(await other.send_document(archive, "kambot.zip", ZIP))
    assert any("Совпали с вашими клиентами: Ромашка" in t for t in texts), texts
    await other.click("✅ Восстановить")
    after = await snapshot(session_pool, other.user.id)
    assert len(after["touches"]) == len(before["touches"]) + 2
    texts = other.texts(await other.send("/undo"))
    assert any("Отменил восстановление" in t for t in texts), texts
    assert await snapshot(session_pool, other.user.id) == before
