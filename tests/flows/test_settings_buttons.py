"""Settings, reminder, demo and import buttons: one handler per action, and a value no handler
knows (forged, or from an older bot) is an outdated button that changes nothing."""

from __future__ import annotations

from datetime import time

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Manager
from tests.support.bot_client import BotClient

OUTDATED = "Эта кнопка устарела. Откройте меню заново: /help"


async def _manager(pool: async_sessionmaker[AsyncSession]) -> Manager:
    async with pool() as session:
        found = await session.scalar(select(Manager).where(Manager.telegram_id == 1001))
        assert found is not None
        return found


@pytest.mark.parametrize(
    "data",
    [
        "p:xx:1:s",  # no such setting
        "p:lang:en:x",  # no such flow
        "sm:bogus",
        "r:bogus:1:",
        "r:snooze:1:2y",  # not a snooze choice
        "dm:bogus:1",
        "im:bogus",
    ],
)
async def test_an_unknown_action_is_an_outdated_button(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession], data: str
) -> None:
    await client.send("/settings")
    requests = await client.press(data)
    answers = [r for r in requests if isinstance(r, AnswerCallbackQuery)]
    assert [(a.text, a.show_alert) for a in answers] == [(OUTDATED, True)]
    assert not [r for r in requests if isinstance(r, EditMessageText)]
    assert (await _manager(session_pool)).language == "ru"


async def test_settings_back_close_and_a_skipped_reminder_screen(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await client.send("/settings")
    await client.click("🌙 Тихие часы")
    edits = [r for r in await client.click("← Назад") if isinstance(r, EditMessageText)]
    assert len(edits) == 1
    assert isinstance(edits[0].reply_markup, InlineKeyboardMarkup)
    menu = [b.text for row in edits[0].reply_markup.inline_keyboard for b in row]
    assert "🌙 Тихие часы" in menu
    replies = client.texts(await client.press("p:quiet:off:s"))
    assert "✅ Тихие часы: нет" in replies
    manager = await _manager(session_pool)
    assert manager.quiet_start == manager.quiet_end
    replies = client.texts(await client.press("p:ck:skip:s"))
    # The reminders screen again, the value unchanged.
    assert any(f"{manager.cadence_key_days}" in r for r in replies)
    assert (await _manager(session_pool)).cadence_key_days == manager.cadence_key_days
    edits = [r for r in await client.press("sm:close") if isinstance(r, EditMessageText)]
    assert len(edits) == 1
    assert edits[0].reply_markup is None


async def test_digest_by_button_in_settings(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await client.send("/settings")
    await client.click("☀️ Дайджест")
    await client.click("09:00")
    assert (await _manager(session_pool)).digest_time == time(9, 0)
    assert "09:00" in client.last_text
