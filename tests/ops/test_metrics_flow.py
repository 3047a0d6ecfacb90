"""The counters move where things happen: updates by kind, latency, errors with their code."""

from __future__ import annotations

import re

from aiogram.methods import SendMessage

from bot import metrics
from tests.support.bot_client import BotClient


def _value(name: str, labels: dict[str, str] | None = None) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels or {}) or 0.0


async def test_updates_latency_and_errors_are_counted(client: BotClient) -> None:
    messages = _value("kambot_updates_total", {"kind": "message"})
    timed = _value("kambot_handler_seconds_count")
    errors = _value("kambot_update_errors_total", {"error": "TelegramBadRequest"})

    await client.send("/help")
    client.bot.session.fail_next("sendMessage", 400, "Bad Request: chat not found")
    requests = await client.send("/help")

    assert _value("kambot_updates_total", {"kind": "message"}) == messages + 2
    assert _value("kambot_handler_seconds_count") == timed + 2
    assert _value("kambot_update_errors_total", {"error": "TelegramBadRequest"}) == errors + 1
    apology = [r for r in requests if isinstance(r, SendMessage)][-1]
    ref = re.search(r"<code>([0-9A-F]{6})</code>", apology.text)
    assert ref is not None
    # The last reference code users were shown, one series only.
    last = metrics.REGISTRY.get_sample_value(
        "kambot_last_error_timestamp_seconds", {"ref": ref.group(1), "error": "TelegramBadRequest"}
    )
    assert last is not None
    series = [
        s
        for m in metrics.REGISTRY.collect()
        if m.name == "kambot_last_error_timestamp_seconds"
        for s in m.samples
    ]
    assert len(series) == 1
