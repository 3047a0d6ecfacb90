"""Personal notes (bot/services/parsing/note_parse.py): target, tags, privacy, "remind me"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.parsing.dates import warm_up
from bot.services.parsing.note_parse import NoteDraft, parse_note, split_target

MSK = "Europe/Moscow"
NY = "America/New_York"
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo(MSK))  # a Friday
NY_NOW = datetime(2026, 3, 7, 10, 0, tzinfo=ZoneInfo(NY))


class N(NamedTuple):
    text: str
    tags: tuple[str, ...] = ()
    private: bool = False
    remind: str | None = None  # local "YYYY-MM-DD" or "YYYY-MM-DD HH:MM"
    remind_text: str | None = None
    problems: tuple[str, ...] = ()


def _view(draft: NoteDraft, tz: str = MSK) -> N:
    remind = None
    if draft.remind_at is not None:
        at = draft.remind_at.at.astimezone(ZoneInfo(tz))
        remind = at.strftime("%Y-%m-%d %H:%M" if draft.remind_at.has_time else "%Y-%m-%d")
    return N(
        draft.text,
        tuple(draft.tags),
        draft.private,
        remind,
        draft.remind_text,
        tuple(draft.problems),
    )


NOTES: list[tuple[str, N]] = [
    ("сын сдаёт ЕГЭ", N("сын сдаёт ЕГЭ")),
    ("любит рыбалку #хобби", N("любит рыбалку #хобби", ("хобби",))),
    (
        "любит рыбалку #Хобби #рыбалка #ХОББИ",
        N("любит рыбалку #Хобби #рыбалка #ХОББИ", ("хобби", "рыбалка")),
    ),
    ("ёлка во дворе #Ёлка", N("ёлка во дворе #Ёлка", ("елка",))),
    ("собака #dog-show #1", N("собака #dog-show #1", ("dog-show",))),
    ("дочь поступила в МГУ #private", N("дочь поступила в МГУ", private=True)),
    ("дочь поступила в МГУ #личное #семья", N("дочь поступила в МГУ #семья", ("семья",), True)),
    ("🔒 разводится, не упоминать", N("разводится, не упоминать", private=True)),
    ("разводится 🔒️", N("разводится", private=True)),
    ("#приватно болеет", N("болеет", private=True)),
    (
        "почта ivan@example.com, сайт example.com/#about",
        N("почта ivan@example.com, сайт example.com/#about"),
    ),
    (
        "сын сдаёт ЕГЭ #семья, напомни 5 июня спросить результаты 🔒",
        N("сын сдаёт ЕГЭ #семья", ("семья",), True, "2027-06-05", "спросить результаты"),
    ),
    (
        "напомнить через неделю спросить про отпуск",
        N("спросить про отпуск", (), False, "2026-12-04", "спросить про отпуск"),
    ),
    (
        "Напомни мне 12 марта в 11 поздравить с 8 марта",
        N("поздравить с 8 марта", (), False, "2027-03-12 11:00", "поздравить с 8 марта"),
    ),
    (
        "юбилей компании, напомни за неделю до 1 декабря",
        N(
            "юбилей компании, напомни за неделю до 1 декабря",
            remind_text="за неделю до 1 декабря",
            problems=("remind-no-date",),
        ),
    ),
    (
        "5 июня напомнить поздравить с юбилеем",
        N("поздравить с юбилеем", (), False, "2027-06-05", "поздравить с юбилеем"),
    ),
    (
        "собака заняла 2 место на выставке. Напомни через месяц спросить про следующую. Любит кофе",
        N(
            "собака заняла 2 место на выставке. Любит кофе",
            (),
            False,
            "2026-12-27",
            "спросить про следующую",
        ),
    ),
    ("напомни завтра в 15", N("", remind="2026-11-28 15:00")),
    (
        "remind me on June 5 to congratulate #birthday",
        N("congratulate #birthday", ("birthday",), False, "2027-06-05", "congratulate #birthday"),
    ),
    ("remind me in 2 weeks", N("", remind="2026-12-11")),
    (
        "vacation in Spain, remind me next Monday about the photos",
        N("vacation in Spain", (), False, "2026-11-30", "the photos"),
    ),
    (
        "напомни позвонить",
        N("напомни позвонить", remind_text="позвонить", problems=("remind-no-date",)),
    ),
    (
        "напомни 31 февраля поздравить",
        N(
            "напомни 31 февраля поздравить",
            remind_text="31 февраля поздравить",
            problems=("date-invalid",),
        ),
    ),
    ("напомни вчера", N("", remind="2026-11-26", problems=("remind-past",))),
    ("<b>жирный</b> *звёздочки* _подчёркивания_", N("<b>жирный</b> *звёздочки* _подчёркивания_")),
    ("", N("", problems=("empty",))),
    ("#личное", N("", private=True, problems=("empty",))),
    ("🔒", N("", private=True, problems=("empty",))),
]


@pytest.mark.parametrize(("text", "expected"), NOTES, ids=[t or repr(t) for t, _ in NOTES])
def test_parse_note(text: str, expected: N) -> None:
    assert _view(parse_note(text, NOW, MSK)) == expected


def test_reminder_across_the_dst_change() -> None:
    draft = parse_note("напомни завтра в 15 позвонить", NY_NOW, NY)
    assert draft.remind_at is not None
    assert draft.remind_at.at == datetime(2026, 3, 8, 19, 0, tzinfo=UTC)
    assert draft.remind_text == "позвонить"


def test_reminder_without_time_is_a_local_day() -> None:
    draft = parse_note("напомни 5 июня", NOW, MSK)
    assert draft.remind_at is not None
    assert not draft.remind_at.has_time
    assert draft.remind_at.at == datetime(2027, 6, 4, 21, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Иван Петров: сын сдаёт ЕГЭ", ("Иван Петров", "сын сдаёт ЕГЭ")),
        ("Ромашка:любит кофе", ("Ромашка", "любит кофе")),
        ("Иван Петров: напомни в 15:30: позвонить", ("Иван Петров", "напомни в 15:30: позвонить")),
        ("сын сдаёт ЕГЭ", (None, "сын сдаёт ЕГЭ")),
        ("в 15:30 позвонить", (None, "в 15:30 позвонить")),
        (": пусто", (None, "пусто")),
        (
            "очень длинный текст из многих слов который не имя: текст",
            (None, "очень длинный текст из многих слов который не имя: текст"),
        ),
        ("", (None, "")),
    ],
)
def test_split_target(text: str, expected: tuple[str | None, str]) -> None:
    assert split_target(text) == expected


def test_long_note_is_cut() -> None:
    draft = parse_note("#тег " + "слово " * 2000, NOW, MSK)
    assert draft.tags == ["тег"]
    assert len(draft.text) <= 4096


def setup_module() -> None:
    warm_up()


@settings(deadline=timedelta(seconds=1), max_examples=200)
@given(
    st.one_of(
        st.text(max_size=500),
        st.lists(
            st.sampled_from(
                [
                    "напомни",
                    "remind",
                    "me",
                    "5",
                    "июня",
                    "через",
                    "неделю",
                    "#тег",
                    "#private",
                    "🔒",
                    ":",
                    "31",
                    "февраля",
                    "вчера",
                    "завтра",
                    "в",
                    "15",
                    "Иван",
                ]
            ),
            max_size=40,
        ).map(" ".join),
    )
)
def test_parse_note_never_raises(text: str) -> None:
    target, rest = split_target(text)
    draft = parse_note(rest, NOW, MSK)
    assert all(tag == tag.lower() and not tag.startswith("#") for tag in draft.tags)
    assert target is None or target
