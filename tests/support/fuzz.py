"""The fuzzer of issue 13: random but grammar-biased input from several users on one database.

Three parts, used by tests/flows/test_fuzz.py:
- ``Inputs``: texts, commands, callback data and files, biased toward the bot's grammar;
- ``RowAudit``: SQLite triggers that log every row written, so each change can be traced to the
  Telegram user who owns the row (a change to a row of user Y while handling an update of user X
  is a leak);
- ``reply_problems``: what Telegram itself would refuse in a reply (bad HTML, too long, too much
  callback data), checked on every recorded request.
"""

from __future__ import annotations

import html
import inspect
import io
import random
import re
import sqlite3
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aiogram.client.default import Default
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup

from handlers import callbacks
from tests.support.spreadsheets import csv_bytes, inn10, inn12, russian_clients, xlsx_bytes

# --- the grammar ------------------------------------------------------------------------------
COMMANDS = [
    "start", "help", "settings", "cancel", "client", "clients", "contact", "call", "log", "note",
    "notes", "brief", "today", "birthdays", "sale", "plan", "request", "review", "kpi", "import",
    "export", "undo", "demo", "team", "handover", "privacy",
]  # fmt: skip
# /demo, /export and /import are the costly ones; the rest are cheap
COMMAND_WEIGHTS = {"demo": 0.15, "export": 0.3, "kpi": 0.6, "team": 0.3, "handover": 0.3}
CLIENTS = [
    "Ромашка", "ромашко", "Romashka", "Ромашка-Юг", "Технопром", "ЁлкаСтрой", "елкастрой",
    "Уралсталь", "Уралстали", "Acme", "ООО «Ромашка»", 'АО "Вектор 1"', "Вектор", "Ромашке",
    "Ромашкой", "у Технопрома", "Иван Петров", "Иван", "X", "ЛПР", "Альфа-Банк", "Bob's <Shop>",
    "Мега & Ко", "Техно&nbsp;пром", "Кафе «Уют»",
]  # fmt: skip
WORDS = [
    "обсудили поставку", "КП", "перезвонить", "договорились", "отказ", "встреча в офисе",
    "письмо отправил прайс", "звонок", "визит", "сообщение", "всё ок", "agreed", "meeting",
    "call back", "sent the price list", "сын сдаёт ЕГЭ в июне", "#семья", "#хобби", "#private",
    "🔒", "#vip", "напомни", "remind me on", "спросить, как сдал", "скидка 5,5%", "+", "-", "👍",
    "👎", "плюс", "минус", "positive", "negative", "закупки", "директор", "др", "курьер опоздал",
    "не пришла доставка", "кабель", "опт", "ключевой", "месяц", "квартал", "год", "неделя",
    "week", "month", "quarter", "year", "кватрал", "off", "выкл", "on", "join_abc", "join_",
]  # fmt: skip
DATES = [
    "завтра", "завтра в 7:30", "завтра в 15", "в пятницу", "в пт", "до пт", "к пятнице",
    "через 2 недели", "через 0 дней", "через 99999 лет", "12.03", "12 марта", "31.02", "29.02",
    "29.02.2027", "00.00", "99.99.9999", "вчера", "вчера в 14:30", "сегодня в 25:61", "2027 год",
    "next Friday", "March 3", "next Monday", "5 июня", "1.1.1", "12.03.1980", "31 февраля",
    "в 7", "в 24:00", "01.01.0001", "31.12.9999", "-1 день",
]  # fmt: skip
AMOUNTS = [
    "150 000", "150к", "1,2 млн", "150k", "0", "-5", "1e309", "99999999999999999999", "0,01",
    "NaN", "∞", "9 млн", "500 000", "1.5", "1 250 000 ₽", "$100", "10^9", "٣٠٠", "１５０",
    "9223372036854775807", "0.000001", "1,,2",
]  # fmt: skip
TIMES = [
    "8:30", "9", "25:00", "-1", "22-7", "21:30–08:00", "с 23 до 7", "off", "выкл", "0:00",
    "23:59", "24:00", "7:60", "9.30", "полдень",
]  # fmt: skip
PLACES = [
    "Москва", "екатеринбур", "Новосибирск", "London", "нью йорк", "+3", "UTC+5", "GMT-4",
    "мск+2", "+5:30", "+14", "-12", "+99", "Europe/Berlin", "Mars/Olympus", "Etc/GMT+12", "UTC",
]  # fmt: skip
ODD = [
    "<b>&</code>", "<script>alert(1)</script>", "&amp;", "&lt;", "</b>", '<a href="x">',
    "\x00", "\u202e", "שלום", "مرحبا", "👨‍👩‍👧‍👦", "🇷🇺", "e\u0301", "\u200b", "\ufeff", "%s",
    "{ $name }", "{}", "'; DROP TABLE clients; --", "\\", "\t", "\n\n\n", "‮", "ё", "Ё",
    "ＡＢＣ", "Ǆ", "ß", "İ", "\r\n", "```", "*bold*", "_", "@kam_test_bot",
]  # fmt: skip
FILE_NAMES = [
    "база.csv", "clients.CSV", "x.xlsx", "b.xlsm", "data.tsv", "a.txt", "", ".csv", "noext",
    "../../etc/passwd.csv", "файл.XLSX", "a" * 250 + ".csv", "<b>.csv", "report.pdf", "x.xls",
    "📎.csv", "con.csv", "file.csv.exe",
]  # fmt: skip
MIME_TYPES = [
    "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream", "text/plain", "application/pdf", "application/zip",
]  # fmt: skip
HEADERS = [
    "Клиент", "ИНН", "Контакт", "День рождения", "Телефон", "Email", "Name", "Company",
    "Наименование", "Должность", "Метки", "Комментарий", "", "Клиент",
]  # fmt: skip


