"""Shared helpers for benchmarks: a migrated throw-away database and timing."""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import create_engine
from storage.migrate import upgrade


async def fresh_sqlite(folder: Path | None = None) -> AsyncEngine:
    folder = folder or Path(tempfile.mkdtemp(prefix="kambot-bench-"))
    engine = create_engine(f"sqlite+aiosqlite:///{folder / 'bench.db'}")
    await upgrade(engine)
    return engine


@asynccontextmanager
async def fresh_database(pg_url: str | None, name: str) -> AsyncIterator[AsyncEngine]:
    """A migrated empty database: a temp SQLite file (removed afterwards), or the bench's own
    PostgreSQL database with its schema recreated (never the shared `test`)."""
    if pg_url is not None:
        engine = create_engine(pg_url)
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await upgrade(engine)
        try:
            yield engine
        finally:
            await engine.dispose()
        return
    folder = Path(tempfile.mkdtemp(prefix=f"kambot-bench-{name}-"))
    engine = await fresh_sqlite(folder)
    try:
        yield engine
    finally:
        await engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


async def timed(fn: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = await fn()
    return time.perf_counter() - start, result


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def p95_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000
