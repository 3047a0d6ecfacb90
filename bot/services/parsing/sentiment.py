"""The sign of a review read from its words, with negation: «не отлично», «not good» are bad.

Decisions where the brief was silent:
- «не»/«not» before a word we don't know («не пришла доставка», «did not arrive») is a complaint:
  in a review, saying what did not happen is what customers complain about.
- «без»/«no» turn a complaint into praise («без претензий», «no complaints»).
- Words of both signs ("отлично, но курьер хамил") are a mixed review: the caller asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["WordSign", "read_words", "word_sign"]


def _split(words: str) -> list[str]:
    return words.split()


_NEGATIONS = frozenset({"не", "not", "never", "нисколько"})
_WITHOUT = frozenset({"без", "no", "without"})
# Words that may sit between a negation and what it negates: «не очень доволен».
_SOFTENERS = frozenset(
    _split(
        "очень слишком особо особенно совсем так такой сильно всегда very so too really that "
        "quite all always particularly"
    )
)
# Stems (a word starting with one of these): inflections of Russian words are many.
_POSITIVE_STEMS = tuple(
    _split(
        "отличн хорош спасиб благодар доволен довольн понравил нравит супер класс молодц вежлив "
        "рекоменд прекрасн замечательн великолепн идеальн приятн восторг неплох оперативн "
        "аккуратн вовремя быстр помогл любим"
    )
)
_NEGATIVE_STEMS = tuple(
    _split(
        "плох ужасн жалоб жалует жаловал хамил хамств нахамил хамск груб опозд опаздыва задерж "
        "долго долгая долгое сломал сломан брак недовол разочаров отврат кошмар медленн испорч "
        "потерял обман претензи хуже худш безобраз невкусн грязн перепутал забыл сорвал неприятн "
        "нахал возмущ скандал проблем ошибк ошиблись недовес недолож поврежд помят разбит просроч "
        "игнор кинули"
    )
)
_POSITIVE_WORDS = frozenset(
    _split(
        "good great excellent thanks thank thx happy satisfied pleased love loved loves perfect "
        "awesome amazing fast quick quickly polite helpful recommend recommended nice wonderful "
        "fantastic superb best brilliant delighted friendly ok ок норм нормально"
    )
)
_NEGATIVE_WORDS = frozenset(
    _split(
        "bad terrible awful horrible complaint complaints complained complains rude late delayed "
        "delay slow slowly broken damaged unhappy disappointed disappointing dissatisfied angry "
        "poor worst worse lost wrong refund issue issues problem problems missing upset mess "
        "ignored"
    )
)
_APOSTROPHE_NOT = re.compile(r"n[’']t$")
_STRIP = " \t\r\n,.;:!?()«»\"'“”…"


@dataclass(frozen=True, slots=True)
class WordSign:
    start: int  # the index of the first word of the phrase (the negation, if any)
    positive: bool


def _fold(word: str) -> str:
    return word.strip(_STRIP).casefold().replace("ё", "е")


def word_sign(word: str) -> bool | None:
    """The sign of one word on its own, or None for a word that says nothing."""
    w = _fold(word)
    if not w or w == "нет":
        return None
    if w in _POSITIVE_WORDS or w.startswith(_POSITIVE_STEMS):
        # «неплохо» starts with «неплох» (positive) before «плох» could be tried.
        return True
    if w in _NEGATIVE_WORDS or w.startswith(_NEGATIVE_STEMS):
        return False
    return None


def _negates(word: str) -> bool:
    w = _fold(word)
    return w in _NEGATIONS or _APOSTROPHE_NOT.search(w) is not None


def read_words(words: list[str]) -> list[WordSign]:
    """Every sentiment phrase in `words`, in order, with negation applied."""
    found: list[WordSign] = []
    i = 0
    while i < len(words):
        w = _fold(words[i])
        if _negates(words[i]) or w in _WITHOUT:
            j = i + 1
            while j < len(words) and _fold(words[j]) in _SOFTENERS:
                j += 1
            target = word_sign(words[j]) if j < len(words) else None
            if w in _WITHOUT:
                if target is False:  # «без претензий», «no complaints»
                    found.append(WordSign(i, True))
                    i = j + 1
                    continue
                i += 1
                continue
            # «не отлично» is bad, «не плохо» is good, «не пришла» is a complaint.
            found.append(WordSign(i, not target if target is not None else False))
            i = j + 1
            continue
        sign = word_sign(words[i])
        if sign is not None:
            found.append(WordSign(i, sign))
        i += 1
    return found
