"""/demo through the real Dispatcher: a marked sandbox that never mixes with real data.

The clock is Saturday 2026-11-28 09:00 in Moscow (06:00 UTC).
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest
from aiogram import Dispatcher
from aiogram.methods import AnswerCallbackQuery, SendDocument, SendMessage, TelegramMethod
from aiogram.types import BufferedInputFile
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.__main__ import main
from bot.notifier import TelegramSender
from bot.scheduler import tick
from bot.services.clock import FrozenClock
from bot.services.sample.demo_data import PROFILES
from bot.services.schedule import reminders
from bot.services.schedule.delivery_limits import RateLimiter
from storage.enums import ReminderKind, ReminderState
from storage.models import Base, Client, Interaction, Manager, Reminder, Sale
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
MARK_RU = "🧪 ДЕМО · /demo off — выйти"
DEMO_NAMES = [p.name for p in PROFILES]
KEY_ACCOUNT = "СеверЭнергоМонтаж"


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


async def _table_counts(pool: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """Rows of every table, counted independently of the code under test."""
    out: dict[str, int] = {}
    async with pool() as session:
        for table in Base.metadata.sorted_tables:
            if table.name == "processed_updates":
                continue  # grows with every update, by design
            out[table.name] = int(
                await session.scalar(text(f"SELECT COUNT(*) FROM {table.name}")) or 0
            )
    return out


async def _manager(pool: async_sessionmaker[AsyncSession], telegram_id: int) -> Manager | None:
    async with pool() as session:
        return await session.scalar(select(Manager).where(Manager.telegram_id == telegram_id))


async def _sandbox(pool: async_sessionmaker[AsyncSession], telegram_id: int) -> Manager | None:
    return await _manager(pool, -telegram_id)


def _sent_texts(requests: list[TelegramMethod[Any]]) -> list[str]:
    return [r.text for r in requests if isinstance(r, SendMessage)]


async def test_demo_shows_marked_sample_clients_and_hides_real_ones_both_ways(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send("/demo"))
    [tour] = texts
    assert tour.startswith(MARK_RU)
    assert "25 клиентов" in tour
    assert f"/brief {KEY_ACCOUNT}" in tour

    texts = client.texts(await client.send("/clients"))
    assert texts
    assert all(t.startswith(MARK_RU) for t in texts), texts
    assert "Клиентов: <b>25</b>" in texts[0]
    assert "Ромашка" not in "\n".join(texts)

    texts = client.texts(await client.send(f"/client {KEY_ACCOUNT}"))
    assert any("ООО «СеверЭнергоМонтаж»" in t for t in texts), texts
    requests = await client.send("/client Ромашка")
    texts = client.texts(requests)
    assert all(MARK_RU in t for t in texts)
    assert any("Создать" in str(r.reply_markup) for r in requests if isinstance(r, SendMessage))

    texts = client.texts(await client.send("/demo off"))
    assert texts == [
        "✅ Вы вышли из демо — снова ваши настоящие данные. Пример сохранён: "
        "/demo — вернуться, /demo delete — удалить."
    ]
    texts = client.texts(await client.send("/clients"))
    assert "Клиентов: <b>1</b>" in texts[0]
    assert not any(MARK_RU in t for t in texts)
    assert not any(name in "\n".join(texts) for name in DEMO_NAMES)
    texts = client.texts(await client.send(f"/client {KEY_ACCOUNT}"))
    assert not any("ООО «СеверЭнергоМонтаж»" in t and "📞" in t for t in texts)


async def test_every_reply_in_the_demo_is_marked_including_callbacks_and_kpi_commands(
    client: BotClient,
) -> None:
    await client.send("/demo")
    for command in ("/today", "/birthdays", f"/brief {KEY_ACCOUNT}", "/help", "/nonsense"):
        texts = _sent_texts(await client.send(command))
        assert texts, command
        assert all(t.startswith(MARK_RU) for t in texts), (command, texts)
    await client.send("/clients")
    requests = await client.click("🔑 Ключевые")
    edited = [str(getattr(r, "text", "")) for r in requests if hasattr(r, "text") and r.text]
    assert edited
    assert all(t.startswith(MARK_RU) for t in edited), edited


async def test_english_mark_for_an_english_speaker(dispatcher: Dispatcher, bot: MockedBot) -> None:
    english = BotClient(dispatcher, bot, user_id=3003, language_code="en", first_name="Ann")
    [tour] = english.texts(await english.send("/demo"))
    assert tour.startswith("🧪 DEMO · /demo off to leave")
    assert "25 clients" in tour
    texts = english.texts(await english.send("/today"))
    assert texts
    assert all(t.startswith("🧪 DEMO · /demo off to leave") for t in texts)


async def test_demo_twice_is_one_sandbox_and_reset_regenerates_it(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await client.send("/demo")
    [again] = client.texts(await client.send("/demo"))
    assert "Вы в демо-режиме" in again
    assert again.count(MARK_RU) == 1
    async with session_pool() as session:
        sandboxes = await session.scalar(
            select(func.count()).select_from(Manager).where(Manager.sandbox_of_id.is_not(None))
        )
        clients = await session.scalar(select(func.count()).select_from(Client))
    assert sandboxes == 1
    assert clients == 25
    await _create(client, "Лютик")  # made by hand inside the demo
    [reset] = client.texts(await client.send("/demo reset"))
    assert "Демо-режим" in reset
    second = await _sandbox(session_pool, client.user.id)
    assert second is not None
    async with session_pool() as session:
        owners = set(await session.scalars(select(Client.owner_id)))
        names = set(await session.scalars(select(Client.name)))
    assert owners == {second.id}
    assert len(names) == 25
    assert "Лютик" not in names


async def test_demo_delete_removes_every_row_of_the_sandbox_and_nothing_real(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await client.send("/contact Ромашка: Иван Петров, закупки, 12.03.1980")
    await client.send("/call Ромашка обсудили поставку, КП в пятницу")
    await client.send("/note Иван Петров: сын сдаёт ЕГЭ #семья")
    before = await _table_counts(session_pool)
    await client.send("/demo")
    during = await _table_counts(session_pool)
    for table in ("managers", "clients", "contacts", "interactions", "notes", "note_tags"):
        assert during[table] > before[table], table
    for table in ("sales", "plans", "requests", "reviews", "client_tags"):
        assert during[table] > 0, table

    await client.click("🗑 Удалить демо-данные")
    texts = client.texts(await client.click("🗑 Да, удалить"))
    assert texts == ["🗑 Демо-данные удалены, вы снова в своей базе. Создать пример заново: /demo"]
    assert await _table_counts(session_pool) == before
    real = await _manager(session_pool, client.user.id)
    assert real is not None
    assert real.in_sandbox is False
    texts = client.texts(await client.send("/clients"))
    assert "Клиентов: <b>1</b>" in texts[0]
    assert MARK_RU not in texts[0]
    # Re-entering after removal makes a fresh sandbox.
    await client.send("/demo")
    assert (await _table_counts(session_pool))["clients"] == before["clients"] + 25


async def test_demo_delete_by_command_asks_first_and_keep_keeps(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    [reply] = client.texts(await client.send("/demo удалить"))
    assert reply.startswith("Демо-данных нет")
    await client.send("/demo")
    await client.send("/demo выйти")
    [ask] = client.texts(await client.send("/demo delete"))
    assert "Удалить демо-данные целиком" in ask
    assert MARK_RU not in ask  # asked from the real base
    await client.click("Оставить")
    assert await _sandbox(session_pool, client.user.id) is not None
    await client.send("/demo delete")
    await client.click("🗑 Да, удалить")
    assert await _sandbox(session_pool, client.user.id) is None


async def test_forged_demo_buttons_touch_nobody_elses_sandbox(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    anna = BotClient(dispatcher, bot, user_id=1001)
    boris = BotClient(dispatcher, bot, user_id=2002, first_name="Борис")
    await anna.send("/demo")
    annas = await _sandbox(session_pool, 1001)
    assert annas is not None
    for action in ("purge", "leave", "delete"):
        requests = await boris.press(f"dm:{action}:{annas.id}")
        [answer] = [r for r in requests if isinstance(r, AnswerCallbackQuery)]
        assert answer.show_alert is True
        assert answer.text is not None
        assert "устарела" in answer.text
    assert await _sandbox(session_pool, 1001) is not None
    anna_real = await _manager(session_pool, 1001)
    assert anna_real is not None
    assert anna_real.in_sandbox is True
    assert await _sandbox(session_pool, 2002) is None
    # Boris with a sandbox of his own still cannot delete Anna's with her id.
    await boris.send("/demo")
    await boris.press(f"dm:purge:{annas.id}")
    assert await _sandbox(session_pool, 1001) is not None
    # Nor can anyone press buttons for the sandbox row as if they were it.
    await anna.press(f"dm:purge:{annas.id + 1000}")
    assert await _sandbox(session_pool, 1001) is not None


async def test_the_scheduler_plans_and_sends_nothing_for_the_sandbox(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    # A real client overdue for a check-in: the real manager gets a digest this morning.
    clock.set(NOW - timedelta(days=31))
    await _create(client, "Ромашка")
    clock.set(NOW - timedelta(minutes=30))
    await client.send("/demo")
    # Inside the demo a promise with a time is logged: its reminder row exists but never goes.
    await client.send(f"/call {KEY_ACCOUNT} обсудили объём, перезвонить сегодня в 10:00")
    sandbox = await _sandbox(session_pool, client.user.id)
    assert sandbox is not None
    assert sandbox.is_active is False

    async with session_pool() as session:
        await reminders.plan(session, NOW)
    async with session_pool() as session:
        planned = list(
            await session.scalars(select(Reminder).where(Reminder.manager_id == sandbox.id))
        )
    assert [r.kind for r in planned] == [ReminderKind.FOLLOWUP]  # only the one logged by hand

    clock.set(NOW + timedelta(hours=2))
    start = len(bot.session.requests)
    sender = TelegramSender(
        bot, RateLimiter(global_per_second=1000, per_chat_interval=0.001), clock
    )
    await tick(session_pool, sender, clock)
    await tick(session_pool, sender, clock)
    sent = [r for r in bot.session.requests[start:] if isinstance(r, SendMessage)]
    assert sent, "the real manager's digest was expected"
    assert all(r.chat_id == client.user.id for r in sent)
    pushed = "\n".join(r.text for r in sent)
    assert "Ромашка" in pushed
    assert not any(name in pushed for name in DEMO_NAMES)
    assert KEY_ACCOUNT not in pushed
    assert "🧪" not in pushed
    async with session_pool() as session:
        states = set(
            await session.scalars(select(Reminder.state).where(Reminder.manager_id == sandbox.id))
        )
        kinds = set(
            await session.scalars(select(Reminder.kind).where(Reminder.manager_id == sandbox.id))
        )
    assert states == {ReminderState.CANCELLED}
    assert kinds == {ReminderKind.FOLLOWUP}


async def test_export_in_the_demo_is_the_sample_only_in_demo_named_files(
    client: BotClient,
) -> None:
    await _create(client, "Ромашка")
    await client.send("/demo")
    requests = await client.send("/export")
    documents = [r for r in requests if isinstance(r, SendDocument)]
    assert len(documents) == 2
    files = [d.document for d in documents]
    assert all(isinstance(f, BufferedInputFile) for f in files)
    names = [str(f.filename) for f in files if isinstance(f, BufferedInputFile)]
    assert [n.startswith("kambot-demo-") for n in names] == [True, True], names
    assert documents[0].caption is not None
    assert documents[0].caption.startswith(MARK_RU)
    workbook_file = files[0]
    assert isinstance(workbook_file, BufferedInputFile)
    book = openpyxl.load_workbook(io.BytesIO(workbook_file.data), read_only=True)
    cells = {str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row}
    assert "ООО «СеверЭнергоМонтаж»" in cells
    assert "Ромашка" not in cells


async def test_import_is_refused_in_the_demo_and_nothing_is_loaded(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await client.send("/demo")
    [reply] = client.texts(await client.send("/import"))
    assert "настоящие данные в песочницу не загружаю" in reply
    csv = "Клиент;Контакт\nРомашка;Иван Петров\n".encode()
    [reply] = client.texts(await client.send_document(csv, "база.csv"))
    assert "/demo off" in reply
    requests = await client.press("im:go")
    [answer] = [r for r in requests if isinstance(r, AnswerCallbackQuery)]
    assert answer.text is not None
    assert "импорт выключен" in answer.text
    async with session_pool() as session:
        names = list(await session.scalars(select(Client.name).where(Client.name == "Ромашка")))
    assert names == []


async def test_settings_changed_in_the_demo_are_the_persons_and_stay_after_leaving(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await client.send("/demo")
    await client.send("/settings")
    await client.click("🌐 Язык")
    texts = client.texts(await client.click("🇬🇧 English"))
    assert texts
    assert texts[-1].startswith("🧪 DEMO")
    real = await _manager(session_pool, client.user.id)
    sandbox = await _sandbox(session_pool, client.user.id)
    assert real is not None
    assert sandbox is not None
    assert (real.language, sandbox.language) == ("en", "en")
    [left] = client.texts(await client.send("/demo off"))
    assert left.startswith("✅ You left the demo")


async def test_clients_made_by_hand_in_the_demo_are_sample_data(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await client.send("/demo")
    await _create(client, "Лютик")
    async with session_pool() as session:
        лютик = await session.scalar(select(Client).where(Client.name == "Лютик"))
    sandbox = await _sandbox(session_pool, client.user.id)
    assert лютик is not None
    assert sandbox is not None
    assert (лютик.owner_id, лютик.is_demo) == (sandbox.id, True)
    await client.send("/demo off")
    texts = client.texts(await client.send("/client Лютик"))
    assert not any("Лютик</b>" in t and "📞" in t for t in texts)


async def test_a_real_reminder_button_in_the_demo_asks_to_leave_first(
    client: BotClient,
) -> None:
    await client.send("/demo")
    requests = await client.press("r:done:1:")
    [answer] = [r for r in requests if isinstance(r, AnswerCallbackQuery)]
    assert answer.text is not None
    assert "/demo off" in answer.text


async def test_same_seed_same_sample_for_two_people(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    anna = BotClient(dispatcher, bot, user_id=1001)
    boris = BotClient(dispatcher, bot, user_id=2002)
    await anna.send("/demo")
    await boris.send("/demo")
    a = await _sandbox(session_pool, 1001)
    b = await _sandbox(session_pool, 2002)
    assert a is not None
    assert b is not None

    async def shape(owner: int) -> tuple[object, ...]:
        async with session_pool() as session:
            names = tuple(
                await session.scalars(
                    select(Client.name).where(Client.owner_id == owner).order_by(Client.id)
                )
            )
            sales = await session.execute(
                select(func.count(), func.sum(Sale.amount_minor)).where(Sale.manager_id == owner)
            )
            touches = await session.scalar(
                select(func.max(Interaction.occurred_at)).where(Interaction.manager_id == owner)
            )
            return names, tuple(sales.one()), touches

    assert await shape(a.id) == await shape(b.id)


# --- the command line -----------------------------------------------------------------------
@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    # main() points the root logger at stderr; pytest owns logging inside this process.
    monkeypatch.setattr("bot.logs.setup_logging", lambda *_: None)
    return path


def _rows(path: Path, query: str) -> list[tuple[object, ...]]:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return list(conn.execute(query))


def test_cli_demo_creates_the_manager_and_the_sandbox_then_removes_it(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "555"]) == 0
    out = capsys.readouterr().out
    assert "registered manager 555" in out
    assert re.search(r"25 clients \(4 key\)", out), out
    assert re.search(r"in \d+ ms", out), out
    managers = _rows(cli_env, "SELECT telegram_id, in_sandbox, is_active FROM managers ORDER BY id")
    assert managers == [(555, 1, 1), (-555, 0, 0)]
    assert _rows(cli_env, "SELECT COUNT(*) FROM clients WHERE is_demo = 1") == [(25,)]

    assert main(["demo", "555"]) == 0  # again: kept, not doubled
    assert "already there" in capsys.readouterr().out
    assert _rows(cli_env, "SELECT COUNT(*) FROM clients") == [(25,)]

    assert main(["demo", "555", "--reset"]) == 0
    assert "made again" in capsys.readouterr().out
    assert _rows(cli_env, "SELECT COUNT(*) FROM clients") == [(25,)]

    assert main(["demo", "555", "--remove"]) == 0
    assert "removed" in capsys.readouterr().out
    assert _rows(cli_env, "SELECT telegram_id, in_sandbox FROM managers") == [(555, 0)]
    for table in ("clients", "contacts", "interactions", "notes", "sales", "plans", "requests"):
        assert _rows(cli_env, f"SELECT COUNT(*) FROM {table}") == [(0,)], table


def test_cli_demo_needs_a_positive_telegram_id(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo"]) == 2
    assert "telegram_id" in capsys.readouterr().err
    assert main(["demo", "-5"]) == 2
