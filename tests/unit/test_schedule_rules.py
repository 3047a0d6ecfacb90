"""Pure reminder time rules. Every expected instant is worked out by hand as a UTC literal.

Offsets used: Europe/Moscow +3 all year; Europe/Berlin +1 (CET) / +2 (CEST), spring forward
2026-03-29 01:00 UTC (02:00 -> 03:00), fall back 2026-10-25 01:00 UTC (03:00 -> 02:00);
America/New_York -5 (EST) / -4 (EDT), spring forward 2026-03-08 07:00 UTC (02:00 -> 03:00),
fall back 2026-11-01 06:00 UTC (02:00 -> 01:00). 2026-03-27, 2026-06-05 and 2026-10-30 are
Fridays.
"""

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.crm.birthdays import Birthday
from bot.services.schedule.schedule_rules import (
    birthday_dedupe_key,
    birthday_pings,
    checkin_due,
    in_quiet_hours,
    is_due,
    local_moment,
    next_digest_at,
    push_out_of_quiet_hours,
    snooze_until,
    weekly_summary_at,
)

MSK = "Europe/Moscow"
BER = "Europe/Berlin"
NYC = "America/New_York"
NIGHT = (time(21), time(8))
DIGEST = time(9)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# --- local_moment ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "at", "tz", "expected"),
    [
        # Moscow: no DST, +3 on every "DST day"
        (date(2026, 3, 29), time(9), MSK, utc(2026, 3, 29, 6)),
        (date(2026, 10, 25), time(2, 30), MSK, utc(2026, 10, 24, 23, 30)),
        (date(2026, 3, 8), time(0), MSK, utc(2026, 3, 7, 21)),
        # Berlin spring forward: 02:00-02:59 does not exist -> 03:00 CEST
        (date(2026, 3, 28), time(9), BER, utc(2026, 3, 28, 8)),
        (date(2026, 3, 29), time(1, 59), BER, utc(2026, 3, 29, 0, 59)),
        (date(2026, 3, 29), time(2), BER, utc(2026, 3, 29, 1)),
        (date(2026, 3, 29), time(2, 30), BER, utc(2026, 3, 29, 1)),
        (date(2026, 3, 29), time(2, 59, 59), BER, utc(2026, 3, 29, 1)),
        (date(2026, 3, 29), time(3), BER, utc(2026, 3, 29, 1)),
        (date(2026, 3, 29), time(9), BER, utc(2026, 3, 29, 7)),
        # Berlin fall back: 02:00-02:59 twice -> the first (CEST) one
        (date(2026, 10, 25), time(1, 59), BER, utc(2026, 10, 24, 23, 59)),
        (date(2026, 10, 25), time(2), BER, utc(2026, 10, 25, 0)),
        (date(2026, 10, 25), time(2, 30), BER, utc(2026, 10, 25, 0, 30)),
        (date(2026, 10, 25), time(3), BER, utc(2026, 10, 25, 2)),
        (date(2026, 10, 25), time(9), BER, utc(2026, 10, 25, 8)),
        # New York spring forward
        (date(2026, 3, 7), time(9), NYC, utc(2026, 3, 7, 14)),
        (date(2026, 3, 8), time(1, 59), NYC, utc(2026, 3, 8, 6, 59)),
        (date(2026, 3, 8), time(2, 30), NYC, utc(2026, 3, 8, 7)),
        (date(2026, 3, 8), time(3), NYC, utc(2026, 3, 8, 7)),
        (date(2026, 3, 8), time(9), NYC, utc(2026, 3, 8, 13)),
        # New York fall back: 01:00-01:59 twice -> the first (EDT) one
        (date(2026, 10, 31), time(9), NYC, utc(2026, 10, 31, 13)),
        (date(2026, 11, 1), time(1), NYC, utc(2026, 11, 1, 5)),
        (date(2026, 11, 1), time(1, 30), NYC, utc(2026, 11, 1, 5, 30)),
        (date(2026, 11, 1), time(2), NYC, utc(2026, 11, 1, 7)),
        (date(2026, 11, 1), time(9), NYC, utc(2026, 11, 1, 14)),
    ],
)
def test_local_moment(day: date, at: time, tz: str, expected: datetime) -> None:
    got = local_moment(day, at, tz)
    assert got == expected
    assert got.tzinfo is UTC


