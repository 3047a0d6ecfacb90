"""Buttons under a touch, a tap log and a note, one handler per action (issue 12), through the
real Dispatcher: each answers exactly once, a forged value is an outdated button, and a touch,
note or client that is not the presser's is the one alert handlers/errors.py gives.
"""

from __future__ import annotations

from typing import Any

from aiogram import Dispatcher
from aiogram.methods import AnswerCallbackQuery, TelegramMethod
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.callbacks import TouchAction
from storage.enums import Channel
from storage.models import Client, Interaction, Note
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

Pool = async_sessionmaker[AsyncSession]
OUTDATED = "Эта кнопка устарела. Откройте меню заново: /help"
TOUCH_NOT_FOUND = "Касание не найдено — возможно, оно уже удалено."
NOTE_NOT_FOUND = "Заметка не найдена — возможно, уже удалена."
CLIENT_NOT_FOUND = "Клиент не найден — возможно, он удалён. Поиск: /client название"


async def _create(client: BotClient, name: str) -> None:
    await client.send(f"/client {name}")
    await client.click("➕ Создать нового клиента")


async def _all(pool: Pool, model: type[Any]) -> list[Any]:
    async with pool() as session:
        return list(await session.scalars(select(model).order_by(model.id)))


def _answers(requests: list[TelegramMethod[Any]]) -> list[tuple[str | None, bool | None]]:
    return [(r.text, r.show_alert) for r in requests if isinstance(r, AnswerCallbackQuery)]


async def test_every_touch_button_on_someone_elses_touch_is_one_alert(
    client: BotClient, dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    await _create(client, "Ромашка")
    await client.send("/call Ромашка обсудили поставку")
    [touch] = await _all(session_pool, Interaction)
    other = BotClient(dispatcher, bot, user_id=4005)
    await other.send("/start")
    values = {TouchAction.SET_KIND: "visit", TouchAction.SET_DUE: "week"}
    for action in TouchAction:
        data = f"t:{action.value}:{touch.id}:{values.get(action, '')}"
        requests = await other.press(data)
        assert _answers(requests) == [(TOUCH_NOT_FOUND, True)], data
        assert other.texts(requests) == [TOUCH_NOT_FOUND], data
    [still] = await _all(session_pool, Interaction)
    assert (still.kind, still.next_step_due_at) == (Channel.CALL, None)


async def test_an_unknown_touch_note_or_move_action_is_an_outdated_button(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Ромашка")
    await client.send("/call Ромашка обсудили поставку")
    await client.send("/note Ромашка: любит чай")
    [touch] = await _all(session_pool, Interaction)
    [note] = await _all(session_pool, Note)
    forged = (f"t:drop:{touch.id}:", f"t::{touch.id}:", f"n:drop:{note.id}", f"mv:x:{note.id}")
    for data in forged:
        assert _answers(await client.press(data)) == [(OUTDATED, True)], data
    assert len(await _all(session_pool, Interaction)) == 1
    assert len(await _all(session_pool, Note)) == 1


async def test_a_note_undone_twice_says_it_is_gone(client: BotClient, session_pool: Pool) -> None:
    await _create(client, "Ромашка")
    await client.send("/note Ромашка: любит чай")
    [note] = await _all(session_pool, Note)
    first = await client.click("↩️ Отменить")
    assert "↩️ Заметка удалена." in client.texts(first)
    assert _answers(await client.press(f"n:undo:{note.id}")) == [(NOTE_NOT_FOUND, True)]


async def test_a_tap_log_with_a_forged_kind_or_outcome_saves_nothing(
    client: BotClient, session_pool: Pool
) -> None:
    await _create(client, "Ромашка")
    [ромашка] = await _all(session_pool, Client)
    for data in (f"tp:{ромашка.id}:fax:", f"tp:{ромашка.id}:fax:x", f"tp:{ромашка.id}:call:meh"):
        assert _answers(await client.press(data)) == [(OUTDATED, True)], data
    assert await _all(session_pool, Interaction) == []
    # The three taps still save one touch, and a second press of the last one saves nothing.
    await client.click("📞 Касание")
    await client.click("📞 звонок")
    [shown] = [
        m.message_id
        for m in client.messages.values()
        if m.markup and any(b.text[0] == "😐" for r in m.markup.inline_keyboard for b in r)
    ]
    data = f"tp:{ромашка.id}:call:neutral"
    assert _answers(await client.press(data, message_id=shown)) == [("✅ Сохранено", None)]
    again = await client.press(data, message_id=shown)
    assert _answers(again) == [("✅ Уже сохранено — повторное нажатие ничего не меняет.", None)]
    [touch] = await _all(session_pool, Interaction)
    assert touch.kind == Channel.CALL


async def test_moving_a_touch_to_a_forged_client_is_one_alert_and_moves_nothing(
    client: BotClient, dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    other = BotClient(dispatcher, bot, user_id=4006)
    await _create(other, "Чужой")
    await _create(client, "Ромашка")
    await client.send("/call Ромашка обсудили поставку")
    await client.click("🏢 Не тот клиент")
    [чужой, ромашка] = await _all(session_pool, Client)
    requests = await client.press(f"c:mvc:{чужой.id}::")
    assert _answers(requests) == [(CLIENT_NOT_FOUND, True)]
    [touch] = await _all(session_pool, Interaction)
    assert touch.client_id == ромашка.id


async def test_moving_a_note_to_a_forged_client_is_one_alert_and_moves_nothing(
    client: BotClient, dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    other = BotClient(dispatcher, bot, user_id=4007)
    await _create(other, "Чужой")
    await _create(client, "Ромашка")
    await client.send("/note Ромашка: любит чай")
    await client.click("🏢 Не тот клиент")
    [чужой, ромашка] = await _all(session_pool, Client)
    requests = await client.press(f"c:enmv:{чужой.id}::")
    assert _answers(requests) == [(CLIENT_NOT_FOUND, True)]
    [note] = await _all(session_pool, Note)
    assert note.client_id == ромашка.id
