"""A fake Telegram Bot API server for end-to-end tests.

It speaks enough of https://core.telegram.org/bots/api for aiogram to run against it
unchanged, and it answers with Telegram's real error shapes and descriptions, so the bot's
error handling is exercised too (long texts, oversized callback data, bad HTML, 429s, 403s).

The server listens on 127.0.0.1 only and runs in a thread with its own event loop: a test on
any event loop, or on none, can drive it, and a test that blocks its own loop cannot stall it.

Typical use::

    with FakeTelegramAPI() as api:
        async with Bot(TOKEN, session=api.make_session()) as bot:
            api.push_message(user_id=42, text="/start")
            ...  # run the dispatcher
            call = await api.await_for("sendMessage", lambda c: c.params["chat_id"] == 42)
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import inspect
import itertools
import json
import math
import mimetypes
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web

BOT_FIRST_NAME = "KamBot"
BOT_USERNAME = "kam_test_bot"

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
MAX_UPDATES_LIMIT = 100

TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")
COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
MENU_BUTTON_TYPES = frozenset({"default", "commands", "web_app"})
BOT_COMMAND_RE = re.compile(r"/\S+")

# Telegram leaves these out unless they are asked for by name in allowed_updates.
NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

# Counted against the per-chat and global send limits; edits and chat actions are not.
RATE_LIMITED_METHODS = frozenset(
    [
        "sendmessage",
        "senddocument",
        "sendphoto",
        "sendmediagroup",
        "sendlocation",
        "sendsticker",
        "sendaudio",
        "sendvideo",
        "sendvoice",
        "sendanimation",
        "copymessage",
        "forwardmessage",
    ]
)

CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)

# A button with none of these is a plain text button, which inline keyboards refuse.
INLINE_BUTTON_ACTIONS = frozenset(
    [
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    ]
)

# Form values of these parameters are text even when they look like JSON ("42", "true").
STRING_PARAMS = frozenset(
    [
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "file_id",
        "url",
        "secret_token",
        "ip_address",
        "action",
        "language_code",
        "description",
        "short_description",
        "name",
        "title",
        "emoji",
        "query",
        "business_connection_id",
        "message_effect_id",
        "document",
        "photo",
        "audio",
        "video",
        "voice",
        "sticker",
        "animation",
        "thumbnail",
    ]
)

HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "blockquote": "blockquote",
}
HTML_TAGS = frozenset(HTML_ENTITY_TYPES)
NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

# Bytes that pass for a JPEG in a test that does not care about the picture.
FAKE_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00fake-photo\xff\xd9"

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)

DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    413: "Request Entity Too Large",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class FakeAPIError(Exception):
    """A Bot API error answer; raise it from a custom handler to fail a call."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def to_response(self) -> dict[str, Any]:
        response: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            response["parameters"] = {"retry_after": self.retry_after}
        return response


def bad_request(reason: str) -> FakeAPIError:
    return FakeAPIError(400, f"Bad Request: {reason}")


def too_many_requests(retry_after: int) -> FakeAPIError:
    return FakeAPIError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


