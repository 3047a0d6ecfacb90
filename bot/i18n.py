"""Fluent translations: bot/locales/<lang>/<feature>.ftl; string args are HTML-escaped."""

from __future__ import annotations

import html
import logging
from functools import cache
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import ast

LOCALES_DIR = Path(__file__).with_name("locales")
LANGUAGES: tuple[str, ...] = ("ru", "en")
FALLBACK = "en"

log = logging.getLogger(__name__)


class Raw(str):
    """A string already safe for Telegram HTML: inserted into a text without escaping."""

    __slots__ = ()


def pick_language(code: str | None, default: str) -> str:
    """Telegram sends IETF tags like "ru", "en-US", "uk"; we speak ru and en."""
    if code:
        base = code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
        # Users of Russian-speaking countries' languages are far likelier to read Russian.
        if base in {"uk", "be", "kk", "ky", "uz", "tg", "hy", "az"}:
            return "ru"
        return "en"
    return default


@cache
def _bundle(lang: str) -> FluentBundle:
    # use_isolating=False: Telegram would show the Unicode isolation marks as stray characters.
    bundle = FluentBundle([lang], use_isolating=False)
    for path in locale_files(lang):
        bundle.add_resource(FluentResource(path.read_text("utf-8")))
    return bundle


def locale_files(lang: str) -> list[Path]:
    """One file per feature, so that features can be edited (and reviewed) apart."""
    return sorted((LOCALES_DIR / lang).glob("*.ftl"))


def message_ids(lang: str, path: Path | None = None) -> set[str]:
    paths = [path] if path else locale_files(lang)
    ids: set[str] = set()
    for file in paths:
        resource = FluentResource(file.read_text("utf-8"))
        ids |= {entry.id.name for entry in resource.body if isinstance(entry, ast.Message)}
    return ids


def _prepare(value: Any) -> Any:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, str):
        return html.escape(value, quote=False)
    return value


class Translator:
    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else FALLBACK

    def __call__(self, key: str, /, **kwargs: Any) -> str:
        args = {k: _prepare(v) for k, v in kwargs.items()}
        for lang in (self.lang, FALLBACK):
            bundle = _bundle(lang)
            if bundle.has_message(key):
                message = bundle.get_message(key)
                if message.value is None:
                    break
                text, errors = bundle.format_pattern(message.value, args)
                for error in errors:
                    log.warning("i18n %s/%s: %s", lang, key, error)
                return str(text)
        log.error("i18n: missing message %r", key)
        return key


def translator(lang: str) -> Translator:
    return _translators()[lang if lang in LANGUAGES else FALLBACK]


@cache
def _translators() -> dict[str, Translator]:
    return {lang: Translator(lang) for lang in LANGUAGES}


def all_translations(key: str, **kwargs: Any) -> set[str]:
    """The same message in every language: for matching reply-keyboard button presses."""
    return {translator(lang)(key, **kwargs) for lang in LANGUAGES}
