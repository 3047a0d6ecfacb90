"""The SQLite file pool keeps its connections: bursts of concurrent sessions reuse them instead
of opening and closing overflow connections (each a new thread, PRAGMAs and a cold cache)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from storage.db import SQLITE_POOL_SIZE, create_engine, create_session_pool

BURST = 12  # above SQLAlchemy's default pool of 5, within the 15 the pool allows at once


async def test_bursts_of_sessions_reuse_the_same_connections(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'pool.db'}")
    opened: list[Any] = []
    event.listen(engine.sync_engine, "connect", lambda conn, _record: opened.append(conn))
    sessions = create_session_pool(engine)
    all_in = asyncio.Barrier(BURST)

    async def one() -> None:
        async with sessions() as session:
            await session.execute(text("SELECT 1"))
            await all_in.wait()  # every session holds its connection at the same time

    try:
        for _ in range(3):
            await asyncio.gather(*(one() for _ in range(BURST)))
            all_in = asyncio.Barrier(BURST)
    finally:
        await engine.dispose()
    assert len(opened) == BURST, f"{len(opened)} connections opened for 3 bursts of {BURST}"


async def test_no_more_than_the_pool_at_once(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'pool.db'}")
    opened: list[Any] = []
    event.listen(engine.sync_engine, "connect", lambda conn, _record: opened.append(conn))
    sessions = create_session_pool(engine)
    held = 0
    most = 0

    async def one() -> None:
        nonlocal held, most
        async with sessions() as session:
            await session.execute(text("SELECT 1"))
            held += 1
            most = max(most, held)
            await asyncio.sleep(0.05)
            held -= 1

    try:
        await asyncio.gather(*(one() for _ in range(SQLITE_POOL_SIZE * 2)))
    finally:
        await engine.dispose()
    assert most == SQLITE_POOL_SIZE  # the rest waited for a connection, none failed
    assert len(opened) == SQLITE_POOL_SIZE