def test_local_moment_ignores_fold_of_the_time() -> None:
    assert local_moment(date(2026, 11, 1), time(1, 30, fold=1), NYC) == utc(2026, 11, 1, 5, 30)


def test_local_moment_gap_of_a_whole_day() -> None:
    # Samoa skipped 2011-12-30 entirely: 23:59:59 on the 29th (-10) was followed by 00:00 on
    # the 31st (+14), i.e. 2011-12-30 10:00 UTC.
    assert local_moment(date(2011, 12, 30), time(12), "Pacific/Apia") == utc(2011, 12, 30, 10)


def test_local_moment_rejects_aware_time() -> None:
    with pytest.raises(ValueError, match="wall-clock"):
        local_moment(date(2026, 1, 1), time(9, tzinfo=UTC), MSK)


# --- quiet hours ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "tz", "quiet", "expected"),
    [
        # Moscow, 21:00-08:00 across midnight
        (utc(2026, 6, 5, 17, 59), MSK, NIGHT, utc(2026, 6, 5, 17, 59)),  # 20:59 allowed
        (utc(2026, 6, 5, 18), MSK, NIGHT, utc(2026, 6, 6, 5)),  # 21:00 quiet -> 08:00 next day
        (utc(2026, 6, 5, 19), MSK, NIGHT, utc(2026, 6, 6, 5)),  # 22:00
        (utc(2026, 6, 5, 20, 59), MSK, NIGHT, utc(2026, 6, 6, 5)),  # 23:59
        (utc(2026, 6, 5, 21), MSK, NIGHT, utc(2026, 6, 6, 5)),  # 00:00 -> same day's 08:00
        (utc(2026, 6, 5, 22, 30), MSK, NIGHT, utc(2026, 6, 6, 5)),  # 01:30
        (utc(2026, 6, 6, 4, 59), MSK, NIGHT, utc(2026, 6, 6, 5)),  # 07:59
        (utc(2026, 6, 6, 5), MSK, NIGHT, utc(2026, 6, 6, 5)),  # 08:00 allowed
        (utc(2026, 6, 6, 9), MSK, NIGHT, utc(2026, 6, 6, 9)),  # noon allowed
        # window inside one day, 13:00-14:00
        (utc(2026, 6, 5, 10, 30), MSK, (time(13), time(14)), utc(2026, 6, 5, 11)),
        (utc(2026, 6, 5, 11), MSK, (time(13), time(14)), utc(2026, 6, 5, 11)),
        (utc(2026, 6, 5, 9, 59), MSK, (time(13), time(14)), utc(2026, 6, 5, 9, 59)),
        # start == end: no quiet hours at all
        (utc(2026, 6, 5, 22), MSK, (time(22), time(22)), utc(2026, 6, 5, 22)),
        (utc(2026, 6, 5, 19), MSK, (time(0), time(0)), utc(2026, 6, 5, 19)),
        # Berlin spring forward: the night is an hour shorter, the end is 08:00 CEST
        (utc(2026, 3, 28, 21), BER, NIGHT, utc(2026, 3, 29, 6)),  # Sat 22:00 CET
        (utc(2026, 3, 29, 0, 30), BER, NIGHT, utc(2026, 3, 29, 6)),  # 01:30 CET
        (utc(2026, 3, 29, 1, 30), BER, NIGHT, utc(2026, 3, 29, 6)),  # 03:30 CEST
        (utc(2026, 3, 29, 5, 59), BER, NIGHT, utc(2026, 3, 29, 6)),  # 07:59 CEST
        (utc(2026, 3, 29, 6), BER, NIGHT, utc(2026, 3, 29, 6)),  # 08:00 CEST allowed
        # Berlin fall back: both 02:30s end at 08:00 CET
        (utc(2026, 10, 25, 0, 30), BER, NIGHT, utc(2026, 10, 25, 7)),  # 02:30 CEST
        (utc(2026, 10, 25, 1, 30), BER, NIGHT, utc(2026, 10, 25, 7)),  # 02:30 CET
        (utc(2026, 10, 24, 19), BER, NIGHT, utc(2026, 10, 25, 7)),  # Sat 21:00 CEST
        # New York spring forward and fall back
        (utc(2026, 3, 8, 2), NYC, NIGHT, utc(2026, 3, 8, 12)),  # Sat 21:00 EST -> 08:00 EDT
        (utc(2026, 3, 8, 7, 30), NYC, NIGHT, utc(2026, 3, 8, 12)),  # 03:30 EDT
        (utc(2026, 11, 1, 1), NYC, NIGHT, utc(2026, 11, 1, 13)),  # Sat 21:00 EDT -> 08:00 EST
        (utc(2026, 11, 1, 5, 30), NYC, NIGHT, utc(2026, 11, 1, 13)),  # 01:30 EDT
        (utc(2026, 11, 1, 6, 30), NYC, NIGHT, utc(2026, 11, 1, 13)),  # 01:30 EST
        # quiet end inside the repeated hour: each pass ends at its own 01:30
        (utc(2026, 11, 1, 5, 15), NYC, (time(21), time(1, 30)), utc(2026, 11, 1, 5, 30)),
        (utc(2026, 11, 1, 6, 15), NYC, (time(21), time(1, 30)), utc(2026, 11, 1, 6, 30)),
        # 01:45 EDT is allowed, and 01:15 EST is quiet again (wall-clock window)
        (utc(2026, 11, 1, 5, 45), NYC, (time(21), time(1, 30)), utc(2026, 11, 1, 5, 45)),
        # quiet end inside the gap: 02:30 does not exist, the night ends at 03:00 EDT
        (utc(2026, 3, 8, 5), NYC, (time(22), time(2, 30)), utc(2026, 3, 8, 7)),
        # the gap swallowed the whole allowed window 02:30-02:40: the next day's 02:30 EDT
        (utc(2026, 3, 8, 6, 50), NYC, (time(2, 40), time(2, 30)), utc(2026, 3, 9, 6, 30)),
    ],
)
def test_push_out_of_quiet_hours(
    moment: datetime, tz: str, quiet: tuple[time, time], expected: datetime
) -> None:
    assert push_out_of_quiet_hours(moment, tz, *quiet) == expected


