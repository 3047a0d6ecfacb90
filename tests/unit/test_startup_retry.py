"""StartupRetry in isolation: which calls it retries, for how long, and when it lets go."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from aiogram.exceptions import (
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetMe, SendMessage, TelegramMethod

from bot.startup import StartupRetry, describe


class ScriptedRequests:
    """make_request that raises the queued errors in order, then answers "ok"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self, bot: Any, method: TelegramMethod[Any]) -> Any:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def _server_error(method: TelegramMethod[Any]) -> TelegramServerError:
    return TelegramServerError(method=method, message="Bad Gateway")


async def test_transient_errors_on_a_start_up_call_are_retried_until_it_works() -> None:
    method = GetMe()
    requests = ScriptedRequests(
        _server_error(method),
        TelegramNetworkError(method=method, message="connection reset"),
        _server_error(method),
    )
    retry = StartupRetry(5, first_delay=0.01, max_delay=0.02)
    assert await retry(requests, None, method) == "ok"  # type: ignore[arg-type]
    assert requests.calls == 4


async def test_a_send_is_never_retried_here() -> None:
    # A retried sendMessage whose first answer was lost would be a duplicate message.
    method = SendMessage(chat_id=1, text="hi")
    requests = ScriptedRequests(_server_error(method))
    with pytest.raises(TelegramServerError):
        await StartupRetry(5, first_delay=0.01)(requests, None, method)  # type: ignore[arg-type]
    assert requests.calls == 1


async def test_unauthorized_is_not_retried() -> None:
    method = GetMe()
    requests = ScriptedRequests(TelegramUnauthorizedError(method=method, message="Unauthorized"))
    with pytest.raises(TelegramUnauthorizedError):
        await StartupRetry(5, first_delay=0.01)(requests, None, method)  # type: ignore[arg-type]
    assert requests.calls == 1


async def test_a_lasting_failure_gives_up_within_the_budget_with_the_last_error() -> None:
    method = GetMe()
    requests = ScriptedRequests(*[_server_error(method) for _ in range(1000)])
    started = time.monotonic()
    with pytest.raises(TelegramServerError):
        await StartupRetry(0.3, first_delay=0.02, max_delay=0.05)(requests, None, method)  # type: ignore[arg-type]
    assert time.monotonic() - started < 0.6
    assert requests.calls >= 3


async def test_a_retry_after_beyond_the_budget_gives_up_at_once() -> None:
    method = GetMe()
    requests = ScriptedRequests(TelegramRetryAfter(method=method, message="flood", retry_after=30))
    started = time.monotonic()
    with pytest.raises(TelegramRetryAfter):
        await StartupRetry(5)(requests, None, method)  # type: ignore[arg-type]
    assert time.monotonic() - started < 1
    assert requests.calls == 1


async def test_a_stop_signal_ends_the_wait_at_once() -> None:
    method = GetMe()
    requests = ScriptedRequests(*[_server_error(method) for _ in range(1000)])
    stop = asyncio.Event()
    retry = StartupRetry(60, first_delay=10, stop=stop)
    asyncio.get_running_loop().call_later(0.05, stop.set)
    started = time.monotonic()
    with pytest.raises(TelegramServerError):
        await retry(requests, None, method)  # type: ignore[arg-type]
    assert time.monotonic() - started < 2
    assert requests.calls == 1


def test_describe_keeps_telegrams_words_on_one_line() -> None:
    method = GetMe()
    flood = TelegramRetryAfter(
        method=method, message="Too Many Requests: retry after 3", retry_after=3
    )
    assert describe(flood) == "Too Many Requests: retry after 3 s"
    assert describe(TelegramServerError(method=method, message="Bad\n Gateway")) == "Bad Gateway"