@dataclass(frozen=True)
class Call:
    """One Bot API call as the server saw it and answered it."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]]
    at: float  # time.monotonic() when the request arrived
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def error_code(self) -> int | None:
        return self.response.get("error_code")

    @property
    def description(self) -> str | None:
        return self.response.get("description")


@dataclass(frozen=True)
class _Upload:
    filename: str
    content: bytes
    content_type: str | None


@dataclass(frozen=True)
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str | None
    mime_type: str | None


@dataclass
class _Failure:
    method_key: str
    error: FakeAPIError
    remaining: int
    chat_id: int | None


@dataclass(frozen=True)
class _Request:
    token: str
    bot_user: dict[str, Any]
    params: dict[str, Any]
    uploads: dict[str, _Upload]


_Handler = Callable[[_Request], Any]


# ---------------------------------------------------------------- HTML parse mode


def utf16_length(text: str) -> int:
    """Telegram measures entity offsets in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into visible text and entities, the way tdlib does.

    Error descriptions copy tdlib's (td/telegram/MessageEntity.cpp), so a bot that sends
    unescaped user text such as "a < b" fails here exactly as it would in production.
    """
    return _HtmlParser(text).parse()


class _HtmlParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.out: list[str] = []
        self.utf16_offset = 0
        self.entities: list[dict[str, Any]] = []
        self.open_tags: list[tuple[str, dict[str, str], int]] = []
        # The language of the code entity just closed, until the enclosing pre claims it.
        self._pending_language: str | None = None

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "&":
                decoded = self._decode_entity()
                if decoded is not None:
                    self._emit(decoded)
                    continue
            if char != "<":
                self._emit(char)
                self.pos += 1
            elif self.pos + 1 < len(text) and text[self.pos + 1] == "/":
                self._end_tag()
            else:
                self._start_tag()
        if self.open_tags:
            name = self.open_tags[-1][0]
            raise self._error(f'Can\'t find end tag corresponding to start tag "{name}"')
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return "".join(self.out), self.entities

    def _emit(self, chars: str) -> None:
        self.out.append(chars)
        self.utf16_offset += utf16_length(chars)

    def _byte_offset(self, pos: int) -> int:
        return len(self.text[:pos].encode("utf-8"))

    @staticmethod
    def _error(reason: str) -> FakeAPIError:
        return bad_request(f"can't parse entities: {reason}")

    def _skip_spaces(self, pos: int) -> int:
        while pos < len(self.text) and self.text[pos].isspace():
            pos += 1
        return pos

    def _decode_entity(self) -> str | None:
        """Decode "&...;" at pos; tdlib keeps an unknown "&" as a literal character."""
        text, start = self.text, self.pos
        end = start + 1
        if text[end : end + 1] == "#":
            end += 1
            is_hex = text[end : end + 1] == "x"
            if is_hex:
                end += 1
            digits = "0123456789abcdefABCDEF" if is_hex else "0123456789"
            digits_start = end
            while end < len(text) and text[end] in digits:
                end += 1
            code = int(text[digits_start:end], 16 if is_hex else 10) if end > digits_start else 0
            if code == 0 or code >= 0x10FFFF or end - start >= 10:
                return None
            decoded = chr(code)
        else:
            while end < len(text) and text[end].isascii() and text[end].isalpha():
                end += 1
            decoded_or_none = NAMED_HTML_ENTITIES.get(text[start + 1 : end])
            if decoded_or_none is None:
                return None
            decoded = decoded_or_none
        self.pos = end + 1 if text[end : end + 1] == ";" else end
        return decoded

    def _start_tag(self) -> None:
        text, begin = self.text, self.pos
        offset = self._byte_offset(begin)
        pos = begin + 1
        while pos < len(text) and not text[pos].isspace() and text[pos] != ">":
            pos += 1
        if pos >= len(text):
            raise self._error(f"Unclosed start tag at byte offset {offset}")
        name = text[begin + 1 : pos].lower()
        if name not in HTML_TAGS:
            raise self._error(f'Unsupported start tag "{name}" at byte offset {offset}')
        attributes, self.pos = self._attributes(pos, name, offset)
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise self._error(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        self.open_tags.append((name, attributes, self.utf16_offset))

    def _attributes(self, pos: int, tag: str, offset: int) -> tuple[dict[str, str], int]:
        text = self.text
        attributes: dict[str, str] = {}
        while True:
            pos = self._skip_spaces(pos)
            if pos >= len(text):
                raise self._error(f"Unclosed start tag at byte offset {offset}")
            if text[pos] == ">":
                return attributes, pos + 1
            name_start = pos
            while pos < len(text) and not text[pos].isspace() and text[pos] != "=":
                pos += 1
            name = text[name_start:pos].lower()
            pos = self._skip_spaces(pos)
            if pos >= len(text) or text[pos] != "=":
                raise self._error(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{tag}" at byte offset {offset}'
                )
            pos = self._skip_spaces(pos + 1)
            if pos >= len(text):
                raise self._error(f'Unclosed start tag "{tag}" at byte offset {offset}')
            value, pos = self._attribute_value(pos)
            attributes[name] = value

    def _attribute_value(self, pos: int) -> tuple[str, int]:
        text = self.text
        quote = text[pos]
        if quote not in "'\"":
            token_start = pos
            while pos < len(text) and (text[pos].isalnum() or text[pos] in ".-"):
                pos += 1
            if pos < len(text) and not text[pos].isspace() and text[pos] != ">":
                offset = self._byte_offset(token_start)
                raise self._error(f"Unexpected end of name token at byte offset {offset}")
            return text[token_start:pos].lower(), pos
        end = text.find(quote, pos + 1)
        if end < 0:
            raise self._error(f"Unclosed start tag at byte offset {self._byte_offset(pos)}")
        return _unescape_attribute(text[pos + 1 : end]), end + 1

    def _end_tag(self) -> None:
        text, begin = self.text, self.pos
        offset = self._byte_offset(begin)
        if not self.open_tags:
            raise self._error(f"Unexpected end tag at byte offset {offset}")
        pos = begin + 2
        while pos < len(text) and not text[pos].isspace() and text[pos] != ">":
            pos += 1
        end_name = text[begin + 2 : pos].lower()
        pos = self._skip_spaces(pos)
        if pos >= len(text) or text[pos] != ">":
            raise self._error(f"Unclosed end tag at byte offset {offset}")
        name, attributes, entity_offset = self.open_tags[-1]
        if end_name and end_name != name:
            raise self._error(
                f'Unmatched end tag at byte offset {offset}, expected "</{name}>", '
                f'found "</{end_name}>"'
            )
        self.open_tags.pop()
        self.pos = pos + 1
        if self.utf16_offset > entity_offset:
            self._add_entity(name, attributes, entity_offset)

    def _add_entity(self, tag: str, attributes: dict[str, str], offset: int) -> None:
        entity: dict[str, Any] = {
            "type": HTML_ENTITY_TYPES[tag],
            "offset": offset,
            "length": self.utf16_offset - offset,
        }
        if tag == "a":
            entity["url"] = attributes.get("href", "")
        elif tag == "tg-emoji":
            entity["custom_emoji_id"] = attributes.get("emoji-id", "")
        elif tag == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        elif tag == "pre" and self._pending_language is not None:
            # <pre><code class="language-x">...</code></pre> is one pre entity with a language.
            inner = self.entities[-1] if self.entities else None
            if inner is not None and inner["type"] == "code" and _same_span(inner, entity):
                self.entities.pop()
                entity["language"] = self._pending_language
        self._pending_language = None
        if tag == "code":
            css_class = attributes.get("class", "")
            if css_class.startswith("language-"):
                self._pending_language = css_class.removeprefix("language-")
        self.entities.append(entity)


def _same_span(first: dict[str, Any], second: dict[str, Any]) -> bool:
    return (first["offset"], first["length"]) == (second["offset"], second["length"])


def _unescape_attribute(value: str) -> str:
    for name, char in NAMED_HTML_ENTITIES.items():
        value = value.replace(f"&{name};", char)
    return value


# ---------------------------------------------------------------- request parameters


def _decode_form_value(key: str, raw: str) -> Any:
    """aiogram JSON-encodes every non-string value into its form field; undo that."""
    if key in STRING_PARAMS or raw.startswith("attach://"):
        return raw
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except ValueError:
        return raw


def _reject_constant(name: str) -> Any:
    # json accepts NaN and Infinity, which would turn the text "NaN" into a float.
    raise ValueError(name)


def _int_param(params: Mapping[str, Any], key: str, default: int) -> int:
    value = params.get(key)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {key} specified") from None


def _chat_id(params: Mapping[str, Any]) -> int:
    value = params.get("chat_id")
    if value is None or value == "":
        raise bad_request("chat_id is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        # A "@username" chat: the fake knows no public chats.
        raise bad_request("chat not found") from None


def _message_id(params: Mapping[str, Any]) -> int:
    if params.get("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    value = params.get("message_id")
    if value is None or value == "":
        raise bad_request("message identifier is not specified")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request("MESSAGE_ID_INVALID") from None


def _now() -> int:
    return int(time.time())


def _update_type(update: Mapping[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


def _is_allowed(update_type: str, allowed_updates: Any) -> bool:
    """Telegram's allowed_updates: a non-empty list names the types; else all but a few."""
    if isinstance(allowed_updates, list) and allowed_updates:
        return update_type in allowed_updates
    return update_type not in NOT_DELIVERED_BY_DEFAULT


