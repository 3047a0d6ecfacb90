"""The argument of ``/contact <client>: <name>, <role>, <birthday>, <phone>, <email>``.

Parsing is forgiving about order but never silent: a part that is clearly meant as a birthday,
phone or e-mail and cannot be read becomes a problem key the caller turns into a question with
examples, and free text that is not the role is kept in ``notes`` rather than dropped.

Decisions where the product brief was silent:
- The client is what precedes the first ":" only when that prefix has no comma and is not a
  field label, so "Иван Петров, ДР: 12.03" is a person without a client, not a client called
  "Иван Петров, ДР".
- A bare four-digit year right after a year-less birthday is that birthday's year, because
  commas split "Mar 12, 1980" into two parts.
- The name is the first free-text part, so "Ромашка: 12.03, Иван" still finds Иван; an empty
  first part (": , закупки") or no free text at all is "name-empty".
- A second birthday, phone or e-mail goes to ``notes`` (still shown, never lost); the first wins.
- A part with several words and no commas ("Пётр Сидоров закупки 12.03 +79001234567") is read
  word by word: phones, e-mails and dates are taken out wherever they stand (with a label
  such as "тел" or "др" right before them); the name is the first 1–3 capitalised words (two
  words when nothing is capitalised), stopping at a role word ("закупки", "директор"); every
  other word is kept, in order, as the role, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, auto

from bot.services.crm.birthdays import Birthday, looks_like_birthday, parse_birthday
from bot.services.parsing.emails import normalize_email
from bot.services.parsing.names import NameProblem, validate_display_name
from bot.services.parsing.phones import normalize_phone

__all__ = ["PROBLEM_KEYS", "ContactDraft", "parse_contact_line"]

PROBLEM_KEYS = frozenset(
    {
        "client-empty",
        "client-too-long",
        "client-no-letters",
        "name-empty",
        "name-too-long",
        "name-no-letters",
        "birthday-invalid",
        "phone-invalid",
        "email-invalid",
    }
)

_PARTS = re.compile(r"[,;\n]")
_PHONE_LABEL = re.compile(
    r"^(?:тел(?:ефон)?|моб(?:ильный)?|сот(?:овый)?|phone|tel|mobile|mob|cell)\.?\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
_EMAIL_LABEL = re.compile(
    r"^(?:e-?mail|почта|эл\.?\s*почта|mail(?:to)?)\s*[:\-–—]?\s*", re.IGNORECASE
)
_FIELD_LABELS = frozenset(
    {"тел", "телефон", "моб", "phone", "tel", "mobile", "email", "e-mail", "почта", "mail"}
)
# Digits and phone punctuation only, with enough digits to be a number and not a count.
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-–—/]*\d{2}[\d\s().\-–—/]*$")
_MIN_PHONE_DIGITS = 5
_MAX_NAME_WORDS = 3
_YEAR_ONLY = re.compile(r"^\d{4}\s*(?:г\.?|года?)?$")


class _Kind(Enum):
    TEXT = auto()
    BIRTHDAY = auto()
    BAD_BIRTHDAY = auto()
    PHONE = auto()
    BAD_PHONE = auto()
    EMAIL = auto()
    BAD_EMAIL = auto()


@dataclass(slots=True)
class ContactDraft:
    client: str | None
    name: str
    role: str | None = None
    birthday: Birthday | None = None
    phone: str | None = None  # normalized, "+79991234567"
    email: str | None = None  # bot.services.parsing.emails.normalize_email
    notes: list[str] = field(default_factory=list)
    # Keys from PROBLEM_KEYS, in the order found; empty means the draft can be saved.
    problems: list[str] = field(default_factory=list)
    # The text that caused each problem, so the reply can quote it ("не понял «31 февраля»").
    problem_parts: dict[str, str] = field(default_factory=dict)

    def add_problem(self, key: str, part: str) -> None:
        if key not in self.problems:
            self.problems.append(key)
            self.problem_parts[key] = part


def _email(part: str) -> str | None:
    # The same rule as a card edit and /import (bot.services.parsing.emails): what is saved here
    # always imports back.
    return normalize_email(_EMAIL_LABEL.sub("", part.strip(), count=1))


def _phone_attempt(part: str) -> tuple[bool, str | None]:
    """(meant as a phone, the normalized number or None)."""
    unlabelled = _PHONE_LABEL.sub("", part, count=1)
    labelled = unlabelled != part
    phone = normalize_phone(unlabelled)
    if phone is not None:
        return True, phone
    digits = sum(ch.isdigit() for ch in unlabelled)
    shaped = _PHONE_LIKE.match(unlabelled) is not None and digits >= _MIN_PHONE_DIGITS
    return labelled or shaped, None


def _classify(part: str, today: date) -> tuple[_Kind, Birthday | str | None]:
    if "@" in part:
        email = _email(part)
        return (_Kind.EMAIL, email) if email else (_Kind.BAD_EMAIL, None)
    birthday = parse_birthday(part, today)
    if birthday is not None:
        return _Kind.BIRTHDAY, birthday
    if looks_like_birthday(part):
        return _Kind.BAD_BIRTHDAY, None
    meant, phone = _phone_attempt(part)
    if phone is not None:
        return _Kind.PHONE, phone
    if meant:
        return _Kind.BAD_PHONE, None
    return _Kind.TEXT, None


_WORD = re.compile(r"\S+")


def _split(words: str) -> list[str]:
    return words.split()


_MAX_VALUE_WORDS = 6  # "+7 (999) 123 45 67" is five words; "12 марта 1985 г." four
_VALUE_LABELS = frozenset(
    _split(
        "др д.р. д/р день рождения рожд. birthday bday b-day born dob тел тел. телефон моб моб. "
        "сот. сотовый мобильный phone tel tel. mobile mob cell email e-mail mail почта эл.почта "
        "емейл"
    )
)
# Words that start a role, so a name never swallows them ("Ольга Директор" is rare, "Ольга
# директор" common); matched on the start of the folded word.
_ROLE_STEMS = tuple(
    _split(
        "директор гендир финдир комдир техдир замдир зам. заместител руководител начальник "
        "нач. глав бухгалтер бух закуп снабжен менеджер логист юрист секретар ассистент "
        "владел собственник учредител основател партнер инженер технолог маркетолог "
        "аналитик администратор управляющ специалист эксперт президент председател "
        "ceo cfo cto coo cmo head director manager buyer purchasing procurement owner founder "
        "accountant lawyer engineer assistant secretary sales marketing vp lead chief"
    )
)
_NAME_PARTICLES = frozenset(
    _split("de da di del van von der la le bin ibn фон ван де ди оглы кызы")
)


def _fold_word(word: str) -> str:
    return word.strip(" ,.;:()«»\"'").casefold().replace("ё", "е")


# A legal form after a person's name ("Николай Петрович ИП") says what they are, not who.
_ROLE_WORDS = frozenset(_split("ип ооо зао оао пао ао llc ltd"))


def _is_role_word(word: str) -> bool:
    folded = _fold_word(word)
    return folded in _ROLE_WORDS or folded.startswith(_ROLE_STEMS)


def _value_at(words: list[str], at: int, today: date) -> tuple[int, _Kind, object]:
    """The longest run of words from `at` that is a phone, e-mail or date: (length, kind, value)."""
    for length in range(min(_MAX_VALUE_WORDS, len(words) - at), 0, -1):
        window = " ".join(words[at : at + length])
        if not any(ch.isdigit() or ch == "@" for ch in window):
            continue
        if length > 1 and "@" in window:
            continue
        kind, value = _classify(window, today)
        if kind in (_Kind.BIRTHDAY, _Kind.PHONE, _Kind.EMAIL):
            return length, kind, value
    word = words[at]
    kind, value = _classify(word, today)
    if kind is not _Kind.TEXT and any(ch.isdigit() or ch == "@" for ch in word):
        return 1, kind, value
    return 0, _Kind.TEXT, None


def _explode(part: str, today: date) -> tuple[list[tuple[str, _Kind, object]], list[str]]:
    """(values found with their text, the other words in order) of a part without commas."""
    words = _WORD.findall(part)
    values: list[tuple[str, _Kind, object]] = []
    text: list[str] = []
    at = 0
    while at < len(words):
        length, kind, value = _value_at(words, at, today)
        if not length:
            text.append(words[at])
            at += 1
            continue
        raw = " ".join(words[at : at + length])
        year = words[at + length] if at + length < len(words) else ""
        if isinstance(value, Birthday) and value.year is None and _YEAR_ONLY.match(year):
            # "12.03 1985": the year that follows a day and month is the birthday's year.
            with_year = parse_birthday(f"{raw} {year}", today) or parse_birthday(
                f"{raw.rstrip('.')}.{year}", today
            )
            if with_year is not None:
                raw, value, length = f"{raw} {year}", with_year, length + 1
        values.append((raw, kind, value))
        # "тел +7…", "др 12.03": the label said what the value is; the value says it now.
        while text and _fold_word(text[-1]) in _VALUE_LABELS:
            text.pop()
        at += length
    return values, text


def _name_length(words: list[str]) -> int:
    """How many of the first words are the person's name (see the module notes)."""
    capitalised = 0
    for index, word in enumerate(words[: _MAX_NAME_WORDS + 1]):
        if _is_role_word(word) or capitalised == _MAX_NAME_WORDS:
            break
        if word[:1].isupper():
            capitalised = index + 1
        elif not (capitalised and _fold_word(word) in _NAME_PARTICLES):
            break
    if capitalised:
        return capitalised
    plain = 0
    for word in words[:2]:
        if _is_role_word(word):
            break
        plain += 1
    return plain or 1


