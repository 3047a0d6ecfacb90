"""Client resolution through the real Dispatcher (issue 15, items 1 and 18).

A longer exact name wins over a shorter one; a name with a distinguishing suffix («Ромашка-Юг»,
«Искра-2», «Вектор-М») is a different client; a word after the name that may belong to it makes
the bot ask; a client named without a colon, or alone, gets an offer instead of «не понял».
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram.methods import SendMessage
from aiogram.methods.base import TelegramMethod
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.crm import clients as client_service
from storage.models import Client, Contact, Interaction, Manager
from tests.support.bot_client import BotClient

CREATE = "➕ Создать нового клиента"
NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


def _buttons(requests: list[TelegramMethod[Any]]) -> list[str]:
    return [
        b.text
        for r in requests
        if isinstance(r, SendMessage) and isinstance(r.reply_markup, InlineKeyboardMarkup)
        for row in r.reply_markup.inline_keyboard
        for b in row
    ]


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click(CREATE)


async def _touches(pool: async_sessionmaker[AsyncSession]) -> list[tuple[str, str]]:
    async with pool() as session:
        rows = await session.execute(
            select(Client.name, Interaction.summary)
            .join(Client, Client.id == Interaction.client_id)
            .order_by(Interaction.id)
        )
        return [(name, summary or "") for name, summary in rows]


async def _clients(pool: async_sessionmaker[AsyncSession]) -> list[str]:
    async with pool() as session:
        return list(await session.scalars(select(Client.name).order_by(Client.id)))


async def test_a_contact_for_a_branch_is_not_added_to_the_parent(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    reply = client.texts(
        await client.send("/contact Ромашка-Юг: Ольга Кузнецова, директор, 05/07/1985")
    )[-1]
    assert "«Ромашка-Юг» нет" in reply
    assert "добавлен" not in reply
    texts = client.texts(await client.click(CREATE))
    assert any("Ольга Кузнецова" in text and "Ромашка-Юг" in text for text in texts)
    async with session_pool() as session:
        contact = await session.scalar(select(Contact))
        assert contact is not None
        parent = await session.get(Client, contact.client_id)
        assert parent is not None
        assert parent.name == "Ромашка-Юг"


async def test_client_with_a_suffix_offers_to_create_the_branch(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    for name in ("Ромашка", "Искра", "Вектор"):
        await _create(client, name)
    for branch, parent in (("Ромашка-Юг", "Ромашка"), ("Искра-2", "Искра"), ("Вектор-М", "Вектор")):
        requests = await client.send(f"/client {branch}")
        reply = client.texts(requests)[-1]
        assert f"«{branch}» нет" in reply, reply
        assert parent in _buttons(requests), "the parent stays one tap away"
        await client.click(CREATE)
    assert await _clients(session_pool) == [
        "Ромашка",
        "Искра",
        "Вектор",
        "Ромашка-Юг",
        "Искра-2",
        "Вектор-М",
    ]


async def test_the_longer_exact_name_wins(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await _create(client, "Ромашка-Юг")
    reply = client.texts(
        await client.send("/call ромашка юг обсудили отгрузку, перезвонить в понедельник")
    )[-1]
    assert "<b>Ромашка-Юг</b>" in reply
    [(name, summary)] = await _touches(session_pool)
    assert name == "Ромашка-Юг"
    assert not summary.startswith("юг")


async def test_a_word_that_may_belong_to_the_name_is_asked_about(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    requests = await client.send("/call ромашка юг обсудили отгрузку")
    assert "«ромашка юг»" in client.texts(requests)[-1]
    assert {"Ромашка", CREATE} <= set(_buttons(requests))
    assert await _touches(session_pool) == []
    # Picking the parent keeps «юг» in the text; nothing typed is lost.
    await client.click("Ромашка")
    [(name, summary)] = await _touches(session_pool)
    assert name == "Ромашка"
    assert summary.startswith("юг обсудили")


async def test_picking_create_makes_the_branch_with_the_text_after_it(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await client.send("/call ромашка юг обсудили отгрузку")
    await client.click(CREATE)
    [(name, summary)] = await _touches(session_pool)
    assert name.casefold() == "ромашка юг"
    assert summary.startswith("обсудили")


async def test_with_no_clients_the_offer_is_the_name_not_the_sentence(client: BotClient) -> None:
    reply = client.texts(await client.send("/call Ромашка обсудили поставку, КП в пятницу"))[-1]
    assert "«Ромашка»" in reply
    assert "обсудили" not in reply


async def test_a_touch_without_a_colon_gets_an_offer(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Технопром")
    requests = await client.send("вчера звонил в Технопром, отказ")
    assert "<b>Технопром</b>" in client.texts(requests)[-1]
    assert await _touches(session_pool) == [], "without a colon nothing is saved before a tap"
    reply = client.texts(await client.click("📞 Записать касание: Технопром"))[-1]
    assert "<b>Технопром</b>" in reply
    [(name, summary)] = await _touches(session_pool)
    assert name == "Технопром"
    assert "отказ" in summary


async def test_a_case_form_without_a_colon_finds_the_client(client: BotClient) -> None:
    await _create(client, "Гамма")
    reply = client.texts(await client.send("вчера звонил в Гамму, обсудили цены"))[-1]
    assert "<b>Гамма</b>" in reply


async def test_a_bare_client_name_offers_the_card_and_a_touch(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Технопром")
    requests = await client.send("технопром")
    assert "<b>Технопром</b>" in client.texts(requests)[-1]
    await client.click("📞 Записать касание")
    await client.click("звонок")
    reply = client.texts(await client.click("Пропустить"))[-1]
    assert "<b>Технопром</b>" in reply
    assert [name for name, _ in await _touches(session_pool)] == ["Технопром"]


async def test_log_by_taps_reaches_a_client_not_in_the_recent_list(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    for n in range(10):
        await _create(client, f"Клиент {chr(ord('А') + n)}")
    names = [f"Клиент {chr(ord('А') + n)}" for n in range(10)]
    shown = _buttons(await client.send("/log"))
    [missing, *_] = [name for name in names if name not in shown]
    await client.click("✍️ Другой клиент…")
    await client.send(missing)
    await client.click("📞 Записать касание")
    await client.click("звонок")
    await client.click("Пропустить")
    assert [name for name, _ in await _touches(session_pool)] == [missing]


async def test_unknown_text_still_gets_the_hint(client: BotClient) -> None:
    await _create(client, "Ромашка")
    assert "не понял" in client.texts(await client.send("погода сегодня хорошая"))[-1]


async def test_two_namesakes_are_asked_about_by_name_not_by_sentence(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Гамма")
    await client.send("/client Гамма-Сервис")
    await client.click(CREATE)
    async with session_pool() as session:  # a namesake, as an import may bring one
        manager = await session.scalar(select(Manager))
        assert manager is not None
        await client_service.create(session, manager, "Гамма", NOW, allow_duplicate=True)
    requests = await client.send("/call Гамма обсудили поставку, КП в пятницу")
    reply = client.texts(requests)[-1]
    assert "«Гамма»" in reply, reply
    assert "обсудили" not in reply
    assert await _touches(session_pool) == []


async def test_a_contact_under_the_wrong_client_moves_in_one_tap_and_a_name(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await _create(client, "Лютик")
    reply = client.texts(await client.send("/contact Ромашка: Ольга Кузнецова, директор"))[-1]
    assert "<b>Ромашка</b>" in reply
    await client.click("🏢 Не тот клиент")
    moved = client.texts(await client.send("лютик"))[-1]
    assert "<b>Ольга Кузнецова</b>" in moved
    assert "<b>Лютик</b>" in moved
    async with session_pool() as session:
        contact = await session.scalar(select(Contact))
        assert contact is not None
        owner = await session.get(Client, contact.client_id)
        assert owner is not None
        assert owner.name == "Лютик"
