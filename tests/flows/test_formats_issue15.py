"""Issue 15, items 12, 16 and 17 (money): the same figure reads the same in every reply.

The clock is Saturday 2026-11-28 09:00 in Moscow (06:00 UTC). One percent rule (whole percents,
truncated: never 100 % while short), one money format (an amount as stored, kopecks only when it
has some), one duration format and one name per period — see bot/services/money.py.
"""

from __future__ import annotations

from datetime import timedelta

from aiogram import Dispatcher
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from storage.enums import WorkMode
from storage.models import Manager
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

NB = "\u00a0"
Pool = async_sessionmaker[AsyncSession]


def rub(amount: str) -> str:
    return amount.replace(" ", NB) + f"{NB}₽"


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


async def _mode(pool: Pool, mode: WorkMode) -> None:
    async with pool() as session:
        await session.execute(update(Manager).values(work_mode=mode))
        await session.commit()


async def test_attainment_4000_short_reads_99_in_sale_plan_kpi_and_today(
    client: BotClient,
) -> None:
    await _create(client, "Ромашка")
    await client.send("/plan 2 000 000")
    sale = client.texts(await client.send("/sale Ромашка 1 996 000"))[-1]
    # 1 996 000 / 2 000 000 = 99.8 %: 4 000 ₽ short is not "100 %" anywhere.
    assert f"{rub('1 996 000')} из {rub('2 000 000')} — 99{NB}%" in sale
    overview = client.texts(await client.send("/plan"))[0]
    assert f"продано {rub('1 996 000')} (99{NB}%)" in overview
    kpi = client.texts(await client.send("/kpi"))[0]
    assert f"🎯 <b>План: 99{NB}%</b>" in kpi
    assert f"План: 100{NB}%" not in kpi
    today = client.texts(await client.send("/today"))[0]
    assert f"План на ноябрь 2026: <b>99{NB}%</b>" in today
    # The plan made exactly: 100 % everywhere.
    await client.send("/sale Ромашка 4 000")
    assert f"🎯 <b>План: 100{NB}%</b>" in client.texts(await client.send("/kpi"))[0]


async def test_an_amount_with_kopecks_reads_the_same_in_sale_and_kpi(client: BotClient) -> None:
    await _create(client, "Ромашка")
    sale = client.texts(await client.send("/sale Ромашка 400 000,50"))[-1]
    assert f"💰 {rub('400 000,50')}" in sale
    kpi = client.texts(await client.send("/kpi"))[0]
    assert rub("400 000,50") in kpi  # the period's total, not rounded to "400 000 ₽"
    assert rub("400 000") + " " not in kpi.replace("\n", " ")


async def test_english_user_money_and_percent_the_english_way(
    dispatcher: Dispatcher, bot: MockedBot
) -> None:
    en = BotClient(dispatcher, bot, user_id=5015, language_code="en")
    await en.send("/client Romashka")
    await en.click("➕")
    await en.send("/plan 2m")
    sale = en.texts(await en.send("/sale Romashka 1,996,000.50"))[-1]
    assert "₽1,996,000.50 of ₽2,000,000 — 99%" in sale
    kpi = en.texts(await en.send("/kpi"))[0]
    assert "Plan: 99%" in kpi
    assert "₽1,996,000.50" in kpi


async def test_quarter_is_named_alike_in_plan_and_kpi(client: BotClient) -> None:
    reply = client.texts(await client.send("/plan 9 млн квартал"))[-1]
    assert "План на 4-й квартал 2026" in reply
    assert "IV квартал" not in reply
    assert "KPI · 4-й квартал 2026" in client.texts(await client.send("/kpi квартал"))[0]


async def test_a_negative_plan_does_not_talk_about_undoing_a_sale(client: BotClient) -> None:
    reply = client.texts(await client.send("/plan -5"))[0]
    assert "не может быть отрицательной" in reply
    assert "продаж" not in reply.split("\n\n")[0]
    assert "/plan 0" in reply


async def test_a_client_plan_in_b2b_mode_promises_no_kpi_line(client: BotClient) -> None:
    await _create(client, "Ромашка")
    reply = client.texts(await client.send("/plan Ромашка 500 000"))[-1]
    assert "в /kpi его план появится" not in reply
    assert "Планы по клиентам видны в /plan" in reply


async def test_a_solved_request_card_does_not_say_it_waits(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    await _create(client, "Ромашка")
    await _mode(session_pool, WorkMode.B2C)
    await client.send("/request ромашка не пришла доставка")
    clock.advance(timedelta(minutes=30, seconds=50))
    await client.click("💬 Ответил")
    clock.advance(timedelta(hours=16, minutes=37))
    await client.click("✅ Решено")
    card = client.last_text
    assert "✅ Решена: " in card
    assert "ждёт" not in card
    assert "🕒 Открыта: вчера, 09:00\n" in card  # solved at 02:07 the next night
    # 30 min 50 s reads "30 мин" on the card and as the /kpi median: one duration rule.
    assert "через 30 мин" in card
    kpi = client.texts(await client.send("/kpi"))[0]
    assert "Первый ответ: медиана <b>30 мин</b>" in kpi
