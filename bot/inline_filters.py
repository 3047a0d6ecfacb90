"""Sync filters run inline, not in a worker thread.

aiogram calls every filter that is not a coroutine function through ``asyncio.to_thread``:
``F.text.startswith("/")``, ``F.action == …`` and a bare ``State`` are all sync, so a `/call`
hopped to a thread and back six times on its way to its handler (a thread-pool submit, a
context copy and two wake-ups each, for a check that takes a microsecond). Our filters are
pure and fast; the ones that do I/O are ``Filter`` subclasses with ``async __call__`` and are
left alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from functools import wraps
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject


def _inline(check: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    @wraps(check)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    return run


def _filters(router: Router) -> Iterator[FilterObject]:
    for observer in router.observers.values():
        yield from observer._handler.filters or ()  # the router-wide filters
        for handler in observer.handlers:
            yield from handler.filters or ()
    for child in router.sub_routers:
        yield from _filters(child)


def run_filters_inline(router: Router) -> int:
    """Makes every sync filter under ``router`` run on the event loop; returns how many.

    The parameters aiogram passes a filter were read from its signature when it was
    registered, so swapping in a wrapper afterwards keeps them.
    """
    changed = 0
    for event_filter in _filters(router):
        if not event_filter.awaitable:
            event_filter.callback = _inline(event_filter.callback)
            event_filter.awaitable = True
            changed += 1
    return changed
