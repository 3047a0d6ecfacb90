"""The head's /team table (issue 10) over the real update path: the figures against rows put in
by hand, the period buttons, a member's /kpi and overdue list, the read-only client card, the
member's rank, forged buttons, and the Monday summary's team line."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from aiogram import Dispatcher
from aiogram.methods import SendPhoto
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import translator
from bot.services.crm.agenda import last_week
from bot.services.kpi.periods import period_of
from bot.services.kpi.report import Pace
from bot.services.teams.table import Row, TeamTable
from bot.views.reminders import week_text
from handlers.callbacks import TeamTableAction, TeamTableCb
from handlers.team.table_views import pages, table_kb, table_text
from storage.enums import ClientStatus, PeriodKind
from storage.kpi_team import MemberClients
from storage.models import Client, Interaction, Manager, Note, Plan, Sale
from tests.support.bot_client import BotClient
from tests.support.mocked_bot import MockedBot

# The suite's clock: Saturday 28 November 2026, 09:00 in Moscow (the managers' default zone).
NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
LINK = re.compile(r"start=(join_[\w-]+)")
PRE = re.compile(r"<pre>(.*?)</pre>", re.S)
RUB = 100  # minor units


def _user(dispatcher: Dispatcher, bot: MockedBot, user_id: int, name: str) -> BotClient:
    return BotClient(dispatcher, bot, user_id=user_id, first_name=name)


async def _manager(pool: async_sessionmaker[AsyncSession], telegram_id: int) -> Manager:
    async with pool() as session:
        row = await session.scalar(select(Manager).where(Manager.telegram_id == telegram_id))
        assert row is not None
        return row


async def _join(head: BotClient, member: BotClient) -> None:
    texts = head.texts(await head.send("/team invite"))
    found = LINK.search(" ".join(texts))
    assert found, texts
    await member.send(f"/start {found.group(1)}")
    await member.click("✅ Вступить")


def _client(owner: Manager, name: str, **fields: object) -> Client:
    return Client(
        owner_id=owner.id,
        team_id=owner.team_id,
        name=name,
        name_norm=name.lower(),
        created_at=NOW - timedelta(days=100),
        **fields,
    )


def _at(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 9, 0, tzinfo=UTC)


def _clients(anna: Manager, boris: Manager) -> list[Client]:
    """Anna's: touched within cadence, overdue, never touched, paused; Boris's: both touched."""
    a1 = _client(
        anna,
        "Альфа",
        last_touch_at=NOW - timedelta(days=2),
        next_checkin_at=NOW + timedelta(days=5),
    )
    a2 = _client(
        anna,
        "Вега",
        last_touch_at=NOW - timedelta(days=40),
        next_checkin_at=NOW - timedelta(days=3),
    )
    a3 = _client(anna, "Гамма", next_checkin_at=NOW + timedelta(days=10))
    a4 = _client(anna, "Дельта", status=ClientStatus.PAUSED)
    b1 = _client(
        boris,
        "Омега",
        last_touch_at=NOW - timedelta(days=1),
        next_checkin_at=NOW + timedelta(days=1),
    )
    b2 = _client(
        boris,
        "Сигма",
        last_touch_at=NOW - timedelta(days=3),
        next_checkin_at=NOW + timedelta(days=20),
    )
    return [a1, a2, a3, a4, b1, b2]


async def _history(pool: async_sessionmaker[AsyncSession], anna: Manager, boris: Manager) -> None:
    """Anna: plan 100,000, sold 50,000 in November (30,000 of it this week), 4 clients — in work:
    one touched within cadence, one overdue, one never touched; one paused — 3 touches in
    November. Boris: plan 40,000, sold 60,000; 2 clients in work, both touched; 5 touches."""
    async with pool() as session:
        a1, a2, _, _, b1, _ = clients = _clients(anna, boris)
        session.add_all(clients)
        await session.flush()
        november = date(2026, 11, 1)
        session.add_all(
            [
                Plan(
                    manager_id=anna.id,
                    period_kind=PeriodKind.MONTH,
                    period_start=november,
                    amount_minor=100_000 * RUB,
                ),
                Plan(
                    manager_id=boris.id,
                    period_kind=PeriodKind.MONTH,
                    period_start=november,
                    amount_minor=40_000 * RUB,
                ),
                Sale(
                    client_id=a1.id, manager_id=anna.id, amount_minor=30_000 * RUB, sold_at=_at(25)
                ),
                Sale(
                    client_id=a2.id, manager_id=anna.id, amount_minor=20_000 * RUB, sold_at=_at(3)
                ),
                Sale(
                    client_id=a1.id,
                    manager_id=anna.id,
                    amount_minor=10_000 * RUB,
                    sold_at=_at(20, 10),
                ),  # October: not this month
                Sale(
                    client_id=b1.id, manager_id=boris.id, amount_minor=60_000 * RUB, sold_at=_at(12)
                ),
                *(
                    Interaction(client_id=a1.id, manager_id=anna.id, occurred_at=_at(d))
                    for d in (5, 24, 26)
                ),
                Interaction(client_id=a2.id, manager_id=anna.id, occurred_at=_at(19, 10)),
                *(
                    Interaction(client_id=b1.id, manager_id=boris.id, occurred_at=_at(10))
                    for _ in range(5)
                ),
                Note(manager_id=anna.id, client_id=a2.id, text="общая заметка про Вегу"),
                Note(manager_id=anna.id, client_id=a2.id, text="личное мнение", is_private=True),
            ]
        )
        await session.commit()


async def _team(
    dispatcher: Dispatcher, bot: MockedBot, pool: async_sessionmaker[AsyncSession], base: int
) -> tuple[BotClient, BotClient, BotClient]:
    head = _user(dispatcher, bot, base + 1, "Ольга")
    anna = _user(dispatcher, bot, base + 2, "Анна")
    boris = _user(dispatcher, bot, base + 3, "Борис")
    await head.send("/team new Отдел")
    await _join(head, anna)
    await _join(head, boris)
    await _history(pool, await _manager(pool, base + 2), await _manager(pool, base + 3))
    return head, anna, boris


def _rows(text: str) -> dict[str, list[str]]:
    found = PRE.search(text)
    assert found, text
    lines = found.group(1).splitlines()
    return {line.split()[0]: line.split()[1:] for line in lines[1:] if not line.startswith("─")}


async def test_a_head_sees_each_member_and_the_total_by_period(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    head, _, _ = await _team(dispatcher, bot, session_pool, 8100)
    [text] = head.texts(await head.send("/team"))
    assert "Отдел" in text, text
    assert "ноябрь 2026" in text.lower(), text
    rows = _rows(text)
    # plan %, coverage, overdue, touches, sales — figures worked out by hand from _history.
    assert rows["Борис"] == ["150%", "100%", "0", "5", "60", "тыс."], rows
    assert rows["Анна"] == ["50%", "33%", "1", "3", "50", "тыс."], rows
    assert rows["Ольга"] == ["—", "—", "0", "0", "0"], rows
    # Team: 110,000 of 140,000 = 78 % (truncated), 3 of 5 clients in work touched = 60 %.
    assert rows["Итого"] == ["78%", "60%", "1", "8", "110", "тыс."], rows
    assert list(rows)[:3] == ["Борис", "Анна", "Ольга"]  # by plan %, no plan last

    week = head.texts(await head.click("Неделя"))
    rows = _rows(week[-1])
    assert rows["Анна"] == ["—", "33%", "1", "2", "30", "тыс."], rows  # Nov 23–29, no week plan
    assert rows["Борис"] == ["—", "100%", "0", "0", "0"], rows
    markup = head.messages[max(head.messages)].markup
    assert markup is not None
    assert "• Неделя •" in [b.text for row in markup.inline_keyboard for b in row]

    [typed] = head.texts(await head.send("/team неделю"))  # /kpi's period words
    assert _rows(typed) == rows, typed
    assert "23 нояб." in typed, typed

    chart = await head.click("📈 График команды")
    assert [r for r in chart if isinstance(r, SendPhoto)]


async def test_a_member_kpi_overdue_list_and_a_read_only_card(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    head, _, _ = await _team(dispatcher, bot, session_pool, 8200)
    await head.send("/team")
    kpi = head.texts(await head.click("Анна · 50%"))
    assert "Анна" in kpi[-1], kpi  # Anna's own /kpi: 50 % of the plan
    assert "50" in kpi[-1], kpi
    overdue = head.texts(await head.click("⏰ Просроченные"))
    assert "Анна: 1" in overdue[-1], overdue
    card = head.texts(await head.click("Вега"))[-1]
    assert "Вега" in card, card
    assert "Только просмотр" in card, card
    assert "общая заметка" in card, card
    assert "личное мнение" not in card, card
    reply = head.messages[max(head.messages)]
    assert reply.markup is not None
    datas = [b.callback_data or "" for row in reply.markup.inline_keyboard for b in row]
    assert datas, datas  # no edit, log or delete
    assert all(d.startswith("tt:") for d in datas), datas
    history = head.texts(await head.click("📜 История"))[-1]
    assert "общая заметка" in history, history
    assert "личное мнение" not in history, history


async def test_a_member_sees_their_rank_only_when_rankings_are_on(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    head, anna, _ = await _team(dispatcher, bot, session_pool, 8300)
    [off] = anna.texts(await anna.send("/team"))
    assert "Отдел" in off, off
    assert "Участников: 3" in off, off
    assert "мест" not in off, off
    assert "<pre>" not in off
    await head.send("/team rankings on")
    [on] = anna.texts(await anna.send("/team"))
    assert "2 из 2" in on, on  # Boris 150 %, Anna 50 %; the head has no plan


async def test_forged_table_buttons_get_head_only_or_not_found(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    _, anna, _ = await _team(dispatcher, bot, session_pool, 8400)
    boris = await _manager(session_pool, 8403)
    async with session_pool() as session:
        omega = await session.scalar(select(Client.id).where(Client.name == "Омега"))
        vega = await session.scalar(select(Client.id).where(Client.name == "Вега"))
    assert omega
    assert vega

    def cb(action: TeamTableAction, id_: int = 0) -> str:
        return TeamTableCb(action=action, id=id_).pack()

    for data in (
        cb(TeamTableAction.PERIOD),
        cb(TeamTableAction.MEMBER, boris.id),
        cb(TeamTableAction.OVERDUE, boris.id),
    ):
        said = anna.texts(await anna.press(data))
        assert any("только руководитель" in t for t in said), (data, said)
    said = anna.texts(await anna.press(cb(TeamTableAction.CARD, omega)))
    assert any("не найден" in t for t in said), said
    assert not any("Омега" in t for t in said), said

    # The head of another team: neither the member nor the client of this one.
    other = _user(dispatcher, bot, 8499, "Пётр")
    await other.send("/team new Юг")
    for data in (
        cb(TeamTableAction.MEMBER, boris.id),
        cb(TeamTableAction.CARD, vega),
        cb(TeamTableAction.HISTORY, vega),
    ):
        said = other.texts(await other.press(data))
        assert any("нет" in t or "не найден" in t for t in said), (data, said)
        assert not any("Вега" in t or "Борис" in t for t in said), said


async def test_the_monday_summary_of_a_head_has_the_team_line(
    dispatcher: Dispatcher, bot: MockedBot, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await _team(dispatcher, bot, session_pool, 8500)
    async with session_pool() as session:
        olga = await session.scalar(select(Manager).where(Manager.telegram_id == 8501))
        anna = await session.scalar(select(Manager).where(Manager.telegram_id == 8502))
        assert olga
        assert anna
        head_week = week_text(olga.language, await last_week(session, olga, NOW))
        member_week = week_text(anna.language, await last_week(session, anna, NOW))
    assert "Команда Отдел" in head_week, head_week
    assert "план 78" in head_week, head_week
    assert "Команда" not in member_week, member_week


def test_a_team_of_a_hundred_is_paged_within_telegrams_limits() -> None:
    def row(n: int) -> Row:
        return Row(
            n,
            f"Менеджер Длинноимённый {n}",
            Pace(1_000_000 * RUB, n * 10_000 * RUB, 10, 20, 10),
            MemberClients(100, 60, 40),
            1234,
            n * 10_000 * RUB,
        )

    rows = [row(n) for n in range(100, 0, -1)]
    period = period_of(PeriodKind.MONTH, date(2026, 11, 28))
    table = TeamTable("Отдел", period, "RUB", rows, row(0), False)
    t = translator("ru")
    assert pages(table) == 4
    for page in range(4):
        text = table_text(t, table, "ноябрь 2026", page)
        assert len(text) < 4096, len(text)
        body = PRE.search(text)
        assert body
        assert len(body.group(1).splitlines()) == 25 + 3  # header, 25 members, rule, total
        markup = table_kb(t, table, page)
        assert sum(len(r) for r in markup.inline_keyboard) <= 100