def _split_client(text: str) -> tuple[str | None, str]:
    head, colon, rest = text.partition(":")
    if not colon or _PARTS.search(head):
        return None, text
    label = " ".join(head.split()).casefold()
    if label in _FIELD_LABELS or looks_like_birthday(head):
        return None, text
    return head, rest


def _set_client(draft: ContactDraft, raw: str) -> None:
    try:
        draft.client = validate_display_name(raw)
    except NameProblem as problem:
        draft.client = None
        draft.add_problem(problem.key.replace("name-", "client-"), raw.strip())


def _set_name(draft: ContactDraft, raw: str) -> None:
    try:
        draft.name = validate_display_name(raw)
    except NameProblem as problem:
        draft.name = " ".join(raw.split())
        draft.add_problem(problem.key, raw.strip())


def _merge_year(draft: ContactDraft, previous: str, part: str, today: date) -> None:
    with_year = parse_birthday(f"{previous} {part}", today)
    if with_year is None:
        draft.birthday = None
        draft.add_problem("birthday-invalid", f"{previous}, {part}")
    else:
        draft.birthday = with_year


def _apply(draft: ContactDraft, part: str, kind: _Kind, value: Birthday | str | None) -> None:
    if kind is _Kind.BIRTHDAY and isinstance(value, Birthday) and draft.birthday is None:
        draft.birthday = value
    elif kind is _Kind.PHONE and isinstance(value, str) and draft.phone is None:
        draft.phone = value
    elif kind is _Kind.EMAIL and isinstance(value, str) and draft.email is None:
        draft.email = value
    elif kind is _Kind.BAD_BIRTHDAY:
        draft.add_problem("birthday-invalid", part)
    elif kind is _Kind.BAD_PHONE:
        draft.add_problem("phone-invalid", part)
    elif kind is _Kind.BAD_EMAIL:
        draft.add_problem("email-invalid", part)
    elif kind is _Kind.TEXT and draft.role is None:
        draft.role = " ".join(part.split())
    else:
        draft.notes.append(" ".join(part.split()))


