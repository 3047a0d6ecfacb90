"""One-message logging: "/call ромашка обсудили поставку, КП в пт" read into a draft touch.

Two steps, both pure. ``client_candidates`` offers ways to cut the client's name off the
message (the caller fuzzy-matches each against the manager's clients); ``parse_touch`` reads
the rest: the kind of touch, a summary, the outcome, a backdated time and the next step.

Decisions:
- Clauses are separated by "," ";" a new line, a sentence end, or a dash between spaces.
- The next step starts at an explicit marker ("след. шаг", "next step", "далее", "потом",
  "затем", "todo", "задача:"; "потом/затем/далее/then" only when no past-tense verb follows),
  or at a clause that is a task: it starts with an infinitive ("отправить КП", also after
  "надо/нужно"), an English base verb in a later clause ("send the proposal"), or it holds a
  date that is not a backdating one ("КП в пт", "созвон в пятницу" -> step "созвон" due Friday).
  Later clauses that are neither tasks nor dated go back to the summary.
- A date is a backdating one (when the touch happened) when it can only be in the past
  ("вчера", "2 дня назад", "в прошлую пятницу"), or when it could go either way ("в
  понедельник", "12.03") and a past-tense verb sits next to it or it opens a clause that has
  one ("в понедельник встречались", "встречались в понедельник"). The first one wins.
- One clause with both a past-tense verb and a step date ("договорились о встрече в пт") is cut
  after the last past-tense verb before the date: summary "договорились", step "о встрече".
- ``next_step`` is None with ``next_step_due`` set when only a date was given ("..., в пт"):
  the caller shows it as a plain follow-up on that day.
- "next-step-past": the step's date is before now (a date without a time: before today), e.g.
  "след. шаг: КП вчера". The draft keeps it; the caller asks.
- ``occurred_at``: None means now. A backdated day without a time is local noon of that day,
  and never later than ``now`` ("сегодня звонил" at 10:00 is 10:00, not noon).
- A kind word after "о/про/about" or a planning verb ("договорились о встрече", "назначили
  встречу", "scheduled a meeting") is the topic, not the kind: such a touch was most likely a
  call. A command that names the type (/call) wins over every word.
- The kind word is removed from the summary only when it opens the summary ("звонил, обсудили
  цены" -> "обсудили цены"); inside a sentence ("отправил письмо с прайсом") it is content.
  Outcome words stay in the summary ("договорились о скидке"); bare markers (+, -, 👍) go.
- Outcome: markers (+ 👍 ✅ / − 👎 ❌; "-" only at the very start or end, since a dash in the
  middle separates clauses) beat words. Negated positives ("не договорились") are negative.
  Positive and negative words together give None: the caller offers the buttons.
- The summary keeps the text as typed (markup characters such as <b>, * and _ untouched);
  only cut points are joined and the ends trimmed.

Client candidates:
- A colon (not inside "15:30") decides alone: one candidate, the part before it. Leading time
  words, kind words and a preposition before it are not the name: "вчера звонил в Ромашку:
  договорились" -> ("Ромашку", "вчера звонил, договорились").
- Otherwise a «quoted» or "quoted" name comes first, then names of 1, 2 and 3 words (legal forms
  such as ООО do not count) starting after leading time words, kind words and prepositions.
  A name never runs past a comma, colon, dash or closing quote, and one that ends exactly there
  is the most likely ("Ромашка Плюс, обсудили" -> "Ромашка Плюс" before "Ромашка").
- ``rest`` is the whole text minus the name and the preposition right before it, so
  ``parse_touch`` still sees "вчера звонил". Candidates with the same ``normalize_name`` key and
  rest are one; at most ``MAX_CANDIDATES``. The caller fuzzy-matches them in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.services.parsing.dates import (
    When,
    find_all_when,
    find_invalid_date,
    fold,
    local_day,
)
from bot.services.parsing.names import normalize_name
from bot.services.schedule.schedule_rules import business_step_due
from storage.enums import Channel, Outcome

__all__ = [
    "ClientCandidate",
    "TouchDraft",
    "client_candidates",
    "cut_spans",
    "parse_kind_word",
    "parse_outcome",
    "parse_touch",
]

# A Telegram message is at most 4,096 characters; anything longer is cut, so hostile input
# cannot make parsing slow.
MAX_TEXT = 4096
MAX_CANDIDATES = 8
_MAX_NAME_WORDS = 3
_MAX_LEAD_WORDS = 5
_MAX_COLON_NAME = 60
_MAX_TYPO_WORDS = 300
_MIN_TYPO_LENGTH = 5
_NOON = time(12, 0)
_ANY_MOMENT = datetime(2000, 1, 3, 12, 0, tzinfo=UTC)  # date spans do not depend on the clock


@dataclass(frozen=True, slots=True)
class ClientCandidate:
    query: str  # what to fuzzy-match against client names
    rest: str  # the message without the client's words, for ``parse_touch``


@dataclass(frozen=True, slots=True)
class TouchDraft:
    kind: Channel | None  # None: no kind word; the caller defaults to a call
    summary: str
    outcome: Outcome | None
    occurred_at: datetime | None  # aware UTC; None means now
    next_step: str | None
    next_step_due: When | None
    problems: list[str] = field(default_factory=list)
    # The weekend day a relative step fell on before it moved to Monday: the reply says so.
    due_moved_from: date | None = None


# --- text helpers -------------------------------------------------------------------------


def _vocab(words: str) -> frozenset[str]:
    return frozenset(words.split())


_WORD = re.compile(r"\S+")
_EDGE_PUNCT = ",.;:!?()[]{}\"'«»“”„‘’"
_JOIN_TIGHT = tuple(",.;:!?)")
_SEPARATOR_CHARS = frozenset(" \t\r\n,;.!?")


def _join(left: str, right: str) -> str:
    """Glues two pieces at a cut, so "звонил в , договорились" reads "звонил, договорились"."""
    left, right = left.rstrip(), right.lstrip()
    if not left:
        return right
    if not right:
        return left
    return left + right if right.startswith(_JOIN_TIGHT) else f"{left} {right}"


def cut_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without ``spans``; pieces are joined at the cuts, the rest stays as typed."""
    pieces: list[str] = []
    at = 0
    for start, end in sorted(spans):
        if start < at:
            start = at
        if end <= start:
            continue
        pieces.append(text[at:start])
        at = end
    pieces.append(text[at:])
    joined = ""
    for piece in pieces:
        joined = _join(joined, piece)
    return joined


