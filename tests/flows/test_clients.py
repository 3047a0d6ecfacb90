"""Clients and decision-makers through the real Dispatcher: create, find, edit, isolate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiogram import Dispatcher
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from bot.services.crm import clients as client_service
from bot.services.crm.clients import DuplicateClient
from storage.enums import Tier
from storage.models import Client, Contact, Manager
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot


async def _client(pool: async_sessionmaker[AsyncSession], name: str) -> Client | None:
    async with pool() as session:
        return await session.scalar(select(Client).where(Client.name == name))


async def _create(client: BotClient, name: str) -> None:
    texts = client.texts(await client.send(f"/client {name}"))
    assert any("Создать" in t for t in texts), texts
    texts = client.texts(await client.click("➕ Создать нового клиента"))
    assert any(f"<b>{name}</b> создан" in t for t in texts), texts


async def test_create_then_find_with_typos_in_both_alphabets(client: BotClient) -> None:
    await _create(client, "Ромашка")
    for query in ("ромашко", "Romashka", "РОМАШКА", "ООО «Ромашка»"):
        texts = client.texts(await client.send(f"/client {query}"))
        assert any("🏢 <b>Ромашка</b>" in t for t in texts), (query, texts)


async def test_card_shows_contacts_with_days_to_birthday_and_next_checkin(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send("/contact Ромашка: Иван Петров, закупки, др 12 марта"))
    assert any("Контакт добавлен: <b>Иван Петров</b>" in t for t in texts), texts
    contact = None
    async with session_pool() as session:
        contact = await session.scalar(select(Contact))
    assert contact is not None
    assert (contact.birth_day, contact.birth_month, contact.birth_year) == (12, 3, None)
    assert contact.role == "закупки"
    card = client.texts(await client.send("/client Ромашка"))[0]
    # Today is 2026-11-28 in Moscow: 12 March 2027 is 104 days away.
    assert "Иван Петров</b> — закупки · 🎂 12 марта — через 104 дн." in card
    assert "Следующее касание через 30 дн." in card  # touches are «касания», people «контакты»
    assert "Ответственный: Анна" in card


async def test_find_a_client_by_a_persons_name(client: BotClient) -> None:
    await _create(client, "ЁлкаСтрой")
    await client.send("/contact елкастрой: Мария Сидорова, финдиректор")
    texts = client.texts(await client.send("/client Сидорова"))
    assert any("🏢 <b>ЁлкаСтрой</b>" in t for t in texts), texts


async def test_edit_fields_by_buttons_and_typing(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await client.click("✏️ Изменить")
    await client.click("Уровень")
    texts = client.texts(await client.click("🔑 Ключевой"))
    assert any("Ромашка</b> 🔑" in t for t in texts), texts
    await client.click("✏️ Изменить")
    await client.click("Частота")
    await client.click("раз в 14 дн.")
    await client.click("✏️ Изменить")
    await client.click("ИНН")
    texts = client.texts(await client.send("1234567890"))
    assert any("не похоже на ИНН" in t for t in texts)
    texts = client.texts(await client.send("7707083893"))
    assert any("ИНН 7707083893" in t for t in texts)
    await client.click("✏️ Изменить")
    await client.click("Теги")
    texts = client.texts(await client.send("#VIP опт, #опт"))
    assert any("#vip" in t and "#опт" in t for t in texts), texts
    found = await _client(session_pool, "Ромашка")
    assert found is not None
    assert found.tier == Tier.KEY
    assert found.cadence_days == 14
    assert found.tax_id == "7707083893"
    assert sorted(t.tag for t in found.tags) == ["vip", "опт"]


async def test_archive_restore_and_confirmed_delete(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.click("📦 В архив"))
    assert any("в архиве" in t for t in texts)
    assert "Архив пуст" not in client.texts(await client.send("/clients archive"))[0]
    await client.send("/client Ромашка")
    await client.click("♻️ Из архива")
    await client.click("🗑 Удалить")
    assert "навсегда" in client.last_text
    assert await _client(session_pool, "Ромашка") is not None  # nothing deleted before the yes
    await client.click("🗑 Да, удалить навсегда")
    assert await _client(session_pool, "Ромашка") is None


@pytest.mark.parametrize(
    ("name", "reply"),
    [
        ("🙂🙂🙂", "одних эмодзи мало"),
        ("я" * 4000, "до 200 символов"),
        ("", "Напишите название клиента"),
    ],
)
async def test_bad_client_names_get_clear_replies(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession], name: str, reply: str
) -> None:
    texts = client.texts(await client.send(f"/client {name}"))
    assert any(reply in t for t in texts), texts
    async with session_pool() as session:
        assert await session.scalar(select(func.count()).select_from(Client)) == 0


async def test_markup_in_names_is_escaped(client: BotClient) -> None:
    await client.send("/client <b>Ромашка</b> & Co")
    await client.click("➕ Создать нового клиента")
    texts = client.texts(await client.send("/client <b>Ромашка</b> & Co"))
    assert any("&lt;b&gt;Ромашка&lt;/b&gt; &amp; Co" in t for t in texts), texts


async def test_invalid_birthday_is_saved_without_it_and_asked_again(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send("/contact Ромашка: Иван, др 31 февраля"))
    assert any("Не понял дату рождения" in t for t in texts), texts
    assert any("Когда день рождения" in t for t in texts)
    texts = client.texts(await client.send("12/03/1980"))
    async with session_pool() as session:
        contact = await session.scalar(select(Contact))
    assert contact is not None
    assert (contact.birth_day, contact.birth_month, contact.birth_year) == (12, 3, 1980)


async def test_contact_for_an_unknown_client_offers_to_create_both(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    texts = client.texts(await client.send("/contact Василёк: Олег, CEO, March 3"))
    assert any("Создать его и добавить" in t for t in texts), texts
    texts = client.texts(await client.click("➕ Создать нового клиента"))
    assert any("Контакт добавлен: <b>Олег</b> · клиент <b>Василёк</b>" in t for t in texts), texts
    async with session_pool() as session:
        contact = await session.scalar(select(Contact))
    assert contact is not None
    assert (contact.birth_day, contact.birth_month) == (3, 3)


async def test_undo_a_contact(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await client.send("/contact Ромашка: Иван")
    await client.click("↩️ Отменить")
    async with session_pool() as session:
        assert await session.scalar(select(func.count()).select_from(Contact)) == 0


async def test_list_paginates_and_filters(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await client.send("/start")
    async with session_pool() as session:
        manager = await session.scalar(select(Manager))
        assert manager is not None
        for i in range(20):
            await client_service.create(
                session,
                manager,
                f"Клиент {i:02d}",
                clock.now() - timedelta(days=40 if i < 3 else 0),
            )
    first = client.texts(await client.send("/clients"))[0]
    assert "Клиентов: <b>20</b>" in first
    assert "пора связаться: 3" in first
    assert "стр. 1 из 3" in first
    texts = client.texts(await client.click("▶️"))
    assert "стр. 2 из 3" in texts[0]
    texts = client.texts(await client.click("⚠️ Просрочено"))
    assert "стр. 1 из 1 (3)" in texts[0]


async def test_another_manager_cannot_reach_my_clients(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await _create(client, "Ромашка")
    mine = await _client(session_pool, "Ромашка")
    assert mine is not None
    other = BotClient(dispatcher, bot, user_id=9009)
    for data in (
        f"c:open:{mine.id}::",
        f"c:purge:{mine.id}::",
        f"c:set:{mine.id}:tier:key",
        f"c:ask:{mine.id}:name:",
    ):
        texts = other.texts(await other.press(data))
        assert texts == ["Клиент не найден — возможно, он удалён. Поиск: /client название"], data
    texts = other.texts(await other.send("/client Ромашка"))
    assert any("Клиента «Ромашка» нет" in t for t in texts)
    texts = other.texts(await other.send("/contact Ромашка: Хакер"))
    assert not any("добавлен" in t for t in texts)
    still = await _client(session_pool, "Ромашка")
    assert still is not None
    assert still.tier == Tier.REGULAR
    async with session_pool() as session:
        assert await session.scalar(select(func.count()).select_from(Contact)) == 0


async def test_duplicate_names_need_an_explicit_choice(
    session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    async with session_pool() as session:
        manager = Manager(telegram_id=1, full_name="А")
        session.add(manager)
        await session.commit()
        first = await client_service.create(session, manager, "Ромашка", clock.now())
        with pytest.raises(DuplicateClient) as info:
            await client_service.create(session, manager, "ООО «ромашка»", clock.now())
        assert info.value.existing.id == first.id
        second = await client_service.create(
            session, manager, "Ромашка", clock.now(), allow_duplicate=True
        )
        assert second.id != first.id


async def test_changing_the_default_cadence_moves_the_next_checkin(client: BotClient) -> None:
    await _create(client, "Ромашка")
    await client.send("/settings")
    await client.click("🔔 Напоминания")
    await client.click("👤 60 дн.")
    card = client.texts(await client.send("/client Ромашка"))[0]
    assert "Следующее касание через 60 дн. (раз в 60 дн.)" in card