def test_push_returns_an_allowed_moment_unchanged() -> None:
    moment = datetime(2026, 6, 5, 12, tzinfo=timezone(timedelta(hours=3)))
    assert push_out_of_quiet_hours(moment, MSK, *NIGHT) is moment


def test_quiet_hours_reject_naive_moment() -> None:
    with pytest.raises(ValueError, match="aware"):
        push_out_of_quiet_hours(datetime(2026, 6, 5, 22), MSK, *NIGHT)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2026, 6, 5, 17, 59, 59), False),
        (utc(2026, 6, 5, 18), True),
        (utc(2026, 6, 6, 4, 59, 59), True),
        (utc(2026, 6, 6, 5), False),
    ],
)
def test_in_quiet_hours_is_half_open(moment: datetime, expected: bool) -> None:
    assert in_quiet_hours(moment, MSK, *NIGHT) is expected


ZONES = [MSK, BER, NYC, "Australia/Lord_Howe", "Pacific/Apia", "Asia/Kolkata"]
DST_DAYS = [
    utc(2026, 3, 8, 7),
    utc(2026, 3, 29, 1),
    utc(2026, 10, 25, 1),
    utc(2026, 11, 1, 6),
    utc(2026, 4, 4, 15),  # Lord Howe falls back half an hour
    utc(2026, 10, 3, 15, 30),  # Lord Howe springs forward half an hour
    utc(2011, 12, 30, 10),  # Samoa skips a day
]
moments = st.one_of(
    st.datetimes(
        min_value=datetime(2010, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=datetime(2035, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    st.builds(
        lambda base, minutes: base + timedelta(minutes=minutes),
        st.sampled_from(DST_DAYS),
        st.integers(min_value=-36 * 60, max_value=36 * 60),
    ),
    # right around a transition, where the repeated hour and the gap are
    st.builds(
        lambda base, minutes: base + timedelta(minutes=minutes),
        st.sampled_from(DST_DAYS),
        st.integers(min_value=-120, max_value=120),
    ),
)
wall_times = st.one_of(
    st.times(),
    st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45])),
)


@settings(max_examples=600, deadline=None)
@given(moment=moments, tz=st.sampled_from(ZONES), start=wall_times, end=wall_times)
def test_push_result_is_allowed_and_never_earlier(
    moment: datetime, tz: str, start: time, end: time
) -> None:
    pushed = push_out_of_quiet_hours(moment, tz, start, end)
    assert pushed >= moment
    assert not in_quiet_hours(pushed, tz, start, end)
    if not in_quiet_hours(moment, tz, start, end):
        assert pushed == moment