_LEAD_TRIM = re.compile(r"^(?:[\s,;:.!?]|[—–-](?=\s|$)|(?:и|а|но|and|but|then)(?=\s|$))+")
# One dangling dash or conjunction at the very end; ``_trim`` loops. A regex ending in "+$"
# would retry from every position of a long run of spaces: quadratic.
_TAIL_WORD = re.compile(r"(?<=\s)(?:[—–-]|и|а|and)$")
_TAIL_CHARS = " \t\r\n\f\v\u00a0,;:"


def _trim(text: str) -> str:
    # Only separators and dangling conjunctions go; markup (<b>, *, _) is content.
    text = _LEAD_TRIM.sub("", text, count=1)
    while True:
        text = text.rstrip(_TAIL_CHARS)
        tail = _TAIL_WORD.search(text, max(0, len(text) - 4))
        if tail is None:
            return text
        text = text[: tail.start()]


def _words(text: str) -> list[tuple[int, int, str]]:
    """Words with their spans; the word is folded and stripped of edge punctuation."""
    found = []
    for m in _WORD.finditer(text):
        raw = m.group()
        core = raw.strip(_EDGE_PUNCT)
        if not core:
            continue
        start = m.start() + raw.index(core)
        found.append((start, start + len(core), fold(core)))
    return found


# --- kind of touch ------------------------------------------------------------------------

