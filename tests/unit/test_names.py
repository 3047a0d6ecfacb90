import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.parsing.names import (
    CONFIDENT_AT,
    CONFIDENT_MARGIN,
    MAX_NAME_LENGTH,
    NONE_BELOW,
    Match,
    NameIndex,
    NameProblem,
    build_index,
    classify,
    latin_key,
    normalize_name,
    rank,
    validate_display_name,
)

# A realistic book of clients and people, with near-duplicates on purpose.
CANDIDATES: list[tuple[int, str]] = [
    (1, "ООО «Ромашка»"),
    (2, "Ромашка-Юг"),
    (3, "Ромашка Плюс"),
    (4, "ЁлкаСтрой"),
    (5, "Иван Петров"),
    (6, "ГК «Лютик»"),
    (7, "Мария Иванова"),
    (8, "Northwind Trading LLC"),
    (9, "АО «Север-Логистик»"),
    (10, "ИП Кузнецов"),
    (11, "Агрохолдинг Колос"),
    (12, "Смирнова Ольга"),
]


# --- normalize_name -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ООО «Ромашка»", "ромашка"),
        ("ромашка", "ромашка"),
        ("Ромашка ", "ромашка"),
        ("  РОМАШКА  ", "ромашка"),
        ('ООО "Ромашка"', "ромашка"),
        ("ООО„Ромашка“", "ромашка"),
        ("ООО«Ромашка»", "ромашка"),
        ("'Ромашка'", "ромашка"),
        ("`Ромашка`", "ромашка"),
        ("Ромашка, ООО", "ромашка"),
        ("Ромашка ООО", "ромашка"),
        ("ЗАО Ромашка", "ромашка"),
        ("ОАО Ромашка", "ромашка"),
        ("ПАО «Сбербанк»", "сбербанк"),
        ("АО «Север-Логистик»", "север логистик"),
        ("ИП Кузнецов", "кузнецов"),
        ("НКО Добро", "добро"),
        ("ГК Лютик", "лютик"),
        ("ЁлкаСтрой", "елкастрой"),
        ("елкастрой", "елкастрой"),
        ("Ромашка-Юг", "ромашка юг"),
        ("Ромашка — Юг!!!", "ромашка юг"),
        ("Ромашка   Плюс", "ромашка плюс"),
        ("Romashka LLC", "romashka"),
        ("Romashka Ltd.", "romashka"),
        ("Romashka, Inc.", "romashka"),
        ("Romashka GmbH", "romashka"),
        ("OOO Romashka", "romashka"),
        ("Romashka Group", "romashka group"),
        ("Northwind Group LLC", "northwind group"),
        ("Общество с ограниченной ответственностью «Ромашка»", "ромашка"),
        ("Индивидуальный предприниматель Кузнецов", "кузнецов"),
        ("ООО ГК «Лютик»", "лютик"),
        ("ИП", "ип"),
        ("ООО", "ооо"),
        ("Ромашка 2", "ромашка 2"),
        ("Ооошка", "ооошка"),
        ("Аоника", "аоника"),
        ("Ромашка 🌼", "ромашка"),
        ("🌼🌼", ""),
        ("", ""),
        ("...", ""),
        ("Е\u0308лка", "елка"),  # a decomposed «ё» as some keyboards send it
        ("Ｒｏｍａｓｈｋａ", "romashka"),  # full-width letters
        ("O'Brien & Partners", "o brien partners"),
        ("Straße", "strasse"),
    ],
)
def test_normalize_name(text: str, expected: str) -> None:
    assert normalize_name(text) == expected


@pytest.mark.parametrize(
    "variants",
    [
        ("ООО «Ромашка»", "ромашка", "Ромашка ", "РОМАШКА", "Ромашка, ООО"),
        ("ЁлкаСтрой", "елкастрой", "ЕЛКАСТРОЙ", "Ёлкастрой"),
        ("Северный Ветер", "северный  ветер", "«Северный ветер»", "ЗАО Северный-Ветер"),
    ],
)
def test_normalize_name_variants_agree(variants: tuple[str, ...]) -> None:
    assert len({normalize_name(v) for v in variants}) == 1


