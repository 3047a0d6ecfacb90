"""«🏢 Не тот клиент» under a saved note, request or review (issue 15: every saved entry has
"wrong client" one tap away), through the real Dispatcher.

Tap → type or pick the right client → the entry moves and the reply names both clients in bold.
A forged button (another manager's entry) moves nothing and says the button is outdated.
"""

from __future__ import annotations

from aiogram import Dispatcher
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.callbacks import ClientCb, MoveCb
from storage.models import Client, ClientRequest, Contact, Note, Reminder, Review
from tests.support.bot_client import BotClient, MockedBot

Pool = async_sessionmaker[AsyncSession]
CREATE = "➕ Создать нового клиента"
WRONG = "🏢 Не тот клиент"
OUTDATED = "Эта кнопка устарела"


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click(CREATE)


async def _client_name(pool: Pool, client_id: int | None) -> str | None:
    async with pool() as session:
        return await session.scalar(select(Client.name).where(Client.id == client_id))


async def _one(pool: Pool, model: type) -> object:
    async with pool() as session:
        return (await session.scalars(select(model))).one()


async def test_a_note_moves_by_typed_name_and_its_reminder_follows(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Ромашка")
    await _create(client, "Лютик")
    await client.send("/note Ромашка: обсудить скидку напомни завтра")
    asked = client.texts(await client.click(WRONG))[-1]
    assert "<b>Ромашка</b>" in asked, asked
    moved = client.texts(await client.send("лютик"))[-1]
    assert "<b>Ромашка</b> → <b>Лютик</b>" in moved, moved
    note = await _one(session_pool, Note)
    assert isinstance(note, Note)
    assert await _client_name(session_pool, note.client_id) == "Лютик"
    reminder = await _one(session_pool, Reminder)
    assert isinstance(reminder, Reminder)
    assert reminder.note_id == note.id  # still the same note's reminder, now about Лютик
    assert await _client_name(session_pool, reminder.client_id) == "Лютик"


async def test_a_note_on_a_person_moves_to_the_client_and_leaves_the_person(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Ромашка")
    await _create(client, "Лютик")
    await client.send("/contact Ромашка: Ольга Кузнецова, директор")
    await client.send("/note Ольга Кузнецова: любит ранние звонки")
    await client.click(WRONG)
    moved = client.texts(await client.send("Лютик"))[-1]
    assert "<b>Ромашка</b> → <b>Лютик</b>" in moved, moved
    note = await _one(session_pool, Note)
    assert isinstance(note, Note)
    assert note.contact_id is None
    assert await _client_name(session_pool, note.client_id) == "Лютик"
    contact = await _one(session_pool, Contact)  # the person stays where she is
    assert isinstance(contact, Contact)
    assert await _client_name(session_pool, contact.client_id) == "Ромашка"


async def test_a_request_moves_by_a_picked_match_and_keeps_its_stamps(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Ромашка")
    await _create(client, "Лютик Север")
    await _create(client, "Лютик Юг")
    await client.send("/request Ромашка не пришла доставка")
    await client.click("💬 Ответил")
    before = await _one(session_pool, ClientRequest)
    assert isinstance(before, ClientRequest)
    await client.click(WRONG)
    await client.send("Лютик")  # two matches: buttons
    moved = client.texts(await client.click("Лютик Юг"))[-1]
    assert "<b>Ромашка</b> → <b>Лютик Юг</b>" in moved, moved
    after = await _one(session_pool, ClientRequest)
    assert isinstance(after, ClientRequest)
    assert await _client_name(session_pool, after.client_id) == "Лютик Юг"
    assert (after.opened_at, after.first_response_at) == (
        before.opened_at,
        before.first_response_at,
    )
    await client.click("Лютик Север")  # the other match, once the move is done, moves nothing
    again = await _one(session_pool, ClientRequest)
    assert isinstance(again, ClientRequest)
    assert await _client_name(session_pool, again.client_id) == "Лютик Юг"


async def test_a_review_moves_and_an_unknown_name_asks_again(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Ромашка")
    await _create(client, "Лютик")
    await client.send("/review Ромашка + спасибо за быструю доставку")
    await client.click(WRONG)
    assert "не нашёл" in client.texts(await client.send("Кактус"))[-1]
    moved = client.texts(await client.send("Лютик"))[-1]
    assert "<b>Ромашка</b> → <b>Лютик</b>" in moved, moved
    review = await _one(session_pool, Review)
    assert isinstance(review, Review)
    assert await _client_name(session_pool, review.client_id) == "Лютик"


async def test_a_forged_button_for_someone_elses_entries_moves_nothing(
    client: BotClient, dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    await _create(client, "Ромашка")
    await client.send("/note Ромашка: секрет")
    await client.send("/request Ромашка не пришла доставка")
    await client.send("/review Ромашка - курьер опоздал")
    boris = BotClient(dispatcher, bot, user_id=2002, first_name="Борис")
    await _create(boris, "Лютик")
    ids = {}
    async with session_pool() as session:
        ids["n"] = (await session.scalars(select(Note.id))).one()
        ids["rq"] = (await session.scalars(select(ClientRequest.id))).one()
        ids["rv"] = (await session.scalars(select(Review.id))).one()
    for kind, entry_id in ids.items():
        requests = await boris.press(MoveCb(kind=kind, id=entry_id).pack())
        assert OUTDATED in str(requests), (kind, requests)
        # Even typed on, a name goes nowhere: no move was asked for.
        await boris.send("Лютик")
    for model in (Note, ClientRequest, Review):
        entry = await _one(session_pool, model)
        assert await _client_name(session_pool, entry.client_id) == "Ромашка"  # type: ignore[attr-defined]


async def test_a_forged_client_pick_moves_nothing(
    client: BotClient, dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    await _create(client, "Ромашка")
    boris = BotClient(dispatcher, bot, user_id=2002, first_name="Борис")
    await _create(boris, "Чужой")
    async with session_pool() as session:
        foreign = await session.scalar(select(Client.id).where(Client.name == "Чужой"))
    assert foreign is not None
    await client.send("/review Ромашка + всё отлично")
    await client.click(WRONG)
    await client.press(ClientCb(action="enmv", id=foreign).pack())
    review = await _one(session_pool, Review)
    assert isinstance(review, Review)
    assert await _client_name(session_pool, review.client_id) == "Ромашка"