def _guess_mime_type(file_name: str | None) -> str | None:
    return mimetypes.guess_type(file_name)[0] if file_name else None


# ---------------------------------------------------------------- rate limiting


class _SlidingWindowLimiter:
    """Telegram's advice, enforced: 1 message a second per chat, 30 a second overall."""

    WINDOW = 1.0

    def __init__(self, global_per_second: int, per_chat_per_second: int) -> None:
        self.global_per_second = global_per_second
        self.per_chat_per_second = per_chat_per_second
        self.global_sends: deque[float] = deque()
        self.chat_sends: dict[int, deque[float]] = {}

    def admit(self, chat_id: int | None, now: float) -> int | None:
        """Record a send and return None, or return the retry_after for a refused one."""
        windows = [(self.global_sends, self.global_per_second)]
        if chat_id is not None:
            windows.append((self.chat_sends.setdefault(chat_id, deque()), self.per_chat_per_second))
        retry_after = 0.0
        for sends, limit in windows:
            while sends and sends[0] <= now - self.WINDOW:
                sends.popleft()
            if len(sends) >= limit:
                retry_after = max(retry_after, sends[0] + self.WINDOW - now)
        if retry_after > 0:
            return max(1, math.ceil(retry_after))
        for sends, _ in windows:
            sends.append(now)
        return None


class _LoopbackSession(AiohttpSession):
    async def close(self) -> None:
        # aiogram sleeps 250 ms here so TLS transports can shut down; the fake serves plain
        # HTTP on loopback, so the sleep only slows every test down.
        if self._session is not None and not self._session.closed:
            await self._session.close()


# ---------------------------------------------------------------- the server


