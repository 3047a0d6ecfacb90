"""The dashboard's further calls under /app/api (issue 14): the plan-vs-fact chart of a period, a
day's sales behind a point of it, /today's agenda and its ✅. Thin: parse, call
bot/webapp/dashboard_page.py, reply; authentication and the access rule are api.py's `endpoint`.
"""

from __future__ import annotations

from datetime import date

from aiohttp import web

from bot.webapp import dashboard_page
from bot.webapp.api import ApiError, Asker, period_asked
from bot.webapp.to_json import JsonValue, to_json


async def chart(request: web.Request, asker: Asker) -> JsonValue:
    kind = period_asked(request)
    data = await dashboard_page.chart(asker.session, asker.manager, kind, asker.now)
    return {"period": kind.value, "chart": to_json(data)}


async def day_sales(request: web.Request, asker: Asker) -> JsonValue:
    try:
        day = date.fromisoformat(request.query.get("date", ""))
    except ValueError as exc:
        raise ApiError(400, "bad date") from exc
    return to_json(await dashboard_page.day_sales(asker.session, asker.manager, day))


async def agenda(request: web.Request, asker: Asker) -> JsonValue:
    shown = await dashboard_page.agenda(asker.session, asker.manager, asker.now)
    # Without its pace line: the chat's sentence in the chat's language; the page has the figures.
    return {
        "followups": to_json(shown.followups),
        "overdue": to_json(shown.overdue),
        "birthdays": to_json(shown.birthdays),
        "requests": to_json(shown.requests),
    }


async def agenda_done(request: web.Request, asker: Asker) -> JsonValue:
    try:
        touch_id = int(request.match_info["touch_id"])
    except ValueError as exc:
        raise ApiError(404, "not found") from exc
    done = await dashboard_page.complete(asker.session, asker.manager, touch_id, asker.now)
    return {"done": True, "touch_id": done}
