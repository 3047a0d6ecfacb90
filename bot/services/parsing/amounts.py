"""Money amounts as people type them, in Russian and English, to integer minor units.

"150000", "150 000", "150 000,50", "150к", "150 тыс.", "150 т.р.", "1,2 млн", "1.2m", "2 ляма",
"$1.5M", "150 000 руб." — all through ``Decimal``, never a float. No library reads the Russian
multipliers (к, тыс, т.р., млн, лям) and the grouping habits together, so the grammar is ours.

Decisions:
- A separator followed by exactly three digits, with no multiplier after the number, groups
  thousands ("150,000", "150.000", "1.200.000"); otherwise it is the decimal mark ("1,2 млн",
  "12.50"). When both "." and "," appear, the last one is the decimal mark ("1.200,50").
- After digits grouped by spaces ("150 000,50") a separator is always the decimal mark.
- A minus counts only when glued to the number ("-5", "−5") or spelled ("минус 5"): in
  "Ромашка - 150 000" the dash separates the name from the amount.
- Fractions of a kopeck, zero, negatives, exponents ("1e99") and more than 10^12 roubles are
  refused with an error kind each, so the reply can say exactly what is wrong; so are numbers
  in words ("сто тысяч"): we ask for digits instead of guessing.
- The currency written next to the amount is reported, not converted: the caller decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from enum import StrEnum

from bot.services.parsing.dates import fold

MAX_SCAN = 4096
MAX_MAJOR = Decimal(10) ** 12  # more than a trillion roubles in one entry is a typo
_MAX_DIGITS = 24  # longer digit strings are absurd before any arithmetic is done
MINOR_PER_MAJOR = 100


class AmountErrorKind(StrEnum):
    NEGATIVE = "negative"
    ZERO = "zero"
    SCIENTIFIC = "scientific"
    TOO_LARGE = "too-large"
    FRACTION = "fraction"  # finer than a kopeck: "150,555"
    WORDS = "words"  # "сто тысяч": digits needed
    GARBAGE = "garbage"  # no amount at all, or a malformed one ("1,2,3")


class AmountError(ValueError):
    """Why the text is not a usable amount; ``kind`` picks the reply."""

    def __init__(self, kind: AmountErrorKind, text: str = "") -> None:
        super().__init__(kind.value)
        self.kind = kind
        self.text = text


@dataclass(frozen=True, slots=True)
class Amount:
    minor: int  # kopecks (cents): always > 0
    currency: str | None  # "RUB", "USD", "EUR" when written next to the number


@dataclass(frozen=True, slots=True)
class AmountMatch:
    """An amount found inside a sentence: its span, and the value or why it is unusable."""

    start: int
    end: int
    text: str
    amount: Amount | None
    error: AmountError | None
    # Has a multiplier or a currency: certainly money, never a date like "12.03".
    marked: bool


# --- vocabulary (folded: lower case, ё → е) -----------------------------------------------

_THOUSAND = r"тысяч[аиу]?|тыщ[аиу]?|тыс\.?|т\.\s?р\.?|тр|k|к|thousands?|grand"
_MILLION = r"миллион(?:ов|а)?|млн\.?|лям(?:ов|а)?|лимон(?:ов|а)?|кк|kk|mln|mio|millions?|m|м"
_BILLION = r"миллиард(?:ов|а)?|млрд\.?|billions?|bn"
_MULTIPLIERS: tuple[tuple[str, int], ...] = ((_BILLION, 9), (_MILLION, 6), (_THOUSAND, 3))
_MULT = "|".join(f"(?:{words})" for words, _ in _MULTIPLIERS)

_RUB = r"₽|руб(?:лей|ля|ль|ли)?\.?|р\.?|rub|rur|roubles?|rubles?"
_USD = r"\$|usd|долл(?:аров|ара|ар)?\.?|dollars?|бакс(?:ов|а)?"
_EUR = r"€|eur|euro?s?|евро"
_CURRENCIES: tuple[tuple[str, str], ...] = (("RUB", _RUB), ("USD", _USD), ("EUR", _EUR))
_CUR = "|".join(f"(?:{words})" for _, words in _CURRENCIES)

_GROUP_SEP = " \u00a0\u202f\u2009'’"
_NUMBER = (
    rf"\d{{1,3}}(?:[{_GROUP_SEP}]\d{{3}})+(?:[.,]\d+)?(?!\d)"  # 150 000 / 150 000,50
    r"|\d+(?:[.,]\d+)*"  # 150000 / 1,2 / 1.200.000
)
_AMOUNT = re.compile(
    r"(?<![\w.,])"
    r"(?P<sign>[-−–](?=[\d₽$€])|минус\s+|minus\s+)?"
    r"(?P<pre>[₽$€]\s?)?"
    rf"(?P<num>{_NUMBER})"
    r"(?P<exp>[eе][+-]?\d+)?"
    rf"(?:\s?(?P<mult>{_MULT})(?!\w))?"
    rf"(?:\s?(?P<cur>{_CUR})(?![\w$€₽]))?"
    r"(?!\w)"
)
_THOUSAND_RUB = re.compile(r"т\.\s?р\.?|тр")

_NUMBER_WORDS = re.compile(
    r"(?<!\w)(?:"
    r"ноль|нуль|один|одна|одну|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять|"
    r"одиннадцать|двенадцать|[а-я]+надцать|двадцать|тридцать|сорок|пятьдесят|шестьдесят|"
    r"семьдесят|восемьдесят|девяносто|сто|двести|триста|четыреста|пятьсот|шестьсот|семьсот|"
    r"восемьсот|девятьсот|полтора|полторы|пол|тысяч[аиу]?|миллион(?:ов|а)?|миллиард(?:ов|а)?|"
    r"лям(?:ов|а)?|"
    r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[a-z]+teen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|half"
    r")(?!\w)"
)


def _currency(word: str | None) -> str | None:
    if not word:
        return None
    word = word.strip()
    for code, pattern in _CURRENCIES:
        if re.fullmatch(pattern, word):
            return code
    return None


def _power(mult: str | None) -> int:
    if not mult:
        return 0
    for words, power in _MULTIPLIERS:
        if re.fullmatch(words, mult.strip()):
            return power
    return 0  # pragma: no cover - the regex only captures listed words


def _grouped(parts: list[str]) -> bool:
    """Thousands groups: "1", "200", "000" — the first 1-3 digits (not a lone leading zero:
    "0.001" is a fraction), the others exactly 3."""
    first = parts[0]
    return 1 <= len(first) <= 3 and first[0] != "0" and all(len(p) == 3 for p in parts[1:])


def _plain_number(num: str, has_mult: bool) -> str:
    """The number as "123456.78" (dot decimal, no grouping), or GARBAGE."""
    if any(ch in _GROUP_SEP for ch in num):
        digits = "".join(ch for ch in num if ch not in _GROUP_SEP)
        return digits.replace(",", ".")
    dots, commas = num.count("."), num.count(",")
    if dots and commas:
        decimal_mark = "." if num.rfind(".") > num.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        whole, _, fraction = num.rpartition(decimal_mark)
        if decimal_mark in whole or not _grouped(whole.split(group_mark)):
            raise AmountError(AmountErrorKind.GARBAGE, num)
        return whole.replace(group_mark, "") + "." + fraction
    mark = "." if dots else "," if commas else ""
    if not mark:
        return num
    parts = num.split(mark)
    if len(parts) > 2:
        if not _grouped(parts):
            raise AmountError(AmountErrorKind.GARBAGE, num)
        return "".join(parts)
    if len(parts[1]) == 3 and not has_mult and _grouped(parts):
        return "".join(parts)
    return parts[0] + "." + parts[1]


def _value(m: re.Match[str]) -> Amount:
    text = m.group()
    if m["exp"]:
        raise AmountError(AmountErrorKind.SCIENTIFIC, text)
    num, mult = m["num"], m["mult"]
    if sum(ch.isdigit() for ch in num) > _MAX_DIGITS:
        raise AmountError(AmountErrorKind.TOO_LARGE, text)
    plain = _plain_number(num, bool(mult))
    with localcontext() as ctx:
        ctx.prec = 60  # exact for every input the digit cap lets through
        try:
            major = Decimal(plain).scaleb(_power(mult))
        except InvalidOperation as exc:  # pragma: no cover - the regex admits digits only
            raise AmountError(AmountErrorKind.GARBAGE, text) from exc
        if major == 0:
            raise AmountError(AmountErrorKind.ZERO, text)
        if m["sign"]:
            raise AmountError(AmountErrorKind.NEGATIVE, text)
        if major > MAX_MAJOR:
            raise AmountError(AmountErrorKind.TOO_LARGE, text)
        minor = major * MINOR_PER_MAJOR
        if minor != minor.to_integral_value():
            raise AmountError(AmountErrorKind.FRACTION, text)
    currency = _currency(m["pre"]) or _currency(m["cur"])
    if currency is None and mult and _THOUSAND_RUB.fullmatch(mult.strip()):
        currency = "RUB"  # "т.р." is "тысяч рублей"
    return Amount(int(minor), currency)


def _match(text: str, m: re.Match[str]) -> AmountMatch:
    try:
        amount, error = _value(m), None
    except AmountError as exc:
        amount, error = None, exc
    marked = bool(m["mult"] or m["cur"] or m["pre"])
    return AmountMatch(m.start(), m.end(), text[m.start() : m.end()], amount, error, marked)


def find_amounts(text: str, *, alternatives: bool = False) -> list[AmountMatch]:
    """Every amount-looking token in a sentence, left to right, with its value or its error.

    With ``alternatives``, a number grouped by spaces also yields the readings that start at
    each later group: in "Завод 101 150к" the amount may be "101 150к" or "150к", and only the
    caller, who knows the client names, can tell. Those readings overlap.
    """
    text = text[:MAX_SCAN]
    folded = fold(text)
    found: list[AmountMatch] = []
    for m in _AMOUNT.finditer(folded):
        found.append(_match(text, m))
        if not alternatives:
            continue
        for sep in re.finditer(f"[{_GROUP_SEP}]", folded[m.start("num") : m.end("num")]):
            at = m.start("num") + sep.end()
            alt = _AMOUNT.match(folded, at, m.end())
            if alt is not None and alt.end() == m.end():
                found.append(_match(text, alt))
    return found


def has_number_words(text: str) -> bool:
    """ "сто тысяч", "полтора миллиона", "five hundred": a number spelled out in words."""
    return _NUMBER_WORDS.search(fold(text[:MAX_SCAN])) is not None


_EDGE = " \t\r\n.,;:!?"


def parse_amount(text: str) -> Amount:
    """The whole text read as one amount; raises ``AmountError`` with the reason otherwise."""
    stripped = text[:MAX_SCAN].strip(_EDGE)
    # "150 000 руб." keeps its dot; the edge strip must not eat the abbreviation's.
    if text.strip().endswith(".") and not stripped.endswith("."):
        candidate = text.strip()
        matches = find_amounts(candidate)
        if len(matches) == 1 and matches[0].start == 0 and matches[0].end == len(candidate):
            return _unwrap(matches[0])
    if not any(ch.isdigit() for ch in stripped):
        kind = AmountErrorKind.WORDS if has_number_words(stripped) else AmountErrorKind.GARBAGE
        raise AmountError(kind, stripped[:100])
    matches = find_amounts(stripped)
    if len(matches) != 1 or matches[0].start != 0 or matches[0].end != len(stripped):
        raise AmountError(AmountErrorKind.GARBAGE, stripped[:100])
    return _unwrap(matches[0])


def _unwrap(match: AmountMatch) -> Amount:
    if match.error is not None:
        raise match.error
    assert match.amount is not None
    return match.amount
