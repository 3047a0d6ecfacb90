"""Client feedback: "/review Ромашка + спасибо за скорость" or "/review Ромашка - долго ждали".

A negative review is what a B2C manager is judged on, so it is saved at once and counted in the
KPI; the manager can take it back with Undo.
"""

from __future__ import annotations

import logging
import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from bot.services.crm import quicklog
from bot.services.crm import requests as request_service
from bot.services.crm.clients import ClientNotFound, ClientRef, Lookup
from bot.services.crm.requests import RequestView
from bot.services.errors import NotFound
from bot.services.parsing.sentiment import read_words
from storage import clients as client_store
from storage import reviews as store
from storage.models import Manager, Review

log = logging.getLogger(__name__)
MAX_TEXT = 4000

# Symbols win over words: a client may well be called «Хороший дом».
_SYMBOLS = {
    "+": True,
    "👍": True,
    "👍🏻": True,
    "👍🏼": True,
    "👍🏽": True,
    "👍🏾": True,
    "👍🏿": True,
    "-": False,
    "−": False,
    "–": False,
    "—": False,
    "👎": False,
    "👎🏻": False,
    "👎🏼": False,
    "👎🏽": False,
    "👎🏾": False,
    "👎🏿": False,
}
# Label words only name the sign and are dropped; words that say something ("плохо
# обслужили", "жалоба на курьера") are the sign and stay in the text too.
_LABELS = {
    **dict.fromkeys(("плюс", "позитив", "положительный", "хороший", "positive", "pos"), True),
    **dict.fromkeys(("минус", "негатив", "отрицательный", "плохой", "negative", "neg"), False),
}
_TOKEN = re.compile(r"\S+")
_EDGE = " \t\r\n,.;:!"
# "+спасибо", "-долго": a sign glued to the first word of the text.
_GLUED = re.compile(r"^([+\-−–—]|👍[🏻-🏿]?|👎[🏻-🏿]?)(?=\w)")


@dataclass(frozen=True, slots=True)
class ReviewDraft:
    client_query: str
    positive: bool | None  # None: no sign found, ask for one
    text: str


def _sign_of(token: str) -> bool | None:
    bare = token.strip(_EDGE)
    if bare in _SYMBOLS:
        return _SYMBOLS[bare]
    return None


def parse_review(text: str) -> ReviewDraft:
    """Splits "<client> <sign> [text]". The client's name is everything before the sign.

    The sign is whichever comes first after the name: a symbol ("+", "👎"), a label word
    ("минус") or words that carry it ("не отлично, курьер хамил"); a symbol or label right after
    the name wins over the words after it. Words of both signs leave ``positive`` None with the
    text set: the caller asks with two buttons.
    """
    text = text.strip()
    tokens = list(_TOKEN.finditer(text))
    # The name takes at least the first word, so the sign is looked for from the second one.
    signs = read_words([tok.group() for tok in tokens[1:]])
    explicit = next((i for i, tok in enumerate(tokens[1:], 1) if _explicit(tok.group())), None)
    if explicit is not None:
        # "Дом Хороших Окон - долго": a capitalised word before the sign is part of the name.
        signs = [
            s
            for s in signs
            if not (s.start + 1 < explicit and tokens[s.start + 1].group()[:1].isupper())
        ]
    words_at = signs[0].start + 1 if signs else len(tokens)
    for index, token in enumerate(tokens[1:words_at], start=1):
        sign = _sign_of(token.group())
        glued = _GLUED.match(token.group()) if sign is None else None
        if sign is None and glued is not None:
            sign = _SYMBOLS[glued.group(1)]
            rest = text[token.start() + glued.end() :]
        else:
            rest = text[token.end() :]
        if sign is not None:
            return ReviewDraft(_name(text, tokens, index), sign, rest.strip(_EDGE))
        word = token.group().strip(_EDGE).casefold().replace("ё", "е")
        if word in _LABELS:
            rest = text[token.end() :].strip(_EDGE)
            return ReviewDraft(_name(text, tokens, index), _LABELS[word], rest)
    if signs:
        rest = text[tokens[words_at].start() :].strip(_EDGE)
        agreed = {s.positive for s in signs}
        positive = agreed.pop() if len(agreed) == 1 else None
        return ReviewDraft(_name(text, tokens, words_at), positive, rest)
    # "Ромашка+" or a name alone: look for a sign glued to the end of the name.
    if tokens and len(tokens[-1].group()) > 1 and tokens[-1].group()[-1] in "+-":
        return ReviewDraft(text[:-1].strip(_EDGE), tokens[-1].group()[-1] == "+", "")
    return ReviewDraft(text.strip(_EDGE), None, "")


