"""Issue 14, "log a touch" from the Mini App: POST api/clients/<id>/touches on the real aiohttp app,
whose Bot talks to the fake Telegram API on loopback. The touch is saved by the chat's own path
(the text's next step parsed as /call parses it, a follow-up reminder, an /undo entry), and the
chat gets the very ✅ message /call gives for the same words, read from the real Dispatcher. One
key logs once, however often it is sent; other people's clients are 404; a bad form is 422.
The clock is Saturday 2026-11-28 09:00 in Moscow: "в пятницу" is Friday 4 December."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import SendMessage
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import FrozenClock
from storage.enums import Channel, Outcome, ReminderKind, TeamRole
from storage.models import Client, Interaction, Manager, Reminder, Team, UndoEntry
from tests.conftest import NOW
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import BOT_TOKEN, MockedBot
from tests.webapp.browser_support import webapp
from tests.webapp.seed import ANNA, BORIS, seed
from tests.webapp.signing import sign_init_data

pytestmark = pytest.mark.db
Api = TestClient[web.Request, web.Application]
MOSCOW = ZoneInfo("Europe/Moscow")
WORDS = "договорились, перезвонить в пятницу"
FRIDAY = date(2026, 12, 4)


def tma(telegram_id: int = ANNA) -> dict[str, str]:
    return {"Authorization": "tma " + sign_init_data(BOT_TOKEN, telegram_id, NOW)}


def form(key: str, text: str = WORDS, kind: str = "call", outcome: str | None = None) -> Any:
    return {"type": kind, "outcome": outcome, "text": text, "key": key}


@pytest.fixture
async def api(
    session_pool: async_sessionmaker[AsyncSession], clock: FrozenClock, chat_bot: Bot
) -> AsyncIterator[Api]:
    """conftest's `api`, with the Bot the runner passes (here at the fake Bot API)."""
    app = webapp(session_pool, clock, chat_bot)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


async def _touches(pool: async_sessionmaker[AsyncSession], client_id: int) -> list[Interaction]:
    async with pool() as session:
        rows = await session.scalars(
            select(Interaction).where(Interaction.client_id == client_id).order_by(Interaction.id)
        )
        return list(rows)


async def _post(api: Api, client_id: int, body: Any, telegram_id: int = ANNA) -> Any:
    response = await api.post(
        f"/app/api/clients/{client_id}/touches", json=body, headers=tma(telegram_id)
    )
    assert response.status == 200, await response.text()
    assert response.headers.get("Cache-Control") == "no-store"
    return await response.json()


def _sent_to(telegram: FakeTelegramAPI, chat_id: int) -> list[dict[str, Any]]:
    return [c.params for c in telegram.calls("sendMessage") if c.params["chat_id"] == chat_id]


def _with_touch(markup: dict[str, Any], old: int, new: int) -> dict[str, Any]:
    """The keyboard as it would be for another touch id (the buttons carry it)."""
    text = json.dumps(markup, ensure_ascii=False)
    return dict(json.loads(text.replace(f":{old}", f":{new}")))


async def test_the_touch_is_saved_as_call_saves_it_and_the_chat_gets_calls_reply(
    api: Api,
    telegram: FakeTelegramAPI,
    session_pool: async_sessionmaker[AsyncSession],
    dispatcher: Dispatcher,
) -> None:
    ids = await seed(session_pool)
    before = {t.id for t in await _touches(session_pool, ids["mine"])}
    body = await _post(api, ids["mine"], form("first-opening-01"))
    assert body["saved"] is True
    assert body["repeat"] is False
    assert body["notified"] is True

    [touch] = [t for t in await _touches(session_pool, ids["mine"]) if t.id not in before]
    assert body["touch_id"] == touch.id
    assert (touch.kind, touch.manager_id) == (Channel.CALL, ids["anna"])
    assert touch.summary == "договорились"
    assert touch.next_step is not None
    assert touch.next_step.startswith("перезвонить")
    assert touch.next_step_due_at is not None
    assert touch.next_step_due_at.astimezone(MOSCOW).date() == FRIDAY
    async with session_pool() as session:
        reminder = await session.scalar(select(Reminder).where(Reminder.interaction_id == touch.id))
        journal = await session.scalar(
            select(UndoEntry).where(UndoEntry.kind == "touch", UndoEntry.object_id == touch.id)
        )
    assert reminder is not None
    assert reminder.kind == ReminderKind.FOLLOWUP
    assert journal is not None
    assert journal.manager_id == ids["anna"]

    [sent] = _sent_to(telegram, ANNA)
    assert "✅" in sent["text"]
    assert "Ромашка" in sent["text"]

    # The same words typed in the chat, through the real Dispatcher: the same reply, word for
    # word, and the same buttons (for that touch).
    chat = BotClient(dispatcher, MockedBot(), user_id=ANNA)
    replies = [r for r in await chat.send(f"/call Ромашка {WORDS}") if isinstance(r, SendMessage)]
    assert [r.text for r in replies] == [sent["text"]]
    assert replies[0].reply_markup is not None
    by_chat = max(t.id for t in await _touches(session_pool, ids["mine"]))
    assert by_chat != touch.id
    chat_markup = replies[0].reply_markup.model_dump(mode="json", exclude_none=True)
    assert _with_touch(chat_markup, by_chat, touch.id) == sent["reply_markup"]


