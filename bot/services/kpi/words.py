"""The period a manager asks for: "/kpi квартал", "/kpi q", "/kpi кватрал", "/kpi Year"."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from storage.enums import PeriodKind

WORDS: dict[str, PeriodKind] = {
    word: kind
    for kind, words in {
        PeriodKind.WEEK: ("week", "w", "wk", "неделя", "неделю", "недели", "нед", "н"),
        PeriodKind.MONTH: ("month", "m", "mo", "месяц", "месяца", "мес", "м"),
        PeriodKind.QUARTER: ("quarter", "q", "qtr", "квартал", "квартала", "кв", "к"),
        PeriodKind.YEAR: ("year", "y", "yr", "год", "года", "г"),
    }.items()
    for word in words
}
MIN_SCORE = 75  # "кватрал" → квартал (86), "mnth" → month (89); "день" matches nothing


def parse_period(text: str | None) -> PeriodKind | None:
    """The period named in `text`; the month when nothing is named; None when not understood."""
    word = (text or "").strip().strip(".,!?").casefold().replace("ё", "е")
    if not word:
        return PeriodKind.MONTH
    if word in WORDS:
        return WORDS[word]
    # A beginning of one word only: "кварт", "неде", "quar".
    if len(word) >= 3:
        kinds = {kind for w, kind in WORDS.items() if w.startswith(word)}
        if len(kinds) == 1:
            return kinds.pop()
    long_words = [w for w in WORDS if len(w) >= 3]
    match = process.extractOne(word, long_words, scorer=fuzz.ratio, score_cutoff=MIN_SCORE)
    return WORDS[match[0]] if match else None
