"""Issue 13: the fuzz test. 10,000 random updates from three users on one database.

Texts and commands biased toward the bot's grammar (README), taps on real buttons of the bot's
replies (also on buttons of another user's messages: forged ownership), forged callback data for
every CallbackData factory (out-of-range ids, missing fields), random files and other content,
messages and taps in a group chat, and the reminders minute job every 250 updates.

Checked after every update:
- no exception escapes a handler: the error boundary's apology (an ERROR log record) counts, as
  does an exception out of feed_update and any other ERROR record or an i18n warning;
- every private update is answered (at least one Bot API call), a tapped button with
  answerCallbackQuery (or Telegram's spinner keeps turning); in a group, /start, /help and taps;
- no reply Telegram would refuse (empty or invalid HTML text, over 4096 characters, callback_data
  over 64 bytes, a callback answer over 200 characters);
- no row of user Y is written while handling an update of user X, and nothing at all from a group
  (triggers log every row written with the columns that name its owner: tests/support/fuzz.py);
- no reply, button, reminder or exported file shown to X holds a word only Y ever typed.

Deterministic: FUZZ_SEED and FUZZ_STEPS (default 10,000) override; the seed, the time per input
kind and, for each distinct finding, the input, the FSM state with its data and that user's
previous inputs are printed on failure. SQLite by default; FUZZ_PG=1 adds PostgreSQL
(TEST_DATABASE_URL or CI), at about twice the time.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import random
import re
import shutil
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram import Dispatcher
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import AnswerCallbackQuery, TelegramMethod
from aiogram.types import BufferedInputFile, Chat, Contact, PhotoSize, ReplyKeyboardMarkup
from sqlalchemy import text as sql

from bot.app import create_dispatcher
from bot.config import Settings
from bot.notifier import TelegramSender
from bot.scheduler import tick
from bot.services.clock import FrozenClock
from bot.services.schedule.delivery_limits import RateLimiter
from storage.db import create_engine, create_session_pool
from storage.models import Base
from tests.conftest import PG_URL
from tests.support.bot_client import BotClient
from tests.support.fuzz import (
    Inputs,
    RowAudit,
    install_audit,
    install_audit_pg,
    remove_audit_pg,
    reply_problems,
)
from tests.support.mocked_bot import BOT_TOKEN, MockedBot

# Seed 2 meets every known finding (issue 13 report); any other seed is a fresh search.
SEED = int(os.environ.get("FUZZ_SEED", "2"))
STEPS = int(os.environ.get("FUZZ_STEPS", "10000"))
NOW = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
# Words only one user ever types: a reply (or an exported file) to anyone else that holds one
# shows that user's data leaked.
MARKERS = {7001: "Ксилофон", 7002: "Zephyrine", 7003: "Квазарис"}
USERS = ((7001, "ru", "Анна"), (7002, "en", "Bob"), (7003, None, "Zoë <b>&</b>"))
PROJECT_DIRS = ("/bot/", "/handlers/", "/storage/")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Finding:
    kind: str
    where: str
    detail: str
    step: int
    user: int
    fsm_state: str | None
    action: str
    history: list[str]
    count: int = 1

    def show(self) -> str:
        before = "\n      ".join(self.history) or "(nothing)"
        return (
            f"[{self.kind}] {self.where} ×{self.count}\n"
            f"    {self.detail}\n"
            f"    first at step {self.step}, user {self.user}, FSM state {self.fsm_state}\n"
            f"    input: {self.action}\n"
            f"    that user's previous inputs:\n      {before}"
        )


@dataclass
class Fuzz:
    rng: random.Random
    dp: Dispatcher
    bot: MockedBot
    clock: FrozenClock
    audit: RowAudit
    pool: Any
    users: list[BotClient]
    inputs: Inputs
    records: _Records
    groups: list[BotClient] = field(default_factory=list)
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    history: dict[int, list[str]] = field(default_factory=dict)
    actions: Counter[str] = field(default_factory=Counter)
    spent: Counter[str] = field(default_factory=Counter)  # seconds per kind of input
    counts: Counter[str] = field(default_factory=Counter)

    def note(self, kind: str, where: str, detail: str, ctx: dict[str, Any]) -> None:
        key = (kind, where)
        if key in self.findings:
            self.findings[key].count += 1
            return
        self.findings[key] = Finding(kind, where, detail, **ctx)

    # --- one step --------------------------------------------------------------------------
    def _buttons(self, client: BotClient, newest: int = 12) -> list[tuple[int, str, str]]:
        out = []
        for reply in list(client.messages.values())[-newest:]:
            if reply.markup is None:
                continue
            for row in reply.markup.inline_keyboard:
                for b in row:
                    if b.callback_data:
                        out.append((reply.message_id, b.text, b.callback_data))
        return out

    def _reply_keyboard(self, client: BotClient) -> list[Any]:
        for reply in reversed(list(client.messages.values())[-5:]):
            if isinstance(reply.raw_markup, ReplyKeyboardMarkup):
                return [b for row in reply.raw_markup.keyboard for b in row]
        return []

    async def act(self, client: BotClient) -> tuple[str, str, Any]:
        """Picks one input; returns (kind, description, coroutine)."""
        r, inputs = self.rng, self.inputs
        kind = r.choices(
            ["text", "button", "foreign", "forged", "document", "keyboard", "other", "group"],
            [34, 34, 5, 10, 5, 6, 2, 2],
        )[0]
        if kind == "button":
            buttons = self._buttons(client)
            if buttons:
                # the newest keyboard most of the time
                mid, label, data = r.choice(buttons[-8:] if r.random() < 0.7 else buttons)
                return (
                    kind,
                    f"tap {label!r} ({data}) on message {mid}",
                    client.press(data, message_id=mid),
                )
            kind = "text"
        if kind == "foreign":
            others = [u for u in self.users if u is not client]
            buttons = self._buttons(r.choice(others), newest=40)
            if buttons:
                mid, label, data = r.choice(buttons)
                own = list(client.messages) or [1]
                at = r.choice([mid, r.choice(own)])
                return (
                    kind,
                    f"tap another user's {label!r} ({data}) on message {at}",
                    (client.press(data, message_id=at)),
                )
            kind = "forged"
        if kind == "forged":
            data = inputs.callback_data()
            own = list(client.messages) or [1]
            at = r.choice([r.choice(own), 1, 999_999])
            return kind, f"press forged {data!r} on message {at}", client.press(data, message_id=at)
        if kind == "document":
            content, name, mime = inputs.document()
            if r.random() < 0.5:  # as asked, after /import
                await self.step(client, "text", "/import", client.send("/import"))
            return (
                kind,
                f"document {name!r} ({mime}, {len(content)} B: {content[:60]!r}…)",
                client.send_document(content, name, mime),
            )
        if kind == "keyboard":
            buttons = self._reply_keyboard(client)
            if buttons:
                b = r.choice(buttons)
                if b.request_location:
                    lat, lon = r.choice([(55.75, 37.62), (56.84, 60.6), (0.0, 0.0), (90.0, 180.0)])
                    return kind, f"share location {lat},{lon}", client.send_location(lat, lon)
                return kind, f"keyboard button {b.text!r}", client.send(b.text)
            kind = "text"
        if kind == "group":  # the same users, in a group chat with the bot
            group = self.groups[self.users.index(client)]
            if r.random() < 0.3:
                buttons = self._buttons(client, newest=40)
                data = r.choice(buttons)[2] if buttons else inputs.callback_data()
                return kind, f"in a group, press ({data})", group.press(data)
            text = r.choice(["/start", "/help", "/help@kam_test_bot", inputs.text()])
            return kind, f"in a group, {text[:300]!r}", group.send(text)
        if kind == "other":
            which = r.random()
            if which < 0.4:
                lat, lon = r.choice([(55.75, 37.62), (-89.9, -179.9), (0.0, 0.0), (40.7, -74.0)])
                return "other", f"location {lat},{lon}", client.send_location(lat, lon)
            if which < 0.7:
                photo = [PhotoSize(file_id="p1", file_unique_id="p1", width=90, height=90)]
                return "other", "photo", client.send_update(photo=photo, caption=inputs.phrase())
            contact = Contact(phone_number=r.choice(["+79161234567", "0", "☎"]), first_name="Иван")
            return "other", "contact card", client.send_update(contact=contact)
        text = inputs.text()
        return "text", repr(text[:300]) + ("…" if len(text) > 300 else ""), client.send(text)

    async def step(self, client: BotClient, kind: str, action: str, coro: Any) -> None:
        user = client.user.id
        fsm = self.dp.fsm.get_context(self.bot, user, user)
        state = await fsm.get_state()
        state = f"{state} {str(await fsm.get_data())[:600]}"  # the draft explains most findings
        past = self.history.setdefault(user, [])
        ctx = {
            "step": self.n,
            "user": user,
            "fsm_state": state,
            "action": action,
            "history": past[-6:],
        }
        past.append(action)
        self.actions[kind] += 1
        del self.records.records[:]
        requests: list[TelegramMethod[Any]] = []
        started = time.perf_counter()
        try:
            requests = await coro
        except Exception as exc:  # noqa: BLE001 - recorded as a finding
            self.note("escaped", _where(exc), f"{type(exc).__name__}: {exc}"[:500], ctx)
        key = _cost_key(kind, action)
        self.spent[key] += time.perf_counter() - started
        self.counts[key] += 1
        for record in self.records.records:
            self._log_finding(record, ctx)
        pressed = kind in ("button", "foreign", "forged") or action.startswith("in a group, press")
        # in a group only /start, /help and buttons get an answer: the rest is others' chatter
        asked = kind != "group" or pressed or re.match(r"in a group, '/(start|help)\b", action)
        if not requests and asked:
            self.note("unanswered", f"{kind}: {action.split(' ')[0][:40]}", "no Bot API call", ctx)
        if pressed and requests and not any(isinstance(m, AnswerCallbackQuery) for m in requests):
            sent = ", ".join(m.__api_method__ for m in requests)
            self.note("callback not answered", action.split("(")[-1][:12], f"only {sent}", ctx)
        for method in requests:
            for problem in reply_problems(method):
                where = problem.split(":")[0]
                self.note("refused by Telegram", where, problem[:300], ctx)
            markup = getattr(method, "reply_markup", None)
            for row in getattr(markup, "inline_keyboard", None) or []:
                for b in row:
                    if b.callback_data:
                        self.inputs.learn(b.callback_data)
                    if (
                        len(self.inputs.seen_names) < 300
                        and 2 < len(b.text) < 40
                        and not any(w.casefold() in b.text.casefold() for w in MARKERS.values())
                    ):
                        self.inputs.seen_names.append(b.text)
        for method in requests:
            shown = _shown(method).casefold()
            for owner, word in MARKERS.items():
                if word.casefold() in shown and (owner != user or kind == "group"):
                    where = f"{method.__api_method__} to user {user} shows user {owner}'s data"
                    self.note("read leak", where, shown[:300], ctx)
        for rec, owners in await self.audit.changes():
            strangers = owners - {user}
            if kind == "group":
                self.note("written from a group", f"{rec['tbl']} {rec['op']}", str(rec), ctx)
            elif strangers:
                where = f"{rec['tbl']} {rec['op']}"
                detail = f"row of user(s) {sorted(strangers)} written by user {user}: {rec}"
                self.note("cross-user write", where, detail, ctx)

    def _log_finding(self, record: logging.LogRecord, ctx: dict[str, Any]) -> None:
        if record.levelno < logging.ERROR and not record.name.startswith("bot.i18n"):
            return
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            detail = f"{type(exc).__name__}: {exc}"[:500]
            self.note("exception", _where(exc), detail, ctx)
        else:
            self.note(f"log {record.levelname}", record.name, record.getMessage()[:300], ctx)

    async def tick(self) -> None:
        """The reminders minute job, as the scheduler runs it: its pings carry buttons too."""
        start = len(self.bot.session.requests)
        del self.records.records[:]
        ctx = {"step": self.n, "user": 0, "fsm_state": None, "action": "tick", "history": []}
        try:
            await tick(
                self.pool, TelegramSender(self.bot, RateLimiter(10**6, 0.0), self.clock), self.clock
            )
        except Exception as exc:  # noqa: BLE001 - recorded as a finding
            self.note("escaped", _where(exc), f"{type(exc).__name__}: {exc}"[:500], ctx)
        for record in self.records.records:
            self._log_finding(record, ctx)
        await self.audit.changes()  # the job writes every user's reminders: that is its work
        requests = self.bot.session.requests[start:]
        results = self.bot.session.results[start:]
        for client in self.users:
            mine = [(m, r) for m, r in zip(requests, results, strict=True)
                    if getattr(m, "chat_id", None) == client.user.id]  # fmt: skip
            client._track([m for m, _ in mine], [r for _, r in mine])
            for m, _ in mine:
                shown = _shown(m).casefold()
                for owner, word in MARKERS.items():
                    if word.casefold() in shown and owner != client.user.id:
                        where = f"reminder to user {client.user.id} shows user {owner}'s data"
                        self.note("read leak", where, shown[:300], ctx)
                for problem in reply_problems(m):
                    self.note("refused by Telegram", problem.split(":")[0], problem[:300], ctx)
        self.actions["tick"] += 1

    async def run(self, steps: int) -> None:
        client = self.users[0]
        for self.n in range(steps):
            if self.n % 250 == 249:
                await self.tick()
            if self.rng.random() > 0.7:
                client = self.rng.choice(self.users)
            if self.rng.random() < 0.02:
                self.clock.advance(
                    self.rng.choice(
                        [
                            timedelta(minutes=1),
                            timedelta(minutes=11),
                            timedelta(hours=5),
                            timedelta(days=1),
                            timedelta(days=40),
                        ]
                    )
                )
            self.inputs.own = MARKERS[client.user.id]
            kind, action, coro = await self.act(client)
            await self.step(client, kind, action, coro)


def _shown(method: TelegramMethod[Any]) -> str:
    """Everything a user would see of one request: text, caption, buttons, a sent file."""
    parts = [str(getattr(method, name, None) or "") for name in ("text", "caption")]
    markup = getattr(method, "reply_markup", None)
    for row in getattr(markup, "inline_keyboard", None) or []:
        parts.extend(b.text for b in row)
    for name in ("document", "photo"):
        sent = getattr(method, name, None)
        if isinstance(sent, BufferedInputFile):
            data = sent.data
            if data[:2] == b"PK":  # XLSX: the shared strings and sheets, unpacked
                with zipfile.ZipFile(io.BytesIO(data)) as z:
                    data = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
            parts.append(data.decode("utf-8", errors="ignore"))
    return "\n".join(parts)


def _cost_key(kind: str, action: str) -> str:
    """Groups inputs for the timing table: the command, the button's prefix, the input kind."""
    if kind == "text" and action.startswith("'/"):
        return action[1:].split(" ")[0].split("@")[0].rstrip("'")[:20].lower()
    if kind in ("button", "foreign", "forged"):
        found = re.search(r"\(([^:)]*):?([^:)]*)", action)
        return f"{kind} {found.group(1)}:{found.group(2)}" if found else kind
    return kind