async def test_one_key_logs_once_however_often_it_comes(
    api: Api, telegram: FakeTelegramAPI, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    count = len(await _touches(session_pool, ids["mine"]))
    first = await _post(api, ids["mine"], form("double-tap-0001", outcome="negative"))
    again = await _post(api, ids["mine"], form("double-tap-0001", outcome="negative"))
    assert first["repeat"] is False
    assert again == {
        "saved": True,
        "repeat": True,
        "touch_id": None,
        "notified": None,
    }
    touches = await _touches(session_pool, ids["mine"])
    assert len(touches) == count + 1
    # The form's outcome wins over the one the words suggest ("договорились").
    assert touches[-1].outcome == Outcome.NEGATIVE
    assert len(_sent_to(telegram, ANNA)) == 1

    # Two taps at once: one of them logs, the other finds the key taken.
    both = await asyncio.gather(
        *(_post(api, ids["mine"], form("double-tap-0002", text="звонок")) for _ in range(2))
    )
    assert sorted(b["repeat"] for b in both) == [False, True]
    assert len(await _touches(session_pool, ids["mine"])) == count + 2
    assert len(_sent_to(telegram, ANNA)) == 2

    # A new opening of the form is a new key: a second, deliberate touch.
    await _post(api, ids["mine"], form("double-tap-0003", text="звонок"))
    assert len(await _touches(session_pool, ids["mine"])) == count + 3


async def test_only_the_askers_own_clients(
    api: Api, telegram: FakeTelegramAPI, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    theirs = len(await _touches(session_pool, ids["theirs"]))
    for client_id in (ids["theirs"], 10**9, 2**31, 10**20):
        response = await api.post(
            f"/app/api/clients/{client_id}/touches", json=form("foreign-0001"), headers=tma()
        )
        assert response.status == 404, client_id
        assert await response.json() == {"error": "not found"}
    assert len(await _touches(session_pool, ids["theirs"])) == theirs

    # Boris heads Anna's team: he reads her «Ромашка» on the page, but logs nothing for her.
    async with session_pool() as session:
        team = Team(name="Продажи")
        session.add(team)
        await session.flush()
        for manager in await session.scalars(select(Manager)):
            manager.team_id = team.id
            if manager.telegram_id == BORIS:
                manager.role = TeamRole.HEAD
        client = await session.get(Client, ids["mine"])
        assert client is not None
        client.team_id = team.id
        await session.commit()
    page = await api.get(f"/app/api/clients/{ids['mine']}", headers=tma(BORIS))
    assert page.status == 200
    assert (await page.json())["read_only"] is True
    mine = len(await _touches(session_pool, ids["mine"]))
    response = await api.post(
        f"/app/api/clients/{ids['mine']}/touches", json=form("head-tries-01"), headers=tma(BORIS)
    )
    assert response.status == 404
    assert len(await _touches(session_pool, ids["mine"])) == mine
    assert telegram.calls("sendMessage") == []


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (form("bad-type-0001", kind="fax"), "bad_type"),
        (form("bad-type-0002", kind=None), "bad_type"),  # type: ignore[arg-type]
        (form("bad-outcome-01", outcome="great"), "bad_outcome"),
        (form("empty-text-001", text="   \n"), "empty_text"),
        (form("empty-text-002", text=None), "empty_text"),  # type: ignore[arg-type]
        (form("long-text-0001", text="а" * 4001), "long_text"),
        (form("short"), "bad_key"),
        (form("<script>x</script>"), "bad_key"),
        ({**form("no-key-000001"), "key": None}, "bad_key"),
        ([form("a-list-000001")], "bad_body"),
        ("not json {", "bad_body"),
    ],
)
async def test_a_bad_form_is_422_with_its_reason_and_saves_nothing(
    api: Api,
    telegram: FakeTelegramAPI,
    session_pool: async_sessionmaker[AsyncSession],
    body: Any,
    error: str,
) -> None:
    ids = await seed(session_pool)
    count = len(await _touches(session_pool, ids["mine"]))
    path = f"/app/api/clients/{ids['mine']}/touches"
    if isinstance(body, str):
        response = await api.post(path, data=body, headers=tma())
    else:
        response = await api.post(path, json=body, headers=tma())
    assert response.status == 422
    assert await response.json() == {"error": error}
    assert len(await _touches(session_pool, ids["mine"])) == count
    assert telegram.calls("sendMessage") == []


async def test_without_init_data_nothing_is_logged(
    api: Api, telegram: FakeTelegramAPI, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    count = len(await _touches(session_pool, ids["mine"]))
    path = f"/app/api/clients/{ids['mine']}/touches"
    for headers in ({}, {"Authorization": "tma auth_date=1&hash=00"}):
        response = await api.post(path, json=form("no-init-data-1"), headers=headers)
        assert response.status == 401
    assert len(await _touches(session_pool, ids["mine"])) == count
    assert telegram.calls("sendMessage") == []


async def test_telegram_down_the_touch_is_saved_and_the_page_is_told(
    api: Api, telegram: FakeTelegramAPI, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    count = len(await _touches(session_pool, ids["mine"]))
    telegram.fail_next("sendMessage", 502, "Bad Gateway")
    body = await _post(api, ids["mine"], form("telegram-down-1"))
    assert body["saved"] is True
    assert body["notified"] is False
    assert body["touch_id"]
    assert len(await _touches(session_pool, ids["mine"])) == count + 1
    assert [c.ok for c in telegram.calls("sendMessage")] == [False]
