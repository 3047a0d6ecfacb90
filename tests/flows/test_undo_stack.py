"""/undo is a stack of everything done in the last ten minutes, newest first (issue 15, #2).

The clock is Saturday 2026-11-28 09:00 in Moscow (06:00 UTC).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from bot.services.history import undo_journal
from handlers.callbacks import ClientCb, ContactCb
from storage.enums import Tier
from storage.models import (
    Client,
    ClientRequest,
    ClientTag,
    Contact,
    Interaction,
    Manager,
    Note,
    Plan,
    Review,
    Sale,
    UndoEntry,
)
from tests.support.bot_client import BotClient
from tests.support.spreadsheets import csv_bytes

Pool = async_sessionmaker[AsyncSession]


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


async def _count(pool: Pool, model: type) -> int:
    async with pool() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _client(pool: Pool, name: str) -> Client:
    async with pool() as session:
        found = await session.scalar(select(Client).where(Client.name == name))
        assert found is not None, name
        return found


async def _undo(client: BotClient) -> str:
    texts = client.texts(await client.send("/undo"))
    assert len(texts) == 1, texts
    return texts[0]


async def test_undo_after_a_contact_takes_the_contact_not_the_call(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    await _create(client, "Нептун")
    await client.send("/call Нептун обсудили поставку")
    clock.advance(timedelta(seconds=30))
    await client.send("/contact Нептун: Ольга Кузнецова, директор")
    reply = await _undo(client)
    assert "Отменил контакт Ольга Кузнецова" in reply, reply
    assert "<b>Нептун</b>" in reply, reply
    assert await _count(session_pool, Contact) == 0
    assert await _count(session_pool, Interaction) == 1
    reply = await _undo(client)
    assert "Отменил касание · клиент <b>Нептун</b>" in reply, reply
    assert "обсудили поставку" in reply, reply
    assert await _count(session_pool, Interaction) == 0
    assert "нечего отменять" in await _undo(client)


async def test_undo_after_a_card_edit_puts_the_card_back_and_keeps_the_call(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Нептун")
    await client.send("/call Нептун обсудили поставку")
    нептун = await _client(session_pool, "Нептун")
    assert нептун.tier == Tier.REGULAR
    await client.press(
        ClientCb(action="set", id=нептун.id, field="tier", value=Tier.KEY.value).pack()
    )
    assert (await _client(session_pool, "Нептун")).tier == Tier.KEY
    reply = await _undo(client)
    assert "Вернул карточку как было · клиент <b>Нептун</b>: уровень" in reply, reply
    assert (await _client(session_pool, "Нептун")).tier == Tier.REGULAR
    assert await _count(session_pool, Interaction) == 1


async def test_ten_actions_then_ten_undos_newest_first(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    await _create(client, "Нептун")
    await _create(client, "Сатурн")
    нептун = await _client(session_pool, "Нептун")

    async def act(text: str) -> None:
        clock.advance(timedelta(seconds=20))
        await client.send(text)

    await act("/call Нептун обсудили поставку")  # 1 touch
    await act("/contact Нептун: Пётр Сидоров, закупки")  # 2 contact
    await act("/note Нептун: любит чай")  # 3 note
    await act("/sale Нептун 150к")  # 4 sale
    await act("/plan 3 млн")  # 5 plan
    clock.advance(timedelta(seconds=20))
    await client.press(ClientCb(action="ask", id=нептун.id, field="phone").pack())
    await client.send("+7 900 123-45-67")  # 6 card edit (typed)
    await act("/request Сатурн не пришла доставка")  # 7 request
    await act("/review Сатурн - курьер опоздал")  # 8 review
    await act("/plan 5 млн")  # 9 plan changed
    await act("Сатурн: звонил, договорились о встрече")  # 10 touch

    assert await _count(session_pool, Interaction) == 2
    assert (await _client(session_pool, "Нептун")).phone is not None
    expected = [
        ("Отменил касание · клиент <b>Сатурн</b>", Interaction, 1),
        ("Вернул прежний план: 3 000 000", Plan, 1),
        ("Отменил 👎 плохой отзыв · клиент <b>Сатурн</b>", Review, 0),
        ("Отменил заявку · клиент <b>Сатурн</b>", ClientRequest, 0),
        ("Вернул карточку как было · клиент <b>Нептун</b>: телефон", None, 0),
        ("Отменил план: 3 000 000", Plan, 0),
        ("Отменил продажу · клиент <b>Нептун</b>, 150 000", Sale, 0),
        ("Отменил заметку · клиент <b>Нептун</b>", Note, 0),
        ("Отменил контакт Пётр Сидоров · клиент <b>Нептун</b>", Contact, 0),
        ("Отменил касание · клиент <b>Нептун</b>", Interaction, 0),
    ]
    for text, model, left in expected:
        reply = (await _undo(client)).replace("\xa0", " ").replace("\u202f", " ")
        assert text in reply, (text, reply)
        if model is not None:
            assert await _count(session_pool, model) == left, text
    assert (await _client(session_pool, "Нептун")).phone is None
    assert "нечего отменять" in await _undo(client)
    assert await _count(session_pool, Client) == 2  # creating a client is not in the stack


async def test_the_stack_keeps_to_ten_minutes_and_skips_entries_already_undone(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    await _create(client, "Нептун")
    await client.send("/call Нептун старое")
    clock.advance(timedelta(minutes=11))
    await client.send("/call Нептун первое")
    clock.advance(timedelta(minutes=1))
    await client.send("/note Нептун: любит чай")
    await client.click("↩️ Отменить")  # the note's own button
    reply = await _undo(client)
    assert "первое" in reply, reply  # the note is gone already: the next entry goes
    assert "нечего отменять" in await _undo(client)
    assert await _count(session_pool, Interaction) == 1


async def test_undoing_an_import_removes_exactly_what_it_added(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Нептун")
    await client.send("/contact Нептун: Ольга Кузнецова, директор")
    await client.send("/call Нептун до импорта")
    rows = [
        ["Наименование", "Контактное лицо", "Должность"],
        ["Нептун", "Ольга Кузнецова", "директор"],  # already there: skipped
        ["Нептун", "Иван Петров", "снабжение"],  # a new person at an existing client
        ["Юпитер", "Анна Смирнова", "закупки"],
        ["Сатурн", "Сергей Соколов", "директор"],
    ]
    await client.send("/import")
    await client.send_document(csv_bytes(rows), "база.csv")
    await client.click("✅ Импортировать")
    assert await _count(session_pool, Client) == 3
    assert await _count(session_pool, Contact) == 4
    reply = await _undo(client)
    assert "Отменил импорт целиком: удалено 2 клиента" not in reply
    assert "удалены 2 клиента, 3 контакта" in reply, reply
    async with session_pool() as session:
        assert list(await session.scalars(select(Client.name))) == ["Нептун"]
        people = list(await session.scalars(select(Contact.name)))
    assert people == ["Ольга Кузнецова"]
    assert await _count(session_pool, Interaction) == 1  # the call before the import stays
    assert "Отменил касание" in await _undo(client)


async def test_removed_plan_comes_back(client: BotClient, session_pool: Pool) -> None:
    await client.send("/plan 3 млн")
    await client.send("/plan 0")
    assert await _count(session_pool, Plan) == 0
    reply = (await _undo(client)).replace("\xa0", " ").replace("\u202f", " ")
    assert "Вернул удалённый план: 3 000 000" in reply, reply
    async with session_pool() as session:
        [plan] = list(await session.scalars(select(Plan)))
    assert plan.amount_minor == 300_000_000


async def test_contact_and_tag_edits_are_undone_one_by_one(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    await _create(client, "Нептун")
    await client.send("/contact Нептун: Ольга Кузнецова, директор")
    нептун = await _client(session_pool, "Нептун")
    async with session_pool() as session:
        contact_id = await session.scalar(select(Contact.id))
    assert contact_id is not None
    await client.press(ClientCb(action="ask", id=нептун.id, field="tags").pack())
    await client.send("#опт #москва")
    clock.advance(timedelta(seconds=10))
    await client.press(ContactCb(action="ask", id=contact_id, field="role").pack())
    await client.send("коммерческий директор")
    async with session_pool() as session:
        assert await session.scalar(select(Contact.role)) == "коммерческий директор"

    reply = await _undo(client)
    assert "Вернул контакт Ольга Кузнецова как был · клиент <b>Нептун</b>" in reply, reply
    assert "Ещё /undo" in reply, reply  # more entries wait
    async with session_pool() as session:
        assert await session.scalar(select(Contact.role)) == "директор"
    reply = await _undo(client)
    assert "клиент <b>Нептун</b>: теги" in reply, reply
    async with session_pool() as session:
        assert list(await session.scalars(select(ClientTag.tag))) == []
    reply = await _undo(client)
    assert "Отменил контакт Ольга Кузнецова" in reply, reply
    assert "Ещё /undo" not in reply, reply
    assert "нечего отменять" in await _undo(client)


async def test_a_touch_logged_by_taps_is_in_the_stack(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Нептун")
    await client.send("/log")
    await client.click("Нептун")
    await client.click("встреча")
    await client.click("договорились")
    assert await _count(session_pool, Interaction) == 1
    reply = await _undo(client)
    assert "Отменил касание · клиент <b>Нептун</b>" in reply, reply
    assert await _count(session_pool, Interaction) == 0


async def test_english_reply_names_the_client(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    await _create(client, "Нептун")
    await client.send("/call Нептун обсудили")
    async with session_pool() as session:
        manager = await session.scalar(select(Manager))
        assert manager is not None
        manager.language = "en"
        await session.commit()
    reply = await _undo(client)
    assert "↩️ Undid a touch · client <b>Нептун</b>\n💬 обсудили" in reply, reply


async def test_the_journal_keeps_only_the_newest_entries(
    client: BotClient, session_pool: Pool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(undo_journal, "KEEP", 3)
    monkeypatch.setattr(undo_journal, "PRUNE_EVERY", 1)
    await _create(client, "Нептун")
    for i in range(5):
        await client.send(f"/call Нептун: обсудили поставку {i}")
    async with session_pool() as session:
        kept = list(await session.scalars(select(UndoEntry.kind).order_by(UndoEntry.id)))
    assert kept == ["touch"] * 3
    assert "обсудили поставку 4" in await _undo(client)


async def test_archiving_is_a_card_edit_too(client: BotClient, session_pool: Pool) -> None:
    await _create(client, "Нептун")
    нептун = await _client(session_pool, "Нептун")
    await client.press(ClientCb(action="archive", id=нептун.id).pack())
    assert (await _client(session_pool, "Нептун")).archived_at is not None
    reply = await _undo(client)
    assert "клиент <b>Нептун</b>: архив" in reply, reply
    back = await _client(session_pool, "Нептун")
    assert back.archived_at is None
    assert back.next_checkin_at is not None  # the check-in schedule is back too
