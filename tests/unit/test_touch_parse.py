"""One-message logging (bot/services/parsing/touch_parse.py): real phrasings, both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.parsing.dates import When, find_when, warm_up
from bot.services.parsing.note_parse import parse_note
from bot.services.parsing.touch_parse import (
    ClientCandidate,
    TouchDraft,
    client_candidates,
    parse_kind_word,
    parse_outcome,
    parse_touch,
)
from storage.enums import Channel, Outcome

MSK = "Europe/Moscow"
NY = "America/New_York"
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo(MSK))  # a Friday
NY_NOW = datetime(2026, 3, 7, 10, 0, tzinfo=ZoneInfo(NY))  # the day before DST starts

CALL, MEETING, EMAIL = Channel.CALL, Channel.MEETING, Channel.EMAIL
MESSAGE, VISIT = Channel.MESSAGE, Channel.VISIT
POS, NEG, NEU = Outcome.POSITIVE, Outcome.NEGATIVE, Outcome.NEUTRAL


def _local(at: datetime | None, tz: str = MSK) -> str | None:
    return None if at is None else at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def _due(when: When | None, tz: str = MSK) -> str | None:
    if when is None:
        return None
    at = when.at.astimezone(ZoneInfo(tz))
    return at.strftime("%Y-%m-%d %H:%M") if when.has_time else at.strftime("%Y-%m-%d")


class T(NamedTuple):
    """What the manager typed after the client, and everything we expect to read from it."""

    text: str
    kind: Channel | None = None
    summary: str = ""
    outcome: Outcome | None = None
    occurred: str | None = None  # local "YYYY-MM-DD HH:MM"
    step: str | None = None
    due: str | None = None  # local "YYYY-MM-DD" or "YYYY-MM-DD HH:MM"
    problems: tuple[str, ...] = ()


def _view(draft: TouchDraft) -> T:
    return T(
        "",
        draft.kind,
        draft.summary,
        draft.outcome,
        _local(draft.occurred_at),
        draft.next_step,
        _due(draft.next_step_due),
        tuple(draft.problems),
    )


PHRASINGS: list[T] = [
    # kind words in every form, removed when they open the summary
    T("звонил, обсудили цены", CALL, "обсудили цены"),
    T("звонок: обсудили цены", CALL, "обсудили цены"),
    T("позвонил, договорились о поставке", CALL, "договорились о поставке", POS),
    T("звонок, клиент думает", CALL, "клиент думает"),
    T("звонила, Ёлкин в отпуске", CALL, "Ёлкин в отпуске"),
    T("ЗВОНИЛ, ДОГОВОРИЛИСЬ", CALL, "ДОГОВОРИЛИСЬ", POS),
    T("звнил, не дозвонился", CALL, "не дозвонился"),
    T(
        "созвонились, договорились созвониться завтра",
        CALL,
        "договорились",
        POS,
        None,
        "созвониться",
        "2026-11-30",  # Saturday, a relative date-only step: Monday (issue 15 #14)
    ),
    T("встреча прошла хорошо +", MEETING, "прошла хорошо", POS),
    T("встеча прошла хорошо", MEETING, "прошла хорошо"),
    T("встретились с закупщиком, обсудили скидку 5%", MEETING, "с закупщиком, обсудили скидку 5%"),
    T("переговоры по контракту, согласовали цену", MEETING, "по контракту, согласовали цену", POS),
    T("письмо отправил прайс", EMAIL, "отправил прайс"),
    T("пиьсмо с КП", EMAIL, "с КП"),
    T("написал на почту прайс", EMAIL, "прайс"),
    T("отправил письмо с прайсом", EMAIL, "отправил письмо с прайсом"),
    T("емейл с презентацией", EMAIL, "с презентацией"),
    T("email: sent the price list", EMAIL, "sent the price list"),
    T("emailed the contract, waiting for signature", EMAIL, "the contract, waiting for signature"),
    T("сообщение в телеграм, ждут счёт", MESSAGE, "ждут счёт"),
    T("написал в вотсап, ответа нет", MESSAGE, "ответа нет"),
    T("вотсап, прислали фото", MESSAGE, "прислали фото"),
    T("смс отправил", MESSAGE, "отправил"),
    T("texted him the invoice", MESSAGE, "him the invoice"),
    T("визит на склад, всё посмотрели", VISIT, "на склад, всё посмотрели"),
    T("съездил к ним, показали производство", VISIT, "к ним, показали производство"),
    T("был у них в офисе, подписали договор", VISIT, "в офисе, подписали договор", POS),
    T("визит, всё ок 👍", VISIT, "всё ок", POS),
    T(
        "visited their warehouse, agreed on volumes",
        VISIT,
        "their warehouse, agreed on volumes",
        POS,
    ),
    T("call went well, they want a demo", CALL, "went well, they want a demo"),
    T("phone call, no deal", CALL, "no deal", NEG),
    T("meeting with CFO, deal", MEETING, "with CFO, deal", POS),
    # outcomes
    T("👍", outcome=POS),
    T("👎", outcome=NEG),
    T("+", outcome=POS),
    T("-", outcome=NEG),
    T("звонил +", CALL, "", POS),
    T("звонил, отказались", CALL, "отказались", NEG),
    T("звонил, не договорились", CALL, "не договорились", NEG),
    T("не интересно", None, "не интересно", NEG),
    T("declined", None, "declined", NEG),
    T("нейтрально", None, "нейтрально", NEU),
    T("обсудили скидку, договорились ✅", None, "обсудили скидку, договорились", POS),
    # backdating: explicit past words, or an either-way date next to a past-tense verb
    T("вчера звонил, договорились", CALL, "договорились", POS, "2026-11-26 12:00"),
    T(
        "в понедельник встречались, обсудили объемы",
        MEETING,
        "обсудили объемы",
        None,
        "2026-11-23 12:00",
    ),
    T("встречались в понедельник, всё ок", MEETING, "всё ок", POS, "2026-11-23 12:00"),
    T(
        "позавчера был у них, подписали договор",
        VISIT,
        "подписали договор",
        POS,
        "2026-11-25 12:00",
    ),
    T("2 дня назад созванивались, ждём ответ", CALL, "ждём ответ", None, "2026-11-25 12:00"),
    T("вчера в 15 звонил, обсудили объёмы", CALL, "обсудили объёмы", None, "2026-11-26 15:00"),
    T(
        "созвонились 25.11 в 16:00, обсудили сроки",
        CALL,
        "обсудили сроки",
        None,
        "2026-11-25 16:00",
    ),
    T("12.03 отправили КП", None, "отправили КП", None, "2026-03-12 12:00"),
    T("сегодня звонил, всё ок", CALL, "всё ок", POS, "2026-11-27 10:00"),
    T(
        "met yesterday, discussed volumes, follow up next Monday",
        MEETING,
        "discussed volumes",
        None,
        "2026-11-26 12:00",
        "follow up",
        "2026-11-30",
    ),
    # next steps: markers, tasks, dated clauses
    T("обсудили поставку, КП в пт", None, "обсудили поставку", None, None, "КП", "2026-12-04"),
    T("созвон в пятницу", step="созвон", due="2026-12-04"),
    T("в пт созвон", step="созвон", due="2026-12-04"),
    T("в 15 созвон", step="созвон", due="2026-11-27 15:00"),
    T("КП на следующей неделе", step="КП", due="2026-11-30"),
    T(
        "обсудили цены. Перезвонить в понедельник",
        None,
        "обсудили цены",
        step="Перезвонить",
        due="2026-11-30",
    ),
    T("КП в пятницу", step="КП", due="2026-12-04"),
    T("КП до пт", step="КП", due="2026-12-04"),
    T("перезвонить завтра в 15", step="перезвонить", due="2026-11-28 15:00"),
    T("напомнить через 2 недели", step="напомнить", due="2026-12-11"),
    T("отправить КП", step="отправить КП"),
    T("обсудили цены, отправить КП", None, "обсудили цены", step="отправить КП"),
    T("обсудили цены, надо выслать образцы", None, "обсудили цены", step="надо выслать образцы"),
    T(
        "обсудили поставку — след. шаг: КП в пт",
        None,
        "обсудили поставку",
        step="КП",
        due="2026-12-04",
    ),
    T(
        "обсудили, следующий шаг отправить КП до пятницы",
        None,
        "обсудили",
        step="отправить КП",
        due="2026-12-04",
    ),
    T("обсудили, потом отправить КП", None, "обсудили", step="отправить КП"),
    T("звонил, потом обсудили цены", CALL, "потом обсудили цены"),
    T("договорились о встрече в пт", None, "договорились", POS, None, "о встрече", "2026-12-04"),
    T(
        "созвон, клиент просит отсрочку, дать ответ до конца недели",
        CALL,
        "клиент просит отсрочку",
        step="дать ответ",
        due="2026-11-27",
    ),
    T(
        "called, agreed on price, next step: send proposal by Friday",
        CALL,
        "agreed on price",
        POS,
        None,
        "send proposal",
        "2026-12-04",
    ),
    T(
        "spoke with Anna, they need samples, send samples tomorrow",
        None,
        "spoke with Anna, they need samples",
        step="send samples",
        due="2026-11-30",  # Saturday: Monday, as above
    ),
    T("tomorrow at 3pm call back", step="call back", due="2026-11-28 15:00"),
    T("follow up in 2 weeks", step="follow up", due="2026-12-11"),
    T("meeting rescheduled to next Tuesday", MEETING, "rescheduled", due="2026-12-01"),
    T("обсудили цены, в пятницу", None, "обсудили цены", due="2026-12-04"),
    # numbers that are not dates stay in the summary
    T("обсудили объемы на 2027 год", None, "обсудили объемы на 2027 год"),
    T(
        "заказ 150 000 руб, 5 шт, 2 позиции, скидка на 10%",
        None,
        "заказ 150 000 руб, 5 шт, 2 позиции, скидка на 10%",
    ),
    T("выросли в 2 раза, звонил", CALL, "выросли в 2 раза, звонил"),
    # markup passes through untouched
    T("<b>важно</b> *срочно* _цены_ обсудили", None, "<b>важно</b> *срочно* _цены_ обсудили"),
    T("звонил, <i>КП</i> в пт", CALL, "", step="<i>КП</i>", due="2026-12-04"),
    # problems
    T("след. шаг: КП вчера", step="КП", due="2026-11-26", problems=("next-step-past",)),
    T(
        "обсудили, отправить КП вчера",
        None,
        "обсудили",
        step="отправить КП",
        due="2026-11-26",
        problems=("next-step-past",),
    ),
    T("встреча 31 февраля", MEETING, "31 февраля", problems=("date-invalid",)),
    T("", problems=("empty",)),
    T("   ", problems=("empty",)),
    T("...", problems=("empty",)),
]

# Phrasings we decided not to support; strict, so supporting one later is noticed.
UNSUPPORTED: list[tuple[T, str]] = [
    (
        T("зво нок был, обсудили", CALL, "был, обсудили"),
        "a space inside a word cannot be told from two words",
    ),
    (
        T("в марте встречались", MEETING, "", occurred="2026-03-01 12:00"),
        "a month without a day is too vague to backdate to",
    ),
    (
        T("перезвонить через полторы недели", step="перезвонить", due="2026-12-07"),
        "fractional amounts are rare and dateparser does not read them either",
    ),
    (
        T("созвон на выходных", step="созвон", due="2026-11-28"),
        "'the weekend' is a span, not a day",
    ),
    (
        T("перезвонить после обеда", step="перезвонить", due="2026-11-27 14:00"),
        "parts of the day only count next to a date ('завтра после обеда' neither)",
    ),
    (
        T("говорили с Анной, ждут образцы", CALL, "с Анной, ждут образцы"),
        "'говорили' is any conversation, not only a call; the caller defaults to a call anyway",
    ),
]


@pytest.mark.parametrize("case", PHRASINGS, ids=[c.text or repr(c.text) for c in PHRASINGS])
def test_phrasings(case: T) -> None:
    assert _view(parse_touch(case.text, NOW, MSK)) == case._replace(text="")


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=why)) for c, why in UNSUPPORTED],
    ids=[c.text for c, _ in UNSUPPORTED],
)
def test_unsupported_phrasings(case: T) -> None:
    assert _view(parse_touch(case.text, NOW, MSK)) == case._replace(text="")


def test_enough_phrasings() -> None:
    assert len(PHRASINGS) >= 60


def test_next_step_across_the_dst_change_in_new_york() -> None:
    draft = parse_touch("обсудили цены, перезвонить завтра в 15", NY_NOW, NY)
    assert draft.next_step == "перезвонить"
    assert draft.next_step_due is not None
    assert draft.next_step_due.at == datetime(2026, 3, 8, 19, 0, tzinfo=UTC)
    assert draft.next_step_due.has_time


def test_backdated_day_is_local_noon_in_utc() -> None:
    draft = parse_touch("вчера звонил", NY_NOW, NY)
    assert draft.occurred_at == datetime(2026, 3, 6, 17, 0, tzinfo=UTC)


def test_kind_defaults_are_left_to_the_caller() -> None:
    assert parse_touch("обсудили цены", NOW, MSK).kind is None


def test_a_full_length_message() -> None:
    text = ("звонил, обсудили поставку <b>важно</b> * _ " * 200)[:4000] + ", КП в пт"
    draft = parse_touch(text, NOW, MSK)
    assert draft.kind is CALL
    assert draft.next_step == "КП"
    assert len(draft.summary) <= 4096
    assert "<b>важно</b> * _" in draft.summary


def test_longer_than_telegram_is_cut_not_slow() -> None:
    draft = parse_touch("звонил " + "а" * 100_000, NOW, MSK)
    assert draft.kind is CALL
    assert len(draft.summary) < 4096


# --- client candidates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ромашка: письмо отправил прайс", [("Ромашка", "письмо отправил прайс")]),
        (
            "ромашка обсудили поставку",
            [
                ("ромашка", "обсудили поставку"),
                ("ромашка обсудили", "поставку"),
                ("ромашка обсудили поставку", ""),
            ],
        ),
        ("вчера звонил в Ромашку, договорились", [("Ромашку", "вчера звонил, договорились")]),
        ("вчера звонил в Ромашку: договорились", [("Ромашку", "вчера звонил, договорились")]),
        ("ООО «Ромашка» обсудили поставку", [("Ромашка", "обсудили поставку")]),
        ('звонил в ООО "Ромашка", договорились', [("Ромашка", "звонил, договорились")]),
        ("в ООО «Ромашка» звонил", [("Ромашка", "звонил")]),
        (
            "Ромашка Плюс, обсудили скидку",
            [("Ромашка Плюс", "обсудили скидку"), ("Ромашка", "Плюс, обсудили скидку")],
        ),
        ("Ромашка — обсудили поставку, КП в пт", [("Ромашка", "обсудили поставку, КП в пт")]),
        ("в 15:30 созвон ромашка", [("ромашка", "в 15:30 созвон")]),
        ("ООО Ромашка обсудили", [("ООО Ромашка", "обсудили"), ("ООО Ромашка обсудили", "")]),
        ("Ромашка", [("Ромашка", "")]),
        ("", []),
        (":)", []),
    ],
)
def test_client_candidates(text: str, expected: list[tuple[str, str]]) -> None:
    assert client_candidates(text) == [ClientCandidate(q, r) for q, r in expected]


def test_candidates_start_with_the_name_after_leading_words() -> None:
    found = client_candidates("встреча с Иваном Петровым, договорились")
    assert found[0] == ClientCandidate("Иваном Петровым", "встреча, договорились")
    assert ClientCandidate("Иваном", "встреча Петровым, договорились") in found


def test_candidates_are_capped() -> None:
    text = "вчера звонил в " + "слово " * 50
    assert 0 < len(client_candidates(text)) <= 8


def test_a_capitalised_name_that_looks_like_a_verb_is_a_name() -> None:
    assert client_candidates("Урал обсудили цены")[0] == ClientCandidate("Урал", "обсудили цены")


def test_candidate_rest_feeds_parse_touch() -> None:
    rest = client_candidates("вчера звонил в Ромашку, договорились")[0].rest
    draft = parse_touch(rest, NOW, MSK)
    assert (draft.kind, draft.summary, draft.outcome) == (CALL, "договорились", POS)
    assert _local(draft.occurred_at) == "2026-11-26 12:00"


# --- the tap flow: kind and outcome alone -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[
            (w, CALL)
            for w in [
                "звонок",
                "звонка",
                "звонил",
                "звонила",
                "позвонил",
                "позвонила",
                "созвонились",
                "созвон",
                "перезвонил",
                "дозвонился",
                "звнил",
                "звонокк",
                "call",
                "called",
                "phoned",
            ]
        ],
        ("по телефону", CALL),
        *[
            (w, MEETING)
            for w in ["встреча", "встречу", "встретились", "встречался", "встеча", "meeting", "met"]
        ],
        *[(w, EMAIL) for w in ["письмо", "письма", "пиьсмо", "емейл", "email", "e-mail", "mail"]],
        ("написал на почту", EMAIL),
        ("написал письмо", EMAIL),
        *[
            (w, MESSAGE)
            for w in ["сообщение", "написал", "whatsapp", "вотсап", "смс", "message", "texted"]
        ],
        ("в телеграм", MESSAGE),
        *[(w, VISIT) for w in ["визит", "съездил", "заехал", "visit", "visited"]],
        ("был у них", VISIT),
        ("обсудили цены", None),
        ("почти договорились", None),
        ("цена", None),
        ("", None),
    ],
)
def test_parse_kind_word(text: str, expected: Channel | None) -> None:
    assert parse_kind_word(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[
            (t, POS)
            for t in ["+", "👍", "договорились", "согласовали", "ок", "всё ок", "agreed", "deal"]
        ],
        *[
            (t, NEG)
            for t in ["−", "-", "👎", "отказ", "отказались", "не интересно", "declined", "no deal"]
        ],
        ("не договорились", NEG),
        ("нейтрально", NEU),
        ("договорились, но потом отказались", None),
        ("обсудили цены", None),
        ("около офиса", None),
        ("+7 999 123-45-67", None),
        ("5-10 штук", None),
        ("", None),
    ],
)
def test_parse_outcome(text: str, expected: Outcome | None) -> None:
    assert parse_outcome(text) is expected


# --- never raises, never hangs ------------------------------------------------------------------


def setup_module() -> None:
    warm_up()


_MESSAGES = st.one_of(
    st.text(max_size=500),
    st.lists(
        st.sampled_from(
            [
                "звонил",
                "вчера",
                "в",
                "пт",
                "завтра",
                "15",
                "12.03",
                ":",
                ",",
                "—",
                "+",
                "-",
                "👍",
                "КП",
                "след.",
                "шаг",
                "«Ромашка»",
                "ООО",
                "next",
                "Friday",
                "at",
                "3pm",
                "<b>",
                "*",
                "_",
                "31",
                "февраля",
                "через",
                "2",
                "недели",
                "отправить",
            ]
        ),
        max_size=60,
    ).map(" ".join),
)


@settings(deadline=timedelta(seconds=1), max_examples=200)
@given(_MESSAGES)
def test_parse_touch_never_raises(text: str) -> None:
    draft = parse_touch(text, NOW, MSK)
    assert draft.occurred_at is None or draft.occurred_at <= NOW
    assert set(draft.problems) <= {"date-invalid", "next-step-past", "empty"}


# Long runs of one character are where a careless regex turns quadratic.
_PATHOLOGICAL = [
    " " * 4096,
    " " * 4095 + "x",
    ", " * 2048,
    "\n" * 4096,
    " -" * 2048,
    "в " * 2048,
    " и" * 2048,
    "1 " * 2048,
    "12.03." * 680,
    "звнил " * 682,
    "«" * 4096,
    "через " * 680,
]


@settings(deadline=timedelta(seconds=1), max_examples=len(_PATHOLOGICAL) * 2)
@given(st.sampled_from(_PATHOLOGICAL))
def test_long_runs_stay_fast(text: str) -> None:
    parse_touch(text, NOW, MSK)
    client_candidates(text)
    parse_note(text, NOW, MSK)
    find_when(text, NOW, MSK)


@settings(deadline=timedelta(seconds=1), max_examples=200)
@given(_MESSAGES)
def test_client_candidates_never_raise(text: str) -> None:
    found = client_candidates(text)
    assert len(found) <= 8
    assert all(c.query for c in found)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("договорились о встрече", None),  # the topic of the call, not a meeting
        ("назначили встречу на пятницу", None),
        ("talked about a new meeting", None),
        ("на встрече обсудили поставку", Channel.MEETING),
        ("встречались в офисе", Channel.MEETING),
    ],
)
def test_a_kind_word_that_is_the_topic_does_not_choose_the_kind(
    text: str, kind: Channel | None
) -> None:
    assert parse_touch(text, NOW, MSK).kind == kind


def test_a_command_kind_wins_and_other_kind_words_stay_in_the_summary() -> None:
    draft = parse_touch("встречались в офисе, обсудили цены", NOW, MSK, Channel.CALL)
    assert (draft.kind, draft.summary) == (Channel.CALL, "встречались в офисе, обсудили цены")
    draft = parse_touch("созвонились, обсудили цены", NOW, MSK, Channel.CALL)
    assert (draft.kind, draft.summary) == (Channel.CALL, "обсудили цены")
