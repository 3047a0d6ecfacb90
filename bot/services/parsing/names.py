"""Names of clients and decision-makers: the dedupe key, display-name checks, fuzzy lookup.

Managers type names between two calls: in lower case, with «ё» or «е», with or without the legal
form and quotes, in Cyrillic or Latin, with typos. Everything here is pure and cheap to import;
the caches (keys per name, transliteration per word) fill on use.

Lookup design (``NameIndex.search``):

1. Every candidate gets two keys: ``normalize_name`` (Cyrillic stays Cyrillic) and ``latin_key``
   (transliterated), so "Romashka" finds «Ромашка» and "ромашка" finds "Romashka LLC".
2. A C prefilter (``rapidfuzz.process.extract`` over the Latin keys) keeps a few dozen
   candidates; with 10,000 candidates this is where the time goes.
3. Those survivors are rescored with ``_similarity``, which, unlike WRatio, penalises extra words
   in the candidate. WRatio scores "ромашко" 85.7 against «Ромашка» but 83.1 against
   «Ромашка Плюс» (a substring hit), which would make an obvious typo look ambiguous.
4. A candidate whose key equals the query's (Cyrillic, Latin, or with spaces removed) is
   ``exact`` and scores 100.

``classify`` turns the ranked list into the bot's next step; see the thresholds below.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

from anyascii import anyascii
from rapidfuzz import fuzz, process

__all__ = [
    "CONFIDENT_AT",
    "CONFIDENT_MARGIN",
    "MAX_NAME_LENGTH",
    "NONE_BELOW",
    "Match",
    "MatchKind",
    "NameIndex",
    "NameProblem",
    "build_index",
    "classify",
    "latin_key",
    "normalize_name",
    "rank",
    "unmatched_words",
    "validate_display_name",
]

MAX_NAME_LENGTH = 200

# Thresholds for ``classify``; scores are 0..100. Tuned on tests/unit/test_names.py:
# - a single typo in a one-word name ("ромашко" for «Ромашка») scores ~87, and a surname alone
#   ("петров" for «Иван Петров») scores exactly 85, so 85 is the lowest "confident" score;
# - near-duplicates («Ромашка» / «Ромашка Плюс») sit 10-15 points apart for a typo'd query,
#   while two equally plausible people («Иван Петров» / «Петров Сергей» for "петров") tie, so a
#   10-point lead separates "pick it" from "ask with buttons";
# - below 60 the best hit shares little more than a few letters, so we offer to create instead.
CONFIDENT_AT = 85.0
CONFIDENT_MARGIN = 10.0
NONE_BELOW = 60.0

# Each word of the candidate that the query did not mention multiplies the score: the query
# "ромашка" should prefer «Ромашка» to «Ромашка Плюс», yet "петров" must still find
# «Иван Петров» when he is the only Petrov.
_EXTRA_WORD_FACTOR = 0.85
# How many candidates per prefilter scorer survive into the Python rescoring.
_PREFILTER_MIN = 30
_PREFILTER_PER_RESULT = 6
_PREFILTER_CUTOFF = 40.0
# partial_ratio catches a word or a beginning of the name ("петров", "ромашк"), token_sort_ratio
# whole names in another word order. Measured against a brute-force rescoring of 10,000 names:
# this pair misses 1 best hit in 300 noisy queries at ~10 ms, WRatio alone 6 at ~13 ms.
_PREFILTER_SCORERS = (fuzz.partial_ratio, fuzz.token_sort_ratio)
# Queries longer than any sensible name are cut, so hostile input cannot make search slow.
_MAX_QUERY = 256

# Quotes of every kind («» „“ " ' `) are non-word characters, so they become spaces with the
# rest of the punctuation (spaces, not nothing, so "ООО«Ромашка»" does not glue into one word).
_NON_WORD = re.compile(r"[\W_]+")
_NOT_LATIN_WORD = re.compile(r"[^a-z0-9]+")

# Legal forms dropped from either end of a name (as whole words). "Group" and "Холдинг" are part
# of the name people use, so they stay.
_LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(phrase.split())
    for phrase in (
        "ооо",
        "оао",
        "зао",
        "пао",
        "ао",
        "ип",
        "нко",
        "гк",
        "llc",
        "ltd",
        "inc",
        "gmbh",
        "ooo",
        "zao",
        "oao",
        "pao",
        "общество с ограниченной ответственностью",
        "акционерное общество",
        "открытое акционерное общество",
        "закрытое акционерное общество",
        "публичное акционерное общество",
        "индивидуальный предприниматель",
        "некоммерческая организация",
        "группа компаний",
    )
)

# Cheap pre-check: most names neither start nor end with a word that begins or ends a form.
_LEGAL_EDGE_WORDS = frozenset(w for form in _LEGAL_FORMS for w in (form[0], form[-1]))


class NameProblem(ValueError):
    """Why a display name is unusable; ``key`` is the i18n message key the caller shows.

    Design choice: ``validate_display_name`` returns the cleaned name or raises this, so the
    happy path stays a plain ``str`` and the caller cannot forget to handle a failure.
    Keys: "name-empty", "name-too-long", "name-no-letters".
    """

    def __init__(self, key: Literal["name-empty", "name-too-long", "name-no-letters"]) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True, slots=True)
class Match:
    id: int
    name: str
    score: float
    # True when the query's key equals the candidate's (Cyrillic, Latin, or without spaces).
    exact: bool = False


MatchKind = Literal["exact", "confident", "ambiguous", "none"]


def _strip_legal_forms(words: list[str]) -> list[str]:
    # Never strip the last word: a client literally called "ИП" keeps a non-empty key.
    while len(words) > 1 and (words[0] in _LEGAL_EDGE_WORDS or words[-1] in _LEGAL_EDGE_WORDS):
        for form in _LEGAL_FORMS:
            n = len(form)
            if len(words) > n and tuple(words[:n]) == form:
                words = words[n:]
                break
            if len(words) > n and tuple(words[-n:]) == form:
                words = words[:-n]
                break
        else:
            return words
    return words


def normalize_name(text: str) -> str:
    """The dedupe key stored in ``name_norm``: «ООО "Ромашка"», "ромашка " and "Ромашка" agree."""
    # NFKC first: it composes a decomposed «ё»/«й» and folds full-width letters.
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    words = _NON_WORD.sub(" ", folded).split()
    return " ".join(_strip_legal_forms(words))


@lru_cache(maxsize=65536)
def _latin_word(word: str) -> str:
    # Per word, cached: names repeat words ("Иван", "Строй"), and transliteration works one
    # character at a time in Python, which made it the slowest step of building a 10,000-name
    # index.
    latin = _NOT_LATIN_WORD.sub(" ", anyascii(word).lower().replace("'", ""))
    # People spell «й», «ю», «я» as "i"/"y"/"j" ("iu", "yu", "ju") and «ь» as "'" or nothing;
    # fold the few spellings that differ so "Elkastroy" and «ЁлкаСтрой» meet.
    return latin.replace("y", "i").replace("j", "i").replace("x", "ks").replace("w", "v")


def _latin_of(norm: str) -> str:
    return " ".join(" ".join(_latin_word(word) for word in norm.split()).split())


def latin_key(text: str) -> str:
    """``normalize_name`` transliterated to a-z0-9 ("Ромашка" -> "romashka") for matching.

    A matching key, not a display transliteration: "y" and "j" fold to "i", "x" to "ks", "w" to
    "v".
    """
    return _latin_of(normalize_name(text))


def validate_display_name(text: str) -> str:
    """The cleaned display name (NFC, trimmed, whitespace collapsed) or ``NameProblem``."""
    cleaned = " ".join(unicodedata.normalize("NFC", text).split())
    if not cleaned:
        raise NameProblem("name-empty")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise NameProblem("name-too-long")
    if not any(ch.isalnum() for ch in cleaned):
        raise NameProblem("name-no-letters")
    return cleaned


class _Keys(NamedTuple):
    norm: str
    latin: str
    norm_compact: str
    latin_compact: str


@lru_cache(maxsize=65536)
def _keys(name: str) -> _Keys:
    # Callers often rebuild an index from the same client list; caching the keys per name makes
    # ``rank`` on an unchanged list much cheaper than computing them again.
    norm = normalize_name(name[:_MAX_QUERY])
    latin = _latin_of(norm)
    return _Keys(norm, latin, norm.replace(" ", ""), latin.replace(" ", ""))


def _word_similarity(query_word: str, word: str) -> float:
    score = fuzz.ratio(query_word, word)
    # A typed beginning ("ромашк", "петр") is a strong hint even though the ratio is modest.
    if len(query_word) >= 3 and word.startswith(query_word):
        score = max(score, 80.0 + 20.0 * len(query_word) / len(word))
    return score


def _words_similarity(query_words: list[str], words: list[str]) -> float:
    total = 0.0
    used: set[int] = set()
    for qw in query_words:
        best, best_at = 0.0, -1
        for at, word in enumerate(words):
            score = _word_similarity(qw, word)
            if score > best:
                best, best_at = score, at
        total += best * len(qw)
        if best_at >= 0:
            used.add(best_at)
    mean = total / sum(len(qw) for qw in query_words)
    return mean * _EXTRA_WORD_FACTOR ** (len(words) - len(used))


def _similarity(query: str, key: str) -> float:
    if not query or not key:
        return 0.0
    return max(
        fuzz.ratio(query, key),
        fuzz.ratio(query.replace(" ", ""), key.replace(" ", "")),
        _words_similarity(query.split(), key.split()),
    )


def _is_exact(query: _Keys, key: _Keys) -> bool:
    # Equal Cyrillic or Latin keys, or equal once spaces are gone ("Elka Stroy" / «ЁлкаСтрой»).
    return any(q and q == k for q, k in zip(query, key, strict=True))


class NameIndex:
    """Precomputed keys of a candidate list; build once, ``search`` many times."""

    __slots__ = ("_columns", "_ids", "_keys", "_names")

    def __init__(self, candidates: Iterable[tuple[int, str]]) -> None:
        pairs = list(candidates)
        self._ids: list[int] = [cid for cid, _name in pairs]
        self._names: list[str] = [name for _cid, name in pairs]
        self._keys: list[_Keys] = [_keys(name) for name in self._names]
        # One list per key kind (norm, latin, and both without spaces), for the C prefilter and
        # for exact lookups. A scan with ``==`` costs ~0.3 ms per 10,000 names; a dict of keys
        # would cost ~10 ms to build, which ``rank`` (one search per index) would pay every time.
        self._columns: tuple[list[str], ...] = tuple(
            [keys[field] for keys in self._keys] for field in range(len(_Keys._fields))
        )

    def __len__(self) -> int:
        return len(self._ids)

    def _prefilter(self, query_keys: _Keys, limit: int) -> set[int]:
        norm, latin = query_keys.norm, query_keys.latin
        keep = max(_PREFILTER_MIN, limit * _PREFILTER_PER_RESULT)
        # Only the Latin keys are scanned: every name has one, a Cyrillic typo is still a typo
        # after transliteration, and ASCII strings score several times faster in rapidfuzz.
        norm_keys, latin_keys = self._columns[0], self._columns[1]
        query, keys = (latin, latin_keys) if latin else (norm, norm_keys)
        found: set[int] = set()
        for scorer in _PREFILTER_SCORERS:
            hits = process.extract(
                query, keys, scorer=scorer, limit=keep, score_cutoff=_PREFILTER_CUTOFF
            )
            found.update(at for _key, _score, at in hits)
        for wanted, column in zip(query_keys, self._columns, strict=True):
            if wanted:
                found.update(at for at, key in enumerate(column) if key == wanted)
        return found

    def search(self, query: str, limit: int = 5) -> list[Match]:
        """The best ``limit`` candidates, best first: exact hits, then score, then name."""
        if limit <= 0 or not self._ids:
            return []
        query_keys = _keys(query[:_MAX_QUERY])
        if not query_keys.norm and not query_keys.latin:
            return []
        matches: list[Match] = []
        for at in self._prefilter(query_keys, limit):
            keys = self._keys[at]
            exact = _is_exact(query_keys, keys)
            if exact:
                score = 100.0
            else:
                best = max(
                    _similarity(query_keys.norm, keys.norm),
                    _similarity(query_keys.latin, keys.latin),
                )
                score = round(min(best, 100.0), 1)
            matches.append(Match(self._ids[at], self._names[at], score, exact))
        matches.sort(key=lambda m: (not m.exact, -m.score, m.name.casefold(), m.id))
        return matches[:limit]


def build_index(candidates: Iterable[tuple[int, str]]) -> NameIndex:
    return NameIndex(candidates)


def rank(query: str, candidates: Sequence[tuple[int, str]], limit: int = 5) -> list[Match]:
    """One-off fuzzy search; reuse ``build_index`` when searching the same list repeatedly."""
    return build_index(candidates).search(query, limit)


# A typed word "belongs" to a name when it is this close to one of the name's words: typos
# ("ромашко" 86, "петоров" 92) and case endings ("кузнецову" 94) pass, while a branch suffix
# ("юг", "2", "м", "спб" against «Ромашка») scores below 40.
_WORD_BELONGS_AT = 70.0


def _unmatched(query: str, key: str) -> list[str]:
    words = key.split()
    return [
        q for q in query.split() if max(_word_similarity(q, w) for w in words) < _WORD_BELONGS_AT
    ]


def unmatched_words(query: str, name: str) -> list[str]:
    """Words of ``query`` that match no word of ``name`` («Ромашка-Юг» vs «Ромашка»: ["юг"]).

    A client name plus a word the client's name lacks is a *different* client (a branch, a
    city, a number), however high the fuzzy score: the caller offers to create it. Compared on
    the Cyrillic and the Latin keys; an equal key without spaces ("Elka Stroy") matches whole.
    """
    q, k = _keys(query[:_MAX_QUERY]), _keys(name)
    if not q.norm or not k.norm or _is_exact(q, k):
        return []
    by_norm = _unmatched(q.norm, k.norm)
    if not by_norm or not q.latin or not k.latin:
        return by_norm
    return by_norm if _unmatched(q.latin, k.latin) else []


def classify(matches: Sequence[Match]) -> MatchKind:
    """What the bot should do with a ``search`` result (sorted best first).

    - "none": nothing, or the best score is below ``NONE_BELOW``: offer to create.
    - "exact": the best match has the query's key and no other match does.
    - "confident": the best scores at least ``CONFIDENT_AT`` and leads the second by at least
      ``CONFIDENT_MARGIN``: use it, show it in the reply with Fix/Undo.
    - "ambiguous": anything else, including two exact namesakes: ask with buttons.
    """
    if not matches or matches[0].score < NONE_BELOW:
        return "none"
    top = matches[0]
    second = matches[1] if len(matches) > 1 else None
    if top.exact:
        return "ambiguous" if second is not None and second.exact else "exact"
    if top.score >= CONFIDENT_AT and (
        second is None or top.score - second.score >= CONFIDENT_MARGIN
    ):
        return "confident"
    return "ambiguous"