def _apply_words(draft: ContactDraft, part: str, today: date, *, name_wanted: bool) -> bool:
    """Applies one comma-free part word by word; returns whether a name is still wanted."""
    values, words = _explode(part, today)
    previous: str | None = None
    for raw, kind, value in values:
        if previous is not None and _YEAR_ONLY.match(raw):
            _merge_year(draft, previous, raw, today)
            previous = None
            continue
        first_birthday = kind is _Kind.BIRTHDAY and draft.birthday is None
        yearless = isinstance(value, Birthday) and value.year is None
        previous = raw if first_birthday and yearless else None
        _apply(draft, raw, kind, value)  # type: ignore[arg-type]
    if name_wanted and words:
        length = _name_length(words)
        _set_name(draft, " ".join(words[:length]))
        words = words[length:]
        name_wanted = False
    if words:
        _apply(draft, " ".join(words), _Kind.TEXT, None)
    return name_wanted


def parse_contact_line(text: str, today: date) -> ContactDraft:
    """Split "Client: Name, role, birthday, phone, e-mail" into a draft; never raises."""
    client_raw, person = _split_client(text)
    draft = ContactDraft(client=None, name="")
    if client_raw is not None:
        _set_client(draft, client_raw)
    first, *others = (p.strip() for p in _PARTS.split(person))
    # An empty first part (": , закупки") means the name is missing, not that the role is it.
    name_wanted = bool(first)
    previous_birthday: str | None = None
    for part in (p for p in (first, *others) if p):
        if previous_birthday is not None and _YEAR_ONLY.match(part):
            _merge_year(draft, previous_birthday, part, today)
            previous_birthday = None
            continue
        kind, value = _classify(part, today)
        several = len(part.split()) > 1
        # A part that is one attempt at a value ("др 31 февраля", "тел: 123") stays whole.
        if several and kind in (_Kind.TEXT, _Kind.BAD_EMAIL):
            # No commas between the fields: read them word by word.
            name_wanted = _apply_words(draft, part, today, name_wanted=name_wanted)
            previous_birthday = None
            continue
        if kind is _Kind.TEXT and name_wanted:
            _set_name(draft, part)
            name_wanted = False
            continue
        first_birthday = kind is _Kind.BIRTHDAY and draft.birthday is None
        yearless = isinstance(value, Birthday) and value.year is None
        previous_birthday = part if first_birthday and yearless else None
        _apply(draft, part, kind, value)
    if not draft.name and "name-empty" not in draft.problems:
        # Right after any client problem: the caller asks in the order of the command.
        at = sum(key.startswith("client-") for key in draft.problems)
        draft.problems.insert(at, "name-empty")
        draft.problem_parts["name-empty"] = ""
    return draft
