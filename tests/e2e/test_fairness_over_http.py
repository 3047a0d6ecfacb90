"""One user's slow update does not hold up another user; one chat's updates stay in order.

Driven through the real polling path of `python -m bot`. A's import is slow in a real way: the
fake Telegram server answers getFile (the download of A's file) only seconds later, as over a
slow network, while the bot keeps polling.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import threading
import time
import urllib.request

import pytest

from bot.polling import PARK_WINDOW
from tests.e2e.harness import BotProcess, Chat
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.support.spreadsheets import csv_bytes, russian_clients

pytestmark = pytest.mark.e2e
DOWNLOAD_SECONDS = 4.0
HELP_MARK = "карманный помощник"
PREVIEW_BUTTON = "Импортировать"
SECRET = "fairness-Secret_1"


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


def _post(url: str, update: dict[str, object]) -> None:
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
    request = urllib.request.Request(url, data=json.dumps(update).encode(), headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200


def _message(update_id: int, user_id: int, content: dict[str, object]) -> dict[str, object]:
    user = {"id": user_id, "is_bot": False, "first_name": "Тест", "language_code": "ru"}
    chat = {"id": user_id, "type": "private", "first_name": "Тест"}
    message = {"message_id": update_id, "date": 1_790_000_000, "chat": chat, "from": user}
    return {"update_id": update_id, "message": {**message, **content}}


def _help(update_id: int, user_id: int) -> dict[str, object]:
    command = {"type": "bot_command", "offset": 0, "length": 5}
    return _message(update_id, user_id, {"text": "/help", "entities": [command]})


def test_webhook_keeps_one_chat_in_order_and_lets_other_chats_through(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Webhook requests are concurrent tasks: A's /help waits for A's slow document, B's not."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    with FakeTelegramAPI() as api:
        bot = BotProcess(
            api,
            tmp_path_factory.mktemp("webhook-order"),
            env={
                "WEBHOOK_URL": "https://kambot.example.test/telegram/webhook",
                "WEBHOOK_PORT": str(port),
                "WEBHOOK_SECRET": SECRET,
            },
        )
        bot.start()
        url = f"http://127.0.0.1:{port}/telegram/webhook"
        try:
            _post(url, _help(1, 7501))  # registers A and B before the measured part
            _post(url, _help(2, 7502))
            content = csv_bytes(russian_clients(3), delimiter=";")
            file_id = api.add_file(content, "база.csv", "text/csv")
            document = {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "file_name": "база.csv",
                "mime_type": "text/csv",
                "file_size": len(content),
            }
            api.delay_answers("getFile", DOWNLOAD_SECONDS)
            mark = api.mark()
            pushed_at = time.monotonic()
            posts = [
                threading.Thread(
                    target=_post, args=(url, _message(3, 7501, {"document": document}))
                )
            ]
            posts[0].start()
            time.sleep(0.5)  # the document is in the bot, waiting for its download
            posts.append(threading.Thread(target=_post, args=(url, _help(4, 7501))))
            posts[1].start()
            time.sleep(0.2)
            _post(url, _help(5, 7502))
            b_answered = time.monotonic() - pushed_at
            for post in posts:
                post.join(60)
        finally:
            api.delay_answers("getFile", 0)
            bot.stop()
    sent = [c for c in api.calls()[mark:] if c.method == "sendMessage" and c.ok]
    a_calls = [c for c in sent if str(c.params.get("chat_id")) == "7501"]
    assert b_answered < DOWNLOAD_SECONDS - 1.0, b_answered
    assert len(a_calls) == 2, [str(c.params.get("text"))[:80] for c in a_calls]
    assert PREVIEW_BUTTON in str(a_calls[0].params.get("reply_markup"))
    assert HELP_MARK in str(a_calls[1].params["text"])
