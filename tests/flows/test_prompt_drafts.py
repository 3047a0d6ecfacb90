"""Several prompts at once: each prompt's buttons act on that prompt's own text (issue 15, #3)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.enums import Channel
from storage.models import Client, ClientRequest, Contact, Interaction, Note, Plan, Sale
from tests.support.bot_client import BotClient

Pool = async_sessionmaker[AsyncSession]


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


def _last_id(client: BotClient) -> int:
    return list(client.messages)[-1]


async def _touches(pool: Pool) -> list[tuple[str, Channel, str]]:
    async with pool() as session:
        rows = await session.execute(
            select(Client.name, Interaction.kind, Interaction.summary)
            .join(Client, Client.id == Interaction.client_id)
            .order_by(Interaction.id)
        )
        return [(name, kind, summary) for name, kind, summary in rows]


async def test_two_create_prompts_each_save_their_own_touch(
    client: BotClient, session_pool: Pool
) -> None:
    await client.send("Юпитер: звонил, не дозвонился")
    jupiter = _last_id(client)
    await client.send("/log Сатурн: встреча в офисе")
    saturn = _last_id(client)

    texts = client.texts(await client.click("➕", message_id=jupiter))
    assert any("Юпитер" in t for t in texts), texts
    assert not any("Сатурн" in t for t in texts), texts
    texts = client.texts(await client.click("➕", message_id=saturn))
    assert any("Сатурн" in t for t in texts), texts
    assert not any("устарел" in t for t in texts), texts

    touches = await _touches(session_pool)
    assert [(name, kind) for name, kind, _ in touches] == [
        ("Юпитер", Channel.CALL),
        ("Сатурн", Channel.MEETING),
    ]
    assert "не дозвонился" in touches[0][2] or touches[0][2] == ""
    # A prompt answered once is done: a second tap saves nothing twice.
    texts = client.texts(await client.click("➕", message_id=jupiter))
    assert any("устарел" in t for t in texts), texts
    assert len(await _touches(session_pool)) == 2


async def test_a_pick_under_an_older_prompt_saves_its_own_text(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Альфа Плюс")
    await _create(client, "Альфа Минус")
    await client.send("/call Альфа: обсудили поставку")
    first = _last_id(client)
    await client.send("Марс: отправил КП")
    mars = _last_id(client)
    texts = client.texts(await client.click("Альфа Плюс", message_id=first))
    assert any("обсудили поставку" in t for t in texts), texts
    await client.click("➕", message_id=mars)
    touches = await _touches(session_pool)
    assert [(n, s) for n, _, s in touches] == [
        ("Альфа Плюс", "обсудили поставку"),
        ("Марс", "отправил КП"),
    ]


async def test_a_contact_prompt_survives_a_newer_log_prompt(
    client: BotClient, session_pool: Pool
) -> None:
    await client.send("/contact Нептун: Ольга Кузнецова, директор")
    contact_prompt = _last_id(client)
    await client.send("Плутон: звонил")
    await client.click("➕", message_id=contact_prompt)
    async with session_pool() as session:
        rows = (await session.execute(select(Client.name, Contact.name).join(Contact.client))).all()
    assert [tuple(r) for r in rows] == [("Нептун", "Ольга Кузнецова")]
    assert await _touches(session_pool) == []  # the Плутон prompt still waits for its tap


async def test_note_name_choice_survives_a_newer_note_prompt(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Альфа Плюс")
    await _create(client, "Альфа Минус")
    await _create(client, "Бета Плюс")
    await _create(client, "Бета Минус")
    await client.send("/note Альфа: любит чай")
    alpha = _last_id(client)
    await client.send("/note Бета: любит кофе")
    beta = _last_id(client)
    await client.click("Альфа Плюс", message_id=alpha)
    await client.click("Бета Минус", message_id=beta)
    async with session_pool() as session:
        rows = (
            await session.execute(
                select(Client.name, Note.text)
                .join(Client, Client.id == Note.client_id)
                .order_by(Note.id)
            )
        ).all()
    assert [tuple(r) for r in rows] == [("Альфа Плюс", "любит чай"), ("Бета Минус", "любит кофе")]


async def test_only_the_last_ten_prompts_are_kept(client: BotClient, session_pool: Pool) -> None:
    prompts = []
    for i in range(11):
        await client.send(f"Клиент{i}: звонил")
        prompts.append(_last_id(client))
    texts = client.texts(await client.click("➕", message_id=prompts[0]))
    assert any("устарел" in t for t in texts), texts
    await client.click("➕", message_id=prompts[1])
    assert [n for n, _, _ in await _touches(session_pool)] == ["Клиент1"]


async def test_sale_and_request_prompts_keep_their_own_drafts(
    client: BotClient, session_pool: Pool
) -> None:
    await client.send("/sale Юпитер 10к")
    jupiter = _last_id(client)
    await client.send("/request Сатурн не пришла доставка")
    saturn = _last_id(client)
    await client.send("/sale Марс 20к")
    mars = _last_id(client)
    await client.click("➕", message_id=jupiter)
    await client.click("➕", message_id=saturn)
    await client.click("➕", message_id=mars)
    async with session_pool() as session:
        sales = (
            await session.execute(
                select(Client.name, Sale.amount_minor)
                .join(Client, Client.id == Sale.client_id)
                .order_by(Sale.id)
            )
        ).all()
        requests = (
            await session.execute(
                select(Client.name, ClientRequest.text).join(
                    Client, Client.id == ClientRequest.client_id
                )
            )
        ).all()
    assert [tuple(r) for r in sales] == [("Юпитер", 1_000_000), ("Марс", 2_000_000)]
    assert [tuple(r) for r in requests] == [("Сатурн", "не пришла доставка")]


async def test_two_plan_prompts_each_set_their_own_amount(
    client: BotClient, session_pool: Pool
) -> None:
    for name in ("Альфа Плюс", "Альфа Минус", "Бета Плюс", "Бета Минус"):
        await _create(client, name)
    await client.send("/plan альфа 1 млн")
    alpha = _last_id(client)
    await client.send("/plan бета 2 млн")
    await client.click("Альфа Плюс", message_id=alpha)
    async with session_pool() as session:
        rows = (
            await session.execute(
                select(Client.name, Plan.amount_minor).join(Client, Client.id == Plan.client_id)
            )
        ).all()
    assert [tuple(r) for r in rows] == [("Альфа Плюс", 100_000_000)]
