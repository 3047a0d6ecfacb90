"""/privacy over the real update path: the export of everything, and deleting an account with
the database read afterwards, table by table."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from aiogram import Dispatcher
from aiogram.methods import SendDocument
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from bot.services.privacy import exports
from handlers.privacy.callbacks import PrivacyAction, PrivacyCb
from storage.enums import TeamRole
from storage.models import Base, Client, Interaction, Manager, Note, Sale, Team, TeamEvent
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

LEAVER_TG = 8_765_431
LEAVER_NAME = "Зоя"  # BotClient's first_name is the manager's full name


def _user(dispatcher: Dispatcher, bot: MockedBot, user_id: int, name: str) -> BotClient:
    return BotClient(dispatcher, bot, user_id=user_id, first_name=name)


async def _manager(pool: async_sessionmaker[AsyncSession], telegram_id: int) -> Manager | None:
    async with pool() as session:
        return await session.scalar(select(Manager).where(Manager.telegram_id == telegram_id))


async def _create_client(user: BotClient, name: str) -> None:
    await user.send(f"/client {name}")
    await user.click("Создать нового клиента")


async def _join(head: BotClient, member: BotClient) -> None:
    texts = head.texts(await head.send("/team invite"))
    token = next(w for t in texts for w in t.split() if "start=join_" in w).split("start=")[1]
    await member.send(f"/start {token}")
    await member.click("✅ Вступить")  # bringing their clients when they have any


async def _export(user: BotClient) -> dict[str, bytes]:
    await user.send("/privacy")
    requests = await user.click("📦 Выгрузить все мои данные")
    documents = [r for r in requests if isinstance(r, SendDocument)]
    assert len(documents) == 1, BotClient.texts(requests)
    data = documents[0].document.data  # type: ignore[union-attr]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


async def _every_row(pool: async_sessionmaker[AsyncSession]) -> dict[str, list[str]]:
    """Every row of every table, as text: what a full database dump would show."""
    out: dict[str, list[str]] = {}
    async with pool() as session:
        for table in Base.metadata.sorted_tables:
            rows = await session.execute(select(table))
            out[table.name] = [json.dumps(list(r), default=str, ensure_ascii=False) for r in rows]
    return out


async def _rows_pointing_at(pool: async_sessionmaker[AsyncSession], manager_id: int) -> list[str]:
    """Rows in any table whose foreign key to managers.id holds this id."""
    found = []
    async with pool() as session:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                points = any(fk.column.table.name == "managers" for fk in column.foreign_keys)
                if points or (table.name == "managers" and column.name == "id"):
                    count = await session.scalar(
                        select(text("count(*)")).select_from(table).where(column == manager_id)
                    )
                    if count:
                        found.append(f"{table.name}.{column.name}: {count}")
    return found


async def test_privacy_says_what_is_stored_and_the_export_is_one_archive_of_everything(
    client: BotClient,
) -> None:
    about = client.texts(await client.send("/privacy"))
    assert any("Что хранится и зачем" in t and "согласия" in t for t in about), about
    await _create_client(client, "Ромашка")
    await client.send("/note Ромашка: любит чай 🔒")
    await client.send("/sale Ромашка 15000")
    files = await _export(client)
    names = set(files)
    assert {"kambot.json", "account.json"} <= names, names
    assert any(n.endswith(".xlsx") for n in names), names
    document = json.loads(files["kambot.json"])
    dumped = json.dumps(document, ensure_ascii=False)
    assert "Ромашка" in dumped
    assert "любит чай" in dumped
    account = json.loads(files["account.json"])["account"]
    assert account["telegram_id"] == 1001
    assert account["full_name"] == "Анна"


async def test_a_heads_export_never_carries_another_authors_private_notes(
    dispatcher: Dispatcher, bot: MockedBot
) -> None:
    head, anna = _user(dispatcher, bot, 7101, "Ольга"), _user(dispatcher, bot, 7102, "Анна")
    await head.send("/team new Север")
    await _create_client(anna, "Альфа")
    await _join(head, anna)
    await anna.send("/note Альфа: тайна Анны 🔒")
    await anna.send("/note Альфа: общая заметка")
    mine = json.dumps(json.loads((await _export(anna))["kambot.json"]), ensure_ascii=False)
    assert "тайна Анны" in mine
    assert "общая заметка" in mine
    before = json.dumps(json.loads((await _export(head))["kambot.json"]), ensure_ascii=False)
    assert "Альфа" not in before  # a member's client is not in the head's own export
    await anna.send("/team leave")
    await anna.click("Да, выйти")  # Альфа goes to the head with its shared history
    after = (await _export(head))["kambot.json"].decode()
    assert "Альфа" in after
    assert "общая заметка" in after
    assert "тайна Анны" not in after


async def test_deleting_an_account_leaves_none_of_its_rows_and_the_team_keeps_its_clients(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    head = _user(dispatcher, bot, 7201, "Ольга")
    zoya = _user(dispatcher, bot, LEAVER_TG, LEAVER_NAME)
    await head.send("/team new Юг")
    await _create_client(zoya, "Личный")
    texts = head.texts(await head.send("/team invite"))
    token = next(w for t in texts for w in t.split() if "start=join_" in w).split("start=")[1]
    await zoya.send(f"/start {token}")
    await zoya.click("Вступить, клиентов оставить себе")
    await _create_client(zoya, "Командный Клиент")  # created in the team: the team's
    await zoya.send("/call Командный Клиент обсудили поставку, шлю КП в пятницу")
    await zoya.send("/note Командный Клиент: секретик Зои 🔒")
    await zoya.send("/note Командный Клиент: общее про склад")
    await zoya.send("/sale Командный Клиент 50000")
    await zoya.send("/note Личный: личное про поставщика")
    await zoya.send("/demo")  # a sandbox row of her own, with sample data
    await zoya.send("/demo off")
    zoya_row = await _manager(session_pool, LEAVER_TG)
    assert zoya_row is not None
    zoya_id = zoya_row.id
    await zoya.send("/privacy")
    asked = zoya.texts(await zoya.click("🗑 Удалить мой аккаунт"))
    assert any("УДАЛИТЬ" in t and "останутся команде" in t for t in asked), asked
    done = zoya.texts(await zoya.send("удалить"))
    assert any("Аккаунт удалён" in t and "Ольга" in t for t in done), done

    assert await _rows_pointing_at(session_pool, zoya_id) == []
    dump = await _every_row(session_pool)
    for table, rows in dump.items():
        for row in rows:
            assert str(LEAVER_TG) not in row, (table, row)
            assert LEAVER_NAME not in row, (table, row)
            assert "секретик" not in row, (table, row)
    async with session_pool() as session:
        olga = await session.scalar(select(Manager).where(Manager.telegram_id == 7201))
        assert olga is not None
        assert olga.role == TeamRole.HEAD
        owners = dict((await session.execute(select(Client.name, Client.owner_id))).all())
        assert owners == {"Командный Клиент": olga.id}, owners  # the personal one is gone
        # The shared history went with the clients, under the new owner.
        assert await session.scalar(select(Interaction.manager_id)) == olga.id
        assert await session.scalar(select(Sale.manager_id)) == olga.id
        assert list(await session.scalars(select(Note.text))) == ["общее про склад"]
        events = list(await session.scalars(select(TeamEvent)))
        assert any(e.kind == "account-deleted" for e in events)
    told = [r for r in bot.session.requests if getattr(r, "chat_id", None) == 7201]
    assert any("удалил(а) аккаунт" in str(getattr(r, "text", "")) for r in told)
    head = _user(dispatcher, bot, 7201, "Ольга")
    log = " ".join(head.texts(await head.send("/team log")))
    assert "🗑 Аккаунт участника удалён" in log, log
    assert LEAVER_NAME not in log, log


async def test_the_only_head_leaves_a_member_as_head_and_the_last_member_takes_the_team(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    head, anna = _user(dispatcher, bot, 7301, "Ольга"), _user(dispatcher, bot, 7302, "Анна")
    await head.send("/team new Запад")
    await _create_client(head, "Клиент Ольги")
    await _join(head, anna)
    await head.send("/privacy")
    await head.click("🗑 Удалить мой аккаунт")
    await head.send("УДАЛИТЬ")
    ann = await _manager(session_pool, 7302)
    assert ann is not None
    assert ann.role == TeamRole.HEAD
    assert ann.team_id is not None
    async with session_pool() as session:
        owners = dict((await session.execute(select(Client.name, Client.owner_id))).all())
    assert owners == {"Клиент Ольги": ann.id}
    told = [r for r in bot.session.requests if getattr(r, "chat_id", None) == 7302]
    assert any("руководитель команды" in str(getattr(r, "text", "")) for r in told)

    await anna.send("/privacy")
    await anna.click("🗑 Удалить мой аккаунт")
    await anna.send("удалить")
    async with session_pool() as session:
        for model in (Manager, Team, Client, TeamEvent):
            left = await session.scalar(select(text("count(*)")).select_from(model))
            assert left == 0, model


async def test_deleting_twice_or_during_an_export_gets_a_clear_answer(
    client: BotClient, clock: FrozenClock, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create_client(client, "Ромашка")
    first = await _manager(session_pool, 1001)
    assert first is not None
    await client.send("/privacy")
    with exports.building(first.id):
        busy = client.texts(await client.click("🗑 Удалить мой аккаунт"))
        assert any("готовится выгрузка" in t for t in busy), busy
    await client.click("🗑 Удалить мой аккаунт")
    with exports.building(first.id):
        busy = client.texts(await client.send("УДАЛИТЬ"))
        assert any("готовится выгрузка" in t for t in busy), busy
    assert await _manager(session_pool, 1001) is not None  # nothing half-done
    kept = client.texts(await client.send("не надо"))
    assert any("не удалён" in t for t in kept), kept
    await client.click("🗑 Удалить мой аккаунт")
    await client.send("УДАЛИТЬ")
    assert await _rows_pointing_at(session_pool, first.id) == []
    clock.advance(timedelta(seconds=30))  # SQLite may hand the same id to the next account
    again = client.texts(await client.send("УДАЛИТЬ"))  # the word once more
    assert any("не ожидает подтверждения" in t for t in again), again
    old = client.texts(await client.click("🗑 Удалить мой аккаунт"))  # the old button
    assert any("уже удалён" in t for t in old), old
    forged = PrivacyCb(action=PrivacyAction.EXPORT, id=first.id, since=0).pack()
    assert any("уже удалён" in t for t in client.texts(await client.press(forged)))
    # The next message starts a brand-new account: no clients, a new row.
    fresh = await _manager(session_pool, 1001)
    assert fresh is not None
    assert fresh.created_at > first.created_at
    texts = client.texts(await client.send("/clients"))
    assert any("Клиентов: <b>0</b>" in t for t in texts), texts


async def test_the_demo_is_left_before_deleting(client: BotClient) -> None:
    await client.send("/demo")
    await client.send("/privacy")
    refused = client.texts(await client.click("🗑 Удалить мой аккаунт"))
    assert any("демо-режим" in t for t in refused), refused
