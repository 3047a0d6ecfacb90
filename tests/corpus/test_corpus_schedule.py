"""Phrasing corpus: next steps and when they fall due (issue 15 #14), through ``parse_touch``,
the reader every /call, /log and «Клиент: текст» goes through.

Decision: a relative date-only step ("завтра", "через неделю", "in 3 days") that lands on a
Saturday or Sunday moves to the Monday after — business clients don't answer at weekends; a
day the manager named ("в воскресенье", "12.12", "в выходные") or a step with a time stays.

Clocks (Moscow): Wednesday 2 Dec 2026 12:00, Saturday 5 Dec 12:00, Sunday 6 Dec 10:00.
Reading: "2026-12-14" (date only) or "2026-12-07 10:00"; None: no dated next step.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.parsing.touch_parse import parse_touch

MSK = "Europe/Moscow"
WED = datetime(2026, 12, 2, 12, 0, tzinfo=ZoneInfo(MSK))
SAT = datetime(2026, 12, 5, 12, 0, tzinfo=ZoneInfo(MSK))
SUN = datetime(2026, 12, 6, 10, 0, tzinfo=ZoneInfo(MSK))

CORPUS: list[tuple[datetime, str, str | None] | object] = [
    # On a Sunday: relative steps skip the weekend, named days stay.
    (SUN, "обсудили цены, перезвонить через неделю", "2026-12-14"),
    (SUN, "договорились, КП через неделю", "2026-12-14"),
    (SUN, "созвонились, перезвонить завтра", "2026-12-07"),
    (SUN, "обсудили отгрузку, перезвонить в понедельник", "2026-12-07"),
    (SUN, "встреча прошла, следующая во вторник", "2026-12-08"),
    (SUN, "договорились, перезвонить 12.03", "2027-03-12"),
    (SUN, "обсудили, перезвонить в воскресенье", "2026-12-13"),
    (SUN, "обсудили, перезвонить через 2 недели", "2026-12-21"),
    (SUN, "обсудили, перезвонить через 3 дня", "2026-12-09"),
    (SUN, "обсудили, перезвонить через 6 дней", "2026-12-14"),
    (SUN, "обсудили, перезвонить послезавтра", "2026-12-08"),
    (SUN, "обсудили, перезвонить через месяц", "2027-01-06"),
    (SUN, "обсудили, перезвонить завтра в 10:00", "2026-12-07 10:00"),
    (SUN, "обсудили, перезвонить через неделю в 15:00", "2026-12-13 15:00"),
    (SUN, "обсудили, перезвонить в пятницу", "2026-12-11"),
    (SUN, "обсудили, перезвонить 12 декабря", "2026-12-12"),
    (SUN, "обсудили, перезвонить в субботу", "2026-12-12"),
    (SUN, "discussed prices, call back in a week", "2026-12-14"),
    (SUN, "discussed prices, follow up tomorrow", "2026-12-07"),
    (SUN, "discussed prices, send the offer on Monday", "2026-12-07"),
    (SUN, "discussed prices, call back in 2 weeks", "2026-12-21"),
    (SUN, "discussed prices, call back on Sunday", "2026-12-13"),
    (SUN, "discussed prices, call back in 3 days", "2026-12-09"),
    # On a Saturday.
    (SAT, "обсудили, перезвонить завтра", "2026-12-07"),
    (SAT, "обсудили, перезвонить через неделю", "2026-12-14"),
    (SAT, "обсудили, перезвонить послезавтра", "2026-12-07"),
    (SAT, "обсудили, перезвонить через 2 дня", "2026-12-07"),
    (SAT, "discussed prices, call back tomorrow", "2026-12-07"),
    (SAT, "обсудили, перезвонить в понедельник", "2026-12-07"),
    (SAT, "обсудили, перезвонить в субботу", "2026-12-12"),
    (SAT, "обсудили, перезвонить завтра в 11", "2026-12-06 11:00"),
    # On a weekday nothing moves unless the step lands on a weekend.
    (WED, "обсудили, перезвонить через неделю", "2026-12-09"),
    (WED, "обсудили, перезвонить завтра", "2026-12-03"),
    (WED, "обсудили, перезвонить через 3 дня", "2026-12-07"),
    (WED, "обсудили, перезвонить в пятницу", "2026-12-04"),
    (WED, "обсудили, перезвонить через 10 дней", "2026-12-14"),
    (WED, "discussed prices, call back in a week", "2026-12-09"),
    (WED, "обсудили, выслать КП до 12.12", "2026-12-12"),
    (WED, "обсудили цены", None),
    pytest.param(
        WED,
        "обсудили, созвон в выходные",
        "2026-12-05",
        marks=pytest.mark.xfail(strict=True, reason="dates.py has no reading for «в выходные»"),
    ),
]

_results: list[bool] = []


@pytest.fixture(scope="module", autouse=True)
def _share(pytestconfig: pytest.Config) -> Iterator[None]:
    yield
    if _results:
        line = f"corpus schedule: {sum(_results)}/{len(_results)} understood"
        reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(line)
        print(line)


def _due(now: datetime, text: str) -> str | None:
    due = parse_touch(text, now, MSK).next_step_due
    if due is None:
        return None
    at = due.at.astimezone(ZoneInfo(MSK))
    return at.strftime("%Y-%m-%d %H:%M") if due.has_time else at.strftime("%Y-%m-%d")


@pytest.mark.parametrize(("now", "text", "expected"), CORPUS)
def test_corpus_schedule(now: datetime, text: str, expected: str | None) -> None:
    got = _due(now, text)
    _results.append(got == expected)
    assert got == expected, f"{text!r} at {now:%a %d %b}: {got}"
