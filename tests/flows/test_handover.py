"""/handover and /team log over the real update path, with three users: a head (Ольга) and two
managers (Анна, Борис). Anna's clients go to Boris with their shared history; Anna's private
note stays hers; her old buttons find nothing; the audit log lists it."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from aiogram import Dispatcher
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import Chat
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from handlers.callbacks import ClientAction, ClientCb, HandoverAction, HandoverCb
from storage.enums import ReminderKind
from storage.models import Client, Interaction, Manager, Note, Reminder, Sale, TeamEvent
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


async def _assert_readdressed(pool: Pool, old: int, new: int) -> None:
    async with pool() as session:
        beta = await session.scalar(select(Client).where(Client.name == "Бета"))
        assert beta is not None
        assert beta.owner_id == new
        assert set(await session.scalars(select(Interaction.manager_id))) == {new}
        assert set(await session.scalars(select(Sale.manager_id))) == {new}
        notes = {n.text: n.manager_id for n in await session.scalars(select(Note))}
        assert notes == {"любит ранние звонки": new, "директор грубит": old}
        reminders = {r.kind: r.manager_id for r in await session.scalars(select(Reminder))}
    # The promise's reminder now pings the new owner; the private note's stays with its author.
    assert reminders[ReminderKind.FOLLOWUP] == new
    assert reminders[ReminderKind.NOTE] == old


async def _press_old_buttons(anna: BotClient, old_buttons: list[str], pool: Pool) -> None:
    """Each answers "not found" (an alert) and shows nothing of the client (her private note
    is still hers: its buttons are hers to press)."""
    async with pool() as session:
        private = await session.scalar(select(Note.id).where(Note.is_private.is_(True)))
    for data in old_buttons:
        if data.startswith("n:") and data.endswith(f":{private}"):
            continue
        answers = await anna.press(data)
        shown = anna.texts(answers)
        assert not any("обсудили поставку" in t or "любит ранние" in t for t in shown), shown
        alerts = [a for a in answers if isinstance(a, AnswerCallbackQuery) and a.show_alert]
        assert alerts or not shown, (data, shown)


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
    await _assert_readdressed(session_pool, ann.id, bor.id)
    # Anna's old card, touch, sale and note buttons find nothing and change nothing.
    await _press_old_buttons(anna, old_buttons, session_pool)
    assert not any("Бета</b>" in t for t in anna.texts(await anna.send("/client Бета")))
    assert (await _owner_names(session_pool))["Бета"] == bor.id
    # The audit log lists it, newest first.
    log = head.texts(await head.send("/team log"))[-1]
    lines = log.splitlines()
    assert "Ольга: Анна → Борис, клиентов: 1 (Бета)" in lines[1], log
    assert any("Анна вступил(а)" in line for line in lines[2:])


def _button_data(user: BotClient, text: str) -> str:
    return user._find_button(text, None)[1]


async def _to_confirm(head: BotClient, source: str, how: str, target: str) -> str:
    """Walks the dialog to the confirm screen; returns the confirm button's data."""
    await head.send("/handover")
    await head.click(source)
    await head.click(how)
    await head.click(target)
    return _button_data(head, "✅ Передать")


async def _tag(user: BotClient, pool: Pool, name: str, tags: str) -> None:
    client_id = await _client_id(pool, name)
    await user.press(ClientCb(action=ClientAction.ASK, id=client_id, field="tags").pack())
    await user.send(tags)