TRANSITIONS = [
    (NYC, utc(2026, 3, 8, 7)),
    (NYC, utc(2026, 11, 1, 6)),
    (BER, utc(2026, 3, 29, 1)),
    (BER, utc(2026, 10, 25, 1)),
    ("Australia/Lord_Howe", utc(2026, 4, 4, 15)),
    ("Australia/Lord_Howe", utc(2026, 10, 3, 15, 30)),
    ("Pacific/Apia", utc(2011, 12, 30, 10)),
]
night_times = st.builds(time, st.integers(0, 4), st.sampled_from([0, 10, 15, 30, 45, 59]))


@settings(max_examples=1500, deadline=None)
@given(
    transition=st.sampled_from(TRANSITIONS),
    minutes=st.integers(min_value=-180, max_value=180),
    start=st.one_of(night_times, wall_times),
    end=night_times,
)
def test_push_around_a_transition(
    transition: tuple[str, datetime], minutes: int, start: time, end: time
) -> None:
    tz, at = transition
    moment = at + timedelta(minutes=minutes)
    pushed = push_out_of_quiet_hours(moment, tz, start, end)
    assert pushed >= moment
    assert not in_quiet_hours(pushed, tz, start, end)


@settings(max_examples=300, deadline=None)
@given(moment=moments, tz=st.sampled_from(ZONES), at=wall_times)
def test_local_moment_is_earliest_instant_at_or_after_the_wall_time(
    moment: datetime, tz: str, at: time
) -> None:
    day = moment.astimezone(UTC).date()
    got = local_moment(day, at, tz)
    wall = datetime.combine(day, at)
    assert got.astimezone(ZoneInfo(tz)).replace(tzinfo=None) >= wall
    # one second earlier the wall clock showed something before the requested time
    before = (got - timedelta(seconds=1)).astimezone(ZoneInfo(tz))
    assert before.replace(tzinfo=None) < wall


# --- digest and weekly summary --------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "tz", "at", "expected"),
    [
        (utc(2026, 6, 5, 5), MSK, DIGEST, utc(2026, 6, 5, 6)),  # 08:00 -> today 09:00
        (utc(2026, 6, 5, 6), MSK, DIGEST, utc(2026, 6, 5, 6)),  # exactly 09:00 -> now
        (utc(2026, 6, 5, 6, 0, 1), MSK, DIGEST, utc(2026, 6, 6, 6)),  # just missed -> tomorrow
        (utc(2026, 6, 5, 22), MSK, DIGEST, utc(2026, 6, 6, 6)),  # local 01:00 on the 6th
        (utc(2026, 6, 5, 3), NYC, DIGEST, utc(2026, 6, 5, 13)),  # local 23:00 on the 4th
        # Berlin spring forward: tomorrow's 09:00 is CEST, an hour earlier in UTC
        (utc(2026, 3, 28, 9), BER, DIGEST, utc(2026, 3, 29, 7)),
        (utc(2026, 3, 29, 0), BER, DIGEST, utc(2026, 3, 29, 7)),
        (utc(2026, 3, 29, 0), BER, time(2, 30), utc(2026, 3, 29, 1)),  # in the gap -> 03:00
        (utc(2026, 3, 29, 1), BER, time(2, 30), utc(2026, 3, 29, 1)),  # that is exactly now
        (utc(2026, 3, 29, 1, 1), BER, time(2, 30), utc(2026, 3, 30, 0, 30)),
        # Berlin fall back
        (utc(2026, 10, 24, 12), BER, DIGEST, utc(2026, 10, 25, 8)),
        (utc(2026, 10, 25, 0, 45), BER, time(2, 30), utc(2026, 10, 26, 1, 30)),  # once a day
        # New York
        (utc(2026, 3, 8, 12), NYC, DIGEST, utc(2026, 3, 8, 13)),  # 08:00 EDT
        (utc(2026, 3, 8, 6), NYC, time(2, 30), utc(2026, 3, 8, 7)),  # 01:00 EST, gap -> 03:00
        (utc(2026, 10, 31, 14), NYC, DIGEST, utc(2026, 11, 1, 14)),  # 10:00 EDT -> EST tomorrow
        (utc(2026, 11, 1, 4), NYC, DIGEST, utc(2026, 11, 1, 14)),  # 00:00 EDT
        (utc(2026, 11, 1, 5, 45), NYC, time(1, 30), utc(2026, 11, 2, 6, 30)),  # no 2nd 01:30
        (utc(2026, 11, 1, 5, 15), NYC, time(1, 30), utc(2026, 11, 1, 5, 30)),
    ],
)
def test_next_digest_at(now: datetime, tz: str, at: time, expected: datetime) -> None:
    assert next_digest_at(now, tz, at) == expected


