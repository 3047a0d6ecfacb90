"""Issue 14, the Mini App's server side: initData authenticates every call (forged, tampered,
expired or missing → 401), the dashboard shows /kpi's own figures, the client base is searched
as /client searches it, and the access rule is the chat's: another manager's client is 404 and
another author's private note never leaves the server. Nothing is cacheable."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.kpi import build_kpi
from storage.enums import PeriodKind, TeamRole
from storage.models import Client, Manager, Team
from tests.conftest import NOW
from tests.support.mocked_bot import BOT_TOKEN
from tests.webapp.seed import ANNA, BORIS, seed
from tests.webapp.signing import sign_init_data

pytestmark = pytest.mark.db
Api = TestClient[web.Request, web.Application]


def tma(telegram_id: int = ANNA, age: timedelta = timedelta(minutes=1)) -> dict[str, str]:
    return {"Authorization": "tma " + sign_init_data(BOT_TOKEN, telegram_id, NOW - age)}


async def _everything(response: Any) -> str:
    """The whole answer as text, whatever escaping the server chose: a secret anywhere in it
    is found."""
    return json.dumps(await response.json(), ensure_ascii=False)


def _no_store(response: Any) -> None:
    assert response.headers.get("Cache-Control") == "no-store"


async def test_dashboard_shows_the_figures_of_kpi(
    api: Api, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    for word, kind in (("month", PeriodKind.MONTH), ("квартал", PeriodKind.QUARTER)):
        response = await api.get("/app/api/dashboard", params={"period": word}, headers=tma())
        assert response.status == 200, await response.text()
        _no_store(response)
        assert response.content_type == "application/json"
        body = await response.json()
        async with session_pool() as session:
            manager = await session.get(Manager, ids["anna"])
            assert manager is not None
            report = await build_kpi(session, manager, kind, NOW)
        assert report.b2b is not None
        kpi = body["kpi"]
        assert body["period"] == kind.value
        assert kpi["period"]["start"] == report.period.start.isoformat()
        assert kpi["sales"]["total_minor"] == report.sales.total_minor > 0
        assert kpi["sales"]["count"] == report.sales.count
        assert kpi["previous_sales"]["total_minor"] == report.previous_sales.total_minor
        assert kpi["pace"]["plan_minor"] == report.pace.plan_minor
        assert report.pace.attainment is not None
        assert kpi["pace"]["attainment"] == pytest.approx(float(report.pace.attainment))
        assert kpi["pace"]["needed_per_day_minor"] == report.pace.needed_per_day_minor
        assert kpi["b2b"]["clients"]["touched"] == report.b2b.clients.touched
        assert kpi["b2b"]["clients"]["base"] == report.b2b.clients.base
        assert kpi["b2b"]["risk"]["count"] == report.b2b.risk.count
        assert [t["name"] for t in kpi["b2b"]["top"]] == [t.name for t in report.b2b.top]


async def test_a_bad_period_is_refused(
    api: Api, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_pool)
    response = await api.get("/app/api/dashboard", params={"period": "день"}, headers=tma())
    assert response.status == 400
    _no_store(response)


async def test_forged_tampered_expired_or_missing_init_data_is_401(
    api: Api, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_pool)
    url = "/app/api/dashboard"
    # Just inside the maximum age still works: the refusals below are not a broken signature.
    almost = await api.get(url, headers=tma(age=timedelta(hours=23, minutes=59)))
    assert almost.status == 200

    fields = dict(parse_qsl(tma()["Authorization"].removeprefix("tma ")))
    fields["user"] = fields["user"].replace(str(ANNA), str(BORIS))  # Boris poses as Anna
    tampered = "tma " + urlencode(fields)
    flipped = dict(parse_qsl(tma()["Authorization"].removeprefix("tma ")))
    flipped["hash"] = ("0" if flipped["hash"][0] != "0" else "1") + flipped["hash"][1:]
    other_bot = sign_init_data("999:AnotherBotsTokenAAAAAAAAAAAAAAAAAA", ANNA, NOW)
    refused = {
        "tampered user": {"Authorization": tampered},
        "tampered hash": {"Authorization": "tma " + urlencode(flipped)},
        "signed by another bot": {"Authorization": "tma " + other_bot},
        "expired": tma(age=timedelta(hours=24, seconds=1)),
        "from the future": tma(age=-timedelta(hours=1)),
        "missing": {},
        "other scheme": {"Authorization": "Bearer " + sign_init_data(BOT_TOKEN, ANNA, NOW)},
        "no hash": {"Authorization": "tma auth_date=1&user=%7B%22id%22%3A501%7D"},
    }
    for why, headers in refused.items():
        for path in (url, "/app/api/clients", "/app/api/clients/1"):
            response = await api.get(path, headers=headers)
            assert response.status == 401, (why, path, await response.text())
            _no_store(response)
            assert await response.json() == {"error": "unauthorized"}


async def test_a_telegram_user_who_is_no_manager_gets_nothing(
    api: Api, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    await seed(session_pool)
    response = await api.get("/app/api/clients", headers=tma(telegram_id=777))
    assert response.status == 403
    _no_store(response)


async def test_search_forgives_a_typo_and_stays_in_the_managers_base(
    api: Api, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    response = await api.get("/app/api/clients", params={"q": "Ромшка"}, headers=tma())
    assert response.status == 200
    _no_store(response)
    body = await response.json()
    found = [c["id"] for c in body["clients"]]
    assert found[0] == ids["mine"], body
    assert ids["theirs"] not in found
    # Boris finds his own «Ромашка», never Anna's.
    response = await api.get("/app/api/clients", params={"q": "Ромшка"}, headers=tma(BORIS))
    assert [c["id"] for c in (await response.json())["clients"]] == [ids["theirs"]]
    # No query: the whole base, Anna's 101 clients.
    everything = await (await api.get("/app/api/clients", headers=tma())).json()
    assert len(everything["clients"]) == 101
    assert ids["theirs"] not in {c["id"] for c in everything["clients"]}


async def test_client_page_holds_contacts_timeline_sales_and_only_readable_notes(
    api: Api, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    response = await api.get(f"/app/api/clients/{ids['mine']}", headers=tma())
    assert response.status == 200, await response.text()
    _no_store(response)
    text = await _everything(response)
    page = json.loads(text)
    assert page["card"]["name"] == "ООО «Ромашка»"
    assert page["read_only"] is False
    assert [c["name"] for c in page["card"]["contacts"]] == ["Иван Петров"]
    assert "обсудили отгрузку" in [e["text"] for e in page["timeline"]["entries"]]
    assert [(s["amount_minor"], s["product_line"]) for s in page["sales"]] == [
        (123_456_00, "кабель")
    ]
    notes = {n["text"] for n in page["card"]["notes"]}
    assert notes == {"общая заметка Анны", "личное Анны"}
    assert "тайна Бориса" not in text  # not in the card, not in the timeline, nowhere


async def test_another_managers_client_is_not_found(
    api: Api, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    for client_id in (ids["theirs"], 10**9, -1):
        response = await api.get(f"/app/api/clients/{client_id}", headers=tma())
        assert response.status == 404, await response.text()
        _no_store(response)
        assert await response.json() == {"error": "not found"}
    # Boris reads his own client: the 404 above is the access rule, not a broken page.
    own = await api.get(f"/app/api/clients/{ids['theirs']}", headers=tma(BORIS))
    assert own.status == 200
    assert "заметка о чужой Ромашке" in await _everything(own)


async def test_a_head_reads_the_teams_client_without_the_members_private_notes(
    api: Api, session_pool: async_sessionmaker[AsyncSession]
) -> None:
    ids = await seed(session_pool)
    async with session_pool() as session:
        team = Team(name="Продажи")
        session.add(team)
        await session.flush()
        anna = await session.get(Manager, ids["anna"])
        boris = await session.scalar(select(Manager).where(Manager.telegram_id == BORIS))
        mine = await session.get(Client, ids["mine"])
        assert anna is not None
        assert boris is not None
        assert mine is not None
        anna.team_id = boris.team_id = mine.team_id = team.id
        boris.role = TeamRole.HEAD
        await session.commit()
    response = await api.get(f"/app/api/clients/{ids['mine']}", headers=tma(BORIS))
    assert response.status == 200, await response.text()
    text = await _everything(response)
    page = json.loads(text)
    assert page["read_only"] is True
    assert "обсудили отгрузку" in [e["text"] for e in page["timeline"]["entries"]]
    assert "тайна Бориса" in text  # his own private note: its author reads it
    assert "личное Анны" not in text
    # Anna is no head: Boris's client stays 404 to her.
    refused = await api.get(f"/app/api/clients/{ids['theirs']}", headers=tma(ANNA))
    assert refused.status == 404
