"""Phrasing corpus: how numbers are said back (issue 15 #12, #15, #16, #17).

Money goes through ``bot.services.money.format_money`` (an amount as stored, kopecks only when
it has some; a derived Fraction to the whole unit), percents through ``format_percent`` (whole
percents, truncated toward zero: never 100 % while short), and both are checked inside the real
replies that carry them. Plurals are read through the locale files' plural rules for the counts
0, 1, 2, 5, 11, 21, 22, 25; the expected noun forms are written here by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import pytest

from bot.i18n import Translator
from bot.services.crm.plans import attainment
from bot.services.money import format_money, format_money_compact, format_percent

NB = "\u00a0"
_results: list[bool] = []


@pytest.fixture(scope="module", autouse=True)
def _share(pytestconfig: pytest.Config) -> Iterator[None]:
    yield
    if _results:
        line = f"corpus formats: {sum(_results)}/{len(_results)} understood"
        reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(line)
        print(line)


def _check(got: str, expected: str) -> None:
    _results.append(got == expected)
    assert got == expected


# --- money: (minor units, currency, language) → text ----------------------------------------
MONEY = [
    (125_000_000, "RUB", "ru", f"1{NB}250{NB}000{NB}₽"),
    (125_000_000, "RUB", "en", "₽1,250,000"),
    (40_000_050, "RUB", "ru", f"400{NB}000,50{NB}₽"),
    (40_000_050, "RUB", "en", "₽400,000.50"),
    (40_000_000, "RUB", "ru", f"400{NB}000{NB}₽"),
    (40_000_000, "RUB", "en", "₽400,000"),
    (0, "RUB", "ru", f"0{NB}₽"),
    (0, "RUB", "en", "₽0"),
    (5, "RUB", "ru", f"0,05{NB}₽"),
    (99, "RUB", "en", "₽0.99"),
    (100, "RUB", "ru", f"1{NB}₽"),
    (15_000_000, "USD", "en", "$150,000"),
    (15_000_000, "USD", "ru", f"150{NB}000{NB}$"),
    (1_999_900, "EUR", "en", "€19,999"),
    (-50_000, "RUB", "ru", f"-500{NB}₽"),
    (-50_000, "USD", "en", "-$500"),
    (100_000_000_000, "KZT", "ru", f"1{NB}000{NB}000{NB}000{NB}₸"),
    # Derived figures (averages, forecasts) are Fractions: to the whole unit.
    (Fraction(123_456_78), "RUB", "ru", f"123{NB}457{NB}₽"),
    (Fraction(1_000_000, 3), "RUB", "en", "₽3,333"),
    (Fraction(49), "RUB", "ru", f"0{NB}₽"),
]


@pytest.mark.parametrize(("minor", "currency", "lang", "expected"), MONEY)
def test_money(minor: int | Fraction, currency: str, lang: str, expected: str) -> None:
    _check(format_money(minor, currency, lang), expected)


# Chart axes and titles: the same symbol and placement, shortened.
COMPACT = [
    (120_000_000, "RUB", "ru", f"1,2{NB}млн{NB}₽"),
    (120_000_000, "RUB", "en", "₽1.2M"),
    (20_000_000, "RUB", "ru", f"200{NB}тыс.{NB}₽"),
    (20_000_000, "USD", "en", "$200K"),
    (-120_000_000, "RUB", "en", "-₽1.2M"),
]


@pytest.mark.parametrize(("minor", "currency", "lang", "expected"), COMPACT)
def test_money_compact(minor: int, currency: str, lang: str, expected: str) -> None:
    _check(format_money_compact(minor, currency, lang), expected)


# --- percents: (sold, plan, language) → text; the attainment of a plan -------------------------
PERCENTS = [
    (1_996_000, 2_000_000, "ru", f"99{NB}%"),  # 4 000 short: not 100 %
    (1_996_000, 2_000_000, "en", "99%"),
    (1_999_999, 2_000_000, "ru", f"99{NB}%"),
    (2_000_000, 2_000_000, "ru", f"100{NB}%"),
    (2_000_000, 2_000_000, "en", "100%"),
    (2_100_000, 2_000_000, "ru", f"105{NB}%"),
    (500_000, 2_000_000, "ru", f"25{NB}%"),
    (400, 1000, "en", "40%"),
    (400, 1000, "ru", f"40{NB}%"),
    (1, 3, "ru", f"33{NB}%"),
    (2, 3, "en", "66%"),
    (1, 1000, "ru", f"0{NB}%"),
    (0, 5, "en", "0%"),
    (200_000, 3_000_000, "ru", f"6{NB}%"),
    (1_050_000, 9_000_000, "ru", f"11{NB}%"),
    (3, 2, "en", "150%"),
]


@pytest.mark.parametrize(("sold", "plan", "lang", "expected"), PERCENTS)
def test_percent(sold: int, plan: int, lang: str, expected: str) -> None:
    made = attainment(sold * 100, plan * 100)
    assert made is not None
    _check(format_percent(made, lang), expected)


# --- the same figures inside the replies that carry them --------------------------------------
def _sale_progress(lang: str, sold: int, plan: int) -> str:
    t = Translator(lang)
    made = attainment(sold, plan)
    assert made is not None
    return t(
        "sale-month-progress",
        period="P",
        sold=format_money(sold, "RUB", lang),
        plan=format_money(plan, "RUB", lang),
        pct=format_percent(made, lang),
    )


def _kpi_plan(lang: str, sold: int, plan: int) -> str:
    made = attainment(sold, plan)
    assert made is not None
    return Translator(lang)(
        "kpi-plan",
        pct=format_percent(made, lang),
        sold=format_money(sold, "RUB", lang),
        plan=format_money(plan, "RUB", lang),
    )


def _plan_progress(lang: str, sold: int, plan: int) -> str:
    made = attainment(sold, plan)
    assert made is not None
    return Translator(lang)(
        "plan-progress", sold=format_money(sold, "RUB", lang), pct=format_percent(made, lang)
    )


REPLIES = [
    (_sale_progress, "ru", 199_600_000, 200_000_000,
     f"📈 P: 1{NB}996{NB}000{NB}₽ из 2{NB}000{NB}000{NB}₽ — 99{NB}%"),
    (_sale_progress, "en", 199_600_000, 200_000_000, "📈 P: ₽1,996,000 of ₽2,000,000 — 99%"),
    (_sale_progress, "ru", 40_000_050, 100_000_000,
     f"📈 P: 400{NB}000,50{NB}₽ из 1{NB}000{NB}000{NB}₽ — 40{NB}%"),
    (_kpi_plan, "ru", 199_600_000, 200_000_000,
     f"🎯 <b>План: 99{NB}%</b> — 1{NB}996{NB}000{NB}₽ из 2{NB}000{NB}000{NB}₽"),
    (_kpi_plan, "en", 40_000_050, 100_000_000, "🎯 <b>Plan: 40%</b> — ₽400,000.50 of ₽1,000,000"),
    (_plan_progress, "ru", 10_000_000, 50_000_000, f"Продано: 100{NB}000{NB}₽ — 20{NB}% плана."),
    (_plan_progress, "en", 10_000_000, 50_000_000, "Sold: ₽100,000 — 20% of the plan."),
]  # fmt: skip


@pytest.mark.parametrize(("render", "lang", "sold", "plan", "expected"), REPLIES)
def test_reply(render: Any, lang: str, sold: int, plan: int, expected: str) -> None:
    _check(render(lang, sold, plan), expected)


# --- plurals: message, variable, other arguments, the forms by hand ---------------------------
COUNTS = (0, 1, 2, 5, 11, 21, 22, 25)
# Russian: 1, 21 → one; 2, 22 → few; 0, 5, 11, 25 → many. English: 1 → one, else other.
RU_FORM = {0: 2, 1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 22: 1, 25: 2}
EN_FORM = {n: 0 if n == 1 else 1 for n in COUNTS}
_IMPORT: dict[str, Any] = {"rows": 3, "clients": 3, "contacts": 3, "errors": 3}
_SALES: dict[str, Any] = {"sum": "1 ₽", "count": 3, "buyers": 3}
PLURALS: list[tuple[str, str, str, dict[str, Any], str, tuple[str, ...]]] = [
    ("ru", "import-preview-title", "rows", _IMPORT, "{n} {w}:", ("строка", "строки", "строк")),
    ("ru", "import-preview-title", "clients", _IMPORT, "{n} {w} и",
     ("клиент", "клиента", "клиентов")),
    ("ru", "import-preview-title", "contacts", _IMPORT, "{n} {w}.",
     ("контакт", "контакта", "контактов")),
    ("ru", "import-rejected", "errors", _IMPORT, "{n} {w} в", ("ошибка", "ошибки", "ошибок")),
    ("ru", "import-rejected", "rows", _IMPORT, "в {n} {w}.", ("строке", "строках", "строках")),
    ("ru", "kpi-sales", "count", _SALES, "{n} {w} ·", ("сделка", "сделки", "сделок")),
    ("ru", "kpi-sales", "buyers", _SALES, "{n} {w}", ("клиент", "клиента", "клиентов")),
    ("en", "import-preview-title", "rows", _IMPORT, "{n} {w} in", ("row", "rows")),
    ("en", "import-preview-title", "clients", _IMPORT, "{n} {w} and", ("client", "clients")),
    ("en", "import-preview-title", "contacts", _IMPORT, "{n} {w}.", ("contact", "contacts")),
    ("en", "import-rejected", "errors", _IMPORT, "{n} {w} in", ("error", "errors")),
    ("en", "import-rejected", "rows", _IMPORT, "in {n} {w}.", ("row", "rows")),
    ("en", "kpi-sales", "count", _SALES, "{n} {w} ·", ("sale", "sales")),
    ("en", "card-checkin-overdue", "days", {"days": 3, "cadence": 30}, "{n} {w} overdue",
     ("day", "days")),
]  # fmt: skip


def _plural_cases() -> list[Any]:
    return [
        pytest.param(
            lang, key, var, {**args, var: n}, pattern, forms, n, id=f"{lang}-{key}-{var}-{n}"
        )
        for lang, key, var, args, pattern, forms in PLURALS
        for n in COUNTS
    ]  # fmt: skip


@pytest.mark.parametrize(("lang", "key", "var", "args", "pattern", "forms", "n"), _plural_cases())
def test_plural(
    lang: str,
    key: str,
    var: str,
    args: dict[str, Any],
    pattern: str,
    forms: tuple[str, ...],
    n: int,
) -> None:
    form = forms[(RU_FORM if lang == "ru" else EN_FORM)[n]]
    text = re.sub(r"</?b>", "", Translator(lang)(key, **args))
    expected = pattern.format(n=n, w=form)
    _results.append(expected in text)
    assert expected in text, text