# Strong phrases win over weak words wherever they are: "написал на почту" is an e-mail.
_KIND_PHRASES: tuple[tuple[Channel, str], ...] = (
    (
        Channel.EMAIL,
        r"(?:(?:написал\w*|отправил\w*|скинул\w*|прислал\w*|ответил\w*)\s+)?"
        r"(?:на|по)\s+(?:почт\w*|мейл\w*|e-?mail\w*|емейл\w*|имейл\w*|емэйл\w*)"
        r"|электронн\w*\s+почт\w*|(?:by|via)\s+e-?mail",
    ),
    (
        Channel.MESSAGE,
        r"(?:(?:написал\w*|отправил\w*|скинул\w*|ответил\w*)\s+)?"
        r"(?:в|по)\s+(?:телеграм\w*|телег\w*|тг|tg|whatsapp|вотсап\w*|ватсап\w*|вацап\w*|"
        r"viber|вайбер\w*|личк\w*|мессенджер\w*|смс|sms)|(?:on|via)\s+(?:whatsapp|telegram)",
    ),
    (
        Channel.VISIT,
        r"был[аи]?\s+у\s+(?:них|него|нее|клиента)|у\s+них\s+был[аи]?|"
        r"went\s+to\s+(?:them|their|the\s+client)|dropped\s+by|stopped\s+by|on\s+site",
    ),
    (Channel.CALL, r"по\s+телефону|on\s+the\s+phone|phone\s+call|by\s+phone"),
)
_KIND_WORDS: tuple[tuple[Channel, bool, str], ...] = (
    # (channel, strong, pattern of a whole word)
    (
        Channel.CALL,
        True,
        # "звонок", "созвон", "перезвонил", "созванивались"; not "звание".
        r"(?:по|со|пере|до|про)?звон(?:ок|ка|ки|ков|ку|ком|[иьяю]\w*)?|"
        r"(?:по|со|пере|до|про)зван\w*|call|called|calls|calling|phoned|rang",
    ),
    (Channel.CALL, False, r"phone|телефон\w*"),
    (
        Channel.MEETING,
        True,
        r"встреч\w*|встрет\w*|митинг\w*|переговор\w*|совещани\w*|meeting\w*|met|meet",
    ),
    (
        Channel.EMAIL,
        True,
        r"письм\w*|писем|почт[аеуы]|e-?mail\w*|mailed|емейл\w*|имейл\w*|мейл\w*|емэйл\w*",
    ),
    (Channel.EMAIL, False, r"mail"),
    (
        Channel.MESSAGE,
        True,
        r"сообщени\w*|смс|sms|переписк\w*|переписывал\w*|телеграм\w*|whatsapp|вотсап\w*|"
        r"ватсап\w*|вацап\w*|viber|вайбер\w*|message\w*|texted|telegram",
    ),
    (Channel.MESSAGE, False, r"написал\w*|wrote|text|chat\w*|чат\w*|dm"),
    (
        Channel.VISIT,
        True,
        r"визит\w*|съездил\w*|ездил\w*|заехал\w*|заезжал\w*|посетил\w*|visit\w*|"
        r"приезжал\w*|приехал\w*",
    ),
)
# Canonical spellings for typos ("звнил", "встеча", "пиьсмо"): one edit away, five letters or
# more. "почту" is left out: "почти" is one letter away and common.
_TYPO_VOCABULARY: dict[str, Channel] = {
    **dict.fromkeys(
        _vocab(
            "звонок звонил звонила звонили позвонил позвонила позвонили созвонились созвонился "
            "созвонилась перезвонил called calling"
        ),
        Channel.CALL,
    ),
    **dict.fromkeys(
        _vocab("встреча встречу встрече встречались встречался встретились встретился meeting"),
        Channel.MEETING,
    ),
    **dict.fromkeys(_vocab("письмо письма email emailed"), Channel.EMAIL),
    **dict.fromkeys(
        _vocab("сообщение сообщения написал написала написали message messaged texted"),
        Channel.MESSAGE,
    ),
    **dict.fromkeys(_vocab("визит съездил съездили заехал заехали visited"), Channel.VISIT),
}
# Sorted, so a typo equally close to two spellings always resolves the same way.
_TYPO_CHOICES = sorted(_TYPO_VOCABULARY)
_WEAK_TYPOS = frozenset({"написал", "написала", "написали"})


@dataclass(frozen=True, slots=True)
class _KindHit:
    start: int
    end: int
    channel: Channel
    strong: bool


@lru_cache(maxsize=1)
def _kind_patterns() -> tuple[tuple[re.Pattern[str], Channel, bool], ...]:
    phrases = [(re.compile(rf"(?<!\w)(?:{p})(?!\w)"), c, True) for c, p in _KIND_PHRASES]
    words = [(re.compile(rf"(?<!\w)(?:{p})(?!\w)"), c, s) for c, s, p in _KIND_WORDS]
    return (*phrases, *words)


def _typo_kind(word: str) -> tuple[Channel, bool] | None:
    if len(word) < _MIN_TYPO_LENGTH or not word.isalpha():
        return None
    found = process.extractOne(word, _TYPO_CHOICES, scorer=OSA.distance, score_cutoff=1)
    if found is None:
        return None
    spelling = found[0]
    return _TYPO_VOCABULARY[spelling], spelling not in _WEAK_TYPOS


def _kind_hits(text: str) -> list[_KindHit]:
    folded = fold(text)
    hits = [
        _KindHit(m.start(), m.end(), channel, strong)
        for pattern, channel, strong in _kind_patterns()
        for m in pattern.finditer(folded)
    ]
    covered = [(h.start, h.end) for h in hits]
    for start, end, word in _words(text)[:_MAX_TYPO_WORDS]:
        if any(s <= start < e for s, e in covered):
            continue
        typo = _typo_kind(word)
        if typo is not None:
            hits.append(_KindHit(start, end, typo[0], typo[1]))
    # Earliest first; at one position the longest (a phrase over its first word).
    hits.sort(key=lambda h: (h.start, h.start - h.end))
    return hits


