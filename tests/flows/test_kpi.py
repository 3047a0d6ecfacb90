"""/kpi through the real Dispatcher: empty states, /plan and /sale moving the numbers, period
words and buttons, the chart, forged buttons, and the pace line in /today, the morning digest and
the Monday summary.

The clock is Saturday 2026-11-28 09:00 in Moscow (06:00 UTC). November 2026 has 20 working days
(the 4th is a holiday); by Saturday the 28th, 19 are behind and only Monday the 30th is left.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import Dispatcher
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, SendPhoto
from aiogram.types import BufferedInputFile
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.notifier import TelegramSender
from bot.scheduler import tick
from bot.services.clock import FrozenClock
from bot.services.schedule.delivery_limits import RateLimiter
from handlers.callbacks import KpiCb
from storage.enums import Tier, WorkMode
from storage.models import Client, Manager
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

NB = "\u00a0"


def rub(amount: str) -> str:
    return amount.replace(" ", NB) + f"{NB}₽"


def buttons(client: BotClient) -> list[str]:
    markup = list(client.messages.values())[-1].markup
    assert markup is not None
    return [b.text for row in markup.inline_keyboard for b in row]


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


async def test_kpi_empty_state_says_what_to_do_next(client: BotClient) -> None:
    text = client.texts(await client.send("/kpi"))[0]
    assert "📊 <b>KPI · ноябрь 2026</b>" in text
    assert "План на ноябрь 2026 не задан" in text
    assert "<code>/plan 3 000 000</code>" in text
    assert "Продаж за период пока нет" in text
    assert "Клиентов пока нет" in text
    assert buttons(client) == ["Неделя", "• Месяц •", "Квартал", "Год", "📈 График"]


async def test_plan_and_sale_change_the_numbers(client: BotClient) -> None:
    await _create(client, "Ромашка")
    await client.send("/plan 2 000 000")
    await client.send("/sale Ромашка 500 000 кабель")
    text = client.texts(await client.send("/kpi"))[0]
    # 500 000 / 2 000 000 = 25 %; day 19 of 20; Saturday is not a working day, so Monday the
    # 30th alone must bring 1 500 000; forecast 500 000 × 20 / 19 / 2 000 000 = 26.3 % → 26 %.
    assert f"🎯 <b>План: 25{NB}%</b> — {rub('500 000')} из {rub('2 000 000')}" in text
    assert f"Рабочий день 19 из 20 · нужно {rub('1 500 000')} в день · прогноз 26{NB}%" in text
    # 500 000 × 20 / 19 = 526 315.78… → shown to the rouble
    assert f"При этом темпе к концу периода: {rub('526 316')}" in text
    assert f"💰 <b>Продажи:</b> {rub('500 000')} · 1 сделка · 1 клиент" in text
    assert f"Средний чек: <b>{rub('500 000')}</b>\n" in text  # no October sales: no change
    assert f"1. Ромашка — {rub('500 000')}" in text
    # One client, just touched by the sale (the sales service counts it as a touch or not):
    assert "Активных: <b>1</b> из 1" in text

    await client.send("/sale Ромашка 1 600 000")
    text = client.texts(await client.send("/kpi"))[0]
    # 2 100 000 / 2 000 000 = 105 %
    assert f"🎯 <b>План: 105{NB}%</b> — {rub('2 100 000')} из {rub('2 000 000')}" in text
    assert "✅ план выполнен" in text
    assert "нужно" not in text
    # Average check 2 100 000 / 2 = 1 050 000
    assert f"Средний чек: <b>{rub('1 050 000')}</b>" in text


async def test_period_words_forgive_typos(client: BotClient) -> None:
    text = client.texts(await client.send("/kpi квартал"))[0]
    assert "KPI · 4-й квартал 2026" in text
    assert "• Квартал •" in buttons(client)
    assert "KPI · 4-й квартал 2026" in client.texts(await client.send("/kpi кватрал"))[0]
    assert "KPI · 2026" in client.texts(await client.send("/kpi Год"))[0]
    assert "KPI · 23 нояб. – 29 нояб." in client.texts(await client.send("/kpi нед"))[0]
    assert "KPI · ноябрь 2026" in client.texts(await client.send("/kpi month"))[0]
    bad = client.texts(await client.send("/kpi день"))[0]
    assert "Не понял период «день»" in bad
    assert "/kpi квартал" in bad


async def test_period_buttons_edit_the_message(client: BotClient) -> None:
    await client.send("/kpi")
    requests = await client.click("Неделя")
    [edit] = [r for r in requests if isinstance(r, EditMessageText)]
    assert "KPI · 23 нояб. – 29 нояб." in edit.text
    assert "План ставится на месяц, квартал или год" in edit.text
    assert buttons(client)[0] == "• Неделя •"
    await client.click("Год")
    assert "KPI · 2026" in client.last_text
    assert "<code>/plan 36 млн год</code>" in client.last_text


async def test_chart_button_sends_a_png(client: BotClient) -> None:
    await _create(client, "Ромашка")
    await client.send("/plan 2 000 000")
    await client.send("/sale Ромашка 500 000")
    await client.send("/kpi")
    requests = await client.click("📈 График")
    [photo] = [r for r in requests if isinstance(r, SendPhoto)]
    assert isinstance(photo.photo, BufferedInputFile)
    assert photo.photo.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert photo.caption is not None
    assert "ноябрь 2026" in photo.caption
    assert any(isinstance(r, AnswerCallbackQuery) for r in requests)


async def test_a_forged_button_shows_the_pressers_own_kpi(
    dispatcher: Dispatcher, bot: MockedBot, client: BotClient
) -> None:
    await _create(client, "Ромашка")
    await client.send("/plan 2 000 000")
    await client.send("/sale Ромашка 500 000")
    other = BotClient(dispatcher, bot, user_id=2002, first_name="Борис")
    await other.send("/start")
    requests = await other.press(KpiCb(action="p", period="month").pack(), message_id=1)
    texts = other.texts(requests)
    assert any("План на ноябрь 2026 не задан" in t for t in texts)
    assert not any("500" in t for t in texts)
    # A chart pressed by the other user is drawn from their own (empty) data, still a PNG.
    [photo] = [
        r
        for r in await other.press(KpiCb(action="c", period="month").pack())
        if isinstance(r, SendPhoto)
    ]
    assert photo.chat_id == 2002
    outdated = await other.press("kp:p:decade")  # no such period: a forged button
    assert any(
        isinstance(r, AnswerCallbackQuery) and r.text and "устарела" in r.text for r in outdated
    )


async def test_other_work_modes(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await _create(client, "Лютик")
    await client.send("/sale Ромашка 300 000")
    await client.send("/sale Лютик 100 000")
    async with session_pool() as session:
        await session.execute(update(Manager).values(work_mode=WorkMode.KAM))
        await session.execute(update(Client).where(Client.name == "Ромашка").values(tier=Tier.KEY))
        await session.commit()
    await client.send("/plan Ромашка 600 000")
    text = client.texts(await client.send("/kpi"))[0]
    # Ромашка 300 000 of 400 000 sold = 75 % of the sales; 300 000 / 600 000 = 50 % of its plan.
    assert f"🔑 <b>Ключевые клиенты</b> — 75{NB}% ваших продаж" in text
    account = f"• Ромашка: <b>{rub('300 000')}</b> из {rub('600 000')} (50{NB}%) · доля 75{NB}%"
    assert account in text
    assert f"💰 <b>Продажи:</b> {rub('400 000')} · 2 сделки · 2 клиента" in text
    assert "Лютик" not in text

    async with session_pool() as session:
        await session.execute(update(Manager).values(work_mode=WorkMode.B2C))
        await session.commit()
    text = client.texts(await client.send("/kpi"))[0]
    assert "Обращений за период нет" in text
    assert "Негативных отзывов: <b>0</b>" in text


def _sender(bot: MockedBot, clock: FrozenClock) -> TelegramSender:
    return TelegramSender(bot, RateLimiter(global_per_second=1000, per_chat_interval=0.001), clock)


async def test_pace_line_in_today_digest_and_weekly_summary(
    client: BotClient,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
) -> None:
    line = (
        f"🎯 План на ноябрь 2026: <b>25{NB}%</b> · рабочий день 19 из 20"
        f" · нужно {rub('1 500 000')} в день · прогноз 26{NB}%"
    )
    assert line not in client.texts(await client.send("/today"))[0]
    await _create(client, "Ромашка")
    await client.send("/plan 2 000 000")
    await client.send("/sale Ромашка 500 000")
    today = client.texts(await client.send("/today"))[0]
    assert "всё чисто" in today
    assert today.endswith(line)

    await client.send("/call Ромашка обсудили, КП сегодня в 15:00")
    start = len(bot.session.requests)
    await tick(session_pool, _sender(bot, clock), clock)
    digests = [
        r
        for r in bot.session.requests[start:]
        if isinstance(r, SendMessage) and r.text.startswith("☀️ <b>На сегодня</b>")
    ]
    assert len(digests) == 1
    assert digests[0].text.endswith(line)

    # Monday the 30th: the last working day of November is today, and still to be worked.
    clock.set(datetime(2026, 11, 30, 6, 0, tzinfo=UTC))
    start = len(bot.session.requests)
    await tick(session_pool, _sender(bot, clock), clock)
    [weekly] = [
        r
        for r in bot.session.requests[start:]
        if isinstance(r, SendMessage) and "Итоги прошлой недели" in r.text
    ]
    # Day 20 of 20, 1 500 000 still needed today; forecast 500 000 × 20 / 20 = 25 %.
    assert weekly.text.endswith(
        f"🎯 План на ноябрь 2026: <b>25{NB}%</b> · рабочий день 20 из 20"
        f" · нужно {rub('1 500 000')} в день · прогноз 25{NB}%"
    )