def callback_factories() -> list[type[CallbackData]]:
    return [
        obj
        for _, obj in inspect.getmembers(callbacks, inspect.isclass)
        if issubclass(obj, CallbackData) and obj is not CallbackData
    ]


class Inputs:
    """Random input, biased toward what the bot understands. Deterministic for one seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.factories = callback_factories()
        self.seen_ids: set[int] = {1, 2, 3}
        # values seen per (prefix, position) in the bot's own buttons
        self.seen_parts: dict[tuple[str, int], set[str]] = {}
        self.seen_names: list[str] = []
        self.own: str | None = None  # the current user's private marker word

    # texts ------------------------------------------------------------------------------------
    def _piece(self) -> str:
        r = self.rng
        pools = [CLIENTS, WORDS, DATES, AMOUNTS, TIMES, PLACES, ODD]
        weights = [4, 5, 3, 2, 1, 1, 1]
        if self.seen_names:
            pools.append(self.seen_names)
            weights.append(2)
        if self.own:  # a name only this user ever types: seen by another user, it leaked
            pools.append([self.own, f"{self.own}-Юг", f"ООО «{self.own}»"])
            weights.append(2)
        return r.choice(r.choices(pools, weights)[0])

    def _junk(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.3:
            return "".join(chr(r.randint(0x20, 0x7E)) for _ in range(r.randint(1, 40)))
        if kind < 0.6:
            return "".join(chr(r.randint(0x400, 0x4FF)) for _ in range(r.randint(1, 40)))
        if kind < 0.8:  # any plane, no lone surrogates (Telegram sends valid UTF-8 only)
            out = []
            for _ in range(r.randint(1, 20)):
                c = r.randint(1, 0x10FFFF)
                out.append(chr(c) if not 0xD800 <= c <= 0xDFFF else "x")
            return "".join(out)
        return r.choice(ODD) * r.randint(1, 50)

    def phrase(self, max_pieces: int = 6) -> str:
        r = self.rng
        parts = [self._piece() for _ in range(r.randint(1, max_pieces))]
        if r.random() < 0.1:
            parts.insert(r.randrange(len(parts) + 1), self._junk())
        sep = r.choice([" ", " ", " ", ", ", ": ", "\n", "  "])
        return sep.join(parts)

    def long_text(self) -> str:
        r = self.rng
        unit = self.phrase() + " "
        return (unit * (4096 // max(1, len(unit)) + 1))[: r.choice([1000, 4000, 4096])]

    def command(self) -> str:
        r = self.rng
        names = COMMANDS
        weights = [COMMAND_WEIGHTS.get(c, 1.0) for c in names]
        name = r.choices(names, weights)[0]
        if r.random() < 0.05:
            name = r.choice([name.upper(), name + "@kam_test_bot", name + "@other_bot", "x" + name])
        if r.random() < 0.03:
            name = self._junk().replace(" ", "")[:30] or "q"
        head = "/" + name
        shape = r.random()
        if shape < 0.25:
            return head
        if shape < 0.4 and name == "start":
            return head + " " + r.choice(["join_abc", "join_", "join_" + "z" * 60, "ref", "🙂"])
        if shape < 0.75:
            return f"{head} {self.phrase()}"
        if shape < 0.9:  # "<client>: <text>" / "<client> <amount> <line> <date>"
            return (
                f"{head} {self._piece()}{r.choice([':', '', ' -', ' +'])} "
                f"{r.choice(AMOUNTS)} {self.phrase(3)} {r.choice(DATES)}"
            )
        if shape < 0.97:
            return f"{head} {self._junk()}"
        return f"{head} {self.long_text()}"[:4096]

    def text(self) -> str:
        r = self.rng
        shape = r.random()
        if shape < 0.35:
            return self.command()
        if shape < 0.6:  # plain "Client: text" is a /log
            return f"{self._piece()}: {self.phrase()}"
        if shape < 0.85:
            return self.phrase()
        if shape < 0.95:
            return self._junk()
        if shape < 0.98:
            return self.long_text()
        return r.choice([" ", ".", "/", "//", "/ ", "\u3000", "0", "?"])

    # callback data ------------------------------------------------------------------------------
    def learn(self, data: str) -> None:
        parts = data.split(":")
        for i, part in enumerate(parts[1:], 1):
            self.seen_parts.setdefault((parts[0], i), set()).add(part)
            if re.fullmatch(r"-?\d{1,12}", part):
                self.seen_ids.add(int(part))

    def _int(self) -> str:
        r = self.rng
        return str(
            r.choice(
                [
                    *([r.choice(sorted(self.seen_ids))] * 6),
                    0,
                    -1,
                    1,
                    2,
                    2**31,
                    2**31 - 1,
                    2**63,
                    2**63 - 1,
                    -(2**63),
                    10**30,
                ]
            )
        )

    def callback_data(self) -> str:
        r = self.rng
        factory = r.choice(self.factories)
        prefix = factory.__prefix__
        out = [prefix]
        names = list(factory.model_fields)
        for i, name in enumerate(names, 1):
            annotation = factory.model_fields[name].annotation
            seen = sorted(self.seen_parts.get((prefix, i), ()))
            pick = r.random()
            if pick < 0.5 and seen:
                out.append(r.choice(seen))
            elif annotation is int and pick < 0.9:
                out.append(self._int())
            elif annotation is bool and pick < 0.9:
                out.append(r.choice(["0", "1", "true", "false", "maybe", ""]))
            elif pick < 0.95:
                out.append(r.choice(["", "x", "open", "undo", "1h", "all", "-1", "🙂", "p", "a"]))
            else:
                out.append(self._junk().replace(":", "")[:40])
        shape = r.random()
        if shape < 0.1 and len(out) > 1:  # missing fields
            out = out[: r.randint(1, len(out) - 1)]
        elif shape < 0.15:  # an extra one
            out.append(self._int())
        elif shape < 0.18:
            out = [r.choice(["", "zz", prefix + "x", "::::", prefix.upper()]), *out[1:]]
        data = ":".join(out)
        return data.encode()[:64].decode(errors="ignore")

    # files --------------------------------------------------------------------------------------
    def _rows(self) -> list[list[Any]]:
        r = self.rng
        if r.random() < 0.3:
            return russian_clients(r.randint(0, 12))
        width = r.randint(0, 8)
        header = [r.choice(HEADERS) for _ in range(width)]
        rows: list[list[Any]] = [header]
        for i in range(r.randint(0, 15)):
            row: list[Any] = []
            for _ in range(r.randint(0, width + 2)):
                row.append(
                    r.choice(
                        [
                            self._piece(),
                            "",
                            None,
                            inn10(i),
                            inn12(i),
                            "1234567890",
                            r.choice(DATES),
                            r.randint(-10, 10**12),
                            3.5,
                            "=1+1",
                            self._junk(),
                        ]
                    )
                )
            rows.append(row)
        return rows

    def document(self) -> tuple[bytes, str, str]:
        r = self.rng
        kind = r.random()
        name = r.choice(FILE_NAMES)
        mime = r.choice(MIME_TYPES)
        if kind < 0.1:
            content = b""
        elif kind < 0.25:
            content = r.randbytes(r.randint(1, 3000))
        elif kind < 0.6:
            rows = self._rows()
            enc = r.choice(["utf-8", "utf-8", "cp1251", "utf-16", "koi8-r", "latin-1"])
            try:
                content = csv_bytes(
                    rows,
                    encoding=enc,
                    delimiter=r.choice([",", ";", "\t", "|"]),
                    bom=r.random() < 0.2,
                )
            except UnicodeEncodeError:
                content = csv_bytes(rows, encoding="utf-8")
            if r.random() < 0.3:  # garbage: a cut, a stray quote, a NUL
                cut = r.randint(0, len(content))
                content = content[:cut] + r.choice([b'"', b"\x00", b"\r", b"", b'\n"a']) * 3
            if not name or r.random() < 0.5:
                name = r.choice(["база.csv", "x.csv", "t.tsv", "a.txt"])
        elif kind < 0.9:
            rows = self._rows()
            try:
                content = xlsx_bytes({r.choice(["Sheet", "Лист1", "x" * 31]): rows})
            except Exception:  # noqa: BLE001 - openpyxl refuses some cells: an empty book then
                content = xlsx_bytes({"Sheet": []})
            if r.random() < 0.4:  # truncated or a flipped byte
                if r.random() < 0.5:
                    content = content[: r.randint(0, len(content))]
                else:
                    i = r.randrange(len(content))
                    content = content[:i] + bytes([content[i] ^ 0xFF]) + content[i + 1 :]
            if not name or r.random() < 0.6:
                name = r.choice(["x.xlsx", "b.xlsm", "файл.XLSX"])
        else:  # a zip that is not a workbook
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as z:
                z.writestr(r.choice(["a.txt", "xl/workbook.xml", "[Content_Types].xml"]), b"<x/>")
            content = buffer.getvalue()
            name = r.choice(["x.xlsx", "y.zip", "z.csv"])
        return content, name, mime


# --- replies Telegram would refuse -------------------------------------------------------------
_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "code", "pre", "blockquote", "tg-emoji",
}  # fmt: skip
_TOKEN = re.compile(r"<(/?)([a-zA-Z][\w-]*)([^<>]*)>|<|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|&")


def html_problem(text: str) -> str | None:
    """What Telegram's HTML parser would refuse ("can't parse entities"), or None."""
    stack: list[str] = []
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        if token == "<":
            return f"a bare '<' at {m.start()}: {text[max(0, m.start() - 20) : m.start() + 20]!r}"
        if token == "&":
            return f"a bare '&' at {m.start()}: {text[max(0, m.start() - 20) : m.start() + 20]!r}"
        if token.startswith("&"):
            name = m.group(4)
            if not name.startswith("#") and name not in {"lt", "gt", "amp", "quot"}:
                return f"unsupported entity {token!r}"
            continue
        closing, tag = m.group(1), m.group(2).lower()
        if tag not in _TAGS:
            return f"unsupported tag {token!r}"
        if closing:
            if not stack or stack[-1] != tag:
                return f"unbalanced {token!r}"
            stack.pop()
        else:
            stack.append(tag)
    return f"unclosed <{stack[-1]}>" if stack else None