# A kind word right after these is what the touch was about, not how it happened: "договорились
# о встрече", "назначили встречу", "scheduled a meeting" were most likely said on a call.
_TOPIC_BEFORE = re.compile(
    r"(?<!\w)(?:о|об|обо|про|насчет|по\s+поводу|about|re|назначил\w*|назначен\w*|"
    r"запланировал\w*|перенес\w*|перенесл\w*|отменил\w*|отменен\w*|организовал\w*|"
    r"договорил\w*\s+(?:о|об|на)|следующ\w*|нов\w*|еще\s+одн\w*|обсудил\w*|обсуждал\w*|"
    r"просил\w*|попросил\w*|предложил\w*|хотят|хочет|discussed|asked\s+for|want|wants|"
    r"scheduled|arranged|booked|planned|postponed|rescheduled|cancell?ed|moved|set\s+up|"
    r"next|new|another)"
    r"(?:\s+(?:a|an|the|нам|им|ему|ей|с\s+ними|очередн\w*|личн\w*))?\s+$"
)


def _is_topic(folded: str, hit: _KindHit) -> bool:
    return _TOPIC_BEFORE.search(folded[max(0, hit.start - 40) : hit.start]) is not None


def _best_kind(hits: list[_KindHit]) -> _KindHit | None:
    strong = [h for h in hits if h.strong]
    best = strong or hits
    return best[0] if best else None


def parse_kind_word(text: str) -> Channel | None:
    """The kind of touch named in ``text`` (any form, ru/en, one-letter typos), or None."""
    best = _best_kind(_kind_hits(text[:MAX_TEXT]))
    return best.channel if best else None


# --- outcome ------------------------------------------------------------------------------

_POSITIVE_MARKS = re.compile(r"(?<!\S)\+(?!\S)|👍|✅|🤝|👌|💪|🔥")
_NEGATIVE_MARKS = re.compile(r"(?<!\S)[−–](?!\S)|👎|❌|🚫|⛔")
_NEUTRAL_MARKS = re.compile(r"😐|🤷|(?<!\S)=(?!\S)")
_EDGE_MINUS = re.compile(r"^\s*-(?!\S)|(?<!\S)-\s*$")
_NEGATIVE_WORDS = re.compile(
    r"(?<!\w)(?:не\s+договорил\w*|не\s+согласовал\w*|не\s+интерес\w*|неинтерес\w*|"
    r"не\s+актуальн\w*|неактуальн\w*|не\s+ок|отказ\w*|declined|rejected|refused|"
    r"not\s+interested|no\s+deal|негатив\w*|negative|провал\w*)(?!\w)"
)
_POSITIVE_WORDS = re.compile(
    r"(?<!\w)(?:договорил\w*|договоренност\w*|согласовал\w*|согласовано|все\s+ок|ок|окей|"
    r"ok|okay|agreed|deal|успешно|отлично|positive|позитивн\w*|заинтересовал\w*|"
    r"заинтересован\w*|interested|подписал\w*|signed)(?!\w)"
)
_NEUTRAL_WORDS = re.compile(r"(?<!\w)(?:нейтральн\w*|neutral|так\s+себе|без\s+изменений)(?!\w)")


def _marker_outcome(text: str) -> Outcome | None:
    marks = {
        Outcome.POSITIVE: bool(_POSITIVE_MARKS.search(text)),
        Outcome.NEGATIVE: bool(_NEGATIVE_MARKS.search(text) or _EDGE_MINUS.search(text)),
        Outcome.NEUTRAL: bool(_NEUTRAL_MARKS.search(text)),
    }
    chosen = [outcome for outcome, present in marks.items() if present]
    return chosen[0] if len(chosen) == 1 else None


def _word_outcome(text: str) -> Outcome | None:
    folded = fold(text)
    negative = bool(_NEGATIVE_WORDS.search(folded))
    # "не договорились" must not also count as "договорились".
    positive = bool(_POSITIVE_WORDS.search(_NEGATIVE_WORDS.sub(" ", folded)))
    if negative != positive:
        return Outcome.NEGATIVE if negative else Outcome.POSITIVE
    if not negative and _NEUTRAL_WORDS.search(folded):
        return Outcome.NEUTRAL
    return None


def parse_outcome(text: str) -> Outcome | None:
    """The outcome a manager typed: markers (+, 👍, -, 👎) first, then words; None if unsure."""
    text = text[:MAX_TEXT]
    return _marker_outcome(text) or _word_outcome(text)


def _marker_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for pattern in (_POSITIVE_MARKS, _NEGATIVE_MARKS, _NEUTRAL_MARKS, _EDGE_MINUS):
        spans.extend(m.span() for m in pattern.finditer(text))
    return spans


# --- verbs --------------------------------------------------------------------------------

