"""Turn what a manager types about their whereabouts into an IANA time zone.

Used by onboarding and /settings. Everything here is pure and synchronous: the
indexes are built lazily on first use (``functools.cache``) so importing the
module stays cheap; the bot calls :func:`warm_up` at start so that the first
user does not pay for the build.

Resolution order (first hit wins): an IANA name typed directly, a UTC offset
("+3", "UTC+5", "мск+2", "+5:30"), a place name (city or country, Russian or
English: exact first, then Russian case endings, then fuzzy).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from itertools import product
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo, available_timezones

from anyascii import anyascii
from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone_location
from rapidfuzz import fuzz, process

__all__ = [
    "TimezoneResolution",
    "describe_timezone",
    "is_valid_timezone",
    "resolve_timezone",
    "timezone_from_location",
    "warm_up",
]

# Longer input is certainly not a place name or an offset; cutting it keeps
# every step O(1) even for a 4096-character Telegram message.
_MAX_RAW_CHARS = 200
# Longer than any indexed name (normalized): not a place, and fuzzy matching
# it would only burn time. Transliteration may lengthen a name ("щ" -> "shch").
_MAX_PLACE_CHARS = 48
_MAX_LATIN_CHARS = 2 * _MAX_PLACE_CHARS
_MAX_PARTS = 4

# Fuzzy thresholds, measured on every CLDR and alias name of 4+ letters with
# one random typo (deletion, insertion, substitution or transposition; 4228
# cases): 88% come back confident and right, 11% as suggestions that contain
# the right zone, 0.4% with nothing useful, and one confident other zone
# ("Dubli" meant as Dubai, but it is 90.9 to Dublin and 80 to Dubai).
# ``fuzz.ratio`` (whole-string Indel similarity) decides confidence: one typo
# in a 5+ letter name keeps >= 80 ("екатеринбур" 95.7, "Моска" 90.9, "Минсл"
# 80), while short fragments fall below ("Новосиб" 77.8, "Yekat" 55.6) and
# only become suggestions instead of a silently saved guess.
_CONFIDENT_RATIO = 80.0
# Another zone this close behind means we cannot tell which one was meant:
# "Lgaos" is 88.9 to "Laos" and 80 to "Lagos". 8 let such pairs through, 10
# stops them.
_CONFIDENT_MARGIN = 10.0
# Below this length one edit is a large share of the word ("est" is 85.7 to
# "west"): fuzzy matches of short input are only ever suggestions.
_MIN_CONFIDENT_CHARS = 5
# Worth suggesting: WRatio >= 80, which unlike ratio rewards fragments
# ("yekat" -> "yekaterinburg" scores 90 through partial matching), or a
# whole-string ratio >= 75, which still offers 4-letter names with a typo
# ("Омкс" -> Omsk). Partial matches between 75 and 80 are mostly noise: they
# doubled the suggestions offered for random letters without finding more.
_SUGGEST_WRATIO = 80.0
_SUGGEST_RATIO = 75.0
# rapidfuzz pre-filter; candidates between this and _SUGGEST_WRATIO may still
# be the best "ratio" rival that blocks a confident answer.
_CANDIDATE_WRATIO = 60.0
# Partial matching on one or two letters matches half the world.
_MIN_FUZZY_CHARS = 3
_MAX_SUGGESTIONS = 3
_FUZZY_CANDIDATES = 25

# Offsets real zones use: -12:00 .. +14:00 (Etc/GMT+12 .. Etc/GMT-14).
_MIN_OFFSET_MINUTES = -12 * 60
_MAX_OFFSET_MINUTES = 14 * 60
# Comparing offsets now and half a year later covers both DST phases.
_HALF_YEAR = timedelta(days=182)

_UTC_ZONE = "Etc/UTC"
_MOSCOW = "Europe/Moscow"
_MOSCOW_BASES = frozenset({"msk", "мск"})
_GEO_REGIONS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)
# Entries of available_timezones() that no one lives in.
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})
_ZERO_OFFSET_NAMES = frozenset(
    {"UTC", "GMT", "UCT", "Universal", "Zulu", "Greenwich", "GMT0", "GMT+0", "GMT-0"}
)

# A fractional offset has no Etc zone, so we pick a real zone that has it now.
# These are the zones people mean by such offsets, best first; any other
# canonical zone is searched only when none of these match.
_FRACTIONAL_PREFERENCE = (
    "Asia/Kolkata",
    "Asia/Tehran",
    "Asia/Kabul",
    "Asia/Kathmandu",
    "Asia/Yangon",
    "America/St_Johns",
    "Australia/Adelaide",
    "Australia/Darwin",
    "Pacific/Marquesas",
    "Australia/Eucla",
    "Pacific/Chatham",
    "Australia/Lord_Howe",
)

# Big cities that are no zone's CLDR exemplar city (Babel names one city per
# zone: "Санкт-Петербург" is not a zone, it lives in Europe/Moscow), plus
# colloquial names and frequent misspellings ("Питер", "Екб", "Алма-Ата").
# Format: "Zone: name; name; ..."; a zone may take several lines.
_CITY_ALIASES = """
Europe/Moscow: Санкт-Петербург; Петербург; Питер; Питербург; СПб; Ленинград
Europe/Moscow: Saint Petersburg; St Petersburg; Petersburg; Moscow time; Московское время
Europe/Moscow: Нижний Новгород; Нижний; Nizhny Novgorod; Казань; Kazan; Сочи; Sochi
Europe/Moscow: Ростов-на-Дону; Ростов; Rostov-on-Don; Rostov; Краснодар; Krasnodar
Europe/Moscow: Воронеж; Voronezh; Тула; Tula; Ярославль; Yaroslavl; Мурманск; Murmansk
Europe/Moscow: Архангельск; Arkhangelsk; Ставрополь; Махачкала; Рязань; Тверь; Калуга
Europe/Moscow: Смоленск; Брянск; Курск; Белгород; Липецк; Иваново; Владимир; Пенза
Europe/Moscow: Чебоксары; Набережные Челны; Великий Новгород; Псков; Петрозаводск
Europe/Moscow: Вологда; Сыктывкар; Орёл; Oryol; Королёв
Asia/Yekaterinburg: Екб; Уфа; Ufa; Пермь; Perm; Челябинск; Chelyabinsk; Тюмень; Tyumen
Asia/Yekaterinburg: Оренбург; Orenburg; Курган; Сургут; Surgut; Ханты-Мансийск
Asia/Yekaterinburg: Магнитогорск; Нижний Тагил
Europe/Samara: Ижевск; Izhevsk; Тольятти; Togliatti; Tolyatti
Asia/Novokuznetsk: Кемерово; Kemerovo
Asia/Krasnoyarsk: Норильск; Абакан
Asia/Irkutsk: Улан-Удэ; Ulan-Ude; Братск
Asia/Vladivostok: Хабаровск; Khabarovsk; Находка
Asia/Yakutsk: Благовещенск; Blagoveshchensk
Asia/Sakhalin: Сахалин; Южно-Сахалинск; Yuzhno-Sakhalinsk
Asia/Kamchatka: Камчатка; Petropavlovsk-Kamchatsky
Asia/Almaty: Алма-Ата; Alma-Ata; Астана; Astana; Нур-Султан; Nur-Sultan
Asia/Almaty: Шымкент; Shymkent; Караганда; Karaganda
Asia/Tbilisi: Батуми; Batumi; Кутаиси; Kutaisi
Europe/Minsk: Гомель; Гродно; Витебск; Могилев
Europe/Kyiv: Харьков; Kharkiv; Одесса; Odesa; Odessa; Днепр; Dnipro; Львов; Lviv
Asia/Samarkand: Бухара; Bukhara
Asia/Shanghai: Пекин; Beijing; Peking; Гуанчжоу; Guangzhou; Шэньчжэнь; Shenzhen
Asia/Kolkata: Дели; Delhi; Нью-Дели; New Delhi; Мумбаи; Mumbai; Бомбей; Bombay
Asia/Kolkata: Бангалор; Bangalore; Bengaluru; Ченнаи; Chennai; Гоа; Goa
America/Los_Angeles: Сан-Франциско; San Francisco; Сиэтл; Seattle; Лас-Вегас; Las Vegas
America/Los_Angeles: Сан-Диего; San Diego
America/New_York: Вашингтон; Washington; Бостон; Boston; Майами; Miami; NYC
America/New_York: Атланта; Atlanta; Филадельфия; Philadelphia
America/Chicago: Даллас; Dallas; Хьюстон; Houston; Остин; Austin
America/Toronto: Монреаль; Montreal; Оттава; Ottawa
Asia/Dubai: Абу-Даби; Abu Dhabi; Шарджа; Sharjah
Asia/Qatar: Доха; Doha
Asia/Jerusalem: Тель-Авив; Tel Aviv; Хайфа; Haifa
Europe/Istanbul: Анкара; Ankara; Анталья; Antalya; Аланья; Alanya
Europe/Madrid: Барселона; Barcelona
Europe/Rome: Милан; Milan; Milano
Europe/Berlin: Мюнхен; Munich; Франкфурт; Frankfurt; Гамбург; Hamburg; Кёльн; Köln; Cologne
Europe/Zurich: Женева; Geneva
Europe/London: Манчестер; Manchester; Эдинбург; Edinburgh
Europe/Podgorica: Будва; Budva
Asia/Nicosia: Лимасол; Limassol; Ларнака; Larnaca
Asia/Bangkok: Пхукет; Phuket; Паттайя; Pattaya
Asia/Makassar: Бали; Bali; Денпасар; Denpasar
Asia/Tokyo: Осака; Osaka
Asia/Ho_Chi_Minh: Ханой; Hanoi; Нячанг; Nha Trang; Сайгон; Saigon
Atlantic/Canary: Канары; Тенерифе; Tenerife
"""

# Everyday country names that CLDR does not use ("США", not "Соединенные
# Штаты"), by ISO code. Same format as _CITY_ALIASES.
_COUNTRY_ALIASES = """
US: США; USA; US; Штаты; Америка; America
GB: UK; Britain; Great Britain; England; Англия; Британия; Scotland; Шотландия
AE: UAE; Эмираты; Emirates; Объединенные Арабские Эмираты
RU: РФ; Российская Федерация; Russian Federation
BY: Белоруссия
KG: Кыргызстан
MD: Молдавия
CZ: Czech Republic; Чешская Республика
KR: Корея; Южная Корея; Korea
TR: Turkey
TH: Тайланд
NL: Голландия; Holland
TM: Туркмения
CN: КНР
"""

# Countries whose zone.tab list would be wrong to use as is. Other countries
# take their zone.tab zones: one zone, or several that keep the same clock
# (Germany: Berlin + Busingen, Kazakhstan since 2024), means "confident".
# A single zone here means "confident" too: the zone of the clear majority.
# Decision: "Россия"/"Russia" is Europe/Moscow, because a Russian speaker who
# names only the country almost always means Moscow time; the confirmation
# label shows "Москва (UTC+3)", so a manager elsewhere sees it and fixes it.
# Several zones here mean "ask": the best guesses, one per distinct clock.
_COUNTRY_ZONES: dict[str, tuple[str, ...]] = {
    "RU": (_MOSCOW,),
    "UA": ("Europe/Kyiv",),
    "ES": ("Europe/Madrid",),
    "PT": ("Europe/Lisbon",),
    "EC": ("America/Guayaquil",),
    "CL": ("America/Santiago",),
    "NZ": ("Pacific/Auckland",),
    # All of China keeps Beijing time officially; Urumqi is the unofficial one.
    "CN": ("Asia/Shanghai",),
    # Same clock either way, but zone.tab lists Samarkand before the capital.
    "UZ": ("Asia/Tashkent",),
    "US": ("America/New_York", "America/Chicago", "America/Los_Angeles"),
    "CA": ("America/Toronto", "America/Vancouver", "America/Edmonton"),
    "AU": ("Australia/Sydney", "Australia/Brisbane", "Australia/Perth"),
    "BR": ("America/Sao_Paulo", "America/Manaus", "America/Rio_Branco"),
    "MX": ("America/Mexico_City", "America/Cancun", "America/Tijuana"),
    "ID": ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"),
}

# Zone-id fragments that read as ordinary words or as another place:
# someone typing "North" does not mean Australia/North (Darwin).
_MISLEADING_ZONE_IDS = frozenset(
    {"North", "South", "West", "East", "Center", "Victoria", "Virgin", "Samoa"}
)

# Words people put before a place: "в Москве", "г. Казань", "по мск".
_PREFIX_WORDS = frozenset({"в", "во", "из", "по", "г", "город", "in", "from", "city"})
# Russian prepositional/dative endings back to the dictionary form, for short
# names that fuzzy matching cannot carry ("уфе" vs "уфа" is only 66.7):
# (ending, replacement). Only exact index hits count, so a wrong variant is
# simply not found.
_CASE_ENDINGS = (
    ("ии", "ия"),
    ("е", "а"),
    ("е", ""),
    ("е", "й"),
    ("и", "ь"),
    ("ем", "ий"),
    ("ом", ""),
)

_DASHES = str.maketrans({"−": "-", "–": "-", "—": "-", "‐": "-", "‑": "-"})
_NON_WORD = re.compile(r"[\W_]+")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_PART_SEPARATORS = re.compile(r"[,;()\[\]]")
_WORD_SEPARATORS = re.compile(r"[\s\-]+")
_OFFSET_RE = re.compile(
    r"(?P<base>utc|gmt|msk|мск|гмт)?"
    r"(?:(?P<sign>[+-])?(?P<digits>\d{1,2}[:.]\d{2}|\d{1,4}))?"
)


@dataclass(frozen=True, slots=True)
class TimezoneResolution:
    """What we understood: ``zone`` when confident, else up to 3 ``suggestions``."""

    zone: str | None
    suggestions: list[str] = field(default_factory=list)


def _nothing() -> TimezoneResolution:
    # A fresh object each time: suggestions is a list the caller may mutate.
    return TimezoneResolution(zone=None)


@dataclass(frozen=True, slots=True)
class _TzMeta:
    available: frozenset[str]
    canonical: frozenset[str]
    links: dict[str, str]
    country_zones: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class _PlaceIndex:
    # normalized key -> zones, best first; several zones = a name to ask about
    places: dict[str, tuple[str, ...]]
    cyrillic_keys: list[str]
    latin_keys: list[str]


@dataclass(slots=True)
class _Candidate:
    zones: tuple[str, ...]
    ratio: float
    wratio: float


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def warm_up() -> None:
    """Build every lazy index now, so that the first user does not wait."""
    _place_index()
    _popular_zones()
    _iana_lookup()
    for zone in _tz_meta().canonical:
        _zone_info(zone)  # offset searches read every zone file once
    _tzfpy_get_tz(37.62, 55.75)  # tzfpy loads its polygons on the first call


def is_valid_timezone(zone: str) -> bool:
    """True when ``zone`` is an IANA name zoneinfo can load (exact spelling)."""
    return isinstance(zone, str) and zone in _tz_meta().available


def resolve_timezone(text: str, now: datetime) -> TimezoneResolution:
    """Understand a typed place or offset. Never raises on user text."""
    _require_aware(now)
    raw = (text or "")[:_MAX_RAW_CHARS].strip()
    if not raw:
        return _nothing()
    whole = _resolve_part(raw, now)
    if whole.zone is not None:
        return whole
    parts = [p.strip() for p in _PART_SEPARATORS.split(raw) if p.strip()][:_MAX_PARTS]
    if len(parts) < 2:
        return whole
    # "Москва, Россия" or a pasted label "Москва (UTC+3)": the first part
    # understood confidently wins; otherwise keep the first suggestions.
    results = [_resolve_part(part, now) for part in parts]
    for result in results:
        if result.zone is not None:
            return result
    return next((r for r in [whole, *results] if r.suggestions), _nothing())


def timezone_from_location(latitude: float, longitude: float) -> str | None:
    """IANA zone for a shared Telegram location, or None when it is no usable place.

    Rejected: invalid coordinates, and tzfpy's "Etc/GMT±N" answers for open
    sea. A location in the ocean is almost always a broken GPS fix such as
    (0, 0), and a nautical offset zone never follows the DST of the manager's
    real city, so the bot should ask them to type the city instead.
    """
    if not _valid_coordinates(latitude, longitude):
        return None
    zone = _tzfpy_get_tz(float(longitude), float(latitude))  # tzfpy takes (lng, lat)
    if not zone or zone.startswith("Etc/"):
        return None
    zone = _canonical(zone)
    return zone if is_valid_timezone(zone) else None


def describe_timezone(zone: str, locale: str, now: datetime) -> str:
    """Short label: "Москва (UTC+3)", "Kolkata (UTC+5:30)", "UTC+5" for Etc zones.

    An unknown zone comes back as given: this is display text, not validation.
    """
    _require_aware(now)
    if not is_valid_timezone(zone):
        return zone
    minutes = _offset_minutes(zone, now)
    if zone.startswith("Etc/") or zone in _ZERO_OFFSET_NAMES:
        return "UTC" if minutes == 0 else _format_offset(minutes)
    city = get_timezone_location(zone, locale=_babel_locale(locale), return_city=True)
    return f"{city} ({_format_offset(minutes)})"


# --------------------------------------------------------------------------
# Resolution steps
# --------------------------------------------------------------------------


def _resolve_part(raw: str, now: datetime) -> TimezoneResolution:
    text = _strip_prefix_words(raw)
    iana = _iana_lookup().get(_iana_key(text))
    if iana is not None:
        return TimezoneResolution(zone=iana)
    compact = _compact(text)
    if _OFFSET_RE.fullmatch(compact) and any(c.isalnum() for c in compact):
        # Offset-shaped input is never a place: "+15" is simply not understood.
        zone = _parse_offset(compact, now)
        return TimezoneResolution(zone=zone) if zone else _nothing()
    if "/" in text:
        # A mistyped IANA name ("Europe/Moscw"): its last segment is the city.
        text = text.rsplit("/", 1)[-1].replace("_", " ")
    return _resolve_place(text, now)


def _resolve_place(text: str, now: datetime) -> TimezoneResolution:
    native = _normalize(text)
    if not native or len(native) > _MAX_PLACE_CHARS:
        return _nothing()
    latin = _normalize(anyascii(native))[:_MAX_LATIN_CHARS]
    queries = _unique((native, latin))
    index = _place_index()
    for query in queries:
        exact = index.places.get(query)
        if exact is not None:
            return _from_zones(exact, now)
    declined = _declension_hits(text, index)
    if declined:
        return _from_zones(declined, now)
    return _fuzzy(queries, index, now)


def _from_zones(zones: tuple[str, ...], now: datetime) -> TimezoneResolution:
    collapsed = _collapse_same_clock(zones, now)
    if len(collapsed) == 1:
        return TimezoneResolution(zone=collapsed[0])
    return TimezoneResolution(zone=None, suggestions=list(collapsed[:_MAX_SUGGESTIONS]))


def _collapse_same_clock(zones: tuple[str, ...], now: datetime) -> tuple[str, ...]:
    """Zones that all show the same time in both DST phases count as the first one."""
    if len(zones) < 2:
        return zones
    later = now + _HALF_YEAR
    first = zones[0]
    same = all(
        _offset_minutes(z, now) == _offset_minutes(first, now)
        and _offset_minutes(z, later) == _offset_minutes(first, later)
        for z in zones[1:]
    )
    return (first,) if same else zones


def _declension_hits(text: str, index: _PlaceIndex) -> tuple[str, ...]:
    words = [w for w in (_normalize(p) for p in _WORD_SEPARATORS.split(text)) if w]
    if not words or len(words) > 3 or not _CYRILLIC.search(words[-1]):
        return ()
    found: list[str] = []
    for variant in product(*(_case_variants(w) for w in words)):
        found.extend(index.places.get("".join(variant), ()))
    return tuple(_unique(found))


def _case_variants(word: str) -> list[str]:
    variants = [word]
    for ending, replacement in _CASE_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            variants.append(word[: -len(ending)] + replacement)
    return variants


def _fuzzy(queries: list[str], index: _PlaceIndex, now: datetime) -> TimezoneResolution:
    candidates = _fuzzy_candidates(queries, index)
    if not candidates:
        return _nothing()
    ranked = sorted(candidates, key=lambda c: (c.ratio, c.wratio), reverse=True)
    best = ranked[0]
    best_zones = _collapse_same_clock(best.zones, now)
    runner_up = max((c.ratio for c in ranked[1:] if best_zones[0] not in c.zones), default=0.0)
    if (
        len(best_zones) == 1
        and len(queries[0]) >= _MIN_CONFIDENT_CHARS
        and best.ratio >= _CONFIDENT_RATIO
        and best.ratio - runner_up >= _CONFIDENT_MARGIN
    ):
        return TimezoneResolution(zone=best_zones[0])
    # On equal scores the places our managers live in come first ("Масква" is
    # as close to Muscat as to Moscow).
    popular = _popular_zones()
    by_recall = sorted(
        candidates,
        key=lambda c: (c.wratio, c.ratio, any(z in popular for z in c.zones)),
        reverse=True,
    )
    worth = [c for c in by_recall if c.wratio >= _SUGGEST_WRATIO or c.ratio >= _SUGGEST_RATIO]
    zones = _unique(z for c in worth for z in c.zones)
    return TimezoneResolution(zone=None, suggestions=zones[:_MAX_SUGGESTIONS])


def _fuzzy_candidates(queries: list[str], index: _PlaceIndex) -> list[_Candidate]:
    """Best (ratio, WRatio) per place over the typed and the transliterated query."""
    by_place: dict[tuple[str, ...], _Candidate] = {}
    for query in queries:
        if len(query) < _MIN_FUZZY_CHARS:
            continue
        keys = index.cyrillic_keys if _CYRILLIC.search(query) else index.latin_keys
        hits = process.extract(
            query,
            keys,
            scorer=fuzz.WRatio,
            limit=_FUZZY_CANDIDATES,
            score_cutoff=_CANDIDATE_WRATIO,
        )
        for key, wratio, _ in hits:
            zones = index.places[key]
            ratio = fuzz.ratio(query, key)
            known = by_place.setdefault(zones, _Candidate(zones, ratio, wratio))
            known.ratio = max(known.ratio, ratio)
            known.wratio = max(known.wratio, wratio)
    return list(by_place.values())


# --------------------------------------------------------------------------
# Offsets
# --------------------------------------------------------------------------


def _parse_offset(compact: str, now: datetime) -> str | None:
    match = _OFFSET_RE.fullmatch(compact)
    if match is None:
        return None
    base, sign, digits = match.group("base"), match.group("sign"), match.group("digits")
    if digits is None:
        # "МСК" is Moscow's own clock, not a bare +3; "UTC"/"GMT" is zero.
        return _MOSCOW if base in _MOSCOW_BASES else _UTC_ZONE
    minutes = _digits_to_minutes(digits)
    if minutes is None:
        return None
    total = -minutes if sign == "-" else minutes
    if base in _MOSCOW_BASES:
        total += _offset_minutes(_MOSCOW, now)
    if not _MIN_OFFSET_MINUTES <= total <= _MAX_OFFSET_MINUTES:
        return None
    if total % 60 == 0:
        return _etc_zone(total // 60)
    return _zone_for_offset(total, now)


def _digits_to_minutes(digits: str) -> int | None:
    if ":" in digits or "." in digits:
        hours, minutes = re.split(r"[:.]", digits)
    elif len(digits) <= 2:
        hours, minutes = digits, "0"
    else:  # "0545", "530"
        hours, minutes = digits[:-2], digits[-2:]
    if int(minutes) >= 60:
        return None
    return int(hours) * 60 + int(minutes)


def _etc_zone(hours: int) -> str:
    # POSIX sign convention in Etc names: Etc/GMT-5 is UTC+5.
    if hours == 0:
        return _UTC_ZONE
    return f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def _zone_for_offset(total_minutes: int, now: datetime) -> str | None:
    """A real zone with this fractional offset right now."""
    for pool in (_FRACTIONAL_PREFERENCE, sorted(_tz_meta().canonical)):
        matching = [z for z in pool if _offset_minutes(z, now) == total_minutes]
        if matching:
            # Someone typing "+9:30" means that offset all year: a zone without
            # DST (Darwin) beats one that only has it this season (Adelaide).
            # min() is stable, so the pool order breaks ties.
            later = now + _HALF_YEAR
            return min(matching, key=lambda z: _offset_minutes(z, later) != total_minutes)
    return None


def _offset_minutes(zone: str, moment: datetime) -> int:
    offset = moment.astimezone(_zone_info(zone)).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def _format_offset(total_minutes: int) -> str:
    sign = "-" if total_minutes < 0 else "+"
    hours, minutes = divmod(abs(total_minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


# --------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------


def _normalize(text: str) -> str:
    """Comparison key: casefolded, ё -> е, no spaces, hyphens or punctuation."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return _NON_WORD.sub("", folded)


