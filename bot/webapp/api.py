"""The Mini App's JSON API under /app/api: thin handlers (authenticate, parse, call a service,
reply). Every call carries `Authorization: tma <initData>`; the manager is the Telegram user
initData was signed for, and sees what the chat would show them — nothing is cached by anyone
(`Cache-Control: no-store`), and nothing is rendered here: escaping is the page's job.

401: no, forged, tampered or expired initData. 403: a genuine Telegram user who is not one of
the bot's managers (never sent /start, or not in ALLOWED_USER_IDS). 404: a client the asker may
not read, exactly like a missing one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiogram import Bot
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.clock import Clock
from bot.services.errors import NotFound
from bot.services.kpi import build_kpi
from bot.services.kpi.words import parse_period
from bot.services.sample import demo as demo_service
from bot.webapp import client_filters, client_page, dashboard_page
from bot.webapp.init_data import InvalidInitData, telegram_user_id
from bot.webapp.static_files import add_page_routes
from bot.webapp.to_json import JsonValue, to_json
from storage import managers as manager_store
from storage.enums import PeriodKind
from storage.models import Manager

log = logging.getLogger("kambot.webapp")
PREFIX = "/app/api"
SCHEME = "tma "
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class ApiError(Exception):
    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status, self.error = status, error


@dataclass(frozen=True, slots=True)
class Asker:
    session: AsyncSession
    manager: Manager  # under /demo, the sandbox the chat shows
    now: datetime
    telegram_id: int  # whom initData was signed for: the real chat, under /demo too


Endpoint = Callable[[web.Request, Asker], Awaitable[JsonValue]]


def _dumps(body: JsonValue) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def _reply(body: JsonValue, status: int = 200) -> web.Response:
    headers = dict(NO_STORE)
    if status == 401:
        headers["WWW-Authenticate"] = "tma"
    return web.json_response(body, status=status, headers=headers, dumps=_dumps)


@dataclass(frozen=True, slots=True)
class WebAppApi:
    session_pool: async_sessionmaker[AsyncSession]
    clock: Clock
    bot_token: str
    max_age: timedelta
    allowed_user_ids: frozenset[int] = frozenset()
    bot: Bot | None = None  # to answer in the chat what the page did (a touch's ✅)

    def telegram_id(self, request: web.Request, now: datetime) -> int:
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith(SCHEME):
            raise ApiError(401, "unauthorized")
        try:
            init_data = header[len(SCHEME) :].strip()
            return telegram_user_id(init_data, self.bot_token, now, self.max_age)
        except InvalidInitData as exc:
            log.info("webapp: initData refused (%s) from %s", exc, request.remote)
            raise ApiError(401, "unauthorized") from exc

    async def manager(self, session: AsyncSession, telegram_id: int) -> Manager:
        if self.allowed_user_ids and telegram_id not in self.allowed_user_ids:
            raise ApiError(403, "not allowed")
        manager = await manager_store.by_telegram_id(session, telegram_id)
        if manager is None:
            raise ApiError(403, "not registered")
        if manager.in_sandbox:  # /demo: the page shows what the chat shows, the sandbox
            return await demo_service.sandbox_of(session, manager) or manager
        return manager

    def endpoint(self, handler: Endpoint) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def serve(request: web.Request) -> web.Response:
            now = self.clock.now()
            try:
                telegram_id = self.telegram_id(request, now)
                async with self.session_pool() as session:
                    manager = await self.manager(session, telegram_id)
                    body = await handler(request, Asker(session, manager, now, telegram_id))
            except ApiError as exc:
                return _reply({"error": exc.error}, exc.status)
            except NotFound:
                return _reply({"error": "not found"}, 404)
            return _reply(body)

        return serve


def period_asked(request: web.Request) -> PeriodKind:
    """The ?period= of a dashboard call, in /kpi's words (week, месяц, …); 400 otherwise."""
    kind = parse_period(request.query.get("period"))
    if kind is None:
        raise ApiError(400, "unknown period")
    return kind


async def dashboard(request: web.Request, asker: Asker) -> JsonValue:
    kind = period_asked(request)
    report = await build_kpi(
        asker.session, asker.manager, kind, asker.now, risk_shown=dashboard_page.LISTED
    )
    risk = await dashboard_page.at_risk(asker.session, asker.manager, report, asker.now)
    return {"period": kind.value, "kpi": to_json(report), "at_risk": to_json(risk)}


async def clients(request: web.Request, asker: Asker) -> JsonValue:
    try:
        wanted = client_filters.parse(request.query)
    except client_filters.BadQuery as exc:
        raise ApiError(400, str(exc)) from exc
    return to_json(await client_page.listing(asker.session, asker.manager, wanted, asker.now))


async def client(request: web.Request, asker: Asker) -> JsonValue:
    try:
        client_id = int(request.match_info["client_id"])
        number = int(request.query.get("page", "0"))
    except ValueError as exc:
        raise ApiError(404, "not found") from exc
    shown = await client_page.page(asker.session, asker.manager, client_id, number, asker.now)
    return to_json(shown)


def setup_webapp(
    app: web.Application,
    *,
    session_pool: async_sessionmaker[AsyncSession],
    clock: Clock,
    bot_token: str,
    max_age: timedelta,
    allowed_user_ids: frozenset[int] = frozenset(),
    bot: Bot | None = None,
) -> None:
    """Adds the Mini App's page and API routes to `app` (before its runner is set up)."""
    api = WebAppApi(session_pool, clock, bot_token, max_age, allowed_user_ids, bot)
    app.router.add_get(f"{PREFIX}/dashboard", api.endpoint(dashboard))
    app.router.add_get(f"{PREFIX}/clients", api.endpoint(clients))
    app.router.add_get(f"{PREFIX}/clients/{{client_id:-?\\d+}}", api.endpoint(client))
    from bot.webapp import dashboard_api as board  # here: it builds on this module's Asker

    app.router.add_get(f"{PREFIX}/dashboard/chart", api.endpoint(board.chart))
    app.router.add_get(f"{PREFIX}/dashboard/day", api.endpoint(board.day_sales))
    app.router.add_get(f"{PREFIX}/agenda", api.endpoint(board.agenda))
    app.router.add_post(f"{PREFIX}/agenda/{{touch_id:\\d+}}/done", api.endpoint(board.agenda_done))
    from bot.webapp import touch_api  # the form's POST: it needs the api's bot and initData

    touch_api.add_routes(app, api)
    add_page_routes(app)
