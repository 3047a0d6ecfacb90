"""Telegram's HTML parse mode, as strict as Telegram: text + entities, or an error.

The recording bot uses it to refuse what Telegram would refuse ("can't parse entities"), and
BotClient to hand a pressed message back the way Telegram does: plain text plus entities, with
offsets in UTF-16 code units.
"""

from __future__ import annotations

import html
import re

from aiogram.types import MessageEntity

ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
}
_TOKEN = re.compile(
    r"<(?P<close>/?)(?P<tag>[a-zA-Z-]+)(?P<attrs>(?:\s+[a-z-]+=\"[^\"]*\")*)\s*>"
    r"|(?P<entity>&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)"
    r"|(?P<bad>[<&])"
    r"|(?P<text>[^<&]+)"
)
_HREF = re.compile(r'href="([^"]*)"')


class HtmlError(ValueError):
    pass


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse(source: str) -> tuple[str, list[MessageEntity]]:
    parts: list[str] = []
    offset = 0
    open_tags: list[tuple[str, int, str | None]] = []
    entities: list[MessageEntity] = []
    for match in _TOKEN.finditer(source):
        if match.group("bad"):
            raise HtmlError(f"unexpected {match.group('bad')!r} at byte offset {match.start()}")
        chunk = match.group("text") or (
            html.unescape(match.group("entity")) if match.group("entity") else None
        )
        if chunk is not None:
            parts.append(chunk)
            offset += _utf16(chunk)
            continue
        tag = match.group("tag").lower()
        if tag not in ENTITY_TYPES:
            raise HtmlError(f"unsupported start tag {tag!r}")
        if not match.group("close"):
            href = _HREF.search(match.group("attrs") or "")
            open_tags.append((tag, offset, href.group(1) if href else None))
            continue
        if not open_tags or open_tags[-1][0] != tag:
            raise HtmlError(f"unmatched end tag {tag!r}")
        _, start, url = open_tags.pop()
        if offset > start:
            entities.append(
                MessageEntity(type=ENTITY_TYPES[tag], offset=start, length=offset - start, url=url)
            )
    if open_tags:
        raise HtmlError(f"unclosed start tag {open_tags[-1][0]!r}")
    entities.sort(key=lambda e: (e.offset, -e.length))
    return "".join(parts), entities