@pytest.mark.parametrize(
    ("now", "tz", "expected"),
    [
        (utc(2026, 3, 27, 14), BER, utc(2026, 3, 30, 7)),  # Friday -> Monday, after DST
        (utc(2026, 3, 29, 12), BER, utc(2026, 3, 30, 7)),  # Sunday
        (utc(2026, 3, 30, 6), BER, utc(2026, 3, 30, 7)),  # Monday 08:00 -> today
        (utc(2026, 3, 30, 7), BER, utc(2026, 3, 30, 7)),  # Monday exactly 09:00
        (utc(2026, 3, 30, 7, 1), BER, utc(2026, 4, 6, 7)),  # Monday, missed -> next week
        (utc(2026, 11, 1, 12), NYC, utc(2026, 11, 2, 14)),  # Sunday of the fall back
        (utc(2026, 6, 8, 3), NYC, utc(2026, 6, 8, 13)),  # Sunday 23:00 EDT local
        (utc(2026, 6, 7, 22), MSK, utc(2026, 6, 8, 6)),  # Monday 01:00 local
        (utc(2026, 6, 8, 6, 30), MSK, utc(2026, 6, 15, 6)),  # Monday 09:30
    ],
)
def test_weekly_summary_at(now: datetime, tz: str, expected: datetime) -> None:
    assert weekly_summary_at(now, tz, DIGEST) == expected


# --- birthdays ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birthday", "today", "lead", "ahead", "day"),
    [
        # 2 January, 3 days ahead, across the year boundary
        (Birthday(2, 1), date(2026, 12, 29), 3, date(2026, 12, 30), date(2027, 1, 2)),
        (Birthday(2, 1), date(2026, 12, 30), 3, date(2026, 12, 30), date(2027, 1, 2)),
        (Birthday(2, 1), date(2026, 12, 31), 3, None, date(2027, 1, 2)),
        (Birthday(2, 1), date(2027, 1, 2), 3, None, date(2027, 1, 2)),
        (Birthday(2, 1), date(2027, 1, 3), 3, date(2027, 12, 30), date(2028, 1, 2)),
        (Birthday(2, 1, 1980), date(2026, 12, 30), 0, None, date(2027, 1, 2)),
        # 1 March, 3 days ahead, across the end of February (28 vs 29 days)
        (Birthday(1, 3), date(2027, 2, 20), 3, date(2027, 2, 26), date(2027, 3, 1)),
        (Birthday(1, 3), date(2028, 2, 20), 3, date(2028, 2, 27), date(2028, 3, 1)),
        # 29 February: 28 February in non-leap years, the ahead ping counts back from that day
        (Birthday(29, 2, 1988), date(2027, 2, 20), 3, date(2027, 2, 25), date(2027, 2, 28)),
        (Birthday(29, 2, 1988), date(2028, 2, 20), 3, date(2028, 2, 26), date(2028, 2, 29)),
        (Birthday(29, 2), date(2027, 2, 28), 3, None, date(2027, 2, 28)),
        (Birthday(29, 2), date(2027, 3, 1), 3, date(2028, 2, 26), date(2028, 2, 29)),
        (Birthday(29, 2), date(2028, 2, 29), 1, None, date(2028, 2, 29)),
        (Birthday(29, 2), date(2028, 1, 15), 30, date(2028, 1, 30), date(2028, 2, 29)),
        # 60 days before 2027-02-28 is 2026-12-30: kept on that day, gone the next
        (Birthday(29, 2), date(2026, 12, 30), 60, date(2026, 12, 30), date(2027, 2, 28)),
        (Birthday(29, 2), date(2027, 1, 1), 60, None, date(2027, 2, 28)),
    ],
)
def test_birthday_pings(
    birthday: Birthday, today: date, lead: int, ahead: date | None, day: date
) -> None:
    expected = [("day", day)] if ahead is None else [("ahead", ahead), ("day", day)]
    assert birthday_pings(birthday, today, lead) == expected