_RU_PAST = re.compile(r"[а-я]+[аеиоуыяю]л(?:а|и|о)?(?:ся|сь)?")
_RU_PAST_IRREGULAR = _vocab(
    "был была были было шел шла шли пришел пришла пришли нашел нашли мог могли смог смогли "
    "помог помогли сказал"
)
# Nouns that look like past-tense verbs.
_RU_NOT_PAST = _vocab(
    "стол пол материал материала потенциал канал сигнал капитал персонал идеал идеала "
    "недели цели модели детали роли прибыли мебели панели отели дизели "
    "начала мало мала мило сало дело тело село сила масла числа правило правила"
)
_EN_PAST = re.compile(r"[a-z]{2,}ed")
_EN_PAST_IRREGULAR = _vocab(
    "met sent spoke had went got saw gave told said took made did was were came wrote left "
    "paid bought sold brought thought heard rang ran began talked"
)
_EN_NOT_PAST = _vocab("need needed feed seed speed bed red shed proceed exceed")


def _is_past_verb(word: str) -> bool:
    if word in _RU_PAST_IRREGULAR or word in _EN_PAST_IRREGULAR:
        return True
    if word in _RU_NOT_PAST or word in _EN_NOT_PAST:
        return False
    return bool(_RU_PAST.fullmatch(word) or _EN_PAST.fullmatch(word))


_RU_INFINITIVE = re.compile(r"[а-я]{2,}(?:ть|ться|чь|чься|сти|зти|йти|тись)")
_RU_NOT_INFINITIVE = _vocab(
    "есть опять пять шесть десять девять двадцать тридцать треть путь суть мать нить сеть "
    "плоть ртуть часть власть память"
)
_EN_TASKS = _vocab(
    "send call email follow ping prepare check schedule book remind share draft sign deliver "
    "meet visit review update confirm discuss arrange set get reach invoice chase"
)
_NEED = _vocab("надо нужно необходимо need todo")


def _is_infinitive(word: str) -> bool:
    if word in _RU_NOT_INFINITIVE or word.endswith("сть"):
        return False
    return bool(_RU_INFINITIVE.fullmatch(word))


def _is_task(words: list[str], *, first_clause: bool) -> bool:
    """A clause that asks for an action: "отправить КП", "надо созвониться", "send the deck"."""
    if not words:
        return False
    head = words[0]
    if head in _NEED:
        return True
    if _is_infinitive(head):
        return True
    # English base verbs double as nouns ("call went well"); only later clauses qualify.
    return not first_clause and head in _EN_TASKS


# --- clauses and next-step markers ----------------------------------------------------------

# "(?<!\s)" before each leading "\s": otherwise every space of a long run restarts the scan.
_CLAUSE_SEPARATOR = re.compile(
    r"[,;\n]+|(?<=\S)[.!?]+(?=\s|$)|(?<!\s)\s+[—–-]+\s+|(?<!\s)\s*(?:->|→|=>)\s*"
)
_STEP_MARKER = re.compile(
    r"(?<!\w)(?:след(?:ующий)?\.?\s*шаг(?:и)?|next\s+steps?|todo|to-do|задача\s*:|"
    r"(?P<soft>далее|дальше|потом|затем|then))(?!\w)\s*[:—–-]?\s*"
)

Direction = Literal["past", "future", "either"]


@dataclass(frozen=True, slots=True)
class _Clause:
    start: int
    end: int
    words: list[tuple[int, int, str]]


def _clauses(text: str, start: int, end: int) -> list[_Clause]:
    found: list[_Clause] = []
    at = start
    for sep in _CLAUSE_SEPARATOR.finditer(text, start, end):
        if sep.start() > at:
            found.append(_clause(text, at, sep.start()))
        at = sep.end()
    if at < end:
        found.append(_clause(text, at, end))
    return [c for c in found if c.words]


def _clause(text: str, start: int, end: int) -> _Clause:
    words = [(start + s, start + e, w) for s, e, w in _words(text[start:end])]
    return _Clause(start, end, words)


def _has_past_verb(text: str) -> bool:
    return any(_is_past_verb(word) for _s, _e, word in _words(text))


def _step_marker(text: str) -> re.Match[str] | None:
    for m in _STEP_MARKER.finditer(text):
        if m["soft"] and _has_past_verb(text[m.end() : m.end() + 80]):
            continue  # "потом обсудили цены" tells what happened next
        return m
    return None


# --- dates in the message -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Date:
    future: When  # as a next-step date
    past: When  # as a backdating date
    direction: Direction


def _today(now: datetime, tz: str) -> date:
    return now.astimezone(ZoneInfo(tz)).date()


def _direction(w: When, now: datetime, tz: str) -> Direction:
    """Where a date with a direction of its own points ("вчера", "через час")."""
    if w.has_time:
        return "past" if w.at < now else "future"
    day, today = local_day(w, tz), _today(now, tz)
    if day == today:
        return "either"
    return "past" if day < today else "future"