def _explicit(token: str) -> bool:
    """A symbol ("+", "👎", "+спасибо") or a label word ("минус") that says the sign outright."""
    word = token.strip(_EDGE).casefold().replace("ё", "е")
    return _sign_of(token) is not None or _GLUED.match(token) is not None or word in _LABELS


def _name(text: str, tokens: list[re.Match[str]], sign_index: int) -> str:
    return text[: tokens[sign_index].start()].strip(_EDGE)


@dataclass(frozen=True, slots=True)
class Resolved:
    client: ClientRef | None  # None: ask which client (``lookup`` holds the near ones)
    lookup: Lookup
    text: str  # the review's text, with the words the name did not use put back in front


async def resolve_client(
    session: AsyncSession, manager: Manager, query: str, text: str
) -> Resolved:
    """Which client the words before the sign name: "Гамма курьер" is «Гамма» when it exists."""
    found = await quicklog.find_client(session, manager, query)
    if found.client is not None:
        rest = found.rest.strip(_EDGE)
        return Resolved(found.client, found.lookup, f"{rest} {text}".strip() if rest else text)
    lookup = await client_service.lookup(session, manager, query)
    best = lookup.best if lookup.kind in ("exact", "confident") else None
    return Resolved(best, lookup, text)


@dataclass(frozen=True, slots=True)
class ReviewView:
    id: int
    client_id: int
    client_name: str
    positive: bool
    text: str | None
    request_id: int | None


class ReviewNotFound(NotFound):
    """Missing, or someone else's: deliberately indistinguishable."""

    key = "review-not-found"


async def record(
    session: AsyncSession,
    manager: Manager,
    client_id: int,
    positive: bool,
    text: str,
    now: datetime,
) -> ReviewView:
    client = await client_store.owned_bare(session, manager.id, client_id)
    if client is None:
        raise ClientNotFound(client_id)
    review = Review(
        client_id=client.id,
        manager_id=manager.id,
        is_positive=positive,
        text=text.strip()[:MAX_TEXT] or None,
        created_at=now,
    )
    session.add(review)
    await session.commit()
    return ReviewView(review.id, client.id, client.name, positive, review.text, None)


async def _owned(session: AsyncSession, manager: Manager, review_id: int) -> Review:
    review = await store.owned(session, manager.id, review_id)
    if review is None:
        log.warning(
            "manager %s asked for review %s which is not theirs or gone", manager.id, review_id
        )
        raise ReviewNotFound(review_id)
    return review


async def delete(session: AsyncSession, manager: Manager, review_id: int) -> None:
    review = await _owned(session, manager, review_id)
    await session.delete(review)
    await session.commit()


async def open_request_from(
    session: AsyncSession, manager: Manager, review_id: int, fallback_text: str, now: datetime
) -> RequestView:
    """A negative review becomes a request to work on; pressing twice opens it once."""
    review = await _owned(session, manager, review_id)
    if review.request_id is not None:
        # A request undone since is gone: then a fresh one is opened below.
        with suppress(request_service.RequestNotFound):
            return await request_service.get(session, manager, review.request_id)
    opened = await request_service.open_request(
        session, manager, review.client_id, review.text or fallback_text, now
    )
    review.request_id = opened.id
    await session.commit()
    return opened