def test_birthday_pings_reject_negative_lead() -> None:
    with pytest.raises(ValueError, match="lead_days"):
        birthday_pings(Birthday(2, 1), date(2026, 12, 30), -1)


@pytest.mark.parametrize(
    ("contact_id", "kind", "occurrence", "expected"),
    [
        (42, "day", date(2027, 3, 12), "birthday:42:day:2027-03-12"),
        (42, "ahead", date(2027, 3, 12), "birthday:42:ahead:2027-03-12"),
        (42, "day", date(2028, 3, 12), "birthday:42:day:2028-03-12"),
        (7, "day", date(2027, 2, 28), "birthday:7:day:2027-02-28"),
    ],
)
def test_birthday_dedupe_key(contact_id: int, kind: str, occurrence: date, expected: str) -> None:
    assert birthday_dedupe_key(contact_id, kind, occurrence) == expected


def test_birthday_dedupe_key_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="kind"):
        birthday_dedupe_key(42, "week", date(2027, 3, 12))


def test_planning_twice_gives_the_same_keys() -> None:
    b = Birthday(2, 1)
    keys = [
        {birthday_dedupe_key(1, kind, date(2027, 1, 2)) for kind, _ in birthday_pings(b, d, 3)}
        for d in (date(2026, 12, 29), date(2026, 12, 29))
    ]
    assert keys[0] == keys[1] == {"birthday:1:ahead:2027-01-02", "birthday:1:day:2027-01-02"}


# --- check-ins and due ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "created", "cadence", "expected"),
    [
        (None, utc(2026, 1, 10, 9), 14, utc(2026, 1, 24, 9)),
        (utc(2026, 3, 1, 12, 30), utc(2026, 1, 10, 9), 7, utc(2026, 3, 8, 12, 30)),
        (utc(2026, 3, 27, 10), utc(2026, 1, 10), 3, utc(2026, 3, 30, 10)),  # whole 24 h days
        (utc(2025, 12, 1), utc(2026, 1, 10), 30, utc(2025, 12, 31)),  # imported older touch
        (
            datetime(2026, 3, 1, 12, tzinfo=timezone(timedelta(hours=3))),
            utc(2026, 1, 1),
            1,
            utc(2026, 3, 2, 9),
        ),
    ],
)
def test_checkin_due(
    last: datetime | None, created: datetime, cadence: int, expected: datetime
) -> None:
    got = checkin_due(last, created, cadence)
    assert got == expected
    assert got.tzinfo is UTC


def test_checkin_due_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="cadence"):
        checkin_due(None, utc(2026, 1, 1), 0)
    with pytest.raises(ValueError, match="aware"):
        checkin_due(datetime(2026, 1, 1), utc(2026, 1, 1), 7)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("due", "now", "expected"),
    [
        (utc(2026, 6, 5, 6), utc(2026, 6, 5, 6), True),
        (utc(2026, 6, 5, 6), utc(2026, 6, 5, 6, 0, 1), True),
        (utc(2026, 6, 5, 6, 0, 1), utc(2026, 6, 5, 6), False),
        (datetime(2026, 6, 5, 9, tzinfo=timezone(timedelta(hours=3))), utc(2026, 6, 5, 6), True),
    ],
)
def test_is_due(due: datetime, now: datetime, expected: bool) -> None:
    assert is_due(due, now) is expected


def test_is_due_rejects_naive() -> None:
    with pytest.raises(ValueError, match="aware"):
        is_due(datetime(2026, 6, 5), utc(2026, 6, 5))  # noqa: DTZ001