def test_group_is_not_a_legal_form() -> None:
    assert normalize_name("Ромашка Group") != normalize_name("Ромашка")


# --- latin_key ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ромашка", "romashka"),
        ("ООО «Ромашка»", "romashka"),
        ("ЁлкаСтрой", "elkastroi"),
        ("Elkastroy", "elkastroi"),
        ("Иван Петров", "ivan petrov"),
        ("Ильин", "ilin"),
        ("Щукин", "shchukin"),
        ("Юлия", "iuliia"),
        ("Yuliya", "iuliia"),
        ("Ромашка-Юг", "romashka iug"),
        ("Alex", "aleks"),
        ("Müller", "muller"),
        ("", ""),
        ("🌼", ""),
    ],
)
def test_latin_key(text: str, expected: str) -> None:
    assert latin_key(text) == expected


# --- validate_display_name ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Ромашка  ", "Ромашка"),
        ("ООО   «Ромашка»", "ООО «Ромашка»"),
        ("Иван\nПетров", "Иван Петров"),
        ("Ромашка 🌼", "Ромашка 🌼"),
        ("№1", "№1"),
        ("7", "7"),
        ("Е\u0308лка", "Ёлка"),
        ("x" * MAX_NAME_LENGTH, "x" * MAX_NAME_LENGTH),
    ],
)
def test_validate_display_name_ok(text: str, expected: str) -> None:
    assert validate_display_name(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "name-empty"),
        ("   ", "name-empty"),
        ("\n\t", "name-empty"),
        ("🌼🌼", "name-no-letters"),
        ("...", "name-no-letters"),
        ("«»", "name-no-letters"),
        ("x" * (MAX_NAME_LENGTH + 1), "name-too-long"),
        ("слово " * 40, "name-too-long"),
    ],
)
def test_validate_display_name_problems(text: str, key: str) -> None:
    with pytest.raises(NameProblem) as caught:
        validate_display_name(text)
    assert caught.value.key == key


# --- rank: required finds -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected_id", "expected_kind"),
    [
        ("ромашка", 1, "exact"),
        ("РОМАШКА", 1, "exact"),
        ("Romashka", 1, "exact"),
        ("romashka", 1, "exact"),
        ("ООО Ромашка", 1, "exact"),
        ("ромашко", 1, "confident"),
        ("ромашк", 1, "confident"),
        ("ромшка", 1, "confident"),
        ("ромашка юг", 2, "exact"),
        ("Ромашка-Юг", 2, "exact"),
        ("ромашкаюг", 2, "exact"),
        ("Romashka Yug", 2, "exact"),
        ("ромашка плюс", 3, "exact"),
        ("елкастрой", 4, "exact"),
        ("Elkastroy", 4, "exact"),
        ("Elka Stroy", 4, "exact"),
        ("ёлкастрой", 4, "exact"),
        ("елкастрои", 4, "exact"),  # «и» for «й» meets at the same Latin key
        ("петров", 5, "confident"),
        ("Petrov", 5, "confident"),
        ("иван петоров", 5, "confident"),
        ("иван петров", 5, "exact"),
        ("петров иван", 5, "confident"),
        ("Ivan Petrov", 5, "exact"),
        ("лютик", 6, "exact"),
        ("Lyutik", 6, "exact"),
        ("ljutik", 6, "exact"),
        ("northwind", 8, "confident"),
        # A typo and an unmentioned word ("Trading") together: asked, not assumed.
        ("нортвинд", 8, "ambiguous"),
        ("север логистик", 9, "exact"),
        ("северлогистик", 9, "exact"),
        ("кузнецову", 10, "confident"),
        ("колос", 11, "confident"),
        ("ольга смирнова", 12, "confident"),
    ],
)
def test_rank_finds(query: str, expected_id: int, expected_kind: str) -> None:
    matches = rank(query, CANDIDATES)
    assert matches[0].id == expected_id
    assert classify(matches) == expected_kind


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("ромашко", "Ромашка"),
        ("Romashka", "Ромашка"),
        ("romashka", "Ромашка"),
        ("РОМАШКА", "Ромашка"),
        ("ромашк", "Ромашка"),
        ("елкастрой", "ЁлкаСтрой"),
        ("Elkastroy", "ЁлкаСтрой"),
        ("петров", "Иван Петров"),
        ("Petrov", "Иван Петров"),
        ("иван петоров", "Иван Петров"),
    ],
)
def test_rank_finds_alone(query: str, name: str) -> None:
    matches = rank(query, [(42, name)])
    assert [m.id for m in matches] == [42]
    assert classify(matches) in {"exact", "confident"}


