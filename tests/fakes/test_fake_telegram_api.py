"""The fake Bot API, driven by a real aiogram Bot, behaves like Telegram where kambot cares."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest
import pytest_asyncio
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from tests.fakes.telegram_api import Call, FakeTelegramAPI, parse_html

BOT_ID = 777000
TOKEN = f"{BOT_ID}:FAKE-token_for_tests"
USER = 1001
OTHER_USER = 1002


@pytest.fixture
def fake_api() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as server:
        yield server
        assert server.errors == []


@pytest_asyncio.fixture
async def bot(fake_api: FakeTelegramAPI) -> AsyncIterator[Bot]:
    async with Bot(token=TOKEN, session=fake_api.make_session()) as real_bot:
        yield real_bot


def keyboard(*callback_data: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(text=f"b{i}", callback_data=d) for i, d in enumerate(callback_data)
    ]
    return InlineKeyboardMarkup(inline_keyboard=[buttons])


# ------------------------------------------------------------------ identity and routing


@pytest.mark.asyncio
async def test_get_me_through_a_plain_aiohttp_session(fake_api: FakeTelegramAPI) -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake_api.base_url))
    async with Bot(token=TOKEN, session=session) as plain_bot:
        me = await plain_bot.get_me()

    assert (me.id, me.is_bot, me.first_name, me.username) == (
        BOT_ID,
        True,
        "KamBot",
        "kam_test_bot",
    )
    assert fake_api.base_url.startswith("http://127.0.0.1:")


@pytest.mark.asyncio
async def test_method_names_are_case_insensitive_and_unknown_ones_are_404(
    fake_api: FakeTelegramAPI,
) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{fake_api.base_url}/bot{TOKEN}/GETME") as resp:
            me = await resp.json()
        async with http.post(f"{fake_api.base_url}/bot{TOKEN}/sendTelepathy") as resp:
            unknown = (resp.status, await resp.json())

    assert me["ok"]
    assert me["result"]["id"] == BOT_ID
    assert fake_api.calls()[0].method == "getMe"
    assert unknown == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )


@pytest.mark.asyncio
async def test_a_malformed_or_unknown_token_is_unauthorized(fake_api: FakeTelegramAPI) -> None:
    # aiogram accepts this token's shape; Telegram's does not.
    async with Bot(token="123:has.a.dot", session=fake_api.make_session()) as bad_bot:
        with pytest.raises(TelegramUnauthorizedError, match="Unauthorized"):
            await bad_bot.get_me()

    with FakeTelegramAPI(allowed_tokens=[TOKEN]) as strict:
        async with Bot(token="1:revoked", session=strict.make_session()) as revoked_bot:
            with pytest.raises(TelegramUnauthorizedError):
                await revoked_bot.get_me()


# ------------------------------------------------------------------ getUpdates


@pytest.mark.asyncio
async def test_confirmed_updates_never_come_back(fake_api: FakeTelegramAPI, bot: Bot) -> None:
    first = fake_api.push_message(USER, "one")
    second = fake_api.push_message(USER, "two")
    third = fake_api.push_message(USER, "three")

    assert [u.update_id for u in await bot.get_updates(limit=2)] == [first, second]
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second, third]
    assert [u.update_id for u in await bot.get_updates(offset=third + 1)] == []
    assert await bot.get_updates(offset=0) == []
    assert fake_api.confirmed_offset == third + 1
    assert fake_api.pending_updates() == 0


@pytest.mark.asyncio
async def test_long_poll_wakes_as_soon_as_an_update_is_pushed(
    fake_api: FakeTelegramAPI, bot: Bot
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.05)
    update_id = fake_api.push_message(USER, "hello")

    updates = await asyncio.wait_for(poll, timeout=2)

    assert [u.update_id for u in updates] == [update_id]
    assert time.monotonic() - started < 1


@pytest.mark.asyncio
async def test_long_poll_returns_nothing_at_its_timeout(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == []
    assert 0.9 < time.monotonic() - started < 2


@pytest.mark.asyncio
async def test_pushed_updates_parse_as_aiogram_types(fake_api: FakeTelegramAPI, bot: Bot) -> None:
    fake_api.push_message(USER, "/start@kam_test_bot ref", language_code="en")
    fake_api.push_location(USER, 55.75, 37.61)
    fake_api.push_document(USER, b"a,b\n1,2\n", "clients.csv", "text/csv")
    fake_api.push_photo(USER, caption="look")

    command, location, document, photo = [u.message for u in await bot.get_updates()]

    assert command is not None
    assert command.text == "/start@kam_test_bot ref"
    assert command.from_user is not None
    assert command.from_user.language_code == "en"
    assert command.entities is not None
    assert (command.entities[0].type, command.entities[0].length) == ("bot_command", 19)
    assert location is not None
    assert location.location is not None
    assert location.location.latitude == 55.75
    assert document is not None
    assert document.document is not None
    assert document.document.file_name == "clients.csv"
    downloaded = await bot.download(document.document.file_id)
    assert downloaded is not None
    assert downloaded.read() == b"a,b\n1,2\n"
    assert photo is not None
    assert photo.photo is not None
    assert photo.caption == "look"
    assert len({m.message_id for m in (command, location, document, photo)}) == 4


@pytest.mark.asyncio
async def test_get_updates_is_refused_while_a_webhook_is_set(bot: Bot) -> None:
    await bot.set_webhook("https://example.invalid/hook")
    assert (await bot.get_webhook_info()).url == "https://example.invalid/hook"

    with pytest.raises(TelegramConflictError):
        await bot.get_updates()

    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == []


# ------------------------------------------------------------------ messages


@pytest.mark.asyncio
async def test_send_then_edit_a_message(fake_api: FakeTelegramAPI, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Choose", reply_markup=keyboard("pick:1"))
    again = await bot.send_message(USER, "Second")
    edited = await bot.edit_message_text(
        "Chosen", chat_id=USER, message_id=sent.message_id, reply_markup=keyboard("undo")
    )

    assert again.message_id == sent.message_id + 1
    assert sent.reply_markup is not None
    assert sent.reply_markup.model_dump() == keyboard("pick:1").model_dump()
    assert sent.from_user is not None
    assert sent.from_user.id == BOT_ID
    assert isinstance(edited, Message)
    assert edited.text == "Chosen"
    current = fake_api.message(USER, sent.message_id)
    assert current is not None
    assert current["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "undo"
    assert [m["text"] for m in fake_api.sent_messages(USER)] == ["Choose", "Second"]
    assert fake_api.calls("sendMessage")[0].params["chat_id"] == USER


@pytest.mark.asyncio
async def test_edits_fail_like_telegram(fake_api: FakeTelegramAPI, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Same")
    fake_api.push_message(USER, "from the user")
    user_message_id = fake_api.messages(USER)[-1]["message_id"]

    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=999)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("Same", chat_id=USER, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("x", chat_id=USER, message_id=user_message_id)

    await bot.delete_message(USER, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(USER, sent.message_id)


@pytest.mark.asyncio
async def test_text_limits(bot: Bot) -> None:
    await bot.send_message(USER, "я" * 4096)

    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(USER, "я" * 4097)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(USER, "")


@pytest.mark.asyncio
async def test_callback_data_is_limited_to_64_bytes(fake_api: FakeTelegramAPI, bot: Bot) -> None:
    sent = await bot.send_message(USER, "ok", reply_markup=keyboard("ж" * 32))

    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "too long", reply_markup=keyboard("ok", "ж" * 33))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.edit_message_reply_markup(
            chat_id=USER, message_id=sent.message_id, reply_markup=keyboard("x" * 65)
        )
    assert fake_api.calls("sendMessage")[-1].error_code == 400


@pytest.mark.asyncio
async def test_html_must_be_balanced_and_known(bot: Bot) -> None:
    ok = await bot.send_message(
        USER, "<b>Bold</b> &amp; <a href='https://x.test'>link</a>", parse_mode="HTML"
    )
    assert ok.text == "Bold & link"
    assert ok.entities is not None
    assert [e.type for e in ok.entities] == ["bold", "text_link"]

    for broken, reason in [
        ("<b>never closed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>crossed</i>", 'Unmatched end tag at byte offset 10, expected "</b>", found "</i>"'),
        ("Ivanov <ivanov@mail.test>", 'Unsupported start tag "ivanov@mail.test"'),
        ("1 < 2", 'Unsupported start tag ""'),
        ("<p>paragraph</p>", 'Unsupported start tag "p" at byte offset 0'),
    ]:
        with pytest.raises(TelegramBadRequest, match="can't parse entities") as caught:
            await bot.send_message(USER, broken, parse_mode="HTML")
        assert reason in caught.value.message


def test_html_parser_offsets_and_entities() -> None:
    text, entities = parse_html('é <i>😀x</i> <pre><code class="language-py">1</code></pre>')

    assert text == "é 😀x 1"
    assert entities == [
        {"type": "italic", "offset": 2, "length": 3},
        {"type": "pre", "offset": 6, "length": 1, "language": "py"},
    ]


# ------------------------------------------------------------------ failures and limits


@pytest.mark.asyncio
async def test_injected_429_carries_retry_after(fake_api: FakeTelegramAPI, bot: Bot) -> None:
    fake_api.fail_next("sendMessage", 429, retry_after=7)

    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(USER, "hi")
    await bot.send_message(USER, "hi again")

    assert caught.value.retry_after == 7
    assert "Too Many Requests: retry after 7" in caught.value.message
    assert fake_api.throttled_count == 1


@pytest.mark.asyncio
async def test_injected_403_hits_only_the_chosen_chat(fake_api: FakeTelegramAPI, bot: Bot) -> None:
    fake_api.fail_next("sendmessage", 403, chat_id=USER, count=2)

    await bot.send_message(OTHER_USER, "fine")
    for _ in range(2):
        with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
            await bot.send_message(USER, "blocked")
    await bot.send_message(USER, "unblocked")


@pytest.mark.asyncio
async def test_rate_limit_mode_allows_one_message_per_chat_per_second(
    fake_api: FakeTelegramAPI, bot: Bot
) -> None:
    fake_api.enforce_rate_limits()

    await bot.send_message(USER, "first")
    await bot.send_message(OTHER_USER, "another chat is fine")
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(USER, "second")

    assert caught.value.retry_after == 1
    assert fake_api.throttled_count == 1


# ------------------------------------------------------------------ files


@pytest.mark.asyncio
async def test_send_document_records_the_uploaded_bytes(
    fake_api: FakeTelegramAPI, bot: Bot
) -> None:
    content = "Клиент;Сумма\nАльфа;100\n".encode()

    sent = await bot.send_document(
        USER,
        BufferedInputFile(content, filename="report.csv"),
        caption="<b>Report</b>",
        parse_mode="HTML",
    )

    call = fake_api.calls("sendDocument")[0]
    assert call.files == {"document": ("report.csv", content)}
    assert sent.document is not None
    assert sent.document.file_name == "report.csv"
    assert sent.document.mime_type == "text/csv"
    assert sent.caption == "Report"
    assert fake_api.file_content(sent.document.file_id) == content


@pytest.mark.asyncio
async def test_send_photo_accepts_an_upload(fake_api: FakeTelegramAPI, bot: Bot) -> None:
    sent = await bot.send_photo(USER, BufferedInputFile(b"\xff\xd8jpeg", filename="chart.jpg"))

    assert sent.photo is not None
    assert len(sent.photo) == 2
    assert fake_api.calls("sendPhoto")[0].files["photo"] == ("chart.jpg", b"\xff\xd8jpeg")


@pytest.mark.asyncio
async def test_get_file_then_download(fake_api: FakeTelegramAPI, bot: Bot) -> None:
    file_id = fake_api.add_file(
        b"%PDF-1.7 fake", file_name="contract.pdf", mime_type="application/pdf"
    )

    info = await bot.get_file(file_id)
    downloaded = await bot.download(file_id)

    assert info.file_path is not None
    assert info.file_path.endswith(".pdf")
    assert downloaded is not None
    assert downloaded.read() == b"%PDF-1.7 fake"
    with pytest.raises(TelegramBadRequest, match="invalid file_id"):
        await bot.get_file("no-such-file")


# ------------------------------------------------------------------ callbacks, commands, actions


@pytest.mark.asyncio
async def test_callback_refers_to_the_message_the_bot_sent(
    fake_api: FakeTelegramAPI, bot: Bot
) -> None:
    sent = await bot.send_message(USER, "Menu", reply_markup=keyboard("menu:open"))
    fake_api.push_callback(USER, "menu:open", sent.message_id)

    (update,) = await bot.get_updates()
    query = update.callback_query

    assert query is not None
    assert query.data == "menu:open"
    assert isinstance(query.message, Message)
    assert query.message.text == "Menu"
    assert await bot.answer_callback_query(query.id, text="Opened")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)


@pytest.mark.asyncio
async def test_commands_and_chat_actions(bot: Bot) -> None:
    commands = [
        BotCommand(command="start", description="Start"),
        BotCommand(command="help", description="Help"),
    ]

    assert await bot.set_my_commands(commands, language_code="ru")
    stored = await bot.get_my_commands(language_code="ru")
    assert [(c.command, c.description) for c in stored] == [("start", "Start"), ("help", "Help")]
    assert await bot.get_my_commands() == []
    assert await bot.delete_my_commands(language_code="ru")
    assert await bot.get_my_commands(language_code="ru") == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Start!", description="x")])
    assert await bot.send_chat_action(USER, "typing")
    assert await bot.close()
    assert await bot.log_out()


# ------------------------------------------------------------------ waiting helpers


@pytest.mark.asyncio
async def test_await_for_sees_a_call_made_meanwhile(fake_api: FakeTelegramAPI, bot: Bot) -> None:
    mark = fake_api.mark()

    async def reply_later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(USER, "done")

    task = asyncio.create_task(reply_later())
    call = await fake_api.await_for("sendMessage", lambda c: c.params["text"] == "done", 2, mark)
    await task

    assert isinstance(call, Call)
    assert call.ok
    assert call.result["text"] == "done"
    assert len(await fake_api.await_for_count("sendMessage", 1, timeout=1)) == 1


def test_wait_for_times_out_with_the_calls_it_saw(fake_api: FakeTelegramAPI) -> None:
    async def send() -> None:
        async with Bot(token=TOKEN, session=fake_api.make_session()) as local_bot:
            await local_bot.send_message(USER, "unrelated")

    asyncio.run(send())

    with pytest.raises(TimeoutError, match=r"sendMessage\(chat_id=1001, text='unrelated'\)"):
        fake_api.wait_for("editMessageText", timeout=0.05)
    assert fake_api.wait_for_count("sendMessage", 1, timeout=0.05)[0].ok
