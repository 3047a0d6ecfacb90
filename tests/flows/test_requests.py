"""B2C requests and reviews through the real Dispatcher.

The clock is Saturday 2026-11-28 09:00 in Moscow (06:00 UTC); the manager's zone is Moscow.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aiogram import Dispatcher
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from bot.services.crm.requests import split_opened_at
from bot.services.crm.reviews import ReviewDraft, parse_review
from storage.models import Client, ClientRequest, Review
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
Pool = async_sessionmaker[AsyncSession]


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


def _buttons(client: BotClient) -> list[str]:
    markup = client.messages[max(client.messages)].markup
    assert markup is not None
    return [b.text for row in markup.inline_keyboard for b in row]


async def _requests(pool: Pool) -> list[ClientRequest]:
    async with pool() as session:
        return list(await session.scalars(select(ClientRequest).order_by(ClientRequest.id)))


async def _reviews(pool: Pool) -> list[Review]:
    async with pool() as session:
        return list(await session.scalars(select(Review).order_by(Review.id)))


async def test_open_respond_resolve_and_the_card_shows_the_durations(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send("/request ромашка не пришла доставка"))
    card = texts[-1]
    assert "📋 Заявка №1 · <b>Ромашка</b>" in card
    assert "💬 не пришла доставка" in card
    assert "🕒 Открыта: сегодня, 09:00 · ждёт меньше минуты" in card
    [request] = await _requests(session_pool)
    assert request.opened_at == NOW
    assert request.first_response_at is None
    assert request.resolved_at is None

    clock.advance(timedelta(minutes=12))
    texts = client.texts(await client.click("💬 Ответил"))
    assert "💬 Ответ отмечен" in texts
    assert "💬 Ответ: сегодня, 09:12 — через 12 мин" in client.last_text
    assert "ждёт 12 мин" in client.last_text

    clock.advance(timedelta(hours=1, minutes=53))
    texts = client.texts(await client.click("✅ Решено"))
    assert "✅ Заявка решена" in texts
    card = client.last_text
    assert "💬 Ответ: сегодня, 09:12 — через 12 мин" in card
    assert "✅ Решена: сегодня, 11:05 — за 2 ч 5 мин" in card
    assert "⚠️" not in card  # answered within the hour, solved within the day
    [request] = await _requests(session_pool)
    assert request.first_response_at == NOW + timedelta(minutes=12)
    assert request.resolved_at == NOW + timedelta(hours=2, minutes=5)
    assert _buttons(client) == [
        "↩️ Отменить «Решено»",
        "🏢 Клиент",
        "🏢 Не тот клиент",
        "📋 Открытые заявки",
    ]


async def test_pressing_twice_does_not_move_the_stamps(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    await _create(client, "Ромашка")
    await client.send("/request Ромашка не пришла доставка")
    [request] = await _requests(session_pool)
    clock.advance(timedelta(minutes=5))
    await client.press(f"rq:resp:{request.id}:0")
    clock.advance(timedelta(minutes=30))
    texts = client.texts(await client.press(f"rq:resp:{request.id}:0"))
    assert texts[0] == "Ответ уже отмечен — время первого ответа не меняю."
    await client.press(f"rq:done:{request.id}:0")
    clock.advance(timedelta(hours=3))
    texts = client.texts(await client.press(f"rq:done:{request.id}:0"))
    assert texts[0] == "Заявка уже решена — время решения не меняю."
    [request] = await _requests(session_pool)
    assert request.first_response_at == NOW + timedelta(minutes=5)
    assert request.resolved_at == NOW + timedelta(minutes=35)


async def test_resolved_without_a_response_stamps_both_and_undo_takes_both_back(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    await _create(client, "Ромашка")
    await client.send("/request Ромашка сломался замок")
    clock.advance(timedelta(minutes=40))
    await client.click("✅ Решено")
    assert "💬 Ответ: сегодня, 09:40 — через 40 мин" in client.last_text
    [request] = await _requests(session_pool)
    assert request.first_response_at == request.resolved_at == NOW + timedelta(minutes=40)
    await client.click("↩️ Отменить «Решено»")
    [request] = await _requests(session_pool)
    assert request.first_response_at is None
    assert request.resolved_at is None
    assert "Ответ:" not in client.last_text


async def test_undo_goes_back_one_step_at_a_time_then_deletes(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    await _create(client, "Ромашка")
    await client.send("/request Ромашка не пришла доставка")
    clock.advance(timedelta(minutes=2))
    await client.click("💬 Ответил")
    clock.advance(timedelta(minutes=3))
    await client.click("✅ Решено")
    await client.click("↩️ Отменить «Решено»")
    [request] = await _requests(session_pool)
    assert request.resolved_at is None
    assert request.first_response_at == NOW + timedelta(minutes=2)
    await client.click("↩️ Отменить «Ответил»")
    [request] = await _requests(session_pool)
    assert request.first_response_at is None
    texts = client.texts(await client.click("↩️ Отменить заявку"))
    assert "↩️ Заявка удалена." in texts
    assert await _requests(session_pool) == []


async def test_an_old_request_cannot_be_deleted_only_answered(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    """Deleting an unanswered request an hour later would also delete its SLA breach."""
    await _create(client, "Ромашка")
    await client.send("/request Ромашка не пришла доставка")
    [request] = await _requests(session_pool)
    clock.advance(timedelta(minutes=11))
    texts = client.texts(
        await client.press(f"rq:undo:{request.id}:0", message_id=max(client.messages))
    )
    assert texts[0].startswith("Заявку старше 10 минут не удаляю")
    assert len(await _requests(session_pool)) == 1
    assert _buttons(client) == [
        "💬 Ответил",
        "✅ Решено",
        "🏢 Клиент",
        "🏢 Не тот клиент",
        "📋 Открытые заявки",
    ]


async def test_backdated_request_and_the_sla_warning(client: BotClient, session_pool: Pool) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send("/request Ромашка вчера в 14:30 жалоба на курьера"))
    card = texts[-1]
    [request] = await _requests(session_pool)
    assert request.opened_at == datetime(2026, 11, 27, 11, 30, tzinfo=UTC)  # 14:30 Moscow
    assert request.text == "жалоба на курьера"
    assert "🕒 Открыта: вчера, 14:30 · ждёт 18 ч 30 мин" in card
    assert "⚠️ Нет ответа дольше 1 ч — SLA нарушен" in card


async def test_a_date_inside_the_text_is_the_clients_words_not_the_opening_time(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Ромашка")
    await client.send("/request Ромашка доставка 12.03 не пришла")
    [request] = await _requests(session_pool)
    assert request.opened_at == NOW
    assert request.text == "доставка 12.03 не пришла"


async def test_list_of_open_requests_oldest_first_with_sla_flags(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    texts = client.texts(await client.send("/request"))
    assert texts[-1].startswith("🎉 Открытых заявок нет.")
    await _create(client, "Ромашка")
    await _create(client, "Лютик")
    await client.send("/request Лютик позавчера в 18 не работает приложение")  # 26 Nov 18:00
    await client.send("/request Ромашка не пришла доставка")  # now, 09:00
    clock.advance(timedelta(minutes=20))
    await client.send("/request Ромашка вернуть деньги")  # 09:20
    await client.click("✅ Решено")  # resolved: not open any more
    clock.advance(timedelta(minutes=50))  # 10:10: the 09:00 one has waited 70 min unanswered
    texts = client.texts(await client.send("/request"))
    listing = texts[-1]
    assert "📋 <b>Открытые заявки: 2</b>" in listing
    lines = listing.splitlines()
    assert lines[1] == "1. ⚠️ <b>Лютик</b> — не работает приложение · 1 дн. 16 ч · без ответа"
    assert lines[2] == "2. ⚠️ <b>Ромашка</b> — не пришла доставка · 1 ч 10 мин · без ответа"
    assert "вернуть деньги" not in listing
    texts = client.texts(await client.click("2. ⚠️ Ромашка · 1 ч 10 мин"))
    assert "📋 Заявка №2 · <b>Ромашка</b>" in client.last_text
    await client.click("💬 Ответил")
    await client.click("📋 Открытые заявки")
    assert "2. <b>Ромашка</b> — не пришла доставка · 1 ч 10 мин" in client.last_text


async def test_forged_callbacks_stamp_nothing(
    client: BotClient,
    session_pool: Pool,
    dispatcher: Dispatcher,
    bot: MockedBot,
    clock: FrozenClock,
) -> None:
    await _create(client, "Ромашка")
    await client.send("/request Ромашка не пришла доставка")
    await client.send("/review Ромашка - долго ждали")
    [request] = await _requests(session_pool)
    [review] = await _reviews(session_pool)
    other = BotClient(dispatcher, bot, user_id=9009)
    clock.advance(timedelta(minutes=5))
    for data in (
        f"rq:open:{request.id}:0",
        f"rq:resp:{request.id}:0",
        f"rq:done:{request.id}:0",
        f"rq:undo:{request.id}:0",
    ):
        texts = other.texts(await other.press(data))
        assert texts == [
            "Заявка не найдена — возможно, её уже удалили. Открытые заявки: /request"
        ], data
    for data in (f"rv:undo:{review.id}", f"rv:req:{review.id}"):
        texts = other.texts(await other.press(data))
        assert texts == ["Отзыв не найден — возможно, его уже удалили."], data
    texts = other.texts(await other.press("rq:zap:1:0"))
    assert texts == ["Эта кнопка устарела. Откройте меню заново: /help"]
    texts = other.texts(await other.send("/request"))
    assert texts[-1].startswith("🎉 Открытых заявок нет.")
    [request] = await _requests(session_pool)
    assert request.first_response_at is None
    assert request.resolved_at is None
    assert len(await _reviews(session_pool)) == 1
    assert len(await _requests(session_pool)) == 1


async def test_unknown_client_is_created_with_the_request(
    client: BotClient, session_pool: Pool
) -> None:
    texts = client.texts(await client.send("/request Василёк не работает приложение"))
    assert any("Клиента «Василёк» нет. Создать его и открыть заявку?" in t for t in texts), texts
    assert await _requests(session_pool) == []
    texts = client.texts(await client.click("➕ Создать нового клиента"))
    assert any("📋 Заявка №1 · <b>Василёк</b>" in t for t in texts), texts
    [request] = await _requests(session_pool)
    assert request.text == "не работает приложение"
    # The draft is spent: a second tap on the old button saves nothing twice.
    texts = client.texts(await client.click("➕ Создать нового клиента"))
    assert texts == ["Эта кнопка устарела. Откройте меню заново: /help"]
    assert len(await _requests(session_pool)) == 1
    async with session_pool() as session:
        assert await session.scalar(select(func.count()).select_from(Client)) == 1


async def test_ambiguous_client_asks_then_opens(client: BotClient, session_pool: Pool) -> None:
    await _create(client, "Альфа Строй")
    await _create(client, "Альфа Трейд")
    texts = client.texts(await client.send("/request альфа вернуть деньги за заказ"))
    assert any("Кого вы имели в виду под «альфа»" in t for t in texts), texts
    texts = client.texts(await client.click("Альфа Трейд"))
    assert any("<b>Альфа Трейд</b>" in t for t in texts), texts
    [request] = await _requests(session_pool)
    assert "вернуть деньги" in request.text


async def test_positive_and_negative_reviews(client: BotClient, session_pool: Pool) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send("/review ромашка + спасибо за быструю доставку"))
    assert "👍 Записал хороший отзыв · <b>Ромашка</b>" in texts[-1]
    texts = client.texts(await client.send("/review Ромашка 👎 курьер опоздал на 2 часа"))
    assert "👎 Записал негативный отзыв · <b>Ромашка</b>" in texts[-1]
    assert "Негативный отзыв считается в KPI" in texts[-1]
    await client.send("/review Ромашка минус")
    positive, negative, bare = await _reviews(session_pool)
    assert (positive.is_positive, positive.text) == (True, "спасибо за быструю доставку")
    assert (negative.is_positive, negative.text) == (False, "курьер опоздал на 2 часа")
    assert (bare.is_positive, bare.text) == (False, None)
    texts = client.texts(await client.click("↩️ Отменить"))
    assert "↩️ Отзыв удалён." in texts
    assert len(await _reviews(session_pool)) == 2


async def test_a_negative_review_opens_a_request_once(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Ромашка")
    await client.send("/review Ромашка - курьер опоздал")
    review_message = max(client.messages)
    texts = client.texts(await client.click("📋 Открыть заявку"))
    assert any("📋 Заявка №1 · <b>Ромашка</b>" in t for t in texts), texts
    await client.click("📋 Открыть заявку", message_id=review_message)
    [request] = await _requests(session_pool)
    assert request.text == "курьер опоздал"
    [review] = await _reviews(session_pool)
    assert review.request_id == request.id


async def test_bad_input_gets_a_friendly_hint_and_saves_nothing(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send("/review Ромашка"))
    assert "Отзыв «Ромашка» хороший или плохой? Добавьте знак:" in texts[-1]
    assert "/review Ромашка + спасибо" in texts[-1]
    texts = client.texts(await client.send("/review"))
    assert "<code>/review Ромашка + спасибо за быструю доставку</code>" in texts[-1]
    texts = client.texts(await client.send("/request Ромашка"))
    assert texts[-1].startswith("О чём заявка от «Ромашка»?")
    texts = client.texts(await client.send("/request ???"))
    assert texts[-1].startswith("Откройте заявку клиента одним сообщением")
    assert await _requests(session_pool) == []
    assert await _reviews(session_pool) == []


async def test_english_card(dispatcher: Dispatcher, bot: MockedBot, clock: FrozenClock) -> None:
    english = BotClient(dispatcher, bot, user_id=3003, language_code="en", first_name="Ann")
    await english.send("/client Romashka")
    await english.click("Create")
    await english.send("/request Romashka the delivery did not arrive")
    assert "📋 Request #1 · <b>Romashka</b>" in english.last_text
    clock.advance(timedelta(hours=2, minutes=5))
    await english.click("✅ Resolved")
    assert "✅ Resolved: today, 11:05 — in 2 h 5 min" in english.last_text
    await english.send("/review Romashka negative slow")
    assert "👎 Negative review saved · <b>Romashka</b>" in english.last_text


# --- the two parsers, pure ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "query", "positive", "text"),
    [
        ("Ромашка + спасибо", "Ромашка", True, "спасибо"),
        ("Ромашка - долго ждали", "Ромашка", False, "долго ждали"),
        ("Ромашка +спасибо", "Ромашка", True, "спасибо"),
        ("Ромашка+", "Ромашка", True, ""),
        ("ООО «Ромашка» 👎 курьер хамил", "ООО «Ромашка»", False, "курьер хамил"),
        ("Ромашка 👍🏻", "Ромашка", True, ""),
        ("Ромашка: − долго", "Ромашка", False, "долго"),
        ("Альфа-Строй -", "Альфа-Строй", False, ""),
        ("Хороший дом плюс", "Хороший дом", True, ""),  # a sign word inside the name stays
        ("Хороший дом плохо обслужили", "Хороший дом", False, "плохо обслужили"),
        ("Romashka negative slow", "Romashka", False, "slow"),
        ("Ромашка", "Ромашка", None, ""),
    ],
)
def test_parse_review(typed: str, query: str, positive: bool | None, text: str) -> None:
    assert parse_review(typed) == ReviewDraft(query, positive, text)


@pytest.mark.parametrize(
    ("typed", "opened", "text"),
    [
        (
            "вчера в 14:30 не пришла доставка",
            datetime(2026, 11, 27, 11, 30, tzinfo=UTC),
            "не пришла доставка",
        ),
        (
            "в 23:30 не пришла",
            datetime(2026, 11, 27, 20, 30, tzinfo=UTC),
            "не пришла",
        ),  # the last 23:30
        ("2 часа назад звонила", datetime(2026, 11, 28, 4, 0, tzinfo=UTC), "звонила"),
        ("вчера не пришла", datetime(2026, 11, 27, 9, 0, tzinfo=UTC), "не пришла"),  # local noon
        ("yesterday at 9:15 it broke", datetime(2026, 11, 27, 6, 15, tzinfo=UTC), "it broke"),
        ("в пятницу обещали доставку", None, "в пятницу обещали доставку"),
        ("завтра привезут", None, "завтра привезут"),
        ("доставка 12.03 не пришла", None, "доставка 12.03 не пришла"),
    ],
)
def test_opened_time_from_the_start_of_the_text(
    typed: str, opened: datetime | None, text: str
) -> None:
    got = split_opened_at(typed, NOW, "Europe/Moscow")
    assert got.text == text
    assert got.opened_at == opened


async def test_undo_command_takes_back_the_newest_request_or_review(
    client: BotClient, session_pool: Pool, clock: FrozenClock
) -> None:
    await _create(client, "Ромашка")
    await client.send("/request Ромашка не пришла доставка")
    clock.advance(timedelta(minutes=1))
    await client.send("/review Ромашка - курьер опоздал")
    clock.advance(timedelta(minutes=1))
    texts = client.texts(await client.send("/undo"))
    assert any("плохой отзыв · клиент <b>Ромашка</b>\n💬 курьер опоздал" in t for t in texts), texts
    assert await _reviews(session_pool) == []
    assert len(await _requests(session_pool)) == 1
    texts = client.texts(await client.send("/undo"))
    assert any("заявку · клиент <b>Ромашка</b>\n💬 не пришла доставка" in t for t in texts), texts
    assert await _requests(session_pool) == []
    clock.advance(timedelta(minutes=1))
    await client.send("/request Ромашка нужен счёт")
    clock.advance(timedelta(minutes=11))  # past the ten-minute window: stays
    texts = client.texts(await client.send("/undo"))
    assert any("нечего отменять" in t for t in texts), texts
    assert len(await _requests(session_pool)) == 1