async def test_a_paged_checklist_and_a_tag_choose_the_clients(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    head, anna, _ = await _team(dispatcher, bot)
    names = [f"Клиент {i:02}" for i in range(1, 11)]
    for name in names:
        await _create_client(anna, name)
    await _tag(anna, session_pool, "Клиент 03", "#vip")
    await _tag(anna, session_pool, "Клиент 04", "#vip #опт")
    await head.send("/handover")
    await head.click("Анна")
    page = head.texts(await head.click("☑️ Выбрать клиентов"))[-1]
    assert "Выбрано: 0" in page
    await head.click("▶")
    await head.click("⬜ Клиент 10")
    await head.click("◀")
    await head.click("⬜ Клиент 01")
    await head.click("☑️ Клиент 01")  # untick
    await head.click("⬜ Клиент 02")
    await head.click("Готово (2)")
    await head.click("Борис")
    confirm = head.texts(await head.click("✅ Передать"))
    assert any("Передано клиентов: 2" in t for t in confirm), confirm
    ann, bor = await _manager(session_pool, 8002), await _manager(session_pool, 8003)
    olga = await _manager(session_pool, 8001)
    owners = await _owner_names(session_pool)
    assert {n for n, o in owners.items() if o == bor.id} == {"Клиент 02", "Клиент 10"}
    # By tag, to the head herself.
    await head.send("/handover")
    await head.click("Анна")
    tags = head.texts(await head.click("🏷 По тегу"))[-1]
    assert "каким тегом" in tags
    await head.click("#vip · 2")
    shown = head.texts(await head.click("Ольга (вы)"))[-1]
    assert "клиентов: 2" in shown, shown
    await head.click("✅ Передать")
    owners = await _owner_names(session_pool)
    assert {n for n, o in owners.items() if o == olga.id} == {"Клиент 03", "Клиент 04"}
    assert sum(1 for o in owners.values() if o == ann.id) == 6
    async with session_pool() as session:
        handovers = list(
            await session.scalars(select(TeamEvent).where(TeamEvent.kind == "handover"))
        )
    assert [e.payload["client_count"] for e in handovers if e.payload] == [2, 2]


async def test_bad_choices_are_refused_and_nothing_moves(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    head, anna, boris = await _team(dispatcher, bot)
    await _create_client(anna, "Бета")
    await _create_client(boris, "Гамма")
    stranger = _user(dispatcher, bot, 8009, "Чужой")
    await stranger.send("/start")
    refused = anna.texts(await anna.send("/handover"))
    assert any("только руководитель" in t for t in refused), refused
    ann, bor = await _manager(session_pool, 8002), await _manager(session_pool, 8003)
    other = await _manager(session_pool, 8009)
    await head.send("/handover")
    await head.click("Анна")
    await head.click("☑️ Выбрать клиентов")
    empty = head.texts(await head.click("Готово (0)"))
    assert any("Не выбран ни один клиент" in t for t in empty), empty
    gamma = await _client_id(session_pool, "Гамма")
    forged = HandoverCb(action=HandoverAction.TOGGLE, id=gamma, src=ann.id).pack()
    assert any("уже не у этого" in t for t in head.texts(await head.press(forged)))
    await head.press(HandoverCb(action=HandoverAction.ALL, src=ann.id).pack())
    for target, answer in ((other.id, "нет в вашей команде"), (ann.id, "тому же участнику")):
        data = HandoverCb(action=HandoverAction.TARGET, id=target, src=ann.id).pack()
        texts = head.texts(await head.press(data))
        assert any(answer in t for t in texts), texts
        data = HandoverCb(action=HandoverAction.CONFIRM, id=target, src=ann.id).pack()
        texts = head.texts(await head.press(data))
        assert any(answer in t for t in texts), texts
    outdated = HandoverCb(action=HandoverAction.ALL, src=bor.id).pack()
    assert any("устарел" in t for t in head.texts(await head.press(outdated)))
    assert (await _owner_names(session_pool)) == {"Бета": ann.id, "Гамма": bor.id}
    async with session_pool() as session:
        kinds = list(await session.scalars(select(TeamEvent.kind)))
    assert "handover" not in kinds


async def test_a_source_removed_meanwhile_hands_over_nothing(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    head, anna, _ = await _team(dispatcher, bot)
    await _create_client(anna, "Бета")
    confirm = await _to_confirm(head, "Анна", "Всех", "Борис")
    await head.send("/team members")
    await head.click("Анна")
    await head.click("Исключить")
    await head.click("Да, исключить")
    texts = head.texts(await head.press(confirm))
    assert any("нет в вашей команде — ничего не передано" in t for t in texts), texts
    olga = await _manager(session_pool, 8001)
    assert (await _owner_names(session_pool)) == {"Бета": olga.id}  # the removal's heir


async def test_two_heads_on_the_same_clients_move_each_once(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    head, anna, boris = await _team(dispatcher, bot)
    for name in ("Бета", "Гамма", "Дельта"):
        await _create_client(anna, name)
    await head.send("/team members")
    await head.click("Борис")
    await head.click("Сделать руководителем")
    first = await _to_confirm(head, "Анна", "Всех", "Борис")
    await boris.send("/handover")
    await boris.click("Анна")
    await boris.click("☑️ Выбрать клиентов")
    await boris.click("⬜ Бета")
    await boris.click("⬜ Гамма")
    await boris.click("Готово (2)")
    await boris.click("Ольга")
    second = _button_data(boris, "✅ Передать")
    done = head.texts(await head.press(first))
    assert any("Передано клиентов: 3" in t for t in done), done
    late = boris.texts(await boris.press(second))
    assert any("уже переданы" in t for t in late), late
    bor = await _manager(session_pool, 8003)
    assert set((await _owner_names(session_pool)).values()) == {bor.id}
    async with session_pool() as session:
        events = list(await session.scalars(select(TeamEvent).where(TeamEvent.kind == "handover")))
    assert len(events) == 1


async def test_two_heads_confirming_at_once_move_each_client_once(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    head, anna, boris = await _team(dispatcher, bot)
    for name in ("Бета", "Гамма"):
        await _create_client(anna, name)
    await _create_client(anna, "Бета 2")
    await head.send("/team members")
    await head.click("Борис")
    await head.click("Сделать руководителем")
    first = await _to_confirm(head, "Анна", "Всех", "Борис")
    await boris.send("/handover")
    await boris.click("Анна")
    await boris.click("☑️ Выбрать клиентов")
    await boris.click("⬜ Бета")
    await boris.click("⬜ Бета 2")
    await boris.click("Готово (2)")
    await boris.click("Ольга")
    second = _button_data(boris, "✅ Передать")
    answers = await asyncio.gather(head.press(first), boris.press(second))
    texts = head.texts(answers[0]) + boris.texts(answers[1])
    owners = await _owner_names(session_pool)
    olga, bor = await _manager(session_pool, 8001), await _manager(session_pool, 8003)
    assert set(owners.values()) <= {olga.id, bor.id}
    async with session_pool() as session:
        events = list(await session.scalars(select(TeamEvent).where(TeamEvent.kind == "handover")))
    moved = [e.payload["client_count"] for e in events if e.payload]
    assert sum(moved) == 3, (moved, texts)  # every client once, whoever was first
    to_olga = sum(1 for o in owners.values() if o == olga.id)
    assert to_olga in (0, 2), owners


async def test_the_old_owner_mid_edit_cannot_write_to_the_moved_client(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    head, anna, _ = await _team(dispatcher, bot)
    await _create_client(anna, "Бета")
    beta = await _client_id(session_pool, "Бета")
    asked = anna.texts(
        await anna.press(ClientCb(action=ClientAction.ASK, id=beta, field="phone").pack())
    )
    assert any("Телефон клиента" in t for t in asked), asked
    await _hand_all(head, "Анна", "Борис")
    typed = anna.texts(await anna.send("+7 999 123-45-67"))
    assert any("Клиент не найден" in t for t in typed), typed
    async with session_pool() as session:
        row = await session.get(Client, beta)
        assert row is not None
        assert row.phone is None
    # The dialog is over: her next words are not taken for a phone.
    again = anna.texts(await anna.send("+7 999 765-43-21"))
    assert not any("Клиент не найден" in t for t in again), again


async def test_handover_and_the_log_are_never_answered_in_a_group(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    _head, anna, _ = await _team(dispatcher, bot)
    await _create_client(anna, "Бета")
    group = Chat(id=-100500, type="supergroup")
    in_group = BotClient(dispatcher, bot, user_id=8001, first_name="Ольга", chat=group)
    for command in ("/handover", "/team log"):
        texts = in_group.texts(await in_group.send(command))
        assert not any("Анна" in t or "Передача" in t or "Журнал" in t for t in texts), texts
    ann = await _manager(session_pool, 8002)
    data = HandoverCb(action=HandoverAction.SOURCE, id=ann.id).pack()
    texts = in_group.texts(await in_group.press(data))
    assert not any("Анна" in t for t in texts), texts


async def test_the_log_pages_newest_first_for_heads_only(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: Pool
) -> None:
    head, anna, boris = await _team(dispatcher, bot)
    olga = await _manager(session_pool, 8001)
    assert olga.team_id is not None
    async with session_pool() as session:
        base = (await session.scalars(select(TeamEvent.created_at))).first()
        assert base is not None
        for i in range(12):
            session.add(
                TeamEvent(
                    team_id=olga.team_id,
                    kind="handover",
                    actor_id=olga.id,
                    payload={
                        "names": {"actor": "Ольга", "from": "Анна", "to": "Борис"},
                        "clients": [[1, f"Клиент {i}"]],
                        "client_count": 1,
                    },
                    created_at=base + timedelta(minutes=i),
                )
            )
        await session.commit()
    first = head.texts(await head.send("/team log"))[-1].splitlines()
    assert "(Клиент 11)" in first[1], first
    assert len(first) == 11
    older = head.texts(await head.click("◀ Раньше"))[-1].splitlines()
    assert "стр. 2" in older[0]
    assert "Ольга создал(а) команду" in older[-1], older
    assert any("только руководитель" in t for t in anna.texts(await anna.send("/team log")))
    forged = HandoverCb(action=HandoverAction.LOG, page=1).pack()
    assert any("только руководитель" in t for t in boris.texts(await boris.press(forged)))