def _where(exc: BaseException) -> str:
    """The innermost frame of the project's code, as file:line function."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if any(d in f.filename for d in PROJECT_DIRS)]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return type(exc).__name__
    path = frame.filename.split("/work/main/")[-1]
    return f"{type(exc).__name__} at {path}:{frame.lineno} in {frame.name}"


@pytest.fixture
def fuzz_db(sqlite_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "fuzz.db"
    shutil.copyfile(sqlite_template, path)
    install_audit(str(path))
    return path


# PostgreSQL doubles the CI time for little: the fuzz finds handler bugs, and the per-dialect
# paths have their own tests. FUZZ_PG=1 (with TEST_DATABASE_URL or CI) runs it there too.
FUZZ_BACKENDS = ["sqlite", *(["postgres"] if PG_URL and os.environ.get("FUZZ_PG") else [])]


async def _fresh_pg(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()
    await install_audit_pg(url)


@pytest.fixture(params=FUZZ_BACKENDS)
def fuzz_target(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(database URL, where the row audit reads): a fresh database with the audit installed."""
    if request.param == "sqlite":
        path: Path = request.getfixturevalue("fuzz_db")
        yield f"sqlite+aiosqlite:///{path}", str(path)
        return
    url = str(request.getfixturevalue("postgres_url"))
    asyncio.run(_fresh_pg(url))
    try:
        yield url, url
    finally:
        asyncio.run(remove_audit_pg(url))


