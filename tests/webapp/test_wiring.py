"""WEBAPP_URL turns the Mini App's API on in the real bot process: on the health port of `run`
(polling) and on the webhook port of `serve`, validated with the process's own BOT_TOKEN; unset,
no /app route exists at all."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fakes.telegram_api import FakeTelegramAPI
from tests.ops.support import SECRET, Role, free_port, http_get, wait_until
from tests.support.mocked_bot import BOT_TOKEN
from tests.webapp.signing import sign_init_data

pytestmark = pytest.mark.e2e
WEBAPP = {"WEBAPP_URL": "https://bot.example.test/app/"}
USER = 7401


@pytest.fixture(scope="module")
def api() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as fake:
        yield fake


def signed_get(url: str, telegram_id: int) -> tuple[int, dict[str, str], str]:
    init_data = sign_init_data(BOT_TOKEN, telegram_id, datetime.now(UTC))
    request = urllib.request.Request(url, headers={"Authorization": f"tma {init_data}"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return int(response.status), dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return int(exc.code), dict(exc.headers), exc.read().decode()


def test_run_serves_the_api_on_its_health_port(api: FakeTelegramAPI, tmp_path: Path) -> None:
    bot = Role(api, tmp_path, ["run"], env=WEBAPP).start()
    try:
        api.push_message(USER, "/start", first_name="Анна")
        wait_until(lambda: bool(api.sent_messages(USER)), timeout=60, what="a reply to /start")
        assert http_get(bot.url("/app/api/clients"))[0] == 401
        status, headers, body = signed_get(bot.url("/app/api/clients"), USER)
        assert status == 200, body
        assert headers["Cache-Control"] == "no-store"
        answer = json.loads(body)
        assert (answer["kind"], answer["clients"]) == ("all", [])  # a new manager's empty base
        status, _, body = signed_get(bot.url("/app/api/dashboard?period=week"), USER)
        assert status == 200, body
        assert json.loads(body)["kpi"]["sales"]["total_minor"] == 0
        assert signed_get(bot.url("/app/api/clients"), USER + 1)[0] == 403  # never wrote
    finally:
        assert bot.stop() == 0, bot.log()


def test_without_webapp_url_there_is_no_api(api: FakeTelegramAPI, tmp_path: Path) -> None:
    bot = Role(api, tmp_path, ["run"], env={"WEBAPP_URL": ""}).start()
    try:
        assert http_get(bot.url("/healthz"))[0] == 200
        assert signed_get(bot.url("/app/api/clients"), USER)[0] == 404
    finally:
        assert bot.stop() == 0, bot.log()


def test_serve_answers_the_api_on_its_webhook_port(api: FakeTelegramAPI, tmp_path: Path) -> None:
    port = free_port()
    env = {
        **WEBAPP,
        "WEBHOOK_URL": "https://bot.example.test/telegram/webhook",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_PORT": str(port),
    }
    serve = Role(api, tmp_path, ["serve"], env=env, health_port=port).start()
    try:
        status, headers, body = signed_get(serve.url("/app/api/dashboard"), USER)
        assert status == 403, body  # a genuine signature, but this database has no such manager
        assert headers["Cache-Control"] == "no-store"
        assert http_get(serve.url("/app/api/dashboard"))[0] == 401
    finally:
        assert serve.stop() == 0, serve.log()
