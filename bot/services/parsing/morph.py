"""Russian word forms for name matching: «звонил в Гамму» names «Гамма».

pymorphy3 loads lazily (~0.3 s, ~40 MB) on the first Cyrillic word, so imports stay cheap and a
manager who writes names in the nominative never pays for it. Every parse counts, not only the
first: «Уралстали» parses first as a verb, and a company name must still reach «Уралсталь».
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice, product
from typing import Any

__all__ = ["lemma_variants", "normal_forms", "reads_as_text", "warm_up"]

_CYRILLIC_WORD = re.compile(r"[а-яё]+")
# Words of these parts of speech do not continue a client's name («Омега обсудили поставку»):
# verbs, infinitives, gerunds and participles, prepositions, conjunctions, particles, adverbs.
_TEXT_POS = frozenset({"VERB", "INFN", "GRND", "PRTS", "PREP", "CONJ", "PRCL", "ADVB"})
_MAX_FORMS_PER_WORD = 3
_MAX_VARIANTS = 12


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    import pymorphy3  # imported here: the dictionaries cost 0.3 s and 40 MB to load

    return pymorphy3.MorphAnalyzer(lang="ru")


def warm_up() -> None:
    """Loads the dictionaries at start-up, so the first manager's message doesn't pay 0.3 s."""
    _analyzer()


@lru_cache(maxsize=16384)
def normal_forms(word: str) -> tuple[str, ...]:
    """The word itself first, then the normal form of every parse (folded, «ё» → «е»)."""
    word = word.casefold().replace("ё", "е")
    if not _CYRILLIC_WORD.fullmatch(word):
        return (word,)
    forms = [word]
    for parse in _analyzer().parse(word):
        form = parse.normal_form.replace("ё", "е")
        if form not in forms:
            forms.append(form)
    return tuple(forms[: _MAX_FORMS_PER_WORD + 1])


def lemma_variants(norm: str) -> list[str]:
    """Keys a name in another case may have: "звонил в гамму" style words → "гамма".

    ``norm`` is a ``normalize_name`` key; the result excludes it and is capped, so a three-word
    query costs a handful of exact lookups, not a product of every parse.
    """
    words = norm.split()
    if not words or len(words) > 4:
        return []
    options = [normal_forms(w) for w in words]
    variants = (" ".join(combo) for combo in product(*options))
    return [v for v in islice(variants, _MAX_VARIANTS + 1) if v != norm][:_MAX_VARIANTS]


# English words that start a touch's text after a name («Omega discussed pricing»); past forms
# in -ed are caught by their ending.
_EN_TEXT_WORDS = frozenset(
    [
        "met",
        "sent",
        "spoke",
        "told",
        "said",
        "agreed",
        "got",
        "had",
        "made",
        "gave",
        "took",
        "called",
        "asked",
        "will",
        "would",
        "to",
        "about",
        "on",
        "at",
        "with",
        "for",
        "and",
        "re",
    ]
)
_LATIN_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=16384)
def reads_as_text(word: str) -> bool:
    """True when every reading of a word is a verb, preposition, adverb and the like: such a
    word starts the touch's text, it does not continue a name."""
    word = word.casefold().replace("ё", "е")
    if _LATIN_WORD.fullmatch(word):
        return word in _EN_TEXT_WORDS or (len(word) >= 5 and word.endswith("ed"))
    if not _CYRILLIC_WORD.fullmatch(word) or len(word) < 2:
        return False
    parses = _analyzer().parse(word)
    return bool(parses) and all(str(p.tag.POS) in _TEXT_POS for p in parses)


def nominative(word: str) -> str | None:
    """«Дельтой» → «Дельта» when every reading is a noun in another case; None otherwise.

    Used only to offer a new client's name: «встречались с Дельтой» offers «Дельта». A word that
    may be nominative («Омега», «Север») is left as typed.
    """
    folded = word.casefold().replace("ё", "е")
    if not _CYRILLIC_WORD.fullmatch(folded):
        return None
    parses = _analyzer().parse(folded)
    if not parses or any(str(p.tag.POS) != "NOUN" or p.tag.case == "nomn" for p in parses):
        return None
    forms = {p.normal_form.replace("ё", "е") for p in parses}
    if len(forms) != 1:
        return None
    form = str(forms.pop())
    return form[:1].upper() + form[1:] if word[:1].isupper() else form