class FakeTelegramAPI:
    """A Bot API server on 127.0.0.1, with hooks for tests to push updates and inspect calls."""

    def __init__(
        self,
        *,
        allowed_tokens: Iterable[str] | None = None,
        first_update_id: int = 1,
        shutdown_timeout: float = 2.0,
    ) -> None:
        """allowed_tokens limits the accepted tokens; by default any well-formed one works."""
        self._allowed_tokens = frozenset(allowed_tokens) if allowed_tokens is not None else None
        self._shutdown_timeout = shutdown_timeout
        # One re-entrant lock guards all state: handlers on the server loop and test threads
        # both touch it, and predicates passed to wait_for may call back into the API.
        self._cond = threading.Condition(threading.RLock())
        self._methods = self._method_table()
        self._custom_handlers: dict[str, Callable[[dict[str, Any]], Any]] = {}
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        # Only touched on the server loop, so asyncio primitives are safe here.
        self._poll_waiters: set[asyncio.Event] = set()
        self._closing = False
        # These survive reset(): update_ids never go back, or a bot still polling with a
        # higher offset would silently confirm every update pushed after the reset; nor do
        # file and query ids, which a bot may still hold.
        self._next_update_id = first_update_id
        self._confirmed_offset = 0
        self._poll_generation = 0
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._reset_state()

    def _reset_state(self) -> None:
        with self._cond:
            self._calls: list[Call] = []
            self._undelivered: set[int] = set()  # id() of calls whose answer is being sent
            self._errors: list[BaseException] = []
            self._updates: list[dict[str, Any]] = []
            self._messages: dict[int, dict[int, dict[str, Any]]] = {}
            self._last_message_id: dict[int, int] = {}
            self._chats: dict[int, dict[str, Any]] = {}
            self._files: dict[str, _StoredFile] = {}
            self._callback_queries: dict[str, bool] = {}
            self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
            # setChatMenuButton: per chat id, None for the bot's default button.
            self._menu_buttons: dict[int | None, dict[str, Any]] = {}
            self._webhook: dict[str, Any] = {"url": ""}
            self._failures: list[_Failure] = []
            self._limiter: _SlidingWindowLimiter | None = None
            self._throttled = 0
            self._delays: dict[str, float] = {}

    # ------------------------------------------------------------ lifecycle

    def start(self) -> FakeTelegramAPI:
        """Bind 127.0.0.1 on a free port; returns once the server is listening."""
        if self._thread is not None:
            raise RuntimeError("FakeTelegramAPI is already running")
        started = threading.Event()
        startup_error: list[BaseException] = []
        self._closing = False
        self._thread = threading.Thread(
            target=self._serve, args=(started, startup_error), name="fake-telegram-api", daemon=True
        )
        self._thread.start()
        started.wait()
        if startup_error:
            self._thread.join()
            self._thread = None
            raise RuntimeError("FakeTelegramAPI failed to start") from startup_error[0]
        return self

    def stop(self) -> None:
        """Answer pending long polls with [], close the server and join its thread."""
        thread, loop, runner = self._thread, self._loop, self._runner
        if thread is None or loop is None or runner is None:
            return
        with self._cond:
            self._closing = True
        loop.call_soon_threadsafe(self._wake_pollers)
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(
            timeout=self._shutdown_timeout + 5
        )
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        self._thread = self._loop = self._runner = None
        self._port = None

    def __enter__(self) -> FakeTelegramAPI:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeTelegramAPI is not running; call start() first")
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_server(self) -> TelegramAPIServer:
        return TelegramAPIServer.from_base(self.base_url)

    def make_session(self, **kwargs: Any) -> AiohttpSession:
        """An aiogram session pointed at this server, without aiogram's 250 ms close delay."""
        return _LoopbackSession(api=self.api_server, **kwargs)

    def _serve(self, started: threading.Event, startup_error: list[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._listen())
        except BaseException as error:  # noqa: BLE001 - handed to start() to re-raise
            startup_error.append(error)
            started.set()
            loop.close()
            return
        self._loop = loop
        started.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _listen(self) -> None:
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown_path)
        # handler_cancellation stops a long poll whose client went away, so it cannot hand
        # updates to nobody after its test has finished.
        runner = web.AppRunner(
            app,
            handler_cancellation=True,
            shutdown_timeout=self._shutdown_timeout,
            access_log=None,
        )
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self._port = runner.addresses[0][1]

    # ------------------------------------------------------------ state for tests

    def reset(self) -> None:
        """Forget calls, pending updates, messages, files, failures and limits.

        update_ids keep counting up, so a bot that keeps polling across the reset still
        receives what is pushed after it.
        """
        self._reset_state()

    def clear(self) -> None:
        """Forget the recorded calls (indices given to wait_for(after=...) restart at 0)."""
        with self._cond:
            self._calls.clear()

    def mark(self) -> int:
        """The number of calls so far: pass it as wait_for(after=...) to skip older calls."""
        with self._cond:
            return len(self._calls)

    def calls(self, method: str | None = None) -> list[Call]:
        with self._cond:
            return [call for call in self._calls if _method_matches(call, method)]

    def sent_messages(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Messages returned by successful sendMessage calls, optionally to one chat."""
        return [
            call.result
            for call in self.calls("sendMessage")
            if call.ok and (chat_id is None or call.result["chat"]["id"] == chat_id)
        ]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """A message as it stands now, edits applied; None if unknown or deleted."""
        with self._cond:
            found = self._messages.get(chat_id, {}).get(message_id)
            return copy.deepcopy(found) if found is not None else None

    def messages(self, chat_id: int) -> list[dict[str, Any]]:
        """A chat's live messages from both sides, oldest first."""
        with self._cond:
            chat = self._messages.get(chat_id, {})
            return [copy.deepcopy(chat[key]) for key in sorted(chat)]

    @property
    def errors(self) -> list[BaseException]:
        """Exceptions raised inside the fake itself (answered as 500): a test should see none."""
        with self._cond:
            return list(self._errors)

    def set_handler(self, method: str, handler: Callable[[dict[str, Any]], Any]) -> None:
        """Serve an extra method: handler(params) returns the result or raises FakeAPIError."""
        with self._cond:
            self._custom_handlers[method.lower()] = handler

    # ------------------------------------------------------------ failure injection

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str | None = None,
        retry_after: int | None = None,
        count: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Make the next `count` calls of `method` (to `chat_id`, if given) fail."""
        if error_code == 429:
            error = too_many_requests(retry_after or 1)
            if description is not None:
                error.description = description
        else:
            text = description or DEFAULT_DESCRIPTIONS.get(error_code, "Error")
            error = FakeAPIError(error_code, text, retry_after)
        with self._cond:
            self._failures.append(_Failure(method.lower(), error, count, chat_id))

    def enforce_rate_limits(
        self, global_per_second: int = 30, per_chat_per_second: int = 1
    ) -> None:
        """Answer sends over these rates (sliding 1 s windows) with 429 and a retry_after."""
        with self._cond:
            self._limiter = _SlidingWindowLimiter(global_per_second, per_chat_per_second)

    def disable_rate_limits(self) -> None:
        with self._cond:
            self._limiter = None

    def delay_answers(self, method: str, seconds: float) -> None:
        """Answer `method` only `seconds` after doing it: a message is already stored (the user
        sees it) while the bot still waits — requests in flight, as over a slow network. 0 stops."""
        with self._cond:
            if seconds > 0:
                self._delays[method.lower()] = seconds
            else:
                self._delays.pop(method.lower(), None)

    def unanswered(self, method: str | None = None) -> list[Call]:
        """Calls already done whose answer has not been sent yet (see delay_answers)."""
        with self._cond:
            return [
                c for c in self._calls if id(c) in self._undelivered and _method_matches(c, method)
            ]

    @property
    def throttled_count(self) -> int:
        """How many 429 answers were given, by the rate limiter or by fail_next."""
        with self._cond:
            return self._throttled

    # ------------------------------------------------------------ files

    def add_file(
        self, content: bytes, file_name: str | None = None, mime_type: str | None = None
    ) -> str:
        """Store a file that getFile and the download URL will serve; returns its file_id."""
        return self._store_file(content, file_name, mime_type, folder="documents").file_id

    def file_content(self, file_id: str) -> bytes:
        with self._cond:
            return self._files[file_id].content

    def _store_file(
        self, content: bytes, file_name: str | None, mime_type: str | None, folder: str
    ) -> _StoredFile:
        with self._cond:
            number = next(self._file_ids)
            suffix = ""
            if file_name and "." in file_name:
                suffix = "." + file_name.rsplit(".", 1)[1]
            elif folder == "photos":
                suffix = ".jpg"
            stored = _StoredFile(
                file_id=f"FAKE-FILE-{number:06d}",
                file_unique_id=f"fake-uniq-{number:06d}",
                file_path=f"{folder}/file_{number}{suffix}",
                content=bytes(content),
                file_name=file_name,
                mime_type=mime_type or _guess_mime_type(file_name),
            )
            self._files[stored.file_id] = stored
            return stored

    @staticmethod
    def _document_object(stored: _StoredFile) -> dict[str, Any]:
        document: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
        }
        if stored.file_name:
            document["file_name"] = stored.file_name
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        return document

    def _photo_sizes(self, stored: _StoredFile) -> list[dict[str, Any]]:
        # Telegram sends several sizes, smallest first; bots should take the last one.
        thumbnail = self._store_file(stored.content, None, "image/jpeg", folder="photos")
        return [
            {
                "file_id": thumbnail.file_id,
                "file_unique_id": thumbnail.file_unique_id,
                "file_size": len(thumbnail.content),
                "width": 90,
                "height": 90,
            },
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.content),
                "width": 1280,
                "height": 960,
            },
        ]

    # ------------------------------------------------------------ pushing updates

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns the update_id given to it."""
        with self._cond:
            update_id = self._next_update_id
            self._next_update_id += 1
            self._updates.append({"update_id": update_id, **copy.deepcopy(update)})
        self._wake_pollers_threadsafe()
        return update_id

    def push_message(
        self,
        user_id: int,
        text: str,
        language_code: str = "ru",
        first_name: str = "Test",
        **extra: Any,
    ) -> int:
        """A private-chat text message from the user; "/cmd ..." gets a bot_command entity."""
        content: dict[str, Any] = {"text": text}
        command = BOT_COMMAND_RE.match(text)
        if command:
            length = utf16_length(command.group())
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        content.update(extra)
        return self._push_user_message(user_id, language_code, first_name, content)

    def push_callback(
        self,
        user_id: int,
        data: str,
        message_id: int,
        chat_id: int | None = None,
        language_code: str = "ru",
    ) -> int:
        """The user presses a button with `data` under the bot's message `message_id`."""
        chat = chat_id if chat_id is not None else user_id
        user = self._user(user_id, self._first_name(user_id), language_code)
        with self._cond:
            found = self._messages.get(chat, {}).get(message_id)
            query_id = str(4_000_000_000 + next(self._callback_ids))
            self._callback_queries[query_id] = False
            if found is not None:
                message = copy.deepcopy(found)
            else:
                # What Telegram sends for a deleted or very old message: date 0 marks it.
                message = {"chat": self._chat(chat), "message_id": message_id, "date": 0}
        callback = {
            "id": query_id,
            "from": user,
            "message": message,
            "chat_instance": f"fake-chat-instance-{chat}",
            "data": data,
        }
        return self.push_update({"callback_query": callback})

    def push_location(
        self, user_id: int, latitude: float, longitude: float, language_code: str = "ru"
    ) -> int:
        location = {"latitude": latitude, "longitude": longitude}
        first_name = self._first_name(user_id)
        return self._push_user_message(user_id, language_code, first_name, {"location": location})

    def push_document(
        self,
        user_id: int,
        content: bytes,
        file_name: str,
        mime_type: str,
        caption: str | None = None,
        language_code: str = "ru",
    ) -> int:
        """Registers the file (so the bot can download it) and pushes a message with it."""
        stored = self._store_file(content, file_name, mime_type, folder="documents")
        message: dict[str, Any] = {"document": self._document_object(stored)}
        if caption is not None:
            message["caption"] = caption
        return self._push_user_message(user_id, language_code, self._first_name(user_id), message)

    def push_photo(
        self,
        user_id: int,
        content: bytes = FAKE_JPEG,
        caption: str | None = None,
        language_code: str = "ru",
    ) -> int:
        stored = self._store_file(content, None, "image/jpeg", folder="photos")
        message: dict[str, Any] = {"photo": self._photo_sizes(stored)}
        if caption is not None:
            message["caption"] = caption
        return self._push_user_message(user_id, language_code, self._first_name(user_id), message)

    def pending_updates(self) -> int:
        """Updates pushed but not yet confirmed by a getUpdates offset."""
        with self._cond:
            return len(self._updates)

    @property
    def confirmed_offset(self) -> int:
        """Every update with update_id below this has been confirmed and dropped."""
        with self._cond:
            return self._confirmed_offset

    def _push_user_message(
        self, user_id: int, language_code: str, first_name: str, content: dict[str, Any]
    ) -> int:
        user = self._user(user_id, first_name, language_code)
        with self._cond:
            chat = {"id": user_id, "type": "private", "first_name": first_name}
            self._chats[user_id] = chat
            message = {
                "message_id": self._next_message_id(user_id),
                "from": user,
                "chat": dict(chat),
                "date": _now(),
                **content,
            }
            self._messages.setdefault(user_id, {})[message["message_id"]] = message
        return self.push_update({"message": message})

    def _first_name(self, user_id: int) -> str:
        """The name the user last wrote under, so every update from them agrees."""
        with self._cond:
            return str(self._chats.get(user_id, {}).get("first_name", "Test"))

    @staticmethod
    def _user(user_id: int, first_name: str, language_code: str) -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }

    def _chat(self, chat_id: int) -> dict[str, Any]:
        known = self._chats.get(chat_id)
        if known is not None:
            return dict(known)
        if chat_id < 0:
            return {"id": chat_id, "type": "supergroup", "title": "Test group"}
        return {"id": chat_id, "type": "private"}

    def _next_message_id(self, chat_id: int) -> int:
        # Both sides of a private chat share one message_id sequence, as in Telegram.
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    # ------------------------------------------------------------ waiting

    def wait_for(
        self,
        method: str | None,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 10.0,
        after: int = 0,
    ) -> Call:
        """Block until a call of `method` (any, if None) at index >= after matches predicate.

        Do not call this on the event loop that runs the bot: use await_for there.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for call in self._delivered_calls(after):
                    if _method_matches(call, method) and (predicate is None or predicate(call)):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(self._timeout_report(f"a {method} call", timeout, after))
                self._cond.wait(remaining)

    def wait_for_count(
        self, method: str | None, n: int, timeout: float = 10.0, after: int = 0
    ) -> list[Call]:
        """Block until at least n calls of `method` were made; returns them all."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self._delivered_calls(after) if _method_matches(c, method)]
                if len(found) >= n:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    wanted = f"{n} {method} calls (saw {len(found)})"
                    raise TimeoutError(self._timeout_report(wanted, timeout, after))
                self._cond.wait(remaining)

    async def await_for(
        self,
        method: str | None,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - the wait runs in a thread, out of asyncio's reach
        after: int = 0,
    ) -> Call:
        return await asyncio.to_thread(self.wait_for, method, predicate, timeout, after)

    async def await_for_count(
        self,
        method: str | None,
        n: int,
        timeout: float = 10.0,  # noqa: ASYNC109 - the wait runs in a thread, out of asyncio's reach
        after: int = 0,
    ) -> list[Call]:
        return await asyncio.to_thread(self.wait_for_count, method, n, timeout, after)

    def _timeout_report(self, wanted: str, timeout: float, after: int) -> str:
        # getUpdates polls would drown out the calls that explain a failure.
        seen = [
            f"{call.method}({_short(call.params)}) -> {_short_response(call.response)}"
            for call in self._calls[after:]
            if call.method != "getUpdates"
        ]
        listing = "\n  ".join(seen[-40:]) or "(none besides getUpdates)"
        return f"no {wanted} within {timeout}s; calls seen:\n  {listing}"

    # ------------------------------------------------------------ HTTP layer

    async def _handle_unknown_path(self, request: web.Request) -> web.Response:
        return web.json_response(FakeAPIError(404, "Not Found").to_response(), status=404)

    async def _handle_file(self, request: web.Request) -> web.Response:
        try:
            self._authorize(request.match_info["token"])
        except FakeAPIError as error:
            return web.json_response(error.to_response(), status=error.error_code)
        path = request.match_info["file_path"]
        with self._cond:
            stored = next((f for f in self._files.values() if f.file_path == path), None)
        if stored is None:
            return web.json_response(FakeAPIError(404, "Not Found").to_response(), status=404)
        content_type = stored.mime_type or "application/octet-stream"
        return web.Response(body=stored.content, content_type=content_type)

    async def _handle_method(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        raw_method = request.match_info["method"]
        method_key = raw_method.lower()
        canonical = self._methods[method_key][0] if method_key in self._methods else raw_method
        params: dict[str, Any] = {}
        uploads: dict[str, _Upload] = {}
        try:
            params, uploads = await _read_params(request)
            bot_user = self._authorize(request.match_info["token"])
            result = await self._dispatch(
                method_key, _Request(request.match_info["token"], bot_user, params, uploads)
            )
            response: dict[str, Any] = {"ok": True, "result": result}
        except FakeAPIError as error:
            response = error.to_response()
        except Exception as error:  # noqa: BLE001 - a bug in the fake must not kill the server
            with self._cond:
                self._errors.append(error)
            response = FakeAPIError(500, f"Internal Server Error: {error!r}").to_response()
        status = 200 if response["ok"] else response["error_code"]
        answer = web.json_response(response, status=status)
        call = Call(canonical, params, _call_files(params, uploads), arrived, response)
        # calls() shows the call before the bot has its answer, so a test that awaited the
        # request finds it; wait_for only sees it once sent, so a test woken by it that stops
        # the server at once does not cut the bot off from the answer it is waiting for.
        self._record(call)
        try:
            with self._cond:
                delay = self._delays.get(method_key, 0.0)
            if delay:
                await asyncio.sleep(delay)
            # The client may have given up on this call (a cancelled long poll, a closed session).
            with contextlib.suppress(ConnectionResetError):
                await answer.prepare(request)
                await answer.write_eof()
        finally:
            self._mark_delivered(call)
        return answer

    def _authorize(self, token: str) -> dict[str, Any]:
        well_formed = TOKEN_RE.fullmatch(token) is not None
        if not well_formed or (
            self._allowed_tokens is not None and token not in self._allowed_tokens
        ):
            raise FakeAPIError(401, "Unauthorized")
        return {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": BOT_USERNAME,
        }

    async def _dispatch(self, method_key: str, request: _Request) -> Any:
        with self._cond:
            custom = self._custom_handlers.get(method_key)
        if custom is None and method_key not in self._methods:
            raise FakeAPIError(404, "Not Found: method not found")
        self._raise_injected_failure(method_key, request.params)
        self._apply_rate_limit(method_key, request.params)
        result = custom(request.params) if custom else self._methods[method_key][1](request)
        if inspect.isawaitable(result):
            result = await result
        return result

    def _raise_injected_failure(self, method_key: str, params: Mapping[str, Any]) -> None:
        with self._cond:
            for failure in self._failures:
                if failure.method_key != method_key:
                    continue
                if failure.chat_id is not None and _optional_chat_id(params) != failure.chat_id:
                    continue
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self._failures.remove(failure)
                if failure.error.error_code == 429:
                    self._throttled += 1
                raise FakeAPIError(
                    failure.error.error_code, failure.error.description, failure.error.retry_after
                )

    def _apply_rate_limit(self, method_key: str, params: Mapping[str, Any]) -> None:
        if method_key not in RATE_LIMITED_METHODS:
            return
        with self._cond:
            if self._limiter is None:
                return
            retry_after = self._limiter.admit(_optional_chat_id(params), time.monotonic())
            if retry_after is not None:
                self._throttled += 1
                raise too_many_requests(retry_after)

    def _record(self, call: Call) -> None:
        with self._cond:
            self._calls.append(call)
            self._undelivered.add(id(call))

    def _mark_delivered(self, call: Call) -> None:
        with self._cond:
            self._undelivered.discard(id(call))
            self._cond.notify_all()

    def _delivered_calls(self, after: int) -> list[Call]:
        return [call for call in self._calls[after:] if id(call) not in self._undelivered]

    def _wake_pollers_threadsafe(self) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            # The loop may close between the check and the call; then nobody is polling.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._wake_pollers)

    def _wake_pollers(self) -> None:
        for event in self._poll_waiters:
            event.set()

    # ------------------------------------------------------------ Bot API methods

    def _method_table(self) -> dict[str, tuple[str, _Handler]]:
        handlers: dict[str, _Handler] = {
            "getMe": lambda request: request.bot_user,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setChatMenuButton": self._set_chat_menu_button,
            "getChatMenuButton": self._get_chat_menu_button,
            "getFile": self._get_file,
            "close": lambda request: True,
            "logOut": lambda request: True,
        }
        return {name.lower(): (name, handler) for name, handler in handlers.items()}

    async def _get_updates(self, request: _Request) -> list[dict[str, Any]]:
        params = request.params
        offset = _int_param(params, "offset", 0)
        limit = min(max(_int_param(params, "limit", MAX_UPDATES_LIMIT), 1), MAX_UPDATES_LIMIT)
        timeout = max(_int_param(params, "timeout", 0), 0)
        allowed = params.get("allowed_updates")
        with self._cond:
            if self._webhook["url"]:
                raise FakeAPIError(409, WEBHOOK_CONFLICT)
            self._confirm(offset)
            # A newer getUpdates ends an older one still waiting, as Telegram does.
            self._poll_generation += 1
            generation = self._poll_generation
        self._wake_pollers()
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                if generation != self._poll_generation:
                    raise FakeAPIError(409, POLL_CONFLICT)
                batch = self._select_updates(limit, allowed)
                if batch or self._closing:
                    return batch
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            # No await between the check above and registering: a push from another thread
            # schedules its wake-up on this loop, so it runs after the event is registered.
            event = asyncio.Event()
            self._poll_waiters.add(event)
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                pass
            finally:
                self._poll_waiters.discard(event)

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            # Telegram: start -offset updates from the end and forget all before them.
            kept = self._updates[offset:]
            if kept and len(kept) < len(self._updates):
                self._confirmed_offset = kept[0]["update_id"]
            self._updates = kept
        elif offset > self._confirmed_offset:
            self._confirmed_offset = offset
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _select_updates(self, limit: int, allowed: Any) -> list[dict[str, Any]]:
        selected = []
        for update in self._updates:
            if _is_allowed(_update_type(update), allowed):
                selected.append(copy.deepcopy(update))
                if len(selected) >= limit:
                    break
        return selected

    def _set_webhook(self, request: _Request) -> bool:
        url = str(request.params.get("url") or "")
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        with self._cond:
            self._webhook = {"url": url}
            if request.params.get("drop_pending_updates") is True:
                self._drop_pending_updates()
        return True

    def _delete_webhook(self, request: _Request) -> bool:
        with self._cond:
            self._webhook = {"url": ""}
            if request.params.get("drop_pending_updates") is True:
                self._drop_pending_updates()
        return True

    def _drop_pending_updates(self) -> None:
        self._updates.clear()
        self._confirmed_offset = self._next_update_id

    def _get_webhook_info(self, request: _Request) -> dict[str, Any]:
        with self._cond:
            return {
                "url": self._webhook["url"],
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }

    def _send_message(self, request: _Request) -> dict[str, Any]:
        params = request.params
        chat_id = _chat_id(params)
        text, entities = _formatted(
            params.get("text"),
            params.get("parse_mode"),
            params.get("entities"),
            limit=MAX_TEXT_LENGTH,
            too_long="message is too long",
            required="message text is empty",
        )
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        return self._send(request, chat_id, content)

    def _send_document(self, request: _Request) -> dict[str, Any]:
        chat_id = _chat_id(request.params)
        stored = self._input_file(request, "document", "documents")
        content: dict[str, Any] = {"document": self._document_object(stored)}
        content.update(_caption(request.params))
        return self._send(request, chat_id, content)

    def _send_photo(self, request: _Request) -> dict[str, Any]:
        chat_id = _chat_id(request.params)
        stored = self._input_file(request, "photo", "photos")
        content: dict[str, Any] = {"photo": self._photo_sizes(stored)}
        content.update(_caption(request.params))
        return self._send(request, chat_id, content)

    def _input_file(self, request: _Request, field: str, folder: str) -> _StoredFile:
        upload = request.uploads.get(field)
        value = request.params.get(field)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = request.uploads.get(value.removeprefix("attach://"))
        if upload is not None:
            if not upload.content:
                raise bad_request("file must be non-empty")
            mime_type = upload.content_type
            if mime_type in (None, "application/octet-stream"):
                mime_type = _guess_mime_type(upload.filename)
            return self._store_file(upload.content, upload.filename, mime_type, folder)
        if isinstance(value, str) and value:
            with self._cond:
                known = self._files.get(value)
            if known is not None:
                return known
            if value.startswith(("http://", "https://")):
                # Never fetch: the fake must not reach past loopback.
                name = value.rstrip("/").rsplit("/", 1)[-1] or None
                return self._store_file(b"", name, None, folder)
            raise bad_request("wrong file identifier/HTTP URL specified")
        raise bad_request(f"there is no {field} in the request")

    def _send(self, request: _Request, chat_id: int, content: dict[str, Any]) -> dict[str, Any]:
        params = request.params
        markup = _inline_markup(params.get("reply_markup"))
        with self._cond:
            reply_to = self._reply_target(chat_id, params)
            message: dict[str, Any] = {
                "message_id": self._next_message_id(chat_id),
                "from": request.bot_user,
                "chat": self._chat(chat_id),
                "date": _now(),
                **content,
            }
            if reply_to is not None:
                message["reply_to_message"] = reply_to
            if markup is not None:
                message["reply_markup"] = markup
            self._messages.setdefault(chat_id, {})[message["message_id"]] = message
            return copy.deepcopy(message)

    def _reply_target(self, chat_id: int, params: Mapping[str, Any]) -> dict[str, Any] | None:
        reply = params.get("reply_parameters")
        reply = reply if isinstance(reply, dict) else {}
        message_id = reply.get("message_id", params.get("reply_to_message_id"))
        if message_id is None:
            return None
        target = self._messages.get(int(reply.get("chat_id", chat_id)), {}).get(int(message_id))
        if target is not None:
            return {key: value for key, value in target.items() if key != "reply_to_message"}
        if reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")

    def _editable(self, chat_id: int, message_id: int) -> dict[str, Any]:
        message = self._messages.get(chat_id, {}).get(message_id)
        if message is None:
            raise bad_request("message to edit not found")
        if not message["from"]["is_bot"]:
            raise bad_request("message can't be edited")
        return message

    def _edit_message_text(self, request: _Request) -> dict[str, Any]:
        params = request.params
        chat_id, message_id = _chat_id(params), _message_id(params)
        text, entities = _formatted(
            params.get("text"),
            params.get("parse_mode"),
            params.get("entities"),
            limit=MAX_TEXT_LENGTH,
            too_long="message is too long",
            required="message text is empty",
        )
        # Telegram drops the keyboard of an edited message unless it is sent again.
        markup = _inline_markup(params.get("reply_markup"))
        with self._cond:
            current = self._editable(chat_id, message_id)
            if "text" not in current:
                raise bad_request("there is no text in the message to edit")
            new_content = {"text": text, "entities": entities or None, "reply_markup": markup}
            return self._apply_edit(current, new_content)

    def _edit_message_reply_markup(self, request: _Request) -> dict[str, Any]:
        params = request.params
        chat_id, message_id = _chat_id(params), _message_id(params)
        markup = _inline_markup(params.get("reply_markup"))
        with self._cond:
            current = self._editable(chat_id, message_id)
            return self._apply_edit(current, {"reply_markup": markup})

    def _apply_edit(self, current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        if all(current.get(key) == value for key, value in changes.items()):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        edited = {key: value for key, value in current.items() if key not in changes}
        edited.update({key: value for key, value in changes.items() if value is not None})
        edited["edit_date"] = _now()
        self._messages[current["chat"]["id"]][current["message_id"]] = edited
        return copy.deepcopy(edited)

    def _delete_message(self, request: _Request) -> bool:
        chat_id, message_id = _chat_id(request.params), _message_id(request.params)
        with self._cond:
            if self._messages.get(chat_id, {}).pop(message_id, None) is None:
                raise bad_request("message to delete not found")
        return True

    def _answer_callback_query(self, request: _Request) -> bool:
        params = request.params
        text = params.get("text")
        if isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query_id = str(params.get("callback_query_id") or "")
        with self._cond:
            # Answering twice fails like answering too late.
            if self._callback_queries.get(query_id, True):
                raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
            self._callback_queries[query_id] = True
        return True

    def _send_chat_action(self, request: _Request) -> bool:
        _chat_id(request.params)
        if request.params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _set_my_commands(self, request: _Request) -> bool:
        commands = request.params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse commands JSON object")
            if not COMMAND_RE.fullmatch(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("command description is empty")
        with self._cond:
            self._commands[_commands_key(request.params)] = copy.deepcopy(commands)
        return True

    def _get_my_commands(self, request: _Request) -> list[dict[str, Any]]:
        with self._cond:
            return copy.deepcopy(self._commands.get(_commands_key(request.params), []))

    def _delete_my_commands(self, request: _Request) -> bool:
        with self._cond:
            self._commands.pop(_commands_key(request.params), None)
        return True

    def _set_chat_menu_button(self, request: _Request) -> bool:
        button = request.params.get("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in MENU_BUTTON_TYPES:
            raise bad_request("can't parse menu button JSON object")
        if button["type"] == "web_app":
            url = str((button.get("web_app") or {}).get("url", ""))
            if not url.startswith("https://") or not button.get("text"):
                raise bad_request("BUTTON_URL_INVALID")
        chat = request.params.get("chat_id")
        with self._cond:
            self._menu_buttons[None if chat is None else _chat_id(request.params)] = button
        return True

    def _get_chat_menu_button(self, request: _Request) -> dict[str, Any]:
        chat = request.params.get("chat_id")
        key = None if chat is None else _chat_id(request.params)
        with self._cond:
            found = self._menu_buttons.get(key) or self._menu_buttons.get(None)
            return copy.deepcopy(found or {"type": "default"})

    def _get_file(self, request: _Request) -> dict[str, Any]:
        file_id = str(request.params.get("file_id") or "")
        with self._cond:
            stored = self._files.get(file_id)
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }


# ---------------------------------------------------------------- method helpers


def _method_matches(call: Call, method: str | None) -> bool:
    return method is None or call.method.lower() == method.lower()


def _optional_chat_id(params: Mapping[str, Any]) -> int | None:
    try:
        return int(params["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None


def _formatted(
    text: Any,
    parse_mode: Any,
    entities: Any,
    *,
    limit: int,
    too_long: str,
    required: str | None,
) -> tuple[str, list[dict[str, Any]]]:
    """Visible text and entities of a text or caption, checked the way Telegram checks them."""
    raw = "" if text is None else str(text)
    if isinstance(parse_mode, str) and parse_mode.lower() == "html":
        visible, parsed = parse_html(raw)
    else:
        visible, parsed = raw, entities if isinstance(entities, list) else []
    if required is not None and not visible.strip():
        raise bad_request(required)
    if len(visible) > limit:
        raise bad_request(too_long)
    return visible, parsed


def _caption(params: Mapping[str, Any]) -> dict[str, Any]:
    if params.get("caption") in (None, ""):
        return {}
    caption, entities = _formatted(
        params.get("caption"),
        params.get("parse_mode"),
        params.get("caption_entities"),
        limit=MAX_CAPTION_LENGTH,
        too_long="message caption is too long",
        required=None,
    )
    content: dict[str, Any] = {"caption": caption}
    if entities:
        content["caption_entities"] = entities
    return content


def _inline_markup(markup: Any) -> dict[str, Any] | None:
    """Validate a reply_markup; returns it if Telegram would echo it (inline keyboards only)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    keyboard = markup.get("inline_keyboard")
    if keyboard is None:
        return None
    if not isinstance(keyboard, list) or not all(isinstance(row, list) for row in keyboard):
        raise bad_request("can't parse reply keyboard markup JSON object")
    for row in keyboard:
        for button in row:
            _check_inline_button(button)
    if not any(keyboard):
        return None
    return {"inline_keyboard": copy.deepcopy(keyboard)}


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Text must be a String")
    if not INLINE_BUTTON_ACTIONS & button.keys():
        raise bad_request("text buttons are unallowed in the inline keyboard")
    data = button.get("callback_data")
    if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
        raise bad_request("BUTTON_DATA_INVALID")


def _commands_key(params: Mapping[str, Any]) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, _Upload]]:
    """Query string, then form fields or a JSON body, as the Bot API accepts them all."""
    params: dict[str, Any] = {
        key: _decode_form_value(key, value) for key, value in request.query.items()
    }
    uploads: dict[str, _Upload] = {}
    if request.method not in ("POST", "PUT") or not request.can_read_body:
        return params, uploads
    try:
        if request.content_type == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise bad_request("can't parse JSON object")
            for key, value in body.items():
                params[key] = _decode_form_value(key, value) if isinstance(value, str) else value
            return params, uploads
        form = await request.post()
    except web.HTTPRequestEntityTooLarge:
        raise FakeAPIError(413, "Request Entity Too Large") from None
    except json.JSONDecodeError:
        raise bad_request("can't parse JSON object") from None
    for key, value in form.items():
        if isinstance(value, web.FileField):
            uploads[key] = _Upload(value.filename, value.file.read(), value.content_type)
        elif isinstance(value, str):
            params[key] = _decode_form_value(key, value)
    return params, uploads


def _call_files(
    params: Mapping[str, Any], uploads: Mapping[str, _Upload]
) -> dict[str, tuple[str, bytes]]:
    """Uploads keyed by the parameter that refers to them ("document"), not by attach:// key."""
    files: dict[str, tuple[str, bytes]] = {}
    referenced: set[str] = set()
    for key, value in params.items():
        if isinstance(value, str) and value.startswith("attach://"):
            upload = uploads.get(value.removeprefix("attach://"))
            if upload is not None:
                files[key] = (upload.filename, upload.content)
                referenced.add(value.removeprefix("attach://"))
    for key, upload in uploads.items():
        if key not in referenced:
            files.setdefault(key, (upload.filename, upload.content))
    return files


def _short(params: Mapping[str, Any], width: int = 120) -> str:
    text = ", ".join(f"{key}={value!r}" for key, value in params.items())
    return text if len(text) <= width else text[: width - 1] + "…"


def _short_response(response: Mapping[str, Any]) -> str:
    if response.get("ok"):
        return "ok"
    return f"{response.get('error_code')} {response.get('description')}"