def _dates(text: str, now: datetime, tz: str, month_first: bool) -> list[_Date]:
    ahead = find_all_when(text, now, tz, future=True, month_first=month_first)
    behind = {
        (w.start, w.end): w
        for w in find_all_when(text, now, tz, future=False, month_first=month_first)
    }
    found = []
    for w in ahead:
        back = behind.get((w.start, w.end))
        if back is None:
            continue
        # Both readings agree when the words carry their own direction.
        direction: Direction = _direction(w, now, tz) if back.at == w.at else "either"
        found.append(_Date(w, back, direction))
    return found


def _is_past(w: When, now: datetime, tz: str) -> bool:
    if w.has_time:
        return w.at < now
    return local_day(w, tz) < _today(now, tz)


# --- the plan of a message: which clauses are the step, which date backdates ---------------


@dataclass(slots=True)
class _Plan:
    backdate: _Date | None = None
    step_spans: list[tuple[int, int]] = field(default_factory=list)


def _inside(d: _Date, start: int, end: int) -> bool:
    return start <= d.future.start and d.future.end <= end


def _backdates(d: _Date, clause: _Clause) -> bool:
    """Whether a date tells when the touch happened rather than when the next step is due."""
    if d.direction != "either":
        return d.direction == "past"
    outside = [(s, e, w) for s, e, w in clause.words if e <= d.future.start or s >= d.future.end]
    if not any(_is_past_verb(w) for _s, _e, w in outside):
        return False
    before = [w for _s, e, w in outside if e <= d.future.start]
    after = [w for s, _e, w in outside if s >= d.future.end]
    opens_clause = all(w in _CONJUNCTIONS for w in before)
    next_to_verb = bool(
        (before and _is_past_verb(before[-1])) or (after and _is_past_verb(after[0]))
    )
    return opens_clause or next_to_verb


def _step_start(clause: _Clause, d: _Date) -> int:
    # "договорились о встрече в пт": the step starts after the last past-tense verb.
    verbs = [e for _s, e, w in clause.words if e <= d.future.start and _is_past_verb(w)]
    return verbs[-1] if verbs else clause.start


def _plan(text: str, body_end: int, dates: list[_Date]) -> _Plan:
    plan = _Plan()
    for index, clause in enumerate(_clauses(text, 0, body_end)):
        words = [w for _s, _e, w in clause.words]
        if _is_task(words, first_clause=index == 0):
            plan.step_spans.append((clause.start, clause.end))
            continue
        step_date: _Date | None = None
        for d in (d for d in dates if _inside(d, clause.start, clause.end)):
            if _backdates(d, clause):
                plan.backdate = plan.backdate or d
            elif step_date is None:
                step_date = d
        if step_date is not None:
            plan.step_spans.append((_step_start(clause, step_date), clause.end))
    return plan


# --- parse_touch --------------------------------------------------------------------------


def _occurred_at(d: _Date | None, now: datetime, tz: str) -> datetime | None:
    if d is None:
        return None
    w = d.past
    if w.has_time:
        return min(w.at, now.astimezone(UTC))
    noon = datetime.combine(local_day(w, tz), _NOON, tzinfo=ZoneInfo(tz)).astimezone(UTC)
    return min(noon, now.astimezone(UTC))


def _next_step(
    text: str, spans: list[tuple[int, int]], dates: list[_Date]
) -> tuple[str | None, When | None]:
    due = next(
        (d.future for d in dates if any(_inside(d, s, e) for s, e in spans)),
        None,
    )
    pieces = []
    for start, end in sorted(spans):
        cut = [(due.start, due.end)] if due and start <= due.start < end else []
        piece = _trim(cut_spans(text[:end], [(0, start), *cut]))
        # "rescheduled to next Tuesday" leaves "to": a date without a task.
        if piece and not all(w in _PREPOSITIONS for _s, _e, w in _words(piece)):
            pieces.append(piece)
    return (", ".join(pieces) or None), due