async def test_fuzz_ten_thousand_random_updates_from_three_users(
    fuzz_target: tuple[str, str],
) -> None:
    url, audited = fuzz_target
    engine = create_engine(url)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, bot_token=BOT_TOKEN, database_url=url, throttle_burst=10**9
    )
    clock = FrozenClock(NOW)
    pool = create_session_pool(engine)
    dp = create_dispatcher(settings, pool, clock=clock, storage=MemoryStorage())
    bot = MockedBot()
    users = [
        BotClient(dp, bot, user_id=u, language_code=lang, first_name=name)
        for u, lang, name in USERS
    ]
    groups = [BotClient(dp, bot, user_id=u, language_code=lg, first_name=n) for u, lg, n in USERS]
    for group in groups:
        group.chat = Chat(id=-100_777, type="supergroup", title="Отдел продаж")
    records = _Records()
    root = logging.getLogger()
    root.addHandler(records)
    audit = RowAudit(audited)
    rng = random.Random(SEED)
    fuzz = Fuzz(rng, dp, bot, clock, audit, pool, users, Inputs(rng), records, groups)
    started = time.perf_counter()
    try:
        await fuzz.run(STEPS)
    finally:
        root.removeHandler(records)
        await audit.close()
        await engine.dispose()
    elapsed = time.perf_counter() - started
    summary = (
        f"FUZZ_SEED={SEED} FUZZ_STEPS={STEPS}: {elapsed:.1f} s, inputs {dict(fuzz.actions)}, "
        f"{len(bot.session.requests)} Bot API calls"
    )
    handled = sum(fuzz.spent.values())
    slowest = ", ".join(
        f"{k} {v:.1f}s/{fuzz.counts[k]} ({1000 * v / fuzz.counts[k]:.0f} ms)"
        for k, v in fuzz.spent.most_common(15)
    )
    summary += (
        f"\nin the bot {handled:.1f} s ({1000 * handled / max(1, sum(fuzz.counts.values())):.0f}"
        f" ms an update), in the fuzzer's checks {elapsed - handled:.1f} s"
        f"\nslowest inputs: {slowest}"
    )
    print(summary)
    findings = sorted(fuzz.findings.values(), key=lambda f: (f.kind, f.where))
    report = "\n\n".join(f.show() for f in findings)
    assert not findings, f"{summary}\n{len(findings)} distinct findings:\n\n{report}"


