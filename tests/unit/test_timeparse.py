from datetime import time

import pytest

from bot.services.timeparse import parse_clock_time, parse_time_range


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9", time(9, 0)),
        ("09:30", time(9, 30)),
        ("9.30", time(9, 30)),
        (" 7 ч 15 ", time(7, 15)),
        ("24:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("25", None),
        ("9:75", None),
        ("", None),
        ("завтра", None),
        ("9" * 5000, None),
    ],
)
def test_parse_clock_time(text: str, expected: time | None) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21-8", (time(21, 0), time(8, 0))),
        ("22:00–07:30", (time(22, 0), time(7, 30))),
        ("с 23 до 7", (time(23, 0), time(7, 0))),
        ("from 22 to 6", (time(22, 0), time(6, 0))),
        ("выкл", (time(0, 0), time(0, 0))),
        ("off", (time(0, 0), time(0, 0))),
        ("22", None),
        ("22-30", None),
        ("abc", None),
    ],
)
def test_parse_time_range(text: str, expected: tuple[time, time] | None) -> None:
    assert parse_time_range(text) == expected
