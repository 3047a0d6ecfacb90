"""Every text exists in both languages, once, and every key the code asks for exists."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from fluent.runtime import FluentResource
from fluent.syntax import ast

from bot.i18n import LANGUAGES, LOCALES_DIR, Translator, locale_files, message_ids

ROOT = Path(__file__).resolve().parents[2]
# t("key" / t(\n "key" — the translator is always called `t` in handlers and services.
KEY_CALL = re.compile(r"\bt\(\s*\"([a-z0-9][a-z0-9-]*)\"")


def test_every_language_has_the_same_files_and_keys() -> None:
    names = {lang: [p.name for p in locale_files(lang)] for lang in LANGUAGES}
    assert names["ru"] == names["en"]
    for path in locale_files("ru"):
        ru = message_ids("ru", path)
        en = message_ids("en", LOCALES_DIR / "en" / path.name)
        assert ru - en == set(), f"{path.name}: only in ru"
        assert en - ru == set(), f"{path.name}: only in en"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_key_is_defined_twice(lang: str) -> None:
    counts: Counter[str] = Counter()
    for path in locale_files(lang):
        resource = FluentResource(path.read_text("utf-8"))
        counts.update(e.id.name for e in resource.body if isinstance(e, ast.Message))
        junk = [e for e in resource.body if isinstance(e, ast.Junk)]
        assert not junk, f"{path}: syntax error near {junk[0].content[:80]!r}"
    assert [key for key, n in counts.items() if n > 1] == []


def test_every_key_used_in_code_exists() -> None:
    used: set[str] = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            used |= set(KEY_CALL.findall(path.read_text("utf-8")))
    assert used, "the pattern no longer finds translator calls"
    missing = used - message_ids("ru")
    assert missing == set()


def test_translator_reads_all_feature_files() -> None:
    assert Translator("ru")("cancelled") != "cancelled"
    assert Translator("en")("cancelled") != "cancelled"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_menu_command_is_described_and_in_help(lang: str) -> None:
    from bot.app import MENU_COMMANDS

    t = Translator(lang)
    help_text = t("help")
    for command in MENU_COMMANDS:
        assert f"cmd-{command}" in message_ids(lang), command
        assert f"/{command}" in help_text, command
