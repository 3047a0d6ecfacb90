"""A committed write is not a failed one: a reply that Telegram refuses with 5xx/429 is retried,
and if it never gets through, the next message says what was saved — never "try again"."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.methods import SendMessage
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Interaction
from tests.support.bot_client import BotClient

APOLOGY = "Что-то пошло не так"
SAVED = "✅ Прошлое действие сохранено, но подтверждение не удалось показать"


async def _touches(pool: async_sessionmaker[AsyncSession]) -> list[Interaction]:
    async with pool() as session:
        return list(await session.scalars(select(Interaction)))


async def _with_client(client: BotClient) -> None:
    await client.send("/client Ромашка")
    await client.click("➕ Создать нового клиента")


@pytest.mark.parametrize(
    ("status", "description", "retry_after"),
    [
        (500, "Internal Server Error", None),
        (502, "Bad Gateway", None),
        (429, "Too Many Requests: retry after 1", 1),
    ],
)
async def test_a_reply_that_fails_once_is_retried_and_the_touch_is_saved_once(
    client: BotClient,
    session_pool: async_sessionmaker[AsyncSession],
    status: int,
    description: str,
    retry_after: int | None,
) -> None:
    await _with_client(client)
    client.bot.session.fail_next("sendMessage", status, description, retry_after=retry_after)
    requests = await client.send("/call Ромашка обсудили поставку")
    sent = [r.text for r in requests if isinstance(r, SendMessage)]
    assert len(sent) == 2  # the failed one and its retry
    assert sent[0] == sent[1]
    assert "✅" in client.last_text
    assert not any(APOLOGY in t for t in client.texts(requests))
    assert len(await _touches(session_pool)) == 1
    # The confirmation kept while the retry waited was taken back when it got through.
    assert not any(SAVED in t for t in client.texts(await client.send("/help")))


async def test_a_reply_that_never_gets_through_is_said_with_the_next_message(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _with_client(client)
    client.bot.session.fail_next("sendMessage", 502, "Bad Gateway", times=10)
    requests = await client.send("/call Ромашка обсудили поставку")
    failed = [r.text for r in requests if isinstance(r, SendMessage)]
    assert len(set(failed)) == 1  # the ✅ reply, tried a few times; no apology after it
    assert not any(APOLOGY in t for t in failed)
    assert len(await _touches(session_pool)) == 1
    client.bot.session.clear_failures()
    texts = client.texts(await client.send("/help"))
    assert texts[0].startswith(SAVED)
    assert failed[0] in texts[0]  # what was saved, as the ✅ reply would have said it
    assert "/settings" in texts[1]
    assert not any(SAVED in t for t in client.texts(await client.send("/help")))  # said once
    assert len(await _touches(session_pool)) == 1


async def test_a_process_killed_while_it_waits_out_a_429_leaves_the_saved_notice(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    """Killed (here: its task cancelled) during a 429's retry_after, after the touch committed:
    the redelivered update would be skipped as processed, so without the notice kept before the
    wait the manager would never hear the touch was saved, and would type it again."""
    await _with_client(client)
    client.bot.session.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 5", retry_after=5
    )
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(client.send("/call Ромашка обсудили поставку"), timeout=1.5)
    assert len(await _touches(session_pool)) == 1  # committed before the reply was tried
    texts = client.texts(await client.send("/help"))
    assert texts[0].startswith(SAVED)
    assert "обсудили поставку" in texts[0]  # the ✅ reply's own words
    assert not any(SAVED in t for t in client.texts(await client.send("/help")))  # said once
    assert len(await _touches(session_pool)) == 1


async def test_a_failure_before_any_commit_still_gets_the_apology(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    client.bot.session.fail_next("sendMessage", 500, "Internal Server Error", times=10)
    await client.send("/help")
    client.bot.session.clear_failures()
    texts = client.texts(await client.send("/help"))
    assert not any(SAVED in t for t in texts)


async def test_a_reply_refused_for_good_after_a_commit_says_saved_at_once(
    client: BotClient, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _with_client(client)
    client.bot.session.fail_next("sendMessage", 400, "Bad Request: message is too long")
    texts = client.texts(await client.send("/call Ромашка обсудили поставку"))
    assert not any(APOLOGY in t for t in texts)
    assert texts[-1].startswith(SAVED)
    assert "обсудили поставку" in texts[-1]
    assert len(await _touches(session_pool)) == 1
    assert not any(SAVED in t for t in client.texts(await client.send("/help")))
