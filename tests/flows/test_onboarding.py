"""Onboarding and settings through the real Dispatcher (middlewares, routers, FSM)."""

from __future__ import annotations

from datetime import time

from aiogram.methods import SendMessage, SetMyCommands
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.enums import WorkMode
from storage.models import Manager, ProcessedUpdate
from tests.support.bot_client import BotClient


async def _manager(pool: async_sessionmaker[AsyncSession], telegram_id: int = 1001) -> Manager:
    async with pool() as session:
        found = await session.scalar(select(Manager).where(Manager.telegram_id == telegram_id))
        assert found is not None
        return found


async def test_onboarding_in_russian_by_buttons_and_typing(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    replies = client.texts(await client.send("/start"))
    assert "kambot" in replies[0]
    assert "языке" in replies[1]

    await client.click("🇷🇺 Русский")
    assert "часовой пояс" in client.last_text.lower()

    replies = client.texts(await client.send("Екатеринбург"))
    assert any("Екатеринбург" in r and "UTC+5" in r for r in replies)
    assert "Как вы работаете" in client.last_text

    await client.click("🎧 B2C: клиентский сервис")
    assert "дайджест" in client.last_text

    replies = client.texts(await client.send("8:30"))
    assert any("Готово" in r for r in replies)

    manager = await _manager(session_pool)
    assert manager.language == "ru"
    assert manager.timezone == "Asia/Yekaterinburg"
    assert manager.work_mode == WorkMode.B2C
    assert manager.digest_time == time(8, 30)
    assert manager.onboarded_at is not None


async def test_onboarding_in_english_with_every_step_skipped(
    dispatcher, bot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    client = BotClient(dispatcher, bot, user_id=2002, language_code="en-GB", first_name="Jane")
    replies = client.texts(await client.send("/start"))
    assert "Hi!" in replies[0]
    await client.click("Skip")  # language
    replies = client.texts(await client.send("Skip"))  # timezone, from the reply keyboard
    assert any("Timezone: Moscow" in r for r in replies)
    await client.click("Skip")  # work mode
    replies = client.texts(await client.click("Skip"))  # digest
    assert any("All set" in r for r in replies)

    manager = await _manager(session_pool, 2002)
    assert manager.language == "en"
    assert manager.timezone == "Europe/Moscow"
    assert manager.work_mode == WorkMode.B2B
    assert manager.digest_time == time(9, 0)
    assert manager.onboarded_at is not None


async def test_every_command_works_before_onboarding(client: BotClient) -> None:
    replies = client.texts(await client.send("/help"))
    assert "/settings" in replies[0]
    replies = client.texts(await client.send("/settings"))
    assert "Настройки" in replies[0]


async def test_help_and_cancel_work_mid_dialog(client: BotClient) -> None:
    await client.send("/start")
    await client.click("English")
    assert "timezone" in client.last_text.lower()
    replies = client.texts(await client.send("/help"))
    assert "/cancel" in replies[0]
    replies = client.texts(await client.send("/cancel"))
    assert replies == ["❎ Cancelled. Carry on."]
    replies = client.texts(await client.send("London"))  # no longer read as a timezone
    assert "not sure what to do" in replies[0]


async def test_settings_change_timezone_alone(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await client.send("/settings")
    await client.click("🕒 Часовой пояс")
    replies = client.texts(await client.send("Новосибирск"))
    assert any("Новосибирск" in r and "UTC+7" in r for r in replies)
    assert "Настройки" in client.last_text
    manager = await _manager(session_pool)
    assert manager.timezone == "Asia/Novosibirsk"
    assert manager.work_mode == WorkMode.B2B  # nothing else moved


async def test_timezone_by_location_and_by_offset(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await client.send("/settings")
    await client.click("🕒 Часовой пояс")
    await client.send_location(55.03, 82.92)  # Novosibirsk
    assert (await _manager(session_pool)).timezone == "Asia/Novosibirsk"
    await client.send("/settings")
    await client.click("🕒 Часовой пояс")
    await client.send("UTC+5")
    assert (await _manager(session_pool)).timezone == "Etc/GMT-5"


async def test_unknown_timezone_offers_suggestions_or_explains(client: BotClient) -> None:
    await client.send("/settings")
    await client.click("🕒 Часовой пояс")
    replies = client.texts(await client.send("qwertyuiop"))
    assert "часовой пояс" in replies[0].lower() or "Может быть" in replies[0]


async def test_quiet_hours_and_reminder_defaults(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await client.send("/settings")
    await client.click("🌙 Тихие часы")
    replies = client.texts(await client.send("22-7"))
    assert any("22:00–07:00" in r for r in replies)
    await client.click("🔔 Напоминания")
    await client.click("🎂 7 дн.")
    await client.click("🔑 14 дн.")
    await client.click("👤 60 дн.")
    manager = await _manager(session_pool)
    assert (manager.quiet_start, manager.quiet_end) == (time(22, 0), time(7, 0))
    assert manager.birthday_lead_days == 7
    assert (manager.cadence_key_days, manager.cadence_regular_days) == (14, 60)
    assert "14" in client.last_text
    assert "60" in client.last_text


async def test_forged_and_unknown_callbacks_get_a_clear_answer(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await client.send("/settings")
    replies = client.texts(await client.press("p:tz:Mars/Olympus:s"))
    assert replies == ["Такого значения нет. Выберите из кнопок."]
    replies = client.texts(await client.press("p:lang:xx:s"))
    assert replies == ["Такого значения нет. Выберите из кнопок."]
    replies = client.texts(await client.press("totally-unknown"))
    assert "устарела" in replies[0]
    replies = client.texts(await client.press("p:lead:9999:s"))
    assert "Такого значения нет" in replies[0]
    manager = await _manager(session_pool)
    assert manager.timezone == "Europe/Moscow"
    assert manager.language == "ru"


async def test_stray_text_unknown_command_and_sticker_get_hints(client: BotClient) -> None:
    assert "/help" in client.texts(await client.send("привет"))[0]
    assert "/frobnicate" in client.texts(await client.send("/frobnicate now"))[0]
    replies = client.texts(await client.send("<b>unclosed & tags"))
    assert replies
    assert "/help" in replies[0]


async def test_redelivered_update_is_handled_once(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await client.send("/settings")
    await client.click("🕒 Часовой пояс")
    first = await client.send("Новосибирск", update_id=777_001)
    again = await client.send("Новосибирск", update_id=777_001)
    assert any(isinstance(r, SendMessage) for r in first)
    assert again == []
    async with session_pool() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(ProcessedUpdate)
            .where(ProcessedUpdate.update_id == 777_001)
        )
    assert count == 1


async def test_settings_survive_in_database(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await client.send("/settings")
    await client.click("🌐 Язык")
    replies = client.texts(await client.click("🇬🇧 English"))
    assert any("Language: English" in r for r in replies)
    assert (await _manager(session_pool)).language == "en"
    assert "Settings" in client.last_text
    assert not any(isinstance(r, SetMyCommands) for r in client.bot.session.requests)


async def test_pressing_the_same_choice_twice_is_harmless(client: BotClient) -> None:
    await client.send("/settings")
    await client.click("🔔 Напоминания")
    await client.click("🎂 7 дн.")
    client.bot.session.fail_next(
        "editMessageText", 400, "Bad Request: message is not modified: same content"
    )
    replies = client.texts(await client.click("🎂 7 дн."))
    assert not any("Что-то пошло не так" in r for r in replies)


async def test_a_button_on_a_message_that_cannot_be_edited_still_answers(client: BotClient) -> None:
    await client.send("/settings")
    await client.click("🌙 Тихие часы")
    client.bot.session.fail_next("editMessageText", 400, "Bad Request: message to edit not found")
    replies = client.texts(await client.click("Без тихих часов"))
    assert any("Тихие часы: нет" in r for r in replies)
