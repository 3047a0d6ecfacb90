"""Heavy work off the event loop: a small bounded pool of threads and one of processes.

Parsing an import, building an export and drawing a chart take seconds of CPU on a big base;
on the event loop they would stall every other chat. In a worker thread they still share the
GIL, but the interpreter hands it back to the loop every few milliseconds (sys.getswitchinterval):
enough for parsing a file or drawing a chart. The export (loading the whole base through the ORM
and writing XLSX and CSV) holds the GIL for minutes of slices on a 40,000-client base and still
doubled other users' /help latency from a thread (bench/bench_fairness.py), so it runs in a
worker process (run_in_process, bot/export_job.py).

At most WORKERS threads and PROCESSES processes work at once; more jobs wait their turn. One
chat's updates run one at a time (bot/chat_order.py), so one user holds at most one worker: a
few heavy users cannot starve a third user's chart, and a flood of them cannot grow threads or
processes without bound.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

WORKERS = 4
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
    url = session.get_bind().engine.url
    if url.drivername.startswith("sqlite") and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=False)


# ---------------------------------------------------------------- processes

PROCESSES = 2
_processes: ProcessPoolExecutor | None = None


def _process_pool() -> ProcessPoolExecutor:
    global _processes  # created on first use; "spawn": a clean interpreter, no forked threads
    if _processes is None:
        _processes = ProcessPoolExecutor(
            max_workers=PROCESSES, mp_context=multiprocessing.get_context("spawn")
        )
    return _processes


async def run_in_process(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """fn(*args, **kwargs) in a worker process: CPU there does not compete for this GIL.
    fn, its arguments and its result must pickle; a worker costs ~0.8 s of CPU to start, once."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_process_pool(), functools.partial(fn, *args, **kwargs))
