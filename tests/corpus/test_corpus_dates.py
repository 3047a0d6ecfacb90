"""Phrasing corpus: dates and times as managers type them, in Russian and English (issue 15).

Checked through the service-level readers every message goes through: ``dates.find_when`` (a
date inside a sentence: next steps look ahead, backdates look back), ``timeparse`` (the digest
time and quiet hours in settings) and ``sales.sale_moment`` (the day a sale happened).

The clock: Sunday 6 December 2026, 10:00 in Moscow.

Readings:
- ("ahead", "2026-12-07 07:30") / ("back", "2026-12-05"): the first date in the sentence, read as
  a next step (future) or as when it happened (past); a date alone has no time; None: no date;
- ("clock", "08:30"): a digest time; ("quiet", "22:00-07:00"): quiet hours;
- ("sale", "2026-11-25") the sale's local day, or ("sale", "ask") when the bot asks instead;
- ("us", ...) / ("us-ahead", ...): as "back" / "ahead" for an English user in New York.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.crm.sales import SaleProblem, sale_moment
from bot.services.parsing.date_order import month_first
from bot.services.parsing.dates import find_when
from bot.services.parsing.timeparse import parse_clock_time, parse_time_range
from storage.models import Manager

MSK = "Europe/Moscow"
NY = "America/New_York"
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=ZoneInfo(MSK))

Reading = tuple[str, str | None]
CORPUS: list[tuple[str, Reading] | object] = [
    # Bare morning hours are the morning (the 7:30 → 19:30 bug).
    ("перезвонить завтра в 7:30", ("ahead", "2026-12-07 07:30")),
    ("завтра в 7 созвон", ("ahead", "2026-12-07 07:00")),
    ("завтра в 8 утра встреча", ("ahead", "2026-12-07 08:00")),
    ("созвон завтра в 9", ("ahead", "2026-12-07 09:00")),
    ("завтра в 10:15 набрать", ("ahead", "2026-12-07 10:15")),
    ("завтра к 11 прислать КП", ("ahead", "2026-12-07 11:00")),
    ("в понедельник в 7:45 позвонить", ("ahead", "2026-12-07 07:45")),
    ("во вторник в 8.30 встреча", ("ahead", "2026-12-08 08:30")),
    ("в пятницу в 10 утра демо", ("ahead", "2026-12-11 10:00")),
    ("послезавтра в 9:00 отгрузка", ("ahead", "2026-12-08 09:00")),
    ("12.12 в 11 презентация", ("ahead", "2026-12-12 11:00")),
    ("15 декабря в 7:30 планёрка", ("ahead", "2026-12-15 07:30")),
    # Afternoon hours 1-6 stay afternoon; 24-hour times as typed.
    ("завтра в 3 созвон", ("ahead", "2026-12-07 15:00")),
    ("завтра в 5:30 перезвонить", ("ahead", "2026-12-07 17:30")),
    ("завтра в 15 созвон", ("ahead", "2026-12-07 15:00")),
    ("завтра в 19:30 ужин с клиентом", ("ahead", "2026-12-07 19:30")),
    ("завтра в 07:30", ("ahead", "2026-12-07 07:30")),
    ("в среду в 14:00 встреча", ("ahead", "2026-12-09 14:00")),
    # The text says evening: p.m.
    ("завтра вечером в 7 созвон", ("ahead", "2026-12-07 19:00")),
    ("завтра в 8 вечером перезвонить", ("ahead", "2026-12-07 20:00")),
    ("завтра в 9 вечера", ("ahead", "2026-12-07 21:00")),
    ("сегодня вечером в 8 позвонить", ("ahead", "2026-12-06 20:00")),
    ("в четверг вечером в 7:30", ("ahead", "2026-12-10 19:30")),
    ("завтра утром в 7", ("ahead", "2026-12-07 07:00")),
    # «сегодня» with a morning hour already past: the evening ahead, this morning behind.
    ("сегодня в 8 перезвонить", ("ahead", "2026-12-06 20:00")),
    ("сегодня в 7:00 звонил", ("back", "2026-12-06 07:00")),
    ("сегодня в 9:15 приходил", ("back", "2026-12-06 09:15")),
    ("сегодня в 11 созвон", ("ahead", "2026-12-06 11:00")),
    # Backdates: when it happened.
    ("вчера в 7:30 звонил", ("back", "2026-12-05 07:30")),
    ("вчера в 8 была встреча", ("back", "2026-12-05 08:00")),
    ("вчера в 10 утра созвонились", ("back", "2026-12-05 10:00")),
    ("вчера вечером в 9 писал", ("back", "2026-12-05 21:00")),
    ("позавчера в 11:20 звонил", ("back", "2026-12-04 11:20")),
    ("в 7:00 не пришла доставка", ("back", "2026-12-06 07:00")),
    ("в 9:40 позвонила клиентка", ("back", "2026-12-06 09:40")),
    ("в пятницу встречались", ("back", "2026-12-04")),
    # «прошлый» is the previous calendar week (Monday first), as documented in dates.py.
    ("в прошлый четверг звонил", ("back", "2026-11-26")),
    ("3 дня назад отправил КП", ("back", "2026-12-03")),
    ("неделю назад был на объекте", ("back", "2026-11-29")),
    ("2 часа назад звонил", ("back", "2026-12-06 08:00")),
    ("1 декабря подписали договор", ("back", "2026-12-01")),
    ("03.12 отгрузили", ("back", "2026-12-03")),
    ("вчера", ("back", "2026-12-05")),
    # Dates without a time.
    ("КП в пятницу", ("ahead", "2026-12-11")),
    ("перезвонить через неделю", ("ahead", "2026-12-13")),
    ("через 2 дня напомнить", ("ahead", "2026-12-08")),
    ("на следующей неделе встреча", ("ahead", "2026-12-07")),
    ("до конца месяца оплатят", ("ahead", "2026-12-31")),
    ("в конце недели отзвониться", ("ahead", "2026-12-06")),
    ("к 15-му числу счёт", ("ahead", "2026-12-15")),
    ("12 января после праздников", ("ahead", "2027-01-12")),
    ("созвон 20.12", ("ahead", "2026-12-20")),
    ("договор до 31.12.2026", ("ahead", "2026-12-31")),
    ("через месяц вернуться", ("ahead", "2027-01-06")),
    ("в следующем месяце тендер", ("ahead", "2027-01-01")),
    ("через полчаса перезвонить", ("ahead", "2026-12-06 10:30")),
    # Numbers that are not times or dates.
    ("вырос в 2 раза", ("ahead", None)),
    ("скидка на 10%", ("ahead", None)),
    ("поставка в 5 магазинов", ("ahead", None)),
    ("оплата 1.5 млн", ("ahead", None)),
    # English.
    ("call back tomorrow at 9am", ("ahead", "2026-12-07 09:00")),
    ("tomorrow at 8:30 am demo", ("ahead", "2026-12-07 08:30")),
    ("meeting tomorrow at 7:30", ("ahead", "2026-12-07 07:30")),
    ("tomorrow at 3 call", ("ahead", "2026-12-07 15:00")),
    ("tomorrow at 7pm dinner", ("ahead", "2026-12-07 19:00")),
    ("tonight at 8 call", ("ahead", "2026-12-06 20:00")),
    ("on Friday at 10am", ("ahead", "2026-12-11 10:00")),
    ("next Monday at 9", ("ahead", "2026-12-07 09:00")),  # next calendar week starts tomorrow
    ("tomorrow evening at 7", ("ahead", "2026-12-07 19:00")),
    ("tomorrow morning", ("ahead", "2026-12-07 09:00")),
    ("in 3 days", ("ahead", "2026-12-09")),
    ("send the quote by Dec 15", ("ahead", "2026-12-15")),
    ("next week", ("ahead", "2026-12-07")),
    ("by end of month", ("ahead", "2026-12-31")),
    ("yesterday at 7:30 called", ("back", "2026-12-05 07:30")),
    ("called yesterday at 4pm", ("back", "2026-12-05 16:00")),
    ("2 days ago met them", ("back", "2026-12-04")),
    ("last Friday visited", ("back", "2026-11-27")),
    ("at 8:15 am the client called", ("back", "2026-12-06 08:15")),
    # Settings: the digest time and quiet hours.
    ("7:30", ("clock", "07:30")),
    ("9", ("clock", "09:00")),
    ("8.45", ("clock", "08:45")),
    ("9am", ("clock", "09:00")),
    ("8:30 am", ("clock", "08:30")),
    ("7 PM", ("clock", "19:00")),
    ("9 утра", ("clock", "09:00")),
    ("22-7", ("quiet", "22:00-07:00")),
    ("10pm-7am", ("quiet", "22:00-07:00")),
    ("11pm to 6:30am", ("quiet", "23:00-06:30")),
    ("с 23 до 7", ("quiet", "23:00-07:00")),
    ("с 10 вечера до 7 утра", ("quiet", "22:00-07:00")),
    ("21:30–08:00", ("quiet", "21:30-08:00")),
    ("off", ("quiet", "00:00-00:00")),
    # A sale's day: the most recent past, and a question for a day-month still ahead.
    ("25.12", ("sale", "ask")),
    ("10.12", ("sale", "ask")),
    ("25.11", ("sale", "2026-11-25")),
    ("1 декабря", ("sale", "2026-12-01")),
    ("03.01", ("sale", "2026-01-03")),
    ("25.12.2025", ("sale", "2025-12-25")),
    ("вчера", ("sale", "2026-12-05")),
    ("в пятницу", ("sale", "2026-12-04")),
    ("Dec 25", ("sale", "ask")),
    ("Nov 30", ("sale", "2026-11-30")),
    # A US user (New York): slash dates month first, dotted ones day first.
    ("met them 12/03", ("us", "2026-12-03")),
    ("call back 12/15", ("us-ahead", "2026-12-15")),
    ("sent the quote on 11/30", ("us", "2026-11-30")),
    ("signed 12/01/2026", ("us", "2026-12-01")),
    ("follow up 01/05/2027", ("us-ahead", "2027-01-05")),
    ("met them 12.03", ("us", "2026-03-12")),
    ("yesterday at 9am", ("us", "2026-12-05 09:00")),
    ("tomorrow at 7:30", ("us-ahead", "2026-12-07 07:30")),
]

_results: list[bool] = []


@pytest.fixture(scope="module", autouse=True)
def _share(pytestconfig: pytest.Config) -> Iterator[None]:
    yield
    if _results:
        line = f"corpus dates: {sum(_results)}/{len(_results)} understood"
        reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
        capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
        if reporter is not None and capture is not None:
            # Teardown output is captured; the share must show without -s too.
            with capture.global_and_fixture_disabled():
                reporter.ensure_newline()
                reporter.write_line(line)
        else:
            print(line)


def _found(text: str, *, future: bool) -> str | None:
    found = find_when(text, NOW, MSK, future=future)
    if found is None:
        return None
    at = found.at.astimezone(ZoneInfo(MSK))
    return at.strftime("%Y-%m-%d %H:%M") if found.has_time else at.strftime("%Y-%m-%d")


def _sale(text: str) -> str | None:
    found = find_when(text, NOW, MSK, future=False)
    if found is None:
        return None
    manager = Manager(telegram_id=1, full_name="М", timezone=MSK, language="ru")
    try:
        return sale_moment(found, manager, NOW).astimezone(ZoneInfo(MSK)).strftime("%Y-%m-%d")
    except SaleProblem:
        return "ask"


def _us(text: str, *, future: bool) -> str | None:
    # The same wall clock as NOW, in New York.
    now = NOW.replace(tzinfo=ZoneInfo(NY))
    found = find_when(text, now, NY, future=future, month_first=month_first("en", NY))
    if found is None:
        return None
    at = found.at.astimezone(ZoneInfo(NY))
    return at.strftime("%Y-%m-%d %H:%M") if found.has_time else at.strftime("%Y-%m-%d")


def _read(text: str, kind: str) -> str | None:
    if kind in ("ahead", "back"):
        return _found(text, future=kind == "ahead")
    if kind in ("us", "us-ahead"):
        return _us(text, future=kind == "us-ahead")
    if kind == "clock":
        at = parse_clock_time(text)
        return at.strftime("%H:%M") if at else None
    if kind == "quiet":
        span = parse_time_range(text)
        return f"{span[0]:%H:%M}-{span[1]:%H:%M}" if span else None
    return _sale(text)


@pytest.mark.parametrize(("text", "reading"), CORPUS)
def test_corpus_dates(text: str, reading: Reading) -> None:
    kind, expected = reading
    got = _read(text, kind)
    ok = got == expected
    _results.append(ok)
    assert ok, got
