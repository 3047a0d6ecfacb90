"""The reminder job's skipped interval runs during a long drain are not warned about."""

from __future__ import annotations

import logging

import pytest

from bot.scheduler import create_scheduler


def test_a_skipped_run_is_not_a_warning_but_other_warnings_are(
    caplog: pytest.LogCaptureFixture,
) -> None:
    create_scheduler(session_pool=None, clock=None)  # type: ignore[arg-type]
    logger = logging.getLogger("apscheduler.scheduler")
    with caplog.at_level(logging.WARNING, logger="apscheduler.scheduler"):
        logger.warning(
            'Execution of job "%s" skipped: maximum number of running instances reached (%d)',
            "reminders",
            1,
        )
        logger.warning("Run time of job %s was missed by %s", "reminders", "0:10:00")
    assert [r.getMessage() for r in caplog.records] == [
        "Run time of job reminders was missed by 0:10:00"
    ]
