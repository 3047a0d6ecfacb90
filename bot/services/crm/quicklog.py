"""One message → one touch: find the client in the text, parse the rest, save.

"ромашка обсудили поставку, КП в пятницу" has no separator between the client and the text, so
each plausible split is tried against the manager's base, and the best match wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm import clients as client_service
from bot.services.crm import touches as touch_service
from bot.services.crm.clients import ClientRef, Lookup
from bot.services.crm.touches import NewTouch
from bot.services.parsing.date_order import month_first
from bot.services.parsing.morph import lemma_variants, nominative, reads_as_text
from bot.services.parsing.names import normalize_name
from bot.services.parsing.touch_parse import (
    ClientCandidate,
    TouchDraft,
    client_candidates,
    parse_touch,
)
from storage import touches as touch_store
from storage.enums import Channel, Outcome
from storage.models import Client, Interaction, Manager

# Words that end a B2B name as a branch, a region or a series («Ромашка Юг», «Ромашка СПб»): a
# client's name followed by one of them may be another client, so the bot asks instead of
# taking the word as the start of the touch's text.
_SUFFIX_WORDS = frozenset(
    [
        "юг",
        "север",
        "запад",
        "восток",
        "центр",
        "сибирь",
        "урал",
        "поволжье",
        "спб",
        "мск",
        "москва",
        "питер",
        "нн",
        "екб",
        "нск",
        "плюс",
        "опт",
        "розница",
        "регион",
        "south",
        "north",
        "east",
        "west",
        "plus",
        "spb",
        "msk",
    ]
)
# One-letter words that are prepositions or conjunctions, never a series letter.
_SHORT_WORDS = frozenset(
    ["в", "во", "с", "со", "к", "ко", "у", "о", "об", "и", "а", "я", "но", "да"]
)


@dataclass(frozen=True, slots=True)
class Found:
    client: ClientRef | None  # None: ask (ambiguous) or offer to create (none)
    lookup: Lookup
    query: str  # the words taken as the client's name
    rest: str  # the text of the touch
    # The client's row when found by exact name: holding it keeps it in the session's (weak)
    # identity map, so saving the touch takes it from there instead of querying again.
    row: Client | None = None
    # When asking "«Ромашка» or a new «Ромашка Юг»?": the touch's text for each offered
    # client, since «юг» stays in the text only if the manager picks «Ромашка».
    rests: dict[int, str] = field(default_factory=dict)


def _words(query: str) -> int:
    return len(normalize_name(query).split())


def could_be_suffix(word: str) -> bool:
    """A word after a client's name that may belong to the name: «юг», «2», «М», «СПб»."""
    folded = word.casefold().strip("«»\"'")
    if folded in _SUFFIX_WORDS:
        return True
    if folded.isdigit():
        return len(folded) <= 4
    return len(folded) == 1 and folded.isalpha() and folded not in _SHORT_WORDS


def _reads_as_name(candidate: ClientCandidate) -> bool:
    # «Омега обсудили поставку»: a verb or an adverb after the first word starts the text.
    return not any(reads_as_text(w) for w in normalize_name(candidate.query).split()[1:])


def _doubt(found: Found, candidates: list[ClientCandidate]) -> Found:
    """Asks when the word right after the found name could make it another client's name."""
    assert found.client is not None
    norm = normalize_name(found.query)
    for longer in candidates:
        words = normalize_name(longer.query).split()
        if (
            len(words) == len(norm.split()) + 1
            and " ".join(words[:-1]) == norm
            and could_be_suffix(longer.query.split()[-1])
        ):
            ref = found.client
            return Found(
                None,
                Lookup("ambiguous", [ref]),
                longer.query,
                longer.rest,
                rests={ref.id: found.rest},
            )
    return found


def _pick(hits: list[tuple[int, ClientCandidate, Lookup]]) -> tuple[ClientCandidate, Lookup]:
    # The longest name wins («ромашка юг» is «Ромашка-Юг», not «Ромашка» + "юг"); among equal
    # lengths, a sure hit beats a likely one, then the split touch_parse ranked first.
    _rank, candidate, lookup = max(
        hits, key=lambda h: (_words(h[1].query), h[2].kind == "exact", -h[0])
    )
    return candidate, lookup


def _find(index: client_service.ClientIndex, query: str) -> Lookup:
    result = index.find(query)
    if result.kind in ("exact", "confident"):
        return result
    # «с Северной звездой»: the normal forms of each word ("северный звезда") come near enough.
    for variant in lemma_variants(normalize_name(query)):
        by_lemma = index.find(variant)
        if by_lemma.kind in ("exact", "confident"):
            return by_lemma
    return result


_LEADING_NAME = re.compile(r"\s*(?P<name>[^\W\d_][\w-]*)[\s,;:—–-]*(?P<rest>.*)", re.DOTALL)


