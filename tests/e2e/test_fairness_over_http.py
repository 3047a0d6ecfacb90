"""One user's slow update does not hold up another user; one chat's updates stay in order.

Driven through the real polling path of `python -m bot`. A's import is slow in a real way: the
fake Telegram server answers getFile (the download of A's file) only seconds later, as over a
slow network, while the bot keeps polling.
"""

from __future__ import annotations

import re
import signal
import time

import pytest

from bot.polling import PARK_WINDOW
from tests.e2e.harness import BotProcess, Chat
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.support.spreadsheets import csv_bytes, russian_clients

pytestmark = pytest.mark.e2e
DOWNLOAD_SECONDS = 4.0
HELP_MARK = "карманный помощник"
PREVIEW_BUTTON = "Импортировать"


def _to(chat: Chat, calls: list[Call]) -> list[Call]:
    return [c for c in calls if str(c.params.get("chat_id")) == str(chat.user_id)]


def _wait_handled(api: FakeTelegramAPI, update_id: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while api.confirmed_offset <= update_id:
        assert time.monotonic() < deadline, f"update {update_id} not handled in {timeout} s"
        time.sleep(0.01)


def test_a_slow_update_does_not_delay_another_chat_and_a_chat_keeps_its_order(
    bot_process: BotProcess, fake_api: FakeTelegramAPI
) -> None:
    a, b = Chat(fake_api, 7301, "ru"), Chat(fake_api, 7302, "ru")
    a.send("/start")
    b.send("/start")
    content = csv_bytes(russian_clients(5), delimiter=";")
    fake_api.delay_answers("getFile", DOWNLOAD_SECONDS)
    try:
        mark = fake_api.mark()
        pushed_at = time.monotonic()
        fake_api.push_document(a.user_id, content, "база.csv", "text/csv")
        fake_api.push_message(a.user_id, "/help")  # same chat, right behind the slow document
        last = fake_api.push_message(b.user_id, "/help")
        _wait_handled(fake_api, last, DOWNLOAD_SECONDS * 4 + 15)
    finally:
        fake_api.delay_answers("getFile", 0)

    sent = [c for c in fake_api.calls()[mark:] if c.method == "sendMessage" and c.ok]
    to_a, to_b = _to(a, sent), _to(b, sent)
    assert len(to_b) == 1, to_b
    assert HELP_MARK in str(to_b[0].params["text"])
    assert len(to_a) == 2, [str(c.params.get("text"))[:80] for c in to_a]
    preview, a_help = to_a
    # A's chat in order: the preview of the document first, then the /help sent after it.
    assert PREVIEW_BUTTON in str(preview.params.get("reply_markup")), preview.params
    assert HELP_MARK in str(a_help.params["text"])
    # B was answered while A's download was still on its way, not after it.
    assert to_b[0].at < preview.at, (to_b[0].at - pushed_at, preview.at - pushed_at)
    assert to_b[0].at - pushed_at < DOWNLOAD_SECONDS - 1.0, to_b[0].at - pushed_at


def test_a_parked_slow_update_survives_kill_9_and_runs_after_the_restart(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A slow update with many newer ones behind it is parked on disk and confirmed to
    Telegram, so the window moves on; killed mid-way, the bot runs it again after the restart."""
    with FakeTelegramAPI() as api:
        bot = BotProcess(api, tmp_path_factory.mktemp("parked"))
        bot.start()
        try:
            a, b = Chat(api, 7401, "ru"), Chat(api, 7402, "ru")
            a.send("/start")
            b.send("/start")
            api.delay_answers("getFile", 600.0)  # A's download never comes back before the kill
            document = api.push_document(
                a.user_id, csv_bytes(russian_clients(3), delimiter=";"), "база.csv", "text/csv"
            )
            helps = [api.push_message(b.user_id, "/help") for _ in range(PARK_WINDOW + 5)]
            # Telegram no longer keeps A's document: the bot confirmed past it, unfinished.
            _wait_handled(api, helps[-1], 60)
            assert api.confirmed_offset > document
            assert not [c for c in _to(a, api.calls()) if "база" in str(c.params)]
            bot.stop(signal.SIGKILL)
            api.delay_answers("getFile", 0)
            mark = api.mark()
            bot.start()
            deadline = time.monotonic() + 60
            while not any(
                PREVIEW_BUTTON in str(c.params.get("reply_markup"))
                for c in _to(a, api.calls()[mark:])
            ):
                assert time.monotonic() < deadline, bot.log()[-3000:]
                time.sleep(0.05)
            # A's document, and any /help still running at the kill (parked /help is confirmed
            # before it finishes too; replayed, the idempotency middleware skips it if done).
            assert re.search(r"replaying \d+ parked update", bot.log()), bot.log()[:600]
            sent = [c for c in api.calls()[mark:] if c.method == "sendMessage"]
            assert len(_to(a, sent)) == 1  # one preview, nothing twice
        finally:
            api.delay_answers("getFile", 0)
            bot.stop()
