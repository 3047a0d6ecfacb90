"""/readyz names what is wrong (Redis, scheduler lag) with 503; /healthz only asks for life."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.telegram_api import FakeTelegramAPI
from tests.ops.support import IN_CI, REDIS_TEST_URL, Role, http_get

pytestmark = pytest.mark.e2e


def test_unreachable_redis_and_a_lagging_scheduler_fail_readiness(
    api: FakeTelegramAPI, tmp_path: Path
) -> None:
    env = {"REDIS_URL": "redis://127.0.0.1:1/6", "SCHEDULER_LAG_LIMIT": "0.001"}
    worker = Role(api, tmp_path, ["worker"], env=env).start()
    try:
        assert http_get(worker.url("/healthz")) == (200, "ok\n")
        status, body = http_get(worker.url("/readyz"))
        assert status == 503
        assert "database: ok" in body
        assert "redis: FAILED" in body
        assert "scheduler: FAILED (last reminder tick" in body
        metrics = http_get(worker.url("/metrics"))[1]
        assert "kambot_db_pool_in_use 0.0" in metrics
    finally:
        assert worker.stop() == 0, worker.log()


def test_redis_reachable_is_ready(api: FakeTelegramAPI, tmp_path: Path) -> None:
    worker = Role(api, tmp_path, ["worker"], env={"REDIS_URL": REDIS_TEST_URL}).start()
    try:
        status, body = http_get(worker.url("/readyz"))
    finally:
        assert worker.stop() == 0, worker.log()
    if "redis: FAILED" in body and not IN_CI:
        pytest.skip(f"no Redis at {REDIS_TEST_URL} (required in CI)")
    assert status == 200, body
    assert "redis: ok" in body


def test_a_taken_health_port_is_a_warning_not_a_stop(api: FakeTelegramAPI, tmp_path: Path) -> None:
    first = Role(api, tmp_path / "a", ["worker"]).start()
    second = Role(api, tmp_path / "b", ["worker"], health_port=first.health_port)
    try:
        second.start()
        assert "health port 127.0.0.1:" in second.log()
        assert "set HEALTH_PORT to a free port" in second.log()
        assert http_get(first.url("/healthz"))[0] == 200
    finally:
        assert second.stop() == 0, second.log()
        assert first.stop() == 0, first.log()
