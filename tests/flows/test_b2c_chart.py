"""Issue 15 #13: in B2C mode the 📈 chart shows request response and resolution times against the
SLA and reviews — the figures of the B2C /kpi text — not an empty sales axis asking for a plan.

Saturday 2026-11-28, 09:00 Moscow; the chart of November is drawn per day. Medians are nearest
rank (kpi_b2c): of 12 and 30 minutes the median is 12.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from aiogram.methods import SendMessage, SendPhoto
from aiogram.types import BufferedInputFile
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import workers
from bot.services.clock import FrozenClock
from storage.enums import WorkMode
from storage.models import Manager
from tests.support.bot_client import BotClient

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
MONDAY = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
MIN = 60


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """The arguments every chart is drawn from (data, labels), on their way to the worker."""
    calls: list[tuple[Any, ...]] = []
    original = workers.run_heavy

    async def spy(fn: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return await original(fn, *args, **kwargs)

    monkeypatch.setattr(workers, "run_heavy", spy)
    return calls


async def _request(
    client: BotClient, clock: FrozenClock, at: datetime, text: str, answer: int, solve: int | None
) -> None:
    clock.set(at)
    await client.send(f"/request {text}")
    clock.set(at + timedelta(minutes=answer))
    await client.click("💬 Ответил")
    if solve is not None:
        clock.set(at + timedelta(minutes=solve))
        await client.click("✅ Решено")


async def test_b2c_chart_plots_request_times_and_reviews_not_sales(
    client: BotClient,
    session_pool: async_sessionmaker[AsyncSession],
    clock: FrozenClock,
    drawn: list[tuple[Any, ...]],
) -> None:
    for name in ("Ромашка", "Лютик"):
        await client.send(f"/client {name}")
        await client.click("➕ Создать нового клиента")
    async with session_pool() as session:
        await session.execute(update(Manager).values(work_mode=WorkMode.B2C))
        await session.commit()
    # Monday: answered in 12 and 30 min, solved in 2 h 5 min and 4 h.
    await _request(client, clock, MONDAY, "Ромашка не пришла доставка", 12, 125)
    await _request(client, clock, MONDAY + timedelta(hours=1), "Лютик сломан замок", 30, 240)
    # Wednesday: answered after 90 min (past the 1-hour SLA), not solved yet.
    await _request(client, clock, MONDAY + timedelta(days=2), "Ромашка вопрос по счёту", 90, None)
    clock.set(MONDAY + timedelta(days=1))
    await client.send("/review Ромашка + спасибо за быструю доставку")
    clock.set(MONDAY + timedelta(days=3))
    await client.send("/review Лютик - курьер опоздал")
    await client.send("/review Ромашка + всё отлично")

    clock.set(NOW)
    await client.send("/kpi")
    drawn.clear()
    requests = await client.click("📈 График")

    [photo] = [r for r in requests if isinstance(r, SendPhoto)]
    assert isinstance(photo.photo, BufferedInputFile)
    assert photo.photo.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert photo.caption is not None
    assert "время ответа и решения" in photo.caption, photo.caption
    assert "продажи" not in photo.caption.lower()
    texts = [r.text for r in requests if isinstance(r, SendMessage)]
    assert not any("/plan" in text or "План" in text for text in texts), texts

    [(data, labels)] = drawn
    assert getattr(data, "buckets", None) is not None, f"drew {type(data).__name__}"
    november = [date(2026, 11, d) for d in range(1, 31)]
    assert data.buckets == november
    monday, tuesday, wednesday, thursday = 22, 23, 24, 25  # indexes of the 23rd..26th
    assert data.response_s[monday] == 12 * MIN
    assert data.resolution_s[monday] == 125 * MIN
    assert data.response_s[wednesday] == 90 * MIN
    assert data.resolution_s[wednesday] is None  # not solved: no median invented
    assert data.response_s[tuesday] is None
    assert (data.positive[tuesday], data.negative[tuesday]) == (1, 0)
    assert (data.positive[thursday], data.negative[thursday]) == (1, 1)
    assert data.positive[27] == 0  # today, Saturday, counted
    assert data.positive[28] is None  # Sunday is still ahead
    # The titles carry the period's /kpi figures: medians of all three requests, share in SLA.
    assert data.total.first_response.median_s == 30 * MIN
    assert labels.response_title == "Первый ответ: медиана 30 мин · в SLA 66\u00a0%"
    assert labels.resolution_title == "Решение: медиана 2 ч 5 мин · в SLA 100\u00a0%"
    assert labels.reviews_title == "Отзывы: хорошие — 2, негативные — 1"
    assert labels.sla_response == "SLA 1 ч"
    assert not hasattr(labels, "no_plan")