# --- snooze ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "now", "tz", "expected"),
    [
        # Friday 15:00 CET in Berlin, the weekend of the spring forward
        ("1h", utc(2026, 3, 27, 14), BER, utc(2026, 3, 27, 15)),
        ("tomorrow", utc(2026, 3, 27, 14), BER, utc(2026, 3, 28, 8)),  # Sat 09:00 CET
        ("3d", utc(2026, 3, 27, 14), BER, utc(2026, 3, 30, 7)),  # Mon 09:00 CEST
        ("week", utc(2026, 3, 27, 14), BER, utc(2026, 3, 30, 7)),
        # Friday 20:30: one hour later is quiet -> Saturday 08:00 CET
        ("1h", utc(2026, 3, 27, 19, 30), BER, utc(2026, 3, 28, 7)),
        # Friday 22:00, inside quiet hours
        ("1h", utc(2026, 3, 27, 21), BER, utc(2026, 3, 28, 7)),
        ("tomorrow", utc(2026, 3, 27, 21), BER, utc(2026, 3, 28, 8)),
        ("3d", utc(2026, 3, 27, 21), BER, utc(2026, 3, 30, 7)),
        ("week", utc(2026, 3, 27, 21), BER, utc(2026, 3, 30, 7)),
        # Saturday 00:30, still Friday night for the manager
        ("1h", utc(2026, 3, 27, 23, 30), BER, utc(2026, 3, 28, 7)),
        ("tomorrow", utc(2026, 3, 27, 23, 30), BER, utc(2026, 3, 28, 8)),
        ("3d", utc(2026, 3, 27, 23, 30), BER, utc(2026, 3, 30, 7)),
        ("week", utc(2026, 3, 27, 23, 30), BER, utc(2026, 3, 30, 7)),
        # the spring-forward night itself: Sunday 01:30 CET
        ("1h", utc(2026, 3, 29, 0, 30), BER, utc(2026, 3, 29, 6)),  # 03:30 CEST -> 08:00 CEST
        ("tomorrow", utc(2026, 3, 29, 0, 30), BER, utc(2026, 3, 29, 7)),  # Sunday 09:00 CEST
        # from a Monday, "week" is the Monday after
        ("week", utc(2026, 3, 30, 10), BER, utc(2026, 4, 6, 7)),
        # Moscow, Friday 10:00
        ("1h", utc(2026, 6, 5, 7), MSK, utc(2026, 6, 5, 8)),
        ("tomorrow", utc(2026, 6, 5, 7), MSK, utc(2026, 6, 6, 6)),
        ("3d", utc(2026, 6, 5, 7), MSK, utc(2026, 6, 8, 6)),
        ("week", utc(2026, 6, 5, 7), MSK, utc(2026, 6, 8, 6)),
        # New York, Friday 12:00 EDT, the weekend of the fall back
        ("1h", utc(2026, 10, 30, 16), NYC, utc(2026, 10, 30, 17)),
        ("tomorrow", utc(2026, 10, 30, 16), NYC, utc(2026, 10, 31, 13)),  # Sat 09:00 EDT
        ("3d", utc(2026, 10, 30, 16), NYC, utc(2026, 11, 2, 14)),  # Mon 09:00 EST
        ("week", utc(2026, 10, 30, 16), NYC, utc(2026, 11, 2, 14)),
        # Sunday 01:30 EDT in the repeated hour: one real hour later is 01:30 EST, still quiet
        ("1h", utc(2026, 11, 1, 5, 30), NYC, utc(2026, 11, 1, 13)),
        ("tomorrow", utc(2026, 11, 1, 5, 30), NYC, utc(2026, 11, 1, 14)),  # Sunday 09:00 EST
    ],
)
def test_snooze_until(choice: str, now: datetime, tz: str, expected: datetime) -> None:
    got = snooze_until(choice, now, tz, DIGEST, *NIGHT)
    assert got == expected
    assert got.tzinfo is UTC


def test_snooze_always_lands_after_now() -> None:
    # A digest at 00:15, inside the night: "tomorrow" pressed at Saturday 00:30 CET would be
    # Saturday 00:15, already past, so it moves to Sunday 00:15 CET.
    now = utc(2026, 3, 27, 23, 30)
    assert snooze_until("tomorrow", now, BER, time(0, 15), *NIGHT) == utc(2026, 3, 28, 23, 15)


def test_snooze_without_quiet_hours_counts_from_the_local_date() -> None:
    # Saturday 00:30 CET with no quiet hours: tomorrow is Sunday 09:00 CEST
    now = utc(2026, 3, 27, 23, 30)
    assert snooze_until("tomorrow", now, BER, DIGEST, time(0), time(0)) == utc(2026, 3, 29, 7)


def test_snooze_rejects_unknown_choice() -> None:
    with pytest.raises(ValueError, match="snooze"):
        snooze_until("2h", utc(2026, 6, 5, 7), MSK, DIGEST, *NIGHT)
