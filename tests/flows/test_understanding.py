"""Issue 15, items 5, 7, 8: kambot records what was typed — the sign of a review with negation,
the type a command names, every field of a contact line without commas."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.enums import Channel
from storage.models import Contact, Interaction, Review
from tests.support.bot_client import BotClient

Pool = async_sessionmaker[AsyncSession]


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


async def _reviews(pool: Pool) -> list[Review]:
    async with pool() as session:
        return list(await session.scalars(select(Review).order_by(Review.id)))


# --- item 5: the sign of a review ----------------------------------------------------------
async def test_a_negated_praise_is_a_negative_review_of_the_right_client(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Гамма")
    texts = client.texts(await client.send("/review Гамма не отлично, курьер хамил"))
    assert any("👎 Записал негативный отзыв · <b>Гамма</b>" in t for t in texts), texts
    assert not any("Кого вы имели в виду" in t for t in texts), texts
    await client.send("/review Гамма не доволен сроками")
    await client.send("/review Гамма курьер хамил")
    [first, second, third] = await _reviews(session_pool)
    assert (first.is_positive, first.text) == (False, "не отлично, курьер хамил")
    assert (second.is_positive, second.text) == (False, "не доволен сроками")
    # «курьер» is not part of the name: it stays in the text.
    assert (third.is_positive, third.text) == (False, "курьер хамил")


async def test_a_sign_at_the_start_wins_over_the_words(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Гамма")
    await client.send("/review Гамма + не отлично, но в целом ок")
    await client.send("/review Гамма - спасибо, но долго")
    [plus, minus] = await _reviews(session_pool)
    assert (plus.is_positive, plus.text) == (True, "не отлично, но в целом ок")
    assert (minus.is_positive, minus.text) == (False, "спасибо, но долго")


async def test_mixed_words_ask_with_two_buttons_each_under_its_own_prompt(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Гамма")
    await _create(client, "Дельта")
    texts = client.texts(await client.send("/review Гамма отлично, но курьер хамил"))
    assert any("хорошее, и плохое" in t for t in texts), texts
    assert await _reviews(session_pool) == []
    first_prompt = max(client.messages)
    await client.send("/review Дельта спасибо, но долго ждали")
    texts = client.texts(await client.click("👎 Негативный", message_id=first_prompt))
    assert any("👎 Записал негативный отзыв · <b>Гамма</b>" in t for t in texts), texts
    texts = client.texts(await client.click("👍 Хороший"))
    assert any("👍 Записал хороший отзыв · <b>Дельта</b>" in t for t in texts), texts
    gamma, delta = await _reviews(session_pool)
    assert (gamma.is_positive, gamma.text) == (False, "отлично, но курьер хамил")
    assert (delta.is_positive, delta.text) == (True, "спасибо, но долго ждали")
    # A second tap on an answered prompt saves nothing more.
    await client.press("rvs:p", message_id=first_prompt)
    assert len(await _reviews(session_pool)) == 2


async def test_english_not_good_is_negative(client: BotClient, session_pool: Pool) -> None:
    await _create(client, "Gamma")
    await client.send("/review Gamma not good, the courier was rude")
    [review] = await _reviews(session_pool)
    assert (review.is_positive, review.text) == (False, "not good, the courier was rude")


# --- item 7: the command names the type -----------------------------------------------------
async def _touches(pool: Pool) -> list[Interaction]:
    async with pool() as session:
        return list(await session.scalars(select(Interaction).order_by(Interaction.id)))


async def test_call_is_always_a_call_and_log_reads_the_words(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Ромашка")
    texts = client.texts(await client.send("/call ромашко договорились о встрече"))
    assert any("📞 звонок" in t for t in texts), texts
    assert not any("🤝 встреча" in t for t in texts), texts
    await client.send("/call Ромашка встречались в офисе, обсудили цены")
    await client.send("/log Ромашка встречались в офисе, обсудили цены")
    await client.send("/log Ромашка договорились о встрече")
    first, second, third, fourth = await _touches(session_pool)
    assert (first.kind, first.summary) == (Channel.CALL, "договорились о встрече")
    # /call keeps the other type's words in the text: they describe what happened.
    assert (second.kind, second.summary) == (Channel.CALL, "встречались в офисе, обсудили цены")
    assert (third.kind, third.summary) == (Channel.MEETING, "в офисе, обсудили цены")
    # "о встрече" is what the call was about, not how the touch happened.
    assert (fourth.kind, fourth.summary) == (Channel.CALL, "договорились о встрече")


async def test_call_to_a_new_client_stays_a_call_after_create(
    client: BotClient, session_pool: Pool
) -> None:
    texts = client.texts(await client.send("/call Сатурн: встречались в офисе, обсудили цены"))
    assert any("Сатурн" in t for t in texts), texts
    await client.click("➕ Создать нового клиента")
    [touch] = await _touches(session_pool)
    assert (touch.kind, touch.summary) == (Channel.CALL, "встречались в офисе, обсудили цены")


# --- item 8: a contact line without commas ----------------------------------------------------
async def _contacts(pool: Pool) -> list[Contact]:
    async with pool() as session:
        return list(await session.scalars(select(Contact).order_by(Contact.id)))


async def test_a_contact_line_without_commas_keeps_every_field_and_says_where(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Нептун")
    texts = client.texts(
        await client.send("/contact Нептун: Пётр Сидоров закупки 12.03 +79001234567")
    )
    added = next(t for t in texts if t.startswith("✅"))
    assert "<b>Пётр Сидоров</b>" in added, added
    assert "💼 Должность: закупки" in added, added
    assert "☎️ Телефон: +79001234567" in added, added
    assert "12 марта" in added, added
    await client.send("/contact Нептун: Ольга Кузнецова директор др 05.07.1985 olga@neptun.ru")
    await client.send("/contact Нептун: Анна отвечает за логистику")
    petr, olga, anna = await _contacts(session_pool)
    assert (petr.name, petr.role, petr.phone) == ("Пётр Сидоров", "закупки", "+79001234567")
    assert (petr.birth_day, petr.birth_month, petr.birth_year) == (12, 3, None)
    assert (olga.name, olga.role, olga.email) == ("Ольга Кузнецова", "директор", "olga@neptun.ru")
    assert (olga.birth_day, olga.birth_month, olga.birth_year) == (5, 7, 1985)
    # Words that are neither name nor a known field are kept, never dropped.
    assert (anna.name, anna.role) == ("Анна", "отвечает за логистику")