def _plain_length(text: str) -> int:
    return len(html.unescape(re.sub(r"<[^<>]*>", "", text)).encode("utf-16-le")) // 2


def _is_html(method: Any) -> bool:
    mode = getattr(method, "parse_mode", None)
    return isinstance(mode, Default) or mode == "HTML"


def _markup_problems(markup: Any) -> Iterable[str]:
    if isinstance(markup, InlineKeyboardMarkup):
        for row in markup.inline_keyboard:
            for b in row:
                if not b.text:
                    yield "an inline button without text"
                if b.callback_data is not None and len(b.callback_data.encode()) > 64:
                    yield f"callback_data over 64 bytes: {b.callback_data[:80]!r}"
    elif isinstance(markup, ReplyKeyboardMarkup):
        for row in markup.keyboard:
            for b in row:
                if not b.text:
                    yield "a keyboard button without text"


def reply_problems(method: TelegramMethod[Any]) -> list[str]:
    out: list[str] = []
    if isinstance(method, SendMessage | EditMessageText):
        text = method.text
        if not html.unescape(re.sub(r"<[^<>]*>", "", text)).strip():
            out.append(f"an empty message text: {method.__api_method__} {text!r}")
        limit_text = text if not _is_html(method) else None
        if _is_html(method):
            problem = html_problem(text)
            if problem:
                out.append(f"invalid HTML: {problem}")
            elif _plain_length(text) > 4096:
                out.append(f"message text over 4096 characters ({_plain_length(text)})")
        elif limit_text is not None and len(limit_text) > 4096:
            out.append(f"message text over 4096 characters ({len(limit_text)})")
        out.extend(_markup_problems(method.reply_markup))
    elif isinstance(method, AnswerCallbackQuery):
        if method.text and len(method.text) > 200:
            out.append(f"callback answer over 200 characters ({len(method.text)})")
    elif isinstance(method, SendDocument | SendPhoto):
        caption = method.caption
        if caption and _is_html(method):
            problem = html_problem(caption)
            if problem:
                out.append(f"invalid HTML in caption: {problem}")
            elif _plain_length(caption) > 1024:
                out.append("caption over 1024 characters")
        out.extend(_markup_problems(method.reply_markup))
    elif isinstance(method, EditMessageReplyMarkup):
        out.extend(_markup_problems(method.reply_markup))
    return out


