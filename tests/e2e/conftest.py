from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.harness import BotProcess
from tests.fakes.telegram_api import FakeTelegramAPI


@pytest.fixture(scope="session")
def fake_api() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as api:
        yield api


@pytest.fixture(scope="session")
def bot_process(
    fake_api: FakeTelegramAPI, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    process = BotProcess(fake_api, tmp_path_factory.mktemp("bot"))
    process.start()
    yield process
    code = process.stop()
    assert code == 0, process.log()