def test_rank_exact_scores_and_order() -> None:
    matches = rank("ромашка", CANDIDATES, limit=3)
    assert matches[0] == Match(1, "ООО «Ромашка»", 100.0, exact=True)
    assert [m.id for m in matches[1:]] == [2, 3]
    assert all(not m.exact for m in matches[1:])
    assert matches[1].score >= matches[2].score


@pytest.mark.parametrize(
    ("query", "expected_ids", "kind"),
    [
        # Two people named Petrov: asking is right.
        ("петров", {5, 13}, "ambiguous"),
        # Иванов and Иванова are different people.
        ("иванова", {7, 14}, "ambiguous"),
    ],
)
def test_rank_ambiguous(query: str, expected_ids: set[int], kind: str) -> None:
    candidates = [*CANDIDATES, (13, "Петров Сергей"), (14, "Иванов")]
    matches = rank(query, candidates)
    assert {m.id for m in matches[:2]} == expected_ids
    assert classify(matches) == kind


def test_two_exact_namesakes_are_ambiguous() -> None:
    matches = rank("ромашка", [(1, "Ромашка"), (2, "ООО «Ромашка»"), (3, "Ромашка Плюс")])
    assert {m.id for m in matches[:2]} == {1, 2}
    assert classify(matches) == "ambiguous"


@pytest.mark.parametrize("query", ["xyz", "бухгалтерия", "qwertyuiop", "зззз"])
def test_rank_nothing_close(query: str) -> None:
    assert classify(rank(query, CANDIDATES)) == "none"


@pytest.mark.parametrize("query", ["", "   ", "🌼", "«»", "..."])
def test_rank_empty_query(query: str) -> None:
    assert rank(query, CANDIDATES) == []


def test_rank_no_candidates_and_bad_limit() -> None:
    assert rank("ромашка", []) == []
    assert rank("ромашка", CANDIDATES, limit=0) == []
    assert len(rank("ромашка", CANDIDATES, limit=2)) == 2
    assert len(rank("а", CANDIDATES, limit=50)) <= len(CANDIDATES)


def test_index_is_reusable() -> None:
    index = build_index(CANDIDATES)
    assert isinstance(index, NameIndex)
    assert len(index) == len(CANDIDATES)
    assert index.search("ромашка")[0].id == 1
    assert index.search("петров")[0].id == 5
    assert index.search("ромашка") == rank("ромашка", CANDIDATES)


def test_index_accepts_iterators_and_unusable_names() -> None:
    index = build_index(iter([(1, "🌼"), (2, ""), (3, "Ромашка")]))
    assert [m.id for m in index.search("ромашка")] == [3]


# --- classify thresholds --------------------------------------------------------------------


def _m(score: float, exact: bool = False, id_: int = 1) -> Match:
    return Match(id_, f"n{id_}", score, exact)


