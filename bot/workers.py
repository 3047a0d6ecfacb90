"""Heavy work off the event loop, in a small bounded pool of threads.

Parsing an import, building an export and drawing a chart take seconds of CPU on a big base;
on the event loop they would stall every other chat. In a worker thread they still share the
GIL, but the interpreter hands it back to the loop every few milliseconds (sys.getswitchinterval),
so other chats' updates keep moving (measured in bench/bench_fairness.py).

`in_own_loop` goes one step further for work that reads the database with the ORM (loading
tens of thousands of rows is CPU on whichever loop runs it): it runs a coroutine on a fresh
event loop in a worker thread, with its own engine, so the bot's loop only waits for the result.

At most WORKERS jobs run at once; more wait their turn, so one user's three /export cannot take
every core the bot has.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import create_engine, create_session_pool

WORKERS = 2
P = ParamSpec("P")
T = TypeVar("T")
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool  # created on first use: no threads at import time
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="kambot-heavy")
    return _pool


async def run_heavy(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """fn(*args, **kwargs) in the worker pool; the loop serves other updates meanwhile."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor(), functools.partial(fn, *args, **kwargs))


def database_url(session: AsyncSession) -> str | None:
    """The URL a second engine can open the same database with; None for an in-memory
    SQLite database, which only this engine's connection can see."""
    bind = session.bind
    if bind is None:
        return None
    url = bind.url
    if url.drivername.startswith("sqlite") and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=False)


async def in_own_loop(session: AsyncSession, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """`work(session)` on a fresh loop in a worker thread, with a session of its own engine on
    the same database (committed data only: use it for reads). Falls back to the caller's
    session on this loop when the database cannot be opened twice (in-memory SQLite)."""
    url = database_url(session)
    if url is None:
        return await work(session)

    async def job() -> T:
        engine = create_engine(url)
        try:
            async with create_session_pool(engine)() as own:
                return await work(own)
        finally:
            await engine.dispose()

    return await run_heavy(lambda: asyncio.run(job()))
