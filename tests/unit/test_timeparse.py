from datetime import time

import pytest

from bot.services.parsing.timeparse import parse_clock_time, parse_time_range


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9am", time(9, 0)),
        ("8:30 am", time(8, 30)),
        ("8:30 PM", time(20, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("7 p.m.", time(19, 0)),
        ("9 утра", time(9, 0)),
        ("10 вечера", time(22, 0)),
        ("13pm", None),
        ("7:30", time(7, 30)),  # a setting is a 24-hour reading as typed
    ],
)
def test_parse_clock_time_with_am_pm(text: str, expected: time | None) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10pm-7am", (time(22, 0), time(7, 0))),
        ("10 pm – 7 am", (time(22, 0), time(7, 0))),
        ("11pm to 6:30am", (time(23, 0), time(6, 30))),
        ("с 10 вечера до 7 утра", (time(22, 0), time(7, 0))),
        ("13pm-7am", None),
    ],
)
def test_parse_time_range_with_am_pm(text: str, expected: tuple[time, time] | None) -> None:
    assert parse_time_range(text) == expected
