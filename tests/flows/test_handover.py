"""/handover and /team log over the real update path, with three users: a head (Ольга) and two
managers (Анна, Борис). Anna's clients go to Boris with their shared history; Anna's private
note stays hers; her old buttons find nothing; the audit log lists it."""

from __future__ import annotations

import re

from aiogram import Dispatcher
from aiogram.methods import AnswerCallbackQuery, SendMessage
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.enums import ReminderKind
from storage.models import Client, Interaction, Manager, Note, Reminder, Sale
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

Pool = async_sessionmaker[AsyncSession]
LINK = re.compile(r"start=(join_[\w-]+)")


def _user(dispatcher: Dispatcher, bot: MockedBot, user_id: int, name: str) -> BotClient:
    return BotClient(dispatcher, bot, user_id=user_id, first_name=name)


async def _join(head: BotClient, member: BotClient) -> None:
    texts = head.texts(await head.send("/team invite"))
    found = LINK.search(" ".join(texts))
    assert found, texts
    await member.send(f"/start {found.group(1)}")
    await member.click("✅ Вступить")


async def _create_client(user: BotClient, name: str) -> None:
    await user.send(f"/client {name}")
    await user.click("Создать нового клиента")


async def _team(dispatcher: Dispatcher, bot: MockedBot) -> tuple[BotClient, BotClient, BotClient]:
    head = _user(dispatcher, bot, 8001, "Ольга")
    anna, boris = _user(dispatcher, bot, 8002, "Анна"), _user(dispatcher, bot, 8003, "Борис")
    await head.send("/team new Север")
    await _join(head, anna)
    await _join(head, boris)
    return head, anna, boris


async def _manager(pool: Pool, telegram_id: int) -> Manager:
    async with pool() as session:
        row = await session.scalar(select(Manager).where(Manager.telegram_id == telegram_id))
        assert row is not None
        return row


async def _client_id(pool: Pool, name: str) -> int:
    async with pool() as session:
        found = await session.scalar(select(Client.id).where(Client.name == name))
        assert found is not None
        return found


async def _owner_names(pool: Pool) -> dict[str, int]:
    async with pool() as session:
        return {n: o for n, o in await session.execute(select(Client.name, Client.owner_id))}


async def _log_work(anna: BotClient) -> None:
    await _create_client(anna, "Бета")
    await anna.send("/call Бета обсудили поставку, КП в пятницу")
    await anna.send("/sale Бета 150 000 кабель")
    await anna.send("/note Бета: любит ранние звонки")
    await anna.send("/note Бета: директор грубит 🔒 напомни завтра")


def _told(requests: list[object], chat_id: int) -> list[str]:
    return [str(r.text) for r in requests if isinstance(r, SendMessage) and r.chat_id == chat_id]


async def _hand_all(head: BotClient, source: str, target: str) -> list[object]:
    await head.send("/handover")
    await head.click(source)
    await head.click("Всех")
    await head.click(target)
    return list(await head.click("✅ Передать"))


async def test_the_new_owner_gets_the_shared_history_and_the_old_owner_loses_access(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    head, anna, boris = await _team(dispatcher, bot)
    await _log_work(anna)
    anna_card = anna.texts(await anna.send("/client Бета"))
    assert any("Бета" in t for t in anna_card)
    old_buttons = [
        b.callback_data
        for reply in anna.messages.values()
        if reply.markup
        for row in reply.markup.inline_keyboard
        for b in row
        if b.callback_data and b.callback_data.split(":")[0] in {"c", "t", "sl", "n"}
    ]
    assert len(old_buttons) >= 5, old_buttons
    await head.send("/handover")
    await head.click("Анна")
    await head.click("Всех")
    confirm = head.texts(await head.click("Борис"))[-1]
    for line in ("клиентов: 1", "касаний: 1", "продаж: 1", "обещаний: 1", "напоминаний: 1"):
        assert line in confirm, confirm
    assert "Личные заметки 🔒 (1)" in confirm
    done = await head.click("✅ Передать")
    assert any("Передано клиентов: 1" in t for t in head.texts(done)), head.texts(done)
    ann, bor = await _manager(session_pool, 8002), await _manager(session_pool, 8003)
    # One message to the new owner, listing what came; the old owner hears of it too.
    [received] = _told(done, 8003)
    assert "• Бета" in received
    assert "касаний 1" in received
    assert "продаж 1" in received
    assert len(_told(done, 8002)) == 1
    # The new owner sees the shared history, not Anna's private note.
    brief = " ".join(boris.texts(await boris.send("/brief Бета")))
    assert "обсудили поставку" in brief
    assert "любит ранние звонки" in brief
    assert "150" in brief
    assert "КП" in brief
    assert "директор грубит" not in brief
    assert "🔒" not in brief
    card = " ".join(boris.texts(await boris.send("/client Бета")))
    assert "любит ранние звонки" in card
    assert "директор грубит" not in card
    async with session_pool() as session:
        beta = await session.scalar(select(Client).where(Client.name == "Бета"))
        assert beta is not None
        assert beta.owner_id == bor.id
        assert set(await session.scalars(select(Interaction.manager_id))) == {bor.id}
        assert set(await session.scalars(select(Sale.manager_id))) == {bor.id}
        notes = {n.text: n.manager_id for n in await session.scalars(select(Note))}
        assert notes == {"любит ранние звонки": bor.id, "директор грубит": ann.id}
        reminders = {r.kind: r.manager_id for r in await session.scalars(select(Reminder))}
    # The promise's reminder now pings Boris; the private note's stays with its author.
    assert reminders[ReminderKind.FOLLOWUP] == bor.id
    assert reminders[ReminderKind.NOTE] == ann.id
    # Anna's old card, touch, sale and note buttons find nothing and change nothing (her
    # private note is still hers: its buttons are hers to press).
    async with session_pool() as session:
        private = await session.scalar(select(Note.id).where(Note.is_private.is_(True)))
    for data in (d for d in old_buttons if not (d.startswith("n:") and d.endswith(f":{private}"))):
        answers = await anna.press(data)
        shown = anna.texts(answers)
        assert not any("обсудили поставку" in t or "любит ранние" in t for t in shown), shown
        alerts = [a for a in answers if isinstance(a, AnswerCallbackQuery) and a.show_alert]
        assert alerts or not shown, (data, shown)
    assert not any("Бета</b>" in t for t in anna.texts(await anna.send("/client Бета")))
    assert (await _owner_names(session_pool))["Бета"] == bor.id
    # The audit log lists it, newest first.
    log = head.texts(await head.send("/team log"))[-1]
    lines = log.splitlines()
    assert "Ольга: Анна → Борис, клиентов: 1 (Бета)" in lines[1], log
    assert any("Анна вступил(а)" in line for line in lines[2:])