@pytest.mark.parametrize(
    ("matches", "kind"),
    [
        ([], "none"),
        ([_m(NONE_BELOW - 0.1)], "none"),
        ([_m(NONE_BELOW)], "ambiguous"),
        ([_m(100.0, exact=True)], "exact"),
        ([_m(100.0, exact=True), _m(99.0, id_=2)], "exact"),
        ([_m(100.0, exact=True), _m(100.0, exact=True, id_=2)], "ambiguous"),
        ([_m(CONFIDENT_AT)], "confident"),
        ([_m(CONFIDENT_AT - 0.1)], "ambiguous"),
        ([_m(95.0), _m(95.0 - CONFIDENT_MARGIN, id_=2)], "confident"),
        ([_m(95.0), _m(95.0 - CONFIDENT_MARGIN + 0.1, id_=2)], "ambiguous"),
        ([_m(90.0), _m(89.0, id_=2), _m(88.0, id_=3)], "ambiguous"),
    ],
)
def test_classify(matches: list[Match], kind: str) -> None:
    assert classify(matches) == kind


# --- speed ----------------------------------------------------------------------------------


def _many_names(count: int) -> list[tuple[int, str]]:
    rnd = random.Random(7)
    first = ["Иван", "Пётр", "Мария", "Анна", "Сергей", "Ольга", "John", "Alice", "Дмитрий"]
    last = ["Петров", "Иванов", "Смирнова", "Кузнецов", "Попова", "Соколов", "Smith", "Brown"]
    words = ["Ромашка", "Лютик", "Строй", "Торг", "Снаб", "Транс", "Север", "Юг", "Плюс", "Агро"]
    forms = ["ООО", "АО", "ИП", "", "LLC"]
    names: list[tuple[int, str]] = []
    for i in range(count):
        if i % 2:
            names.append((i, f"{rnd.choice(first)} {rnd.choice(last)}"))
        else:
            word = f"{rnd.choice(words)}{rnd.choice(words).lower()} {rnd.choice(words)}"
            names.append((i, f"{rnd.choice(forms)} «{word}»".strip()))
    return names


def test_search_among_10000_finds_the_one() -> None:
    # Speed is measured in bench/bench_clients.py; here only the result among many matters.
    names = [*_many_names(10_000), (99_999, "ЁлкаСтрой")]
    matches = build_index(names).search("Elkastroy")
    assert matches[0].id == 99_999


# --- properties -----------------------------------------------------------------------------


@given(st.text(max_size=300))
def test_normalize_name_never_raises_and_is_idempotent(text: str) -> None:
    key = normalize_name(text)
    assert normalize_name(key) == key
    assert key == key.strip()
    assert "  " not in key
    assert latin_key(text) == latin_key(text).strip()


def _outcome(text: str) -> str:
    try:
        return "ok:" + validate_display_name(text)
    except NameProblem as problem:
        return problem.key


@given(st.text(max_size=300))
def test_validate_display_name_only_raises_name_problem(text: str) -> None:
    outcome = _outcome(text)
    if outcome.startswith("ok:"):
        assert 0 < len(outcome) - 3 <= MAX_NAME_LENGTH
    else:
        assert outcome in {"name-empty", "name-too-long", "name-no-letters"}


@settings(max_examples=200)
@given(
    st.text(max_size=100),
    st.lists(st.tuples(st.integers(), st.text(max_size=60)), max_size=20),
    st.integers(min_value=-1, max_value=30),
)
def test_rank_never_raises(query: str, candidates: list[tuple[int, str]], limit: int) -> None:
    matches = rank(query, candidates, limit)
    assert len(matches) <= max(limit, 0)
    assert all(0.0 <= m.score <= 100.0 for m in matches)
    assert classify(matches) in {"exact", "confident", "ambiguous", "none"}


@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=10))
def test_every_name_finds_itself(names: list[str]) -> None:
    candidates = list(enumerate(names))
    for cid, name in candidates:
        if normalize_name(name) or latin_key(name):
            matches = rank(name, candidates, limit=len(candidates))
            assert cid in {m.id for m in matches if m.exact}