# --- who owns each row written ------------------------------------------------------------------
# table -> the columns that tell the owner: m = manager id, c = client id, k = contact id,
# n = note id, i = row id
_OWNER_COLUMNS: dict[str, dict[str, str]] = {
    "managers": {"i": "id", "m": "sandbox_of_id"},
    "clients": {"i": "id", "m": "owner_id"},
    "client_tags": {"c": "client_id"},
    "contacts": {"i": "id", "c": "client_id"},
    "interactions": {"i": "id", "m": "manager_id", "c": "client_id", "k": "contact_id"},
    "notes": {"i": "id", "m": "manager_id", "c": "client_id", "k": "contact_id"},
    "note_tags": {"n": "note_id"},
    "sales": {"i": "id", "m": "manager_id", "c": "client_id"},
    "plans": {"i": "id", "m": "manager_id", "c": "client_id"},
    "requests": {"i": "id", "m": "manager_id", "c": "client_id"},
    "reviews": {"i": "id", "m": "manager_id", "c": "client_id"},
    "reminders": {
        "i": "id",
        "m": "manager_id",
        "c": "client_id",
        "k": "contact_id",
        "n": "note_id",
    },
    "teams": {"i": "id"},
}


def install_audit(path: str) -> None:
    """Triggers on every owned table that copy the owner columns of each written row (old and
    new side) into fuzz_audit. Cascades fire them too."""
    con = sqlite3.connect(path)
    try:
        con.execute(
            "CREATE TABLE fuzz_audit (seq INTEGER PRIMARY KEY, tbl TEXT, op TEXT, side TEXT,"
            " i INTEGER, m INTEGER, c INTEGER, k INTEGER, n INTEGER)"
        )
        for table, cols in _OWNER_COLUMNS.items():
            for op, sides in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"])):
                body = []
                for side in sides:
                    values = ", ".join(
                        f"{side}.{cols[key]}" if key in cols else "NULL" for key in "imckn"
                    )
                    body.append(
                        "INSERT INTO fuzz_audit (tbl, op, side, i, m, c, k, n) VALUES "
                        f"('{table}', '{op}', '{side}', {values});"
                    )
                con.execute(
                    f"CREATE TRIGGER fuzz_{table}_{op.lower()} AFTER {op} ON {table} "
                    f"BEGIN {' '.join(body)} END"
                )
        con.commit()
    finally:
        con.close()