async def test_the_row_audit_names_the_owner_of_every_row_written(
    fuzz_target: tuple[str, str],
) -> None:
    """The fuzzer's leak detector itself: a touch on Anna's client, written by Bob's update,
    is reported as a row of Anna's."""
    url, audited = fuzz_target
    engine = create_engine(url)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, bot_token=BOT_TOKEN, database_url=url, throttle_burst=10**9
    )
    dp = create_dispatcher(
        settings, create_session_pool(engine), clock=FrozenClock(NOW), storage=MemoryStorage()
    )
    bot = MockedBot()
    anna, bob = (BotClient(dp, bot, user_id=u, language_code=lang) for u, lang, _ in USERS[:2])
    audit = RowAudit(audited)
    try:
        await anna.send("/client Ромашка")
        await anna.click("Создать")
        await anna.send("/call Ромашка обсудили поставку")
        owners = {u for _, found in await audit.changes() for u in found}
        assert owners == {anna.user.id}
        await bob.send("/help")
        await audit.changes()
        await audit.db.execute("UPDATE clients SET name = 'Ромашка 2'")  # as if by Bob's update
        written = await audit.changes()
        assert {u for _, found in written for u in found} == {anna.user.id}
        assert {rec["tbl"] for rec, _ in written} == {"clients"}
        await audit.db.execute("DELETE FROM clients")  # the cascade takes the touch with it
        written = await audit.changes()
        assert {u for _, found in written for u in found} == {anna.user.id}
        assert {rec["tbl"] for rec, _ in written} == {"clients", "interactions"}
    finally:
        await audit.close()
        await engine.dispose()