def _compact(text: str) -> str:
    """Offset-shaped key: keeps signs, colons and dots, drops spaces."""
    folded = unicodedata.normalize("NFKC", text).translate(_DASHES).casefold()
    return "".join(folded.split())


def _strip_prefix_words(text: str) -> str:
    words = text.split()
    while len(words) > 1 and _normalize(words[0]) in _PREFIX_WORDS:
        words = words[1:]
    return " ".join(words)


def _iana_key(text: str) -> str:
    return "_".join(unicodedata.normalize("NFKC", text).casefold().split())


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


def _valid_coordinates(latitude: float, longitude: float) -> bool:
    try:
        lat, lng = float(latitude), float(longitude)
    except (TypeError, ValueError):
        return False
    finite = math.isfinite(lat) and math.isfinite(lng)
    return finite and -90 <= lat <= 90 and -180 <= lng <= 180


def _parse_alias_table(text: str) -> Iterator[tuple[str, list[str]]]:
    for line in text.strip().splitlines():
        target, _, names = line.partition(":")
        yield target.strip(), [n.strip() for n in names.split(";") if n.strip()]


# --------------------------------------------------------------------------
# Lazily built data
# --------------------------------------------------------------------------


@cache
def _zone_info(zone: str) -> ZoneInfo:
    return ZoneInfo(zone)


