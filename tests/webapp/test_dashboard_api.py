"""Issue 14, the dashboard's further calls on the real aiohttp app over the seeded base: the chart
is /kpi's own chart series (its last point is /kpi's sales), a tapped day lists that day's sales
of the asker only, the at-risk list names the clients /kpi counts, and the agenda's ✅ marks the
follow-up done in the database as the chat's does — another manager's (or a head's team
member's) is 404. Every call needs initData."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.kpi import build_kpi
from bot.services.kpi.chart_data import chart_data
from bot.webapp.to_json import to_json
from storage.enums import PeriodKind, TeamRole
from storage.models import Client, Manager, Sale, Team
from tests.conftest import NOW
from tests.support.mocked_bot import BOT_TOKEN
from tests.webapp.seed import ANNA, BORIS, seed, step_done_at, step_due_today
from tests.webapp.signing import sign_init_data

pytestmark = pytest.mark.db
Api = TestClient[web.Request, web.Application]
MOSCOW = ZoneInfo("Europe/Moscow")  # the seeded Anna's zone


def tma(telegram_id: int = ANNA) -> dict[str, str]:
    return {"Authorization": "tma " + sign_init_data(BOT_TOKEN, telegram_id, NOW)}


async def _get(api: Api, path: str, telegram_id: int = ANNA, **params: str) -> Any:
    response = await api.get(path, params=params, headers=tma(telegram_id))
    assert response.status == 200, await response.text()
    assert response.headers.get("Cache-Control") == "no-store"
    return await response.json()


async def _anna(pool: async_sessionmaker[AsyncSession], manager_id: int) -> Manager:
    async with pool() as session:
        manager = await session.get(Manager, manager_id)
        assert manager is not None
        return manager


async def _boris_id(pool: async_sessionmaker[AsyncSession]) -> int:
    async with pool() as session:
        boris = await session.scalar(select(Manager.id).where(Manager.telegram_id == BORIS))
        assert boris is not None
        return boris


async def test_the_chart_is_the_kpi_charts_series_and_ends_at_kpis_sales(
    api: Api, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    anna = await _anna(session_pool, ids["anna"])
    for word, kind in (("month", PeriodKind.MONTH), ("квартал", PeriodKind.QUARTER)):
        body = await _get(api, "/app/api/dashboard/chart", period=word)
        async with session_pool() as session:
            report = await build_kpi(session, anna, kind, NOW)
            series = await chart_data(session, anna, kind, NOW)
        shown = body["chart"]
        assert body["period"] == kind.value
        done = [v for v in shown["cumulative"] if v is not None]
        assert done[-1] == report.sales.total_minor > 0  # the curve ends where /kpi's sales are
        assert shown["plan_cumulative"][-1] == report.pace.plan_minor  # the plan line reaches it
        assert len(shown["days"]) == report.period.days()
        assert shown == to_json(series)  # the PNG's series itself, nothing of the page's own
        assert sum(v or 0 for v in shown["touches"]) > 0


async def test_a_day_lists_its_sales_of_the_asker_only(
    api: Api, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    sold_on = (NOW - timedelta(days=2)).astimezone(MOSCOW).date()  # «Ромашка»'s seeded sale
    boris = await _boris_id(session_pool)
    async with session_pool() as session:
        # Boris sells to his own «Ромашка» that same day, and Anna nothing of it is hers.
        session.add(
            Sale(
                client_id=ids["theirs"],
                manager_id=boris,
                amount_minor=777_00,
                sold_at=NOW - timedelta(days=2),
            )
        )
        await session.commit()
    chart = (await _get(api, "/app/api/dashboard/chart", period="month"))["chart"]
    index = chart["days"].index(sold_on.isoformat())
    that_day = chart["cumulative"][index] - chart["cumulative"][index - 1]

    body = await _get(api, "/app/api/dashboard/day", date=sold_on.isoformat())
    assert body["day"] == sold_on.isoformat()
    assert body["total_minor"] == that_day  # the chart's step on that day
    assert sum(c["total_minor"] for c in body["clients"]) == that_day
    assert body["cut"] is False
    names = {c["client_id"]: c["name"] for c in body["clients"]}
    assert names[ids["mine"]] == "ООО «Ромашка»"
    assert ids["theirs"] not in names
    mine = next(c for c in body["clients"] if c["client_id"] == ids["mine"])
    assert mine["total_minor"] >= 123_456_00

    his = await _get(api, "/app/api/dashboard/day", BORIS, date=sold_on.isoformat())
    assert [(c["client_id"], c["total_minor"]) for c in his["clients"]] == [(ids["theirs"], 777_00)]
    assert his["total_minor"] == 777_00

    for bad in ("2026-13-01", "вчера", ""):
        response = await api.get("/app/api/dashboard/day", params={"date": bad}, headers=tma())
        assert response.status == 400, bad


async def test_the_at_risk_list_names_the_clients_kpi_counts(
    api: Api, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    anna = await _anna(session_pool, ids["anna"])
    body = await _get(api, "/app/api/dashboard", period="month")
    async with session_pool() as session:
        report = await build_kpi(session, anna, PeriodKind.MONTH, NOW)
        own = set(await session.scalars(select(Client.id).where(Client.owner_id == anna.id)))
    assert report.b2b is not None
    risk = report.b2b.risk
    rows = body["at_risk"]["rows"]
    assert risk.overdue_count > len(risk.overdue)  # /kpi's message names a few: the page all
    assert len(rows) + body["at_risk"]["more"] == risk.count
    assert body["at_risk"]["more"] == 0
    assert len({r["client_id"] for r in rows}) == len(rows)
    assert {r["client_id"] for r in rows} <= own
    overdue = [r for r in rows if r["reason"] == "overdue"]
    assert len(overdue) == risk.overdue_count
    assert [r["client_id"] for r in overdue[: len(risk.overdue)]] == [
        o.client_id for o in risk.overdue
    ]  # the longest overdue first, as /kpi lists them
    assert {r["client_id"] for r in rows if r["reason"] == "check"} == {
        d.client_id for d in risk.drops if not risk.is_overdue(d)
    }
    assert body["kpi"]["b2b"]["risk"]["count"] == risk.count  # the old keys stay as they were


async def test_the_agenda_and_its_done_button(
    api: Api, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    boris = await _boris_id(session_pool)
    mine = await step_due_today(session_pool, ids["mine"], ids["anna"], "выслать КП")
    his = await step_due_today(session_pool, ids["theirs"], boris, "позвонить Борису")

    agenda = await _get(api, "/app/api/agenda")
    steps = {f["touch_id"]: f["step"] for f in agenda["followups"]}
    assert steps == {mine: "выслать КП"}  # the seeded ones are done; Boris's is his
    assert agenda["overdue"]  # /today's overdue clients too
    assert "pace" not in agenda

    response = await api.post(f"/app/api/agenda/{his}/done", headers=tma())
    assert response.status == 404  # Boris's follow-up, to Anna: as if it did not exist
    assert await response.json() == {"error": "not found"}
    assert await step_done_at(session_pool, his) is None
    for missing in (10**9, 0):
        response = await api.post(f"/app/api/agenda/{missing}/done", headers=tma())
        assert response.status == 404

    response = await api.post(f"/app/api/agenda/{mine}/done", headers=tma())
    assert response.status == 200, await response.text()
    assert await response.json() == {"done": True, "touch_id": mine}
    assert await step_done_at(session_pool, mine) == NOW
    again = await api.post(f"/app/api/agenda/{mine}/done", headers=tma())
    assert again.status == 200  # a second tap (or a retried request) changes nothing
    assert await step_done_at(session_pool, mine) == NOW
    assert (await _get(api, "/app/api/agenda"))["followups"] == []

    # A head reads the team's clients but never acts for a member: still 404.
    async with session_pool() as session:
        team = Team(name="Продажи")
        session.add(team)
        await session.flush()
        for manager_id in (ids["anna"], boris):
            member = await session.get(Manager, manager_id)
            assert member is not None
            member.team_id = team.id
            if manager_id == boris:
                member.role = TeamRole.HEAD
        client = await session.get(Client, ids["mine"])
        assert client is not None
        client.team_id = team.id
        await session.commit()
    other = await step_due_today(session_pool, ids["mine"], ids["anna"], "ещё шаг")
    response = await api.post(f"/app/api/agenda/{other}/done", headers=tma(BORIS))
    assert response.status == 404
    assert await step_done_at(session_pool, other) is None


async def test_every_call_needs_init_data(
    api: Api, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    touch = await step_due_today(session_pool, ids["mine"], ids["anna"], "выслать КП")
    day = date(2026, 11, 26).isoformat()
    for method, path in (
        ("GET", "/app/api/dashboard/chart?period=month"),
        ("GET", f"/app/api/dashboard/day?date={day}"),
        ("GET", "/app/api/agenda"),
        ("POST", f"/app/api/agenda/{touch}/done"),
    ):
        for headers in ({}, {"Authorization": "tma auth_date=1&hash=00"}):
            response = await api.request(method, path, headers=headers)
            assert response.status == 401, (method, path)
            assert await response.json() == {"error": "unauthorized"}
    assert await step_done_at(session_pool, touch) is None
    response = await api.get("/app/api/dashboard/chart", params={"period": "день"}, headers=tma())
    assert response.status == 400