def _candidates(text: str) -> list[ClientCandidate]:
    candidates = client_candidates(text)
    # «Уралстали звонил»: a capitalised first word ending like a past verb is skipped by the
    # splitter, yet it is the likeliest name; it is tried last.
    lead = _LEADING_NAME.match(text)
    skipped = not any(text.lstrip().startswith(c.query) for c in candidates)
    if lead and skipped and lead["name"][:1].isupper():
        candidates.append(ClientCandidate(lead["name"], lead["rest"].strip()))
    return candidates


async def find_client(session: AsyncSession, manager: Manager, text: str) -> Found:
    candidates = _candidates(text)
    if not candidates:
        return Found(None, Lookup("none", []), "", text)
    # Most messages name the client right: one indexed query settles them without loading the
    # whole base for fuzzy matching. Case forms ride along («в Гамму» → «гамма»).
    norms = [normalize_name(c.query) for c in candidates]
    keys = {norm: [norm, *lemma_variants(norm)] for norm in norms}
    exact: dict[str, list[Client]] = {}
    wanted = [key for norm in norms for key in keys[norm]]
    for row in await touch_store.clients_named(session, manager.id, wanted):
        exact.setdefault(row.name_norm, []).append(row)
    by_norm: list[tuple[int, ClientCandidate, Client]] = []
    for at, (candidate, norm) in enumerate(zip(candidates, norms, strict=True)):
        rows = next((exact[k] for k in keys[norm] if len(exact.get(k, [])) == 1), None)
        if rows is not None:
            by_norm.append((at, candidate, rows[0]))
    if by_norm:
        _at, candidate, row = max(by_norm, key=lambda h: (_words(h[1].query), -h[0]))
        ref = ClientRef(row.id, row.name, row.archived_at is not None)
        found = Found(ref, Lookup("exact", [ref]), candidate.query, candidate.rest, row)
        return _doubt(found, candidates)
    index = await client_service.load_index(session, manager)
    results = [(at, c, _find(index, c.query)) for at, c in enumerate(candidates)]
    hits = [h for h in results if h[2].kind in ("exact", "confident")]
    if hits:
        candidate, lookup = _pick(hits)
        found = Found(lookup.best, lookup, candidate.query, candidate.rest)
        return _doubt(found, candidates)
    # Nothing sure: ask or offer to create under the split that reads most like a name.
    named = [h for h in results if _reads_as_name(h[1])] or results
    ambiguous = [h for h in named if h[2].kind == "ambiguous"]
    _at, candidate, lookup = max(ambiguous or named, key=lambda h: (_words(h[1].query), -h[0]))
    query = candidate.query
    if lookup.kind == "none" and len(query.split()) == 1:
        # «встречались с Дельтой»: the new client is offered as «Дельта», not «Дельтой».
        query = nominative(query) or query
    return Found(None, lookup, query, candidate.rest)


async def find_in_free_text(session: AsyncSession, manager: Manager, text: str) -> Found | None:
    """A client named for sure in a message that is no command: a bare name, or a touch typed
    without the colon. None when no client is sure (the bot then says it did not understand)."""
    found = await find_client(session, manager, text)
    if found.client is None or found.lookup.kind not in ("exact", "confident"):
        return None
    return found


def to_new_touch(draft: TouchDraft, default_kind: Channel) -> NewTouch:
    due = draft.next_step_due
    return NewTouch(
        kind=draft.kind or default_kind,
        summary=draft.summary,
        outcome=draft.outcome,
        occurred_at=draft.occurred_at,
        next_step=draft.next_step,
        next_step_due=due.at if due is not None else None,
        next_step_has_time=due.has_time if due is not None else False,
    )


def parse(rest: str, manager: Manager, now: datetime, kind: Channel | None = None) -> TouchDraft:
    """``kind``: the type a command named (/call); None lets the words choose it."""
    order = month_first(manager.language, manager.timezone)  # a US user's "12/15"
    return parse_touch(rest, now, manager.timezone, kind, month_first=order)


@dataclass(frozen=True, slots=True)
class Logged:
    touch: Interaction
    client: Client
    draft: TouchDraft  # what the words said: the reply names a moved step and the problems


async def log_text(
    session: AsyncSession,
    manager: Manager,
    client_id: int,
    text: str,
    kind: Channel,
    now: datetime,
    *,
    fixed: bool,
    outcome: Outcome | None = None,
) -> Logged:
    """Parses a touch's text and saves it for the client: the one way a typed touch is logged,
    in the chat (/call, /log, "Client: text") and from the Mini App's form.

    ``fixed``: the type was named (/call, the form's choice), the words only describe it;
    otherwise they choose it and ``kind`` is the default. ``outcome``: chosen on the form,
    it wins over the one the words suggest.
    """
    draft = parse(text, manager, now, kind if fixed else None)
    new = to_new_touch(draft, kind)
    if outcome is not None:
        new = replace(new, outcome=outcome)
    saved = await touch_service.record(session, manager, client_id, new, now)
    return Logged(saved.touch, saved.client, draft)
