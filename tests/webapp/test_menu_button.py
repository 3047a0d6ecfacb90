"""The chat's menu button opens the Mini App when WEBAPP_URL is set, through the real process;
unset, a start puts Telegram's default button back (turning the Mini App off removes it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.telegram_api import FakeTelegramAPI
from tests.ops.support import Role

pytestmark = pytest.mark.e2e
URL = "https://bot.example.test/app/"


@pytest.fixture(scope="module")
def api() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as fake:
        yield fake


def menu_button(api: FakeTelegramAPI, after: int) -> dict[str, Any]:
    calls = [c for c in api.calls("setChatMenuButton")[after:] if c.ok]
    assert calls, "no setChatMenuButton at start"
    assert "chat_id" not in calls[-1].params  # the bot's default button, for every chat
    button = calls[-1].params["menu_button"]
    return button if isinstance(button, dict) else json.loads(button)


def test_webapp_url_puts_the_dashboard_in_the_menu_and_unset_takes_it_away(
    api: FakeTelegramAPI, tmp_path: Path
) -> None:
    before = len(api.calls("setChatMenuButton"))
    bot = Role(api, tmp_path, ["run"], env={"WEBAPP_URL": URL, "DEFAULT_LANGUAGE": "ru"}).start()
    assert bot.stop() == 0, bot.log()
    button = menu_button(api, before)
    assert button == {"type": "web_app", "text": "📊 Дашборд", "web_app": {"url": URL}}

    before = len(api.calls("setChatMenuButton"))
    bot = Role(api, tmp_path, ["run"]).start()
    assert bot.stop() == 0, bot.log()
    assert menu_button(api, before) == {"type": "default"}