def _leading_kind_spans(
    text: str, hits: list[_KindHit], removed: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Kind words that open the summary ("сообщение в телеграм, ждут счёт" -> both)."""
    leading: list[tuple[int, int]] = []
    for hit in hits:
        if _trim(cut_spans(text[: hit.start], removed + leading)):
            break
        leading.append((hit.start, hit.end))
    return leading


def parse_touch(
    text: str,
    now: datetime,
    tz: str,
    kind: Channel | None = None,
    *,
    month_first: bool = False,
) -> TouchDraft:
    """Reads a touch from the message without the client's name (see the module notes).

    ``kind``: the type the command named (/call); then the words don't choose it.
    ``month_first``: a US user's "12/15" is 15 December (see ``date_order``).
    """
    text = text[:MAX_TEXT]
    marker = _step_marker(text)
    body_end = marker.start() if marker else len(text)
    dates = _dates(text, now, tz, month_first)
    plan = _plan(text, body_end, dates)
    step_spans = list(plan.step_spans)
    if marker:
        step_spans.append((marker.end(), len(text)))
    next_step, asked = _next_step(text, step_spans, dates)
    due = business_step_due(asked, tz)  # a relative step on a weekend: Monday
    moved_from = local_day(asked, tz) if asked and due and due.at != asked.at else None

    # The separator before a step leaves with it: "обсудили цены. Перезвонить в пн".
    removed = [(_separator_start(text, s), e) for s, e in [*plan.step_spans, (body_end, len(text))]]
    if plan.backdate:
        removed.append((plan.backdate.past.start, plan.backdate.past.end))
    body = cut_spans(text, removed)
    hits = [h for h in _kind_hits(text[:body_end]) if not _covered(h, removed)]
    folded = fold(text)
    kind_hit = _best_kind([h for h in hits if not _is_topic(folded, h)])
    if kind is not None:
        # The command named the type (/call): words of another type only describe the touch
        # ("встреча перенесена") and stay in the summary.
        hits = [h for h in hits if h.channel == kind]
    removed.extend(_leading_kind_spans(text, hits, removed))
    summary = _trim(cut_spans(text, removed + _marker_spans(text[:body_end])))

    outcome = _marker_outcome(text) or _word_outcome(body)
    occurred_at = _occurred_at(plan.backdate, now, tz)
    draft = TouchDraft(
        kind=kind or (kind_hit.channel if kind_hit else None),
        summary=summary,
        outcome=outcome,
        occurred_at=occurred_at,
        next_step=next_step,
        next_step_due=due,
        due_moved_from=moved_from,
    )
    return replace(draft, problems=_problems(text, draft, now, tz))


def _separator_start(text: str, start: int) -> int:
    while start > 0 and text[start - 1] in _SEPARATOR_CHARS:
        start -= 1
    return start


def _covered(hit: _KindHit, spans: list[tuple[int, int]]) -> bool:
    return any(s <= hit.start and hit.end <= e for s, e in spans)


def _problems(text: str, draft: TouchDraft, now: datetime, tz: str) -> list[str]:
    problems = []
    if find_invalid_date(text) is not None:
        problems.append("date-invalid")
    if draft.next_step_due is not None and _is_past(draft.next_step_due, now, tz):
        problems.append("next-step-past")
    understood = (
        draft.kind,
        draft.summary,
        draft.outcome,
        draft.occurred_at,
        draft.next_step,
        draft.next_step_due,
    )
    if not any(understood) and "date-invalid" not in problems:
        problems.append("empty")
    return problems


# --- the client's name --------------------------------------------------------------------

_LEGAL_FORMS = _vocab("ооо оао зао пао ао ип гк нко тоо llc ltd inc gmbh")
_PREPOSITIONS = _vocab("в во к ко с со у для на из от до по with to at from for")
_CONJUNCTIONS = _vocab("и а но and but then")
_LEAD_ADVERBS = _vocab("недавно только что уже опять снова еще сейчас just earlier again also")
# Punctuation right after a word that ends a name: "Ромашку," "«Ромашка»".
_NAME_STOP = frozenset(",;:.!?»”")
_DASHES = frozenset({"-", "—", "–", "->", "→", "=>"})
_QUOTED = re.compile(
    r"(?:(?<!\w)(?:ооо|оао|зао|пао|ао|ип|гк|llc|ltd)\s*)?"
    r"[«\"“„](?P<name>[^«»\"“”„\n]{1,80})[»\"”“]",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    word: str  # folded, edge punctuation stripped
    raw: str  # as typed, edge punctuation stripped
    closes: bool  # punctuation right after it ends a name ("Ромашку," / "Ромашка:")


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for m in _WORD.finditer(text):
        raw = m.group()
        core = raw.strip(_EDGE_PUNCT)
        if not core:
            if raw in _DASHES and tokens:
                tokens[-1] = replace(tokens[-1], closes=True)
            continue
        start = m.start() + raw.index(core)
        after = raw[raw.index(core) + len(core) :]
        if core in _DASHES:
            if tokens:
                tokens[-1] = replace(tokens[-1], closes=True)
            continue
        closes = any(ch in _NAME_STOP for ch in after)
        tokens.append(_Token(start, start + len(core), fold(core), core, closes))
    return tokens


def _is_lead(token: _Token, date_spans: list[tuple[int, int]]) -> bool:
    word = token.word
    if word in _PREPOSITIONS or word in _LEAD_ADVERBS or word in _CONJUNCTIONS:
        return True
    if any(s <= token.start < e for s, e in date_spans):
        return True
    if _kind_hits(token.raw):
        return True
    # A capitalised "Урал" or "Кристалл" is a name, not a past-tense verb.
    lower = token.raw[:1].islower() or word.endswith(("ли", "лись", "лось", "лся", "лась"))
    return lower and _is_past_verb(word)


def _name_ends(tokens: list[_Token], first: int, date_spans: list[tuple[int, int]]) -> list[int]:
    """Token indexes where a name starting at ``first`` may end, most likely first.

    One to three words (legal forms do not count); a name never runs into a date or past a
    comma, colon or dash, and one that ends right at such a mark is the most likely.
    """
    ends: list[int] = []
    counted = 0
    for index in range(first, len(tokens)):
        token = tokens[index]
        if index > first and any(s <= token.start < e for s, e in date_spans):
            break
        if token.word not in _LEGAL_FORMS:
            counted += 1
            ends.append(index)
        if token.closes and ends:
            return [ends[-1], *ends[:-1]]
        if counted >= _MAX_NAME_WORDS:
            break
    return ends


_CLOSING_QUOTES = "»\"”“'"


def _candidate(text: str, start: int, end: int, cut_from: int | None = None) -> ClientCandidate:
    # A name that ends inside quotes takes the closing quote along: «Ромашка».
    while end < len(text) and text[end] in _CLOSING_QUOTES:
        end += 1
    query = text[start:end].strip(_EDGE_PUNCT + " ")
    rest = _trim(cut_spans(text, [(start if cut_from is None else cut_from, end)]))
    return ClientCandidate(query, rest)


def _preposition_before(tokens: list[_Token], at: int) -> int | None:
    """Start of a preposition right before position ``at`` ("в" of "в Ромашку"), if any."""
    before = [t for t in tokens if t.end <= at]
    if before and before[-1].word in _PREPOSITIONS:
        return before[-1].start
    return None


def _colon(text: str) -> int | None:
    for m in re.finditer(":", text):
        at = m.start()
        # "15:30" is a time, not "client: text".
        if 0 < at < len(text) - 1 and text[at - 1].isdigit() and text[at + 1].isdigit():
            continue
        return at
    return None


def _date_spans(text: str) -> list[tuple[int, int]]:
    return [(w.start, w.end) for w in find_all_when(text, _ANY_MOMENT, "UTC")]


def _lead_count(tokens: list[_Token], date_spans: list[tuple[int, int]]) -> int:
    count = 0
    while count < min(len(tokens) - 1, _MAX_LEAD_WORDS) and _is_lead(tokens[count], date_spans):
        count += 1
    return count


def _colon_candidate(text: str, at: int) -> ClientCandidate | None:
    left, right = text[:at], text[at + 1 :].strip()
    if not left.strip() or len(left.strip()) > _MAX_COLON_NAME:
        return None
    tokens = _tokens(left)
    if not tokens:
        return None
    lead = _lead_count(tokens, _date_spans(left))
    if lead == 0:
        return ClientCandidate(left.strip(), right)
    cut_from = tokens[lead - 1].start if tokens[lead - 1].word in _PREPOSITIONS else None
    name_start = tokens[lead].start
    kept = left[: cut_from if cut_from is not None else name_start].strip()
    rest = f"{kept}, {right}" if kept and right else kept or right
    return ClientCandidate(left[name_start:].strip(_EDGE_PUNCT + " "), rest)


def client_candidates(text: str) -> list[ClientCandidate]:
    """Ways to split the client's name off a message, most likely first (at most 8)."""
    text = text[:MAX_TEXT].strip()
    if not text:
        return []
    at = _colon(text)
    if at is not None:
        colon = _colon_candidate(text, at)
        if colon is not None:
            return [colon]
    tokens = _tokens(text)
    date_spans = _date_spans(text)
    found: list[ClientCandidate] = []
    quoted = _QUOTED.search(text)
    if quoted:
        # The legal form and a preposition before the quotes leave with the name.
        preposition = _preposition_before(tokens, quoted.start())
        cut = quoted.start() if preposition is None else preposition
        rest = _candidate(text, quoted.start(), quoted.end(), cut).rest
        found.append(ClientCandidate(quoted["name"].strip(), rest))
    # Names start after leading time words, kind words and prepositions ("вчера звонил в");
    # a name that starts with one of them ("Звонок") is not worth a candidate.
    first = _lead_count(tokens, date_spans)
    if first < len(tokens):
        cut_from = _preposition_before(tokens, tokens[first].start) if first else None
        for last in _name_ends(tokens, first, date_spans):
            found.append(_candidate(text, tokens[first].start, tokens[last].end, cut_from))
    return _unique(found)[:MAX_CANDIDATES]


def _unique(candidates: list[ClientCandidate]) -> list[ClientCandidate]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for c in candidates:
        # «Ромашка» and ООО "Ромашка" are one candidate for the fuzzy search.
        key = (normalize_name(c.query), c.rest)
        if key[0] and key not in seen:
            seen.add(key)
            unique.append(c)
    return unique
