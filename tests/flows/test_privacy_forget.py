"""/forget over the real update path: a decision-maker erased on their request, the client's
business history kept, and the database read afterwards."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Dispatcher
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from handlers.privacy.callbacks import ForgetAction, ForgetCb
from storage.enums import ReminderKind
from storage.models import Contact, Interaction, Note, Reminder, Sale, UndoEntry
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("Создать нового клиента")


async def _contact(pool: async_sessionmaker[AsyncSession], name: str, client: str) -> Contact:
    async with pool() as session:
        rows = list(await session.scalars(select(Contact).where(Contact.name == name)))
        for row in rows:
            await session.refresh(row, ["client"])
            if row.client.name == client:
                return row
    raise AssertionError(f"no {name} at {client}")


async def _count(pool: async_sessionmaker[AsyncSession], model: type, *where: object) -> int:
    async with pool() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)))  # type: ignore[arg-type]


async def _person_with_history(
    client: BotClient, pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> Contact:
    await _create(client, "Ромашка")
    await client.send("/contact Ромашка: Иван Петров, закупки, др 12 марта")
    ivan = await _contact(pool, "Иван Петров", "Ромашка")
    await client.send("/note Иван Петров: сын сдаёт экзамены в июне")
    await client.send("/call Ромашка обсудили поставку с Иваном")
    await client.send("/sale Ромашка 15000")
    async with pool() as session:
        contact = await session.get(Contact, ivan.id)
        assert contact is not None
        contact.phone, contact.email = "+79161234567", "ivan@romashka.ru"
        await session.commit()
        contact.phone = "+79160000000"  # the undo journal now remembers the old phone
        await session.commit()
        await session.execute(update(Interaction).values(contact_id=ivan.id))
        session.add(
            Reminder(
                manager_id=await _owner_of(session, ivan.id),
                kind=ReminderKind.BIRTHDAY,
                contact_id=ivan.id,
                due_at=clock.now() + timedelta(days=100),
                dedupe_key=f"birthday:{ivan.id}:test",
            )
        )
        await session.commit()
    async with pool() as session:
        payloads = [str(p) for p in await session.scalars(select(UndoEntry.payload))]
    assert any("79161234567" in p for p in payloads), payloads
    return ivan


async def _owner_of(session: AsyncSession, contact_id: int) -> int:
    contact = await session.get(Contact, contact_id)
    assert contact is not None
    await session.refresh(contact, ["client"])
    return contact.client.owner_id


async def test_forget_erases_the_person_and_keeps_the_clients_history(
    client: BotClient, clock: FrozenClock, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ivan = await _person_with_history(client, session_pool, clock)
    assert await _count(session_pool, Note, Note.contact_id == ivan.id) == 1
    confirm = client.texts(await client.send("/forget иван петров"))
    assert any("Иван Петров" in t and "заметок о человеке: 1" in t for t in confirm), confirm
    assert any("напоминаний о дне рождения: 1" in t for t in confirm), confirm
    assert await _count(session_pool, Contact) == 1  # nothing erased before the confirmation
    done = client.texts(await client.click("🧹 Стереть"))
    assert any("стёрты" in t for t in done), done

    assert await _count(session_pool, Contact) == 0
    assert await _count(session_pool, Note) == 0
    assert await _count(session_pool, Reminder, Reminder.kind == ReminderKind.BIRTHDAY) == 0
    contact_entries = UndoEntry.kind.in_(("contact", "contact_edit"))
    assert await _count(session_pool, UndoEntry, contact_entries) == 0
    async with session_pool() as session:
        touches = list(await session.scalars(select(Interaction)))
        assert len(touches) == 1
        assert touches[0].contact_id is None
        assert await session.scalar(select(func.count()).select_from(Sale)) == 1
        payloads = [str(p) for p in await session.scalars(select(UndoEntry.payload))]
        assert not any("79161234567" in p or "birth" in p for p in payloads), payloads

    old_button = ForgetCb(action=ForgetAction.ERASE, id=ivan.id).pack()
    again = client.texts(await client.press(old_button))  # the old button, once more
    assert any("Контакт не найден" in t for t in again), again
    undo = client.texts(await client.send("/undo"))
    assert not any("Иван Петров" in t for t in undo), undo
    assert await _count(session_pool, Contact) == 0


async def test_forget_asks_which_namesake_and_explains_nobody_and_usage(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await _create(client, "Лютик")
    await client.send("/contact Ромашка: Мария Сидорова, финдиректор")
    await client.send("/contact Лютик: Мария Сидорова, закупки")
    usage = client.texts(await client.send("/forget"))
    assert any("/forget Иван Петров" in t for t in usage), usage
    nobody = client.texts(await client.send("/forget Пётр Несуществующий"))
    assert any("нет «Пётр Несуществующий»" in t for t in nobody), nobody
    pick = client.texts(await client.send("/forget Мария Сидорова"))
    assert any("несколько человек" in t for t in pick), pick
    await client.click("Мария Сидорова — Лютик")
    cancelled = client.texts(await client.click("✖️ Не стирать"))
    assert any("Ничего не стёрто" in t for t in cancelled), cancelled
    assert await _count(session_pool, Contact) == 2
    await client.send("/forget Мария Сидорова")
    await client.click("Мария Сидорова — Лютик")
    await client.click("🧹 Стереть")
    async with session_pool() as session:
        left = (await session.execute(select(Contact.name, Contact.role))).all()
    assert [tuple(r) for r in left] == [("Мария Сидорова", "финдиректор")]


async def test_a_stranger_cannot_forget_someone_elses_contact(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await _create(client, "Ромашка")
    await client.send("/contact Ромашка: Иван Петров, закупки")
    ivan = await _contact(session_pool, "Иван Петров", "Ромашка")
    stranger = BotClient(dispatcher, bot, user_id=6060, first_name="Чужой")
    nobody = stranger.texts(await stranger.send("/forget Иван Петров"))
    assert any("нет «Иван Петров»" in t for t in nobody), nobody
    for action in (ForgetAction.PICK, ForgetAction.ERASE):
        forged = stranger.texts(await stranger.press(ForgetCb(action=action, id=ivan.id).pack()))
        assert any("Контакт не найден" in t for t in forged), forged
    assert await _count(session_pool, Contact) == 1