# PostgreSQL: one generic trigger function reads the owner columns by name from the row as JSON.
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION fuzz_audit_fn() RETURNS trigger AS $$
DECLARE r jsonb;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    r := to_jsonb(OLD);
    INSERT INTO fuzz_audit (tbl, op, side, i, m, c, k, n) VALUES (TG_TABLE_NAME, TG_OP, 'OLD',
      (r->>TG_ARGV[0])::bigint, (r->>TG_ARGV[1])::bigint, (r->>TG_ARGV[2])::bigint,
      (r->>TG_ARGV[3])::bigint, (r->>TG_ARGV[4])::bigint);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    r := to_jsonb(NEW);
    INSERT INTO fuzz_audit (tbl, op, side, i, m, c, k, n) VALUES (TG_TABLE_NAME, TG_OP, 'NEW',
      (r->>TG_ARGV[0])::bigint, (r->>TG_ARGV[1])::bigint, (r->>TG_ARGV[2])::bigint,
      (r->>TG_ARGV[3])::bigint, (r->>TG_ARGV[4])::bigint);
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql
"""


def _pg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def install_audit_pg(url: str) -> None:
    import asyncpg

    con = await asyncpg.connect(_pg_dsn(url))
    try:
        await remove_audit_pg(url, con)
        await con.execute(
            "CREATE TABLE fuzz_audit (seq BIGSERIAL PRIMARY KEY, tbl TEXT, op TEXT, side TEXT,"
            " i BIGINT, m BIGINT, c BIGINT, k BIGINT, n BIGINT)"
        )
        await con.execute(_PG_FUNCTION)
        for table, cols in _OWNER_COLUMNS.items():
            args = ", ".join(f"'{cols.get(key, 'none')}'" for key in "imckn")
            await con.execute(
                f"CREATE TRIGGER fuzz_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION fuzz_audit_fn({args})"
            )
    finally:
        await con.close()


async def remove_audit_pg(url: str, con: Any = None) -> None:
    """Leaves the shared test database as the migrations made it."""
    import asyncpg

    own = con is None
    con = con or await asyncpg.connect(_pg_dsn(url))
    try:
        for table in _OWNER_COLUMNS:
            await con.execute(f"DROP TRIGGER IF EXISTS fuzz_{table} ON {table}")
        await con.execute("DROP FUNCTION IF EXISTS fuzz_audit_fn()")
        await con.execute("DROP TABLE IF EXISTS fuzz_audit")
    finally:
        if own:
            await con.close()


class _Sqlite:
    def __init__(self, path: str) -> None:
        self.con = sqlite3.connect(path, timeout=30)
        self.con.execute("PRAGMA foreign_keys = ON")

    async def execute(self, sql: str) -> None:
        self.con.execute(sql)
        self.con.commit()

    async def fetch(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, args).fetchall()

    async def close(self) -> None:
        self.con.close()


class _Postgres:
    def __init__(self, url: str) -> None:
        self.url = url
        self.con: Any = None

    async def execute(self, sql: str) -> None:
        await self.fetch("SELECT 1")
        await self.con.execute(sql)

    async def fetch(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        import asyncpg

        if self.con is None:
            self.con = await asyncpg.connect(_pg_dsn(self.url))
        count = iter(range(1, 100))
        sql = re.sub(r"\?", lambda _: f"${next(count)}", sql)
        return [tuple(r) for r in await self.con.fetch(sql, *args)]

    async def close(self) -> None:
        if self.con is not None:
            await self.con.close()


@dataclass
class RowAudit:
    """Reads fuzz_audit after each update and names the Telegram users whose rows changed.

    ``where`` is a SQLite file path or a PostgreSQL URL."""

    where: str
    client_owner: dict[int, int] = field(default_factory=dict)  # client -> manager
    contact_client: dict[int, int] = field(default_factory=dict)
    note_manager: dict[int, int] = field(default_factory=dict)
    manager_user: dict[int, int] = field(default_factory=dict)  # manager -> telegram id
    last_seq: int = 0

    def __post_init__(self) -> None:
        pg = self.where.startswith("postgresql")
        self.db: _Sqlite | _Postgres = _Postgres(self.where) if pg else _Sqlite(self.where)

    async def close(self) -> None:
        await self.db.close()

    async def _refresh_managers(self) -> None:
        rows = await self.db.fetch("SELECT id, telegram_id, sandbox_of_id FROM managers")
        by_id = {mid: (tg, sandbox) for mid, tg, sandbox in rows}
        for mid, (tg, sandbox) in by_id.items():
            owner = by_id.get(sandbox, (tg, None))[0] if sandbox else tg
            self.manager_user[mid] = owner

    async def _fill(self, cache: dict[int, int], table: str, column: str, ids: set[int]) -> None:
        """Owners of rows written before the audit began (none in the fuzz, but be exact)."""
        for row_id in ids - cache.keys():
            found = await self.db.fetch(f"SELECT {column} FROM {table} WHERE id = ?", row_id)
            if found and found[0][0] is not None:
                cache[row_id] = found[0][0]

    def _user_of_manager(self, mid: int | None) -> int | None:
        if mid is None:
            return None
        return self.manager_user.get(mid, -mid)  # a manager gone without a trace: unknown

    def _user_of_client(self, cid: int | None) -> int | None:
        if cid is None or cid not in self.client_owner:
            return None
        return self._user_of_manager(self.client_owner[cid])

    async def changes(self) -> list[tuple[dict[str, Any], set[int]]]:
        """Rows written since the last call, each with the set of users who own it."""
        rows = await self.db.fetch(
            "SELECT seq, tbl, op, side, i, m, c, k, n FROM fuzz_audit WHERE seq > ? ORDER BY seq",
            self.last_seq,
        )
        if not rows:
            return []
        self.last_seq = rows[-1][0]
        await self._refresh_managers()
        records = [
            dict(zip(("seq", "tbl", "op", "side", "i", "m", "c", "k", "n"), r, strict=True))
            for r in rows
        ]
        for rec in records:  # learn owners first: children may point at rows made just now
            if rec["tbl"] == "clients" and rec["i"] is not None and rec["m"] is not None:
                self.client_owner[rec["i"]] = rec["m"]
            elif rec["tbl"] == "contacts" and rec["i"] is not None and rec["c"] is not None:
                self.contact_client[rec["i"]] = rec["c"]
            elif rec["tbl"] == "notes" and rec["i"] is not None and rec["m"] is not None:
                self.note_manager[rec["i"]] = rec["m"]
        await self._fill(self.contact_client, "contacts", "client_id", {
            r["k"] for r in records if r["k"] is not None
        })  # fmt: skip
        await self._fill(self.note_manager, "notes", "manager_id", {
            r["n"] for r in records if r["n"] is not None
        })  # fmt: skip
        clients = {r["c"] for r in records if r["c"] is not None}
        clients |= {self.contact_client[r["k"]] for r in records if r["k"] in self.contact_client}
        await self._fill(self.client_owner, "clients", "owner_id", clients)
        out = []
        for rec in records:
            owners: set[int | None] = set()
            if rec["tbl"] == "managers":
                owners.add(self._user_of_manager(rec["i"]))
            owners.add(self._user_of_manager(rec["m"]))
            if rec["tbl"] != "clients":
                owners.add(self._user_of_client(rec["c"]))
            if rec["k"] is not None:
                owners.add(self._user_of_client(self.contact_client.get(rec["k"])))
            if rec["n"] is not None:
                owners.add(self._user_of_manager(self.note_manager.get(rec["n"])))
            out.append((rec, {o for o in owners if o is not None}))
        return out
