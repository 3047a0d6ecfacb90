"""Personal notes: "/note Иван Петров: сын сдаёт ЕГЭ #семья, напомни 5 июня спросить 🔒".

Decisions:
- ``split_target`` cuts at the first colon that is not inside a time ("15:30"); a part before
  it longer than 6 words or 100 characters is not a name, so there is no target then.
- ``NoteDraft.text`` is the note as typed, without the privacy markers (🔒, 🔐, #private,
  #личное, #лично, #приватно, #приват) and without the reminder clause; other hashtags stay in
  the text, as part of the sentence ("сын обожает #рыбалка"), and are also listed in ``tags``.
  When the reminder was all there was, the text is the reminder's text.
- Tags are folded (lower case, ё -> е) so "#Ёлка" and "#елка" group together, unique, in order
  of appearance, without "#"; a tag needs a letter ("#1" is a number).
- A reminder is "напомни(ть) (мне)", "напоминание", "remind (me)", "reminder" with a date
  within a few characters after it, or a date right before it ("5 июня напомнить ...").
  ``remind_text`` is what follows the date up to the end of that sentence, without a leading
  "to", "что", "чтобы", "about", or None when nothing follows. A date without a time keeps
  ``has_time=False``: the caller sends it at the manager's digest time.
- Problems: "empty" (nothing to save), "date-invalid" (31 февраля), "remind-no-date" (a reminder
  word with no date after it), "remind-past" (the date is already over).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.parsing.dates import When, find_all_when, find_invalid_date, fold, local_day
from bot.services.parsing.touch_parse import cut_spans

__all__ = ["NoteDraft", "parse_note", "split_target"]

MAX_TEXT = 4096
_MAX_TARGET_WORDS = 6
_MAX_TARGET_LENGTH = 100
_MAX_TAG_LENGTH = 64
# How far after "напомни" the date may start: "напомни мне 5 июня", "remind me on June 5".
_DATE_REACH = 4

_PRIVATE_TAGS = frozenset({"private", "личное", "лично", "приватно", "приват"})
_LOCKS = re.compile(r"[🔒🔐]\ufe0f?")
_TAG = re.compile(r"(?<![\w&#/])#(\w[\w-]*)")
_REMIND = re.compile(
    r"(?<!\w)(?:напомни(?:ть)?(?:\s+мне)?|напоминание|remind(?:\s+me)?|reminder)(?!\w)"
    r"\s*[:—–-]?\s*"
)
_REMIND_LEAD = re.compile(r"^(?:to|that|about|что|чтобы|о\s+том,?\s+что)(?!\w)\s*|^[:,—–-]\s*")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
_EDGES = " \t\r\n,;—–-"


@dataclass(frozen=True, slots=True)
class NoteDraft:
    text: str
    tags: list[str]  # folded, without "#", unique, in order
    private: bool
    remind_at: When | None
    remind_text: str | None
    problems: list[str] = field(default_factory=list)


def split_target(text: str) -> tuple[str | None, str]:
    """ "Иван Петров: сын сдаёт ЕГЭ" -> ("Иван Петров", "сын сдаёт ЕГЭ"); no colon -> None."""
    text = text[:MAX_TEXT]
    for m in re.finditer(":", text):
        at = m.start()
        if 0 < at < len(text) - 1 and text[at - 1].isdigit() and text[at + 1].isdigit():
            continue  # "15:30"
        target = text[:at].strip()
        if not target:
            return None, text[at + 1 :].strip()  # ": text" has no target
        if len(target) > _MAX_TARGET_LENGTH or len(target.split()) > _MAX_TARGET_WORDS:
            break
        return target, text[at + 1 :].strip()
    return None, text.strip()


def _tags(text: str) -> tuple[list[str], bool, list[tuple[int, int]]]:
    """Tags, whether a privacy tag was present, and the spans of privacy tags to remove."""
    tags: list[str] = []
    private = False
    spans: list[tuple[int, int]] = []
    for m in _TAG.finditer(text):
        tag = fold(m.group(1)).rstrip("-")[:_MAX_TAG_LENGTH]
        if tag in _PRIVATE_TAGS:
            private = True
            spans.append(m.span())
        elif any(ch.isalpha() for ch in tag) and tag not in tags:
            tags.append(tag)
    return tags, private, spans


@dataclass(frozen=True, slots=True)
class _Reminder:
    when: When | None
    text: str | None
    span: tuple[int, int] | None  # what leaves the note's text; None when there is no date


def _sentence_end(text: str, start: int) -> int:
    end = _SENTENCE_END.search(text, start)
    return end.start() if end else len(text)


def _reminder(
    text: str, now: datetime, tz: str, hidden: list[tuple[int, int]], month_first: bool
) -> _Reminder | None:
    """The reminder clause; ``hidden`` spans (privacy markers) stay out of its text."""
    keyword = _REMIND.search(fold(text))
    if keyword is None:
        return None
    dates = find_all_when(text, now, tz, future=True, month_first=month_first)
    reach = keyword.end() + _DATE_REACH
    after = next((w for w in dates if keyword.end() <= w.start <= reach), None)
    before = next((w for w in dates if 0 <= keyword.start() - w.end <= _DATE_REACH), None)
    tail_from = after.end if after else keyword.end()
    end = _sentence_end(text, tail_from)
    inside = [(s - tail_from, e - tail_from) for s, e in hidden if tail_from <= s < end]
    tail = cut_spans(text[tail_from:end], inside).strip()
    remind_text = _REMIND_LEAD.sub("", tail).strip() or None
    if after is None and before is None:
        # No date: not a reminder yet; the note keeps its words and the caller asks.
        return _Reminder(None, remind_text, None)
    start = keyword.start() if after or before is None else before.start
    # The clause leaves with its full stop, so "выставке. Напомни ... . Любит" keeps one.
    stop = end + 1 if text[end : end + 1] in (".", "!", "?") else end
    return _Reminder(after or before, remind_text, (start, stop))


def _is_past(when: When, now: datetime, tz: str) -> bool:
    if when.has_time:
        return when.at < now
    return local_day(when, tz) < now.astimezone(ZoneInfo(tz)).date()


def parse_note(text: str, now: datetime, tz: str, *, month_first: bool = False) -> NoteDraft:
    """Reads the part after "/note <target>:" (see the module notes).

    ``month_first``: a US user's "12/15" is 15 December (see ``date_order``).
    """
    text = text[:MAX_TEXT]
    tags, private_tag, private_spans = _tags(text)
    locks = [m.span() for m in _LOCKS.finditer(text)]
    hidden = private_spans + locks
    reminder = _reminder(text, now, tz, hidden, month_first)
    spans = hidden + ([reminder.span] if reminder and reminder.span else [])
    body = cut_spans(text, spans).strip(_EDGES)
    remind_at = reminder.when if reminder else None
    remind_text = reminder.text if reminder else None
    problems: list[str] = []
    if find_invalid_date(text) is not None:
        problems.append("date-invalid")
    elif reminder is not None and remind_at is None:
        problems.append("remind-no-date")
    if remind_at is not None and _is_past(remind_at, now, tz):
        problems.append("remind-past")
    note_text = body or remind_text or ""
    if not note_text and remind_at is None:
        problems.append("empty")
    return NoteDraft(
        text=note_text,
        tags=tags,
        private=private_tag or bool(locks),
        remind_at=remind_at,
        remind_text=remind_text,
        problems=problems,
    )
