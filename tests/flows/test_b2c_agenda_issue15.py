"""Issue 15 #13: in B2C mode /today and the morning digest lead with requests past or near the
SLA (first answer within 1 h, resolution within 24 h). Saturday 2026-11-28, 09:00 Moscow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiogram.methods import SendMessage
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.notifier import TelegramSender
from bot.scheduler import tick
from bot.services.clock import FrozenClock
from bot.services.schedule.delivery_limits import RateLimiter
from storage.enums import WorkMode
from storage.models import Manager
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


async def _b2c(client: BotClient, pool: async_sessionmaker[AsyncSession]) -> None:
    for name in ("Ромашка", "Лютик", "Василёк"):
        await client.send(f"/client {name}")
        await client.click("➕ Создать нового клиента")
    async with pool() as session:
        await session.execute(update(Manager).values(work_mode=WorkMode.B2C))
        await session.commit()


async def test_today_in_b2c_leads_with_requests_past_the_sla(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await _b2c(client, session_pool)
    clock.set(NOW - timedelta(hours=3))
    await client.send("/request Ромашка не пришла доставка")
    await client.send("/request Лютик сломан замок")
    clock.set(NOW - timedelta(minutes=50))
    await client.send("/request Василёк вопрос по счёту")  # 10 minutes left to answer
    clock.set(NOW)
    [text] = client.texts(await client.send("/today"))
    assert "всё чисто" not in text
    assert "Заявки по SLA (3)" in text, text
    lines = text.splitlines()
    assert lines[2] == "🚨 <b>Заявки по SLA (3)</b>", lines
    assert "<b>Ромашка</b>: не пришла доставка — нет ответа, SLA просрочен на 2 ч" in text
    assert "<b>Лютик</b>: сломан замок — нет ответа, SLA просрочен на 2 ч" in text
    assert "<b>Василёк</b>: вопрос по счёту — ответить в ближайшие 10 мин" in text


async def test_the_b2c_digest_is_not_skipped_when_requests_are_overdue(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    await _b2c(client, session_pool)
    clock.set(NOW - timedelta(hours=30))
    await client.send("/request Ромашка не пришла доставка")
    clock.set(NOW)
    start = len(bot.session.requests)
    sender = TelegramSender(
        bot, RateLimiter(global_per_second=1000, per_chat_interval=0.001), clock
    )
    await tick(session_pool, sender, clock)
    digests = [
        r
        for r in bot.session.requests[start:]
        if isinstance(r, SendMessage) and r.text.startswith("☀️ <b>На сегодня</b>")
    ]
    [digest] = digests
    assert "Заявки по SLA (1)" in digest.text
    assert "<b>Ромашка</b>: не пришла доставка — нет ответа, SLA просрочен на 1 дн. 5 ч" in (
        digest.text
    )
