"""/sale and /plan through the real Dispatcher.

The clock is Saturday 2026-11-28 09:00 in Moscow (06:00 UTC). Money in replies is formatted the
Russian way with no-break spaces: 150 000 ₽ is "150\u00a0000\u00a0₽".
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram import Dispatcher
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from storage.enums import PeriodKind, Tier
from storage.models import Client, Interaction, Plan, Sale
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
NB = "\u00a0"


def rub(text: str) -> str:
    """ "150 000 ₽" as the bot writes it in Russian: no-break spaces inside amounts only."""
    return re.sub(r"(?<=\d) (?=[\d₽])", NB, text)


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


async def _sales(pool: async_sessionmaker[AsyncSession]) -> list[Sale]:
    async with pool() as session:
        return list(await session.scalars(select(Sale).order_by(Sale.id)))


async def _client(pool: async_sessionmaker[AsyncSession], name: str) -> Client:
    async with pool() as session:
        found = await session.scalar(select(Client).where(Client.name == name))
        assert found is not None
        return found


async def _plans(pool: async_sessionmaker[AsyncSession]) -> list[Plan]:
    async with pool() as session:
        return list(await session.scalars(select(Plan).order_by(Plan.id)))


@pytest.mark.parametrize(
    ("typed", "kopecks"),
    [
        ("150000", 15_000_000),
        ("150 000", 15_000_000),
        ("150 000,50", 15_000_050),
        ("150к", 15_000_000),
        ("150 тыс.", 15_000_000),
        ("1,2 млн", 120_000_000),
        ("1.2 млн", 120_000_000),
        ("150k", 15_000_000),
        ("1.5M", 150_000_000),
        ("150 000 руб.", 15_000_000),
        ("150000₽", 15_000_000),
        ("2 ляма", 200_000_000),
    ],
)
async def test_amount_phrasings_through_sale(
    client: BotClient,
    session_pool: async_sessionmaker[AsyncSession],
    typed: str,
    kopecks: int,
) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send(f"/sale Ромашка {typed} кабель"))
    assert any("✅ Записал продажу: <b>Ромашка</b>" in t for t in texts), texts
    [sale] = await _sales(session_pool)
    assert sale.amount_minor == kopecks
    assert sale.product_line == "кабель"
    assert sale.currency == "RUB"
    assert sale.sold_at == NOW


async def test_sale_with_product_line_and_yesterday_resets_the_check_in_clock(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send("/sale ромашко 150 000 кабель ВВГ вчера"))
    reply = texts[-1]
    assert "<b>Ромашка</b>" in reply
    assert rub("💰 150 000 ₽") in reply
    assert "📦 кабель ввг" in reply
    assert "📅 вчера" in reply
    assert rub("продано 150 000 ₽") in reply  # November so far, no plan yet
    [sale] = await _sales(session_pool)
    # Yesterday in Moscow, at local noon: 27 November 12:00 MSK = 09:00 UTC.
    assert sale.sold_at == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert sale.product_line == "кабель ввг"
    ромашка = await _client(session_pool, "Ромашка")
    assert ромашка.last_touch_at == sale.sold_at
    assert ромашка.next_checkin_at == sale.sold_at + timedelta(days=30)


async def test_amount_first_and_weekday_in_the_past(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await client.send("/sale 90к Ромашка в пятницу")
    [sale] = await _sales(session_pool)
    assert sale.amount_minor == 9_000_000
    assert sale.product_line is None
    assert sale.sold_at == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # last Friday, noon MSK


async def test_a_client_whose_name_has_a_number(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Завод 101")
    await client.send("/sale Завод 101 150к трубы")
    [sale] = await _sales(session_pool)
    assert sale.amount_minor == 15_000_000
    assert sale.product_line == "трубы"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("-5", "не может быть отрицательной"),
        ("1e99", "обычными цифрами"),
        ("сто тысяч", "цифрами"),
        ("0", "это ноль"),
        ("10000000000000", "больше триллиона"),
        ("150,5555", "больше двух знаков"),
        ("кабель", "Не нашёл сумму"),
        ("$500", "продажи и планы у вас в RUB"),
        ("100к завтра", "ещё не наступила"),
        ("100к 31.02", "не бывает"),
    ],
)
async def test_bad_sales_answer_clearly_and_save_nothing(
    client: BotClient,
    session_pool: async_sessionmaker[AsyncSession],
    typed: str,
    expected: str,
) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send(f"/sale Ромашка {typed}"))
    assert any(expected in t for t in texts), texts
    assert any("Ничего не сохранил" in t for t in texts), texts
    assert await _sales(session_pool) == []
    assert (await _client(session_pool, "Ромашка")).last_touch_at is None


async def test_sale_alone_shows_usage(client: BotClient) -> None:
    texts = client.texts(await client.send("/sale"))
    assert any("/sale Ромашка 150 000" in t for t in texts), texts


async def test_undo_button_removes_the_sale_and_restores_the_clock(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await client.send("/call Ромашка позавчера звонил")
    [touch_time] = [t.occurred_at for t in await _touches(session_pool)]
    await client.send("/sale Ромашка 150000")
    [sale] = await _sales(session_pool)
    assert (await _client(session_pool, "Ромашка")).last_touch_at == NOW
    texts = client.texts(await client.click("↩️ Отменить"))
    assert any(rub("Продажа удалена: Ромашка, 150 000 ₽") in t for t in texts), texts
    assert await _sales(session_pool) == []
    ромашка = await _client(session_pool, "Ромашка")
    assert ромашка.last_touch_at == touch_time
    assert ромашка.next_checkin_at == touch_time + timedelta(days=30)
    # The button of a sale already gone says so.
    texts = client.texts(await client.press(f"sl:undo:{sale.id}:"))
    assert any("не найдена" in t for t in texts), texts


async def _touches(pool: async_sessionmaker[AsyncSession]) -> list[Interaction]:
    async with pool() as session:
        return list(await session.scalars(select(Interaction).order_by(Interaction.id)))


async def test_undo_command_takes_the_newest_entry_sale_or_touch(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await _create(client, "Ромашка")
    await client.send("/call Ромашка обсудили")
    clock.advance(timedelta(minutes=1))
    await client.send("/sale Ромашка 150к")
    clock.advance(timedelta(minutes=1))
    texts = client.texts(await client.send("/undo"))
    assert any(rub("Отменил продажу · клиент <b>Ромашка</b>, 150 000 ₽") in t for t in texts), texts
    assert await _sales(session_pool) == []
    assert len(await _touches(session_pool)) == 1
    texts = client.texts(await client.send("/undo"))
    assert any("Отменил касание" in t for t in texts), texts
    await client.send("/sale Ромашка 10к")
    clock.advance(timedelta(minutes=11))
    texts = client.texts(await client.send("/undo"))
    assert any("нечего отменять" in t for t in texts), texts
    assert len(await _sales(session_pool)) == 1


async def test_fix_amount_product_line_date_and_client(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await _create(client, "Лютик")
    await client.send("/sale Ромашка 150к кабель")
    await client.click("✏️ Сумма")
    texts = client.texts(await client.send("-5"))
    assert any("не может быть отрицательной" in t for t in texts), texts
    texts = client.texts(await client.send("200 тыс"))
    assert any(rub("💰 200 000 ₽") in t for t in texts), texts
    await client.click("✏️ Товар")
    await client.send("  Провод  ПВС ")
    await client.click("✏️ Дата")
    texts = client.texts(await client.send("завтра"))
    assert any("ещё не наступила" in t for t in texts), texts
    await client.send("25.11")
    [sale] = await _sales(session_pool)
    assert sale.amount_minor == 20_000_000
    assert sale.product_line == "провод пвс"
    assert sale.sold_at == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    await client.click("✏️ Дата")
    await client.click("Вчера")
    [sale] = await _sales(session_pool)
    assert sale.sold_at == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    await client.click("✏️ Клиент")
    texts = client.texts(await client.send("лютик"))
    assert any("<b>Лютик</b>" in t for t in texts), texts
    [sale] = await _sales(session_pool)
    лютик = await _client(session_pool, "Лютик")
    ромашка = await _client(session_pool, "Ромашка")
    assert sale.client_id == лютик.id
    assert лютик.last_touch_at == sale.sold_at
    assert ромашка.last_touch_at is None  # the wrong client's clock is restored


async def test_ambiguous_and_unknown_clients(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Альфа Строй")
    await _create(client, "Альфа Трейд")
    texts = client.texts(await client.send("/sale альфа 300к"))
    assert any("Кого вы имели в виду" in t and rub("300 000 ₽") in t for t in texts), texts
    assert await _sales(session_pool) == []
    texts = client.texts(await client.click("Альфа Трейд"))
    assert any("<b>Альфа Трейд</b>" in t for t in texts), texts
    texts = client.texts(await client.send("/sale Василёк 50 000 краска"))
    assert any("Клиента «Василёк» нет" in t for t in texts), texts
    await client.click("➕ Создать клиента и записать")
    sales = await _sales(session_pool)
    assert [s.amount_minor for s in sales] == [30_000_000, 5_000_000]
    assert (await _client(session_pool, "Василёк")).id == sales[1].client_id
    assert sales[1].product_line == "краска"
    # The draft is used once: an old button no longer records anything.
    texts = client.texts(await client.press("sl:new:0:"))
    assert any("уже записана или отменена" in t for t in texts), texts
    assert len(await _sales(session_pool)) == 2


async def _archive(pool: async_sessionmaker[AsyncSession], name: str) -> None:
    async with pool() as session:
        await session.execute(update(Client).where(Client.name == name).values(archived_at=NOW))
        await session.commit()


async def test_archived_client_is_restored_only_when_asked(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await _archive(session_pool, "Ромашка")
    texts = client.texts(await client.send("/sale Ромашка 150000"))
    assert any("в архиве" in t for t in texts), texts
    assert await _sales(session_pool) == []
    texts = client.texts(await client.click("✖️ Не записывать"))
    assert any("не записал" in t for t in texts), texts
    assert await _sales(session_pool) == []
    assert (await _client(session_pool, "Ромашка")).archived_at is not None

    await client.send("/sale Ромашка 150000")
    texts = client.texts(await client.click("♻️ Вернуть и записать"))
    assert any("возвращён из архива" in t for t in texts), texts
    [sale] = await _sales(session_pool)
    ромашка = await _client(session_pool, "Ромашка")
    assert ромашка.archived_at is None
    assert ромашка.next_checkin_at == NOW + timedelta(days=30)
    assert sale.client_id == ромашка.id


async def test_someone_elses_sale_cannot_be_touched(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await _create(client, "Ромашка")
    await client.send("/sale Ромашка 150000 кабель")
    [sale] = await _sales(session_pool)
    other = BotClient(dispatcher, bot, user_id=4004)
    await _create(other, "Лютик")
    лютик = await _client(session_pool, "Лютик")
    for data in (
        f"sl:undo:{sale.id}:",
        f"sl:amt:{sale.id}:",
        f"sl:date:{sale.id}:",
        f"sl:d:{sale.id}:1",
        f"sl:mv:{sale.id}:{лютик.id}",
        f"sl:cli:{sale.id}:",
    ):
        texts = other.texts(await other.press(data))
        assert any("не найдена" in t for t in texts), (data, texts)
    # A forged pick of someone else's client for one's own waiting sale.
    await other.send("/sale Незнакомец 1000")
    prompt = max(other.messages)  # forged taps under the real prompt, where its draft waits
    texts = other.texts(await other.press(f"sl:pick:{sale.client_id}:", message_id=prompt))
    assert any("не найден" in t for t in texts), texts
    texts = other.texts(await other.press(f"sl:rst:{sale.client_id}:", message_id=prompt))
    assert any("не найден" in t for t in texts), texts
    [still] = await _sales(session_pool)
    assert (still.id, still.amount_minor, still.sold_at, still.client_id) == (
        sale.id,
        15_000_000,
        sale.sold_at,
        sale.client_id,
    )
    assert still.product_line == "кабель"


async def test_english_reply_formats_money_the_english_way(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    en = BotClient(dispatcher, bot, user_id=5005, language_code="en")
    await en.send("/client Romashka")
    await en.click("➕")
    texts = en.texts(await en.send("/sale Romashka 1.2m cable yesterday"))
    reply = texts[-1]
    assert "✅ Sale logged: <b>Romashka</b>" in reply
    assert "💰 ₽1,200,000" in reply
    assert "📦 cable" in reply
    assert "📅 yesterday" in reply.lower()


# --- /plan ---------------------------------------------------------------------------------
async def test_plan_set_replace_and_show(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    texts = client.texts(await client.send("/plan 3 000 000"))
    assert any(rub("План на ноябрь 2026: <b>3 000 000 ₽</b>") in t for t in texts), texts
    texts = client.texts(await client.send("/plan 3,5 млн"))
    assert any(rub("Было 3 000 000 ₽, стало 3 500 000 ₽") in t for t in texts), texts
    await client.send("/plan 9 млн квартал")
    await client.send("/plan 36m year")
    plans = await _plans(session_pool)
    assert [(p.period_kind, p.period_start, p.amount_minor, p.client_id) for p in plans] == [
        (PeriodKind.MONTH, date(2026, 11, 1), 350_000_000, None),
        (PeriodKind.QUARTER, date(2026, 10, 1), 900_000_000, None),
        (PeriodKind.YEAR, date(2026, 1, 1), 3_600_000_000, None),
    ]
    await _create(client, "Ромашка")
    await client.send("/sale Ромашка 700 000")
    texts = client.texts(await client.send("/sale Ромашка 350к"))
    # 1 050 000 of 3 500 000 = 30%.
    said = rub("Ноябрь 2026: 1 050 000 ₽ из 3 500 000 ₽ — 30") + f"{NB}%"
    assert any(said in t for t in texts), texts
    shown = client.texts(await client.send("/plan"))[-1]
    assert rub(f"Ноябрь 2026: <b>3 500 000 ₽</b> · продано 1 050 000 ₽ (30{NB}%)") in shown
    # 1 050 000 of 9 000 000 = 11.67% → 11 (whole percent, truncated: bot.services.money).
    # The quarter is named as /kpi names it (one period label, issue 15 item 16).
    assert rub(f"4-й квартал 2026: <b>9 000 000 ₽</b> · продано 1 050 000 ₽ (11{NB}%)") in shown
    assert rub(f"2026 год: <b>36 000 000 ₽</b> · продано 1 050 000 ₽ (2{NB}%)") in shown


async def test_plan_for_next_month_a_named_month_and_removal(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    texts = client.texts(await client.send("/plan 4 млн следующий месяц"))
    assert any(rub("План на декабрь 2026: <b>4 000 000 ₽</b>") in t for t in texts), texts
    await client.send("/plan 2 млн март")
    plans = await _plans(session_pool)
    assert [(p.period_start, p.amount_minor) for p in plans] == [
        (date(2026, 12, 1), 400_000_000),
        (date(2027, 3, 1), 200_000_000),
    ]
    texts = client.texts(await client.send("/plan 0 декабрь"))
    assert any(rub("План на декабрь 2026 снят (был 4 000 000 ₽)") in t for t in texts), texts
    texts = client.texts(await client.send("/plan 0"))
    assert any("и так не задан" in t for t in texts), texts
    assert [p.period_start for p in await _plans(session_pool)] == [date(2027, 3, 1)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("-5", "не может быть отрицательной"),
        ("1e99", "обычными цифрами"),
        ("три миллиона", "цифрами"),
        ("3 млн в неделю", "Не понял период «неделю»"),
        ("$5000", "продажи у вас в RUB"),
    ],
)
async def test_bad_plans_save_nothing(
    client: BotClient,
    session_pool: async_sessionmaker[AsyncSession],
    typed: str,
    expected: str,
) -> None:
    texts = client.texts(await client.send(f"/plan {typed}"))
    assert any(expected in t for t in texts), texts
    assert await _plans(session_pool) == []


async def test_per_client_plan_for_a_key_account(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await client.send("/sale Ромашка 100 000")
    texts = client.texts(await client.send("/plan Ромашка 500 000"))
    reply = texts[-1]
    # The client's name needs no case (issue 15): «План на … · клиент Ромашка».
    assert rub("План на ноябрь 2026 · клиент <b>Ромашка</b>: <b>500 000 ₽</b>") in reply
    assert rub(f"Продано: 100 000 ₽ — 20{NB}% плана.") in reply
    assert "не отмечен как ключевой" in reply
    await client.click("🔑 Сделать ключевым")
    ромашка = await _client(session_pool, "Ромашка")
    assert ромашка.tier == Tier.KEY
    texts = client.texts(await client.send("/plan ромашка 600к квартал"))
    assert not any("не отмечен как ключевой" in t for t in texts), texts
    plans = await _plans(session_pool)
    assert [(p.client_id, p.period_kind, p.amount_minor) for p in plans] == [
        (ромашка.id, PeriodKind.MONTH, 50_000_000),
        (ромашка.id, PeriodKind.QUARTER, 60_000_000),
    ]
    shown = client.texts(await client.send("/plan"))[-1]
    assert rub(f"Ромашка, ноябрь 2026: 500 000 ₽ · продано 100 000 ₽ (20{NB}%)") in shown
    assert "Ноябрь 2026: не задан" in shown  # the manager's own plan is separate


async def test_per_client_plan_with_an_ambiguous_name_and_a_forged_pick(
    client: BotClient,
    dispatcher: Dispatcher,
    bot: MockedBot,
    session_pool: async_sessionmaker[AsyncSession],
) -> None:
    await _create(client, "Альфа Строй")
    await _create(client, "Альфа Трейд")
    texts = client.texts(await client.send("/plan альфа 1 млн"))
    assert any("Точного совпадения с «альфа» нет" in t for t in texts), texts
    await client.click("Альфа Строй")
    строй = await _client(session_pool, "Альфа Строй")
    [plan] = await _plans(session_pool)
    assert (plan.client_id, plan.amount_minor) == (строй.id, 100_000_000)
    texts = client.texts(await client.send("/plan Незнакомец 1 млн"))
    assert any("Клиента «Незнакомец» нет" in t for t in texts), texts

    other = BotClient(dispatcher, bot, user_id=4004)
    await _create(other, "Альфа Один")
    await _create(other, "Альфа Два")
    await other.send("/plan альфа 5 млн")
    prompt = max(other.messages)  # a forged tap under the real prompt, where its draft waits
    texts = other.texts(await other.press(f"pl:pick:{строй.id}", message_id=prompt))
    assert any("не найден" in t for t in texts), texts
    texts = other.texts(await other.press(f"pl:key:{строй.id}"))
    assert any("не найден" in t for t in texts), texts
    assert len(await _plans(session_pool)) == 1
    assert (await _client(session_pool, "Альфа Строй")).tier == Tier.REGULAR


async def test_plan_on_an_archived_client_is_refused(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await _archive(session_pool, "Ромашка")
    texts = client.texts(await client.send("/plan Ромашка 500 000"))
    assert any("в архиве" in t for t in texts), texts
    assert await _plans(session_pool) == []


@pytest.mark.parametrize(
    ("typed", "kopecks", "line", "sold_at"),
    [
        ("/sale Ромашка: 150000, кабель", 15_000_000, "кабель", NOW),
        ("/sale ООО «Ромашка» 150 000 за кабель", 15_000_000, "кабель", NOW),
        ("/sale Ромашка кабель 150к", 15_000_000, "кабель", NOW),
        (
            "/sale Ромашка 150 000 кабель 12.11",
            15_000_000,
            "кабель",
            datetime(2026, 11, 12, 9, 0, tzinfo=UTC),
        ),
        ("/sale Ромашка 12.11 150 000", 15_000_000, None, datetime(2026, 11, 12, 9, 0, tzinfo=UTC)),
        ("/sale вчера Ромашка 80 тыс", 8_000_000, None, datetime(2026, 11, 27, 9, 0, tzinfo=UTC)),
        (
            "/sale Ромашка 5к сегодня в 8:15",
            500_000,
            None,
            datetime(2026, 11, 28, 5, 15, tzinfo=UTC),
        ),
    ],
)
async def test_sale_word_orders(
    client: BotClient,
    session_pool: async_sessionmaker[AsyncSession],
    typed: str,
    kopecks: int,
    line: str | None,
    sold_at: datetime,
) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send(typed))
    assert any("✅ Записал продажу: <b>Ромашка</b>" in t for t in texts), texts
    [sale] = await _sales(session_pool)
    assert (sale.amount_minor, sale.product_line, sale.sold_at) == (kopecks, line, sold_at)


async def test_a_new_sale_abandons_a_waiting_fix(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _create(client, "Ромашка")
    await client.send("/sale Ромашка 150к")
    await client.click("✏️ Сумма")
    await client.send("/sale Ромашка 10к")
    await client.send("500")  # no longer an answer to "type the right amount"
    assert [s.amount_minor for s in await _sales(session_pool)] == [15_000_000, 1_000_000]


async def test_undoing_a_touch_keeps_the_clock_of_an_earlier_sale(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock
) -> None:
    await _create(client, "Ромашка")
    await client.send("/sale Ромашка 150к")
    sold_at = clock.now()
    clock.advance(timedelta(minutes=2))
    await client.send("/call Ромашка обсудили")
    texts = client.texts(await client.send("/undo"))
    assert any("Отменил касание" in t for t in texts), texts
    ромашка = await _client(session_pool, "Ромашка")
    assert ромашка.last_touch_at == sold_at
    assert ромашка.next_checkin_at == sold_at + timedelta(days=30)
