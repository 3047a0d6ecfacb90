"""POST api/clients/<id>/touches: the Mini App's "log a touch" form.

The touch goes through the chat's own path (bot/services/crm/quicklog.log_text: the same
parsing of the text, the same record, the same /undo journal) and the chat then shows the same
✅ reply the bot gives to /call (bot/views/touch_saved.py), sent to the manager's chat.

Only the asker's own clients, as /call finds only those: anyone else's is 404 like a missing
one, a head's read-only team client too (as the agenda's ✅ is; the page offers no form there).
A double tap or a retry logs once: the page sends a key per opened form, marked in the
processed-updates table (as a button press is) in the touch's own transaction.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import partial
from typing import Any

from aiogram import Bot
from aiogram.enums import ParseMode
from aiohttp import web
from sqlalchemy.exc import IntegrityError

from bot.callbacks import MAX_ID
from bot.i18n import translator
from bot.services.crm import quicklog
from bot.services.crm import touches as touch_service
from bot.views.touch_saved import saved_reply
from bot.webapp.api import PREFIX, ApiError, Asker, WebAppApi
from bot.webapp.to_json import JsonValue
from storage.enums import Channel, Outcome
from storage.models import Manager

log = logging.getLogger("kambot.webapp")
MAX_TEXT = touch_service.MAX_SUMMARY
KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
SEND_TIMEOUT = 10  # seconds: the touch is saved already; the page should not hang on Telegram


@dataclass(frozen=True, slots=True)
class TouchForm:
    kind: Channel
    outcome: Outcome | None
    text: str
    key: str


def _invalid(error: str) -> ApiError:
    return ApiError(422, error)  # the page words each error key for the user


def parse_form(body: Any) -> TouchForm:
    if not isinstance(body, dict):
        raise _invalid("bad_body")
    try:
        kind = Channel(str(body.get("type")))
    except ValueError as exc:
        raise _invalid("bad_type") from exc
    outcome = body.get("outcome")
    try:
        chosen = None if outcome in (None, "") else Outcome(str(outcome))
    except ValueError as exc:
        raise _invalid("bad_outcome") from exc
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        raise _invalid("empty_text")
    if len(text.strip()) > MAX_TEXT:
        raise _invalid("long_text")
    key = body.get("key")
    if not isinstance(key, str) or not KEY.fullmatch(key):
        raise _invalid("bad_key")
    return TouchForm(kind, chosen, text.strip(), key)


async def _body(request: web.Request) -> Any:
    try:
        return await request.json()
    except ValueError as exc:  # not JSON at all (json.JSONDecodeError is a ValueError)
        raise _invalid("bad_body") from exc


async def _first_time(asker: Asker, chat_id: int, key: str) -> bool:
    # The key is the user's (the hash takes the chat): one user's key never hides another's.
    return await touch_service.first_press(
        asker.session, chat_id, 0, f"webapp-touch:{key}", asker.now
    )


async def _tell_chat(
    bot: Bot | None, chat_id: int, manager: Manager, logged: quicklog.Logged, asker: Asker
) -> bool:
    """Sends the chat's ✅ reply; False when it could not be sent (the touch stays saved)."""
    if bot is None:
        return False
    reply = saved_reply(translator(manager.language), logged, manager, asker.now)
    try:
        await bot.send_message(
            chat_id,
            reply.text,
            parse_mode=ParseMode.HTML,
            reply_markup=reply.markup,
            request_timeout=SEND_TIMEOUT,
        )
        for note in reply.notes:
            await bot.send_message(
                chat_id, note, parse_mode=ParseMode.HTML, request_timeout=SEND_TIMEOUT
            )
    except Exception:
        # Telegram down, slow or refusing: the touch is committed, the page says the chat missed it.
        log.warning("webapp: touch %s saved, the chat was not told", logged.touch.id, exc_info=True)
        return False
    return True


async def log_touch(api: WebAppApi, request: web.Request, asker: Asker) -> JsonValue:
    client_id = int(request.match_info["client_id"])  # the route takes digits only
    if not 0 < client_id <= MAX_ID:  # beyond int4: no such row, and PostgreSQL would refuse it
        raise ApiError(404, "not found")
    form = parse_form(await _body(request))
    chat_id = asker.telegram_id
    if not await _first_time(asker, chat_id, form.key):
        return {"saved": True, "repeat": True, "touch_id": None, "notified": None}
    manager = asker.manager
    try:
        logged = await quicklog.log_text(
            asker.session,
            manager,
            client_id,
            form.text,
            form.kind,
            asker.now,
            fixed=True,  # the form names the type, as /call does
            outcome=form.outcome,
        )
    except IntegrityError:
        # The twin of a double tap committed the same key first: it logged the touch.
        await asker.session.rollback()
        if await _first_time(asker, chat_id, form.key):
            raise
        log.info("webapp: touch form %s sent twice at once, logged once", form.key)
        return {"saved": True, "repeat": True, "touch_id": None, "notified": None}
    notified = await _tell_chat(api.bot, chat_id, manager, logged, asker)
    return {"saved": True, "repeat": False, "touch_id": logged.touch.id, "notified": notified}


def add_routes(app: web.Application, api: WebAppApi) -> None:
    path = f"{PREFIX}/clients/{{client_id:\\d+}}/touches"
    app.router.add_post(path, api.endpoint(partial(log_touch, api)))
