"""Which encoding a CSV is in: UTF-8, UTF-16 (with or without BOM), Windows-1251 or KOI8-R.

Decisions:

* A UTF-8 or UTF-16 BOM is trusted.
* UTF-16 without a BOM: in text, the high byte of almost every UTF-16 unit is 0x00 (ASCII:
  separators, digits, line breaks) or 0x04 (Cyrillic). When nine units in ten of the sample
  have such a high byte at the odd positions it is little-endian, at the even ones big-endian.
  No 8-bit text looks like that: 0x00 and 0x04 are control characters in every code page.
* Bytes that decode as strict UTF-8 are UTF-8: Russian text in a single-byte code page is
  practically never valid UTF-8 (two Cyrillic letters in a row are a lead byte followed by a
  non-continuation byte).
* Otherwise, a run of two or more UTF-8-encoded Cyrillic letters means UTF-8 text inside a file
  that is not UTF-8: mixed encodings, refused rather than imported half as mojibake.
* Windows-1251 vs KOI8-R: both map every byte >= 0xC0 to a Cyrillic letter, only to different
  ones, so the decoding whose letters are the more frequent in Russian wins (KOI8-R read as
  1251 gives "тПЭБЫЛБ" for "Ромашка": rare letters, and a case pattern no word has). Ties go to
  1251, what Russian Excel writes. When neither reads as words (only KOI8-R decodes, and into
  wrongly-cased salad), nothing fits: the encoding message. No dictionary and no new
  dependency (charset-normalizer is not installed, and it guesses among dozens of code pages
  where we need two): letter frequencies are decisive on a line of text, and a header row is
  a line of text.
"""

from __future__ import annotations

import codecs
import re
from typing import Final

from bot.services.exchange.import_limits import ImportFileError

_SAMPLE: Final = 64 * 1024
_UTF16_SAMPLE: Final = 4096
_UTF16_SHARE: Final = 0.9
_UTF8_CYRILLIC_RUN = re.compile(rb"(?:[\xd0-\xd3][\x80-\xbf]){2,}")
_CYRILLIC_WORD = re.compile(r"[а-яёА-ЯЁ]+")
# Letter frequencies of Russian text, per cent (Lyashevskaya & Sharov's corpus counts).
_FREQUENCY: Final[dict[str, float]] = dict(
    zip(
        "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
        (10.97, 8.45, 8.01, 7.35, 6.70, 6.26, 5.47, 4.73, 4.54, 4.40, 3.49, 3.21, 2.98, 2.81,
         2.62, 2.01, 1.90, 1.74, 1.70, 1.65, 1.59, 1.44, 1.21, 0.97, 0.94, 0.73, 0.64, 0.48,
         0.36, 0.32, 0.26, 0.04, 0.04),
        strict=True,
    )
)  # fmt: skip
# A word is a capitalised, lower-case or upper-case run; "тПЭБЫЛБ" is none of them.
_PLAUSIBLE_CASE = re.compile(r"^(?:[А-ЯЁ]?[а-яё]+|[А-ЯЁ]+)$")


def decode(content: bytes) -> tuple[str, str]:
    """The text and the codec name; raises ``ImportFileError("import-file-encoding")``."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if content.startswith(bom):
            return _strict(content, codec)
    utf16 = _utf16_without_bom(content)
    if utf16 is not None:
        return _strict(content, utf16)
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_CYRILLIC_RUN.search(content):
        raise ImportFileError("import-file-encoding")
    return _single_byte(content)


def _strict(content: bytes, codec: str) -> tuple[str, str]:
    try:
        return content.decode(codec), codec
    except UnicodeDecodeError as exc:
        raise ImportFileError("import-file-encoding") from exc


def _utf16_without_bom(content: bytes) -> str | None:
    sample = content[: _UTF16_SAMPLE - _UTF16_SAMPLE % 2]
    units = len(sample) // 2
    if units < 2:
        return None
    text_high = (0x00, 0x04)
    little = sum(1 for byte in sample[1::2] if byte in text_high)
    big = sum(1 for byte in sample[0::2] if byte in text_high)
    if little >= _UTF16_SHARE * units and little > big:
        return "utf-16-le"
    if big >= _UTF16_SHARE * units:
        return "utf-16-be"
    return None


def _single_byte(content: bytes) -> tuple[str, str]:
    sample = content[:_SAMPLE]
    scores: dict[str, float] = {}
    for codec in ("cp1251", "koi8-r"):
        try:
            scores[codec] = _russian_score(sample.decode(codec))
        except UnicodeDecodeError:  # 0x98, the one byte cp1251 leaves undefined
            continue
    best = max(scores, key=lambda codec: (scores[codec], codec == "cp1251"), default=None)
    # Neither reads as Russian words (mostly wrongly-cased letter salad): nothing fits.
    if best is None or scores[best] <= 0:
        raise ImportFileError("import-file-encoding")
    return _strict(content, best)


def _russian_score(text: str) -> float:
    """How Russian the letters look: frequency of each letter, plus plausible word shapes."""
    score = 0.0
    for word in _CYRILLIC_WORD.findall(text):
        weight = sum(_FREQUENCY.get(letter, 0.0) for letter in word.lower())
        # A wrongly-cased word counts against its decoding as much as a good one counts for.
        score += weight if _PLAUSIBLE_CASE.match(word) else -weight
    return score