@cache
def _babel_locale(locale: str) -> Locale:
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError, AttributeError):
        return Locale("en")


def _tzfpy_get_tz(lng: float, lat: float) -> str:
    # Imported here so that importing this module never touches tzfpy's data.
    import tzfpy

    return str(tzfpy.get_tz(lng, lat))


@cache
def _tz_meta() -> _TzMeta:
    available = frozenset(available_timezones()) - _NOT_ZONES
    links = _parse_links(_read_tzdata_file("tzdata.zi"))
    country_zones = _parse_zone_tab(_read_tzdata_file("zone.tab"), available)
    canonical = frozenset(z for zones in country_zones.values() for z in zones)
    if not canonical:  # no zone.tab anywhere: geographic names that are not links
        canonical = frozenset(
            z for z in available if z.split("/")[0] in _GEO_REGIONS and z not in links
        )
    return _TzMeta(available, canonical, links, country_zones)


def _read_tzdata_file(name: str) -> str:
    """zone.tab / tzdata.zi from the tzdata package (a dependency), else the system."""
    try:
        return (resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        pass
    for directory in TZPATH:
        path = Path(directory) / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def _parse_links(text: str) -> dict[str, str]:
    """tzdata.zi "L target alias" lines: alias -> target."""
    links: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            links[parts[2]] = parts[1]
    return links


def _parse_zone_tab(text: str, available: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Country code -> its zones in zone.tab order (the main zone comes first)."""
    zones: dict[str, list[str]] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if not line.startswith("#") and len(parts) >= 3 and parts[2] in available:
            zones.setdefault(parts[0], []).append(parts[2])
    return {code: tuple(found) for code, found in zones.items()}


def _canonical(zone: str) -> str:
    """Current IANA spelling: Europe/Kiev -> Europe/Kyiv, but Europe/Oslo stays.

    zone.tab names one zone per country with its modern name, so anything
    listed there is canonical even when tzdata implements it as a link
    (Oslo -> Berlin): a Norwegian manager should see "Oslo", not "Berlin".
    """
    meta = _tz_meta()
    if zone in meta.canonical:
        return zone
    return meta.links.get(zone, zone)


@cache
def _popular_zones() -> frozenset[str]:
    """Zones of the curated tables: where the bot's users actually are."""
    aliased = (zone for zone, _ in _parse_alias_table(_CITY_ALIASES))
    countries = (zone for zones in _COUNTRY_ZONES.values() for zone in zones)
    return frozenset([*aliased, *countries])


@cache
def _iana_lookup() -> dict[str, str]:
    """Casefolded IANA name -> canonical zone, for "asia/yekaterinburg"."""
    # Legacy names without a region ("Japan", "GB", "EST") are skipped: "EST"
    # is Panama in tzdata, not what anyone typing it means; countries are
    # understood by name anyway.
    return {zone.casefold(): _canonical(zone) for zone in _tz_meta().available if "/" in zone}


@cache
def _place_index() -> _PlaceIndex:
    """Every searchable name; on a clash the more trusted source wins (lower priority)."""
    meta = _tz_meta()
    builder = _IndexBuilder()
    for zone, aliases in _parse_alias_table(_CITY_ALIASES):
        builder.add(aliases, (zone,), priority=0)
    for zone in sorted(meta.canonical):
        builder.add(_cldr_city_names(zone), (zone,), priority=1)
    for code, countries in _country_names(meta).items():
        zones = _COUNTRY_ZONES.get(code) or meta.country_zones.get(code, ())
        builder.add(countries, zones, priority=2)
    for zone in sorted(meta.canonical):
        builder.add(_zone_id_names(zone), (zone,), priority=3)
    for alias in sorted(meta.links):
        # Old spellings that survive as links: "Calcutta", "Saigon", "Kiev".
        if alias not in meta.canonical and alias.split("/")[0] in _GEO_REGIONS:
            builder.add(_zone_id_names(alias), (_canonical(alias),), priority=4)
    return builder.build()


class _IndexBuilder:
    def __init__(self) -> None:
        self._places: dict[str, tuple[str, ...]] = {}
        self._priority: dict[str, int] = {}

    def add(self, names: Iterable[str], zones: tuple[str, ...], priority: int) -> None:
        if not zones:
            return
        for name in sorted(set(names)):  # sorted: same index whatever the hash seed
            for key in _name_keys(name):
                self._put(key, zones, priority)

    def _put(self, key: str, zones: tuple[str, ...], priority: int) -> None:
        known = self._priority.get(key)
        if known is None or priority < known:
            self._places[key], self._priority[key] = zones, priority
        elif priority == known and zones != self._places[key]:
            # Same name, same trust, different places: keep both and ask.
            self._places[key] = tuple(_unique([*self._places[key], *zones]))

    def build(self) -> _PlaceIndex:
        cyrillic = [k for k in self._places if _CYRILLIC.search(k)]
        latin = [k for k in self._places if not _CYRILLIC.search(k)]
        return _PlaceIndex(places=self._places, cyrillic_keys=cyrillic, latin_keys=latin)


def _name_keys(name: str) -> Iterator[str]:
    """The name as typed and its Latin transliteration ("Москва" -> "moskva")."""
    for variant in _island_variants(name):
        native = _normalize(variant)
        if native:
            yield native
            yield _normalize(anyascii(native))


def _island_variants(name: str) -> list[str]:
    # CLDR abbreviates islands in Russian ("о-в Сахалин", "Канарские о-ва").
    if "о-в" not in name:
        return [name]
    full = name.replace("о-ва", "острова").replace("о-в", "остров")
    bare = name.replace("о-ва", "").replace("о-в", "").strip()
    return [name, full, bare]


def _cldr_city_names(zone: str) -> set[str]:
    return {get_timezone_location(zone, locale=loc, return_city=True) for loc in ("ru", "en")}


def _zone_id_names(zone: str) -> list[str]:
    # "Asia/Ho_Chi_Minh" -> "Ho Chi Minh". Short and all-caps ids
    # ("Australia/NSW") are abbreviations nobody types as a city.
    last = zone.rsplit("/", 1)[-1]
    if last.isupper() or len(last) < 4 or last in _MISLEADING_ZONE_IDS:
        return []
    return [last.replace("_", " ")]


def _country_names(meta: _TzMeta) -> dict[str, set[str]]:
    territories = [Locale("ru").territories, Locale("en").territories]
    names = {code: {t[code] for t in territories if code in t} for code in meta.country_zones}
    for code, aliases in _parse_alias_table(_COUNTRY_ALIASES):
        names.setdefault(code, set()).update(aliases)
    return names
