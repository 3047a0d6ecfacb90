"""Fairness benchmark, printed figures (not a pass/fail test): A's heavy work vs B's /help.

The real `python -m bot` process (SQLite) polls an in-process fake Telegram Bot API, so the
bot's real polling path is measured. User A owns a base of --clients clients (imported through
the bot first). Then, measured:

1. baseline: user B sends /help alone, one at a time (each waits for its answer);
2. under load: A sends a --clients-row import (preview, then the "Import" button) and two
   /export, while B keeps sending /help every --interval seconds until A's work is done.

B's /help latency is push → the bot's sendMessage to B, as the fake server saw them. Replies in
one chat come in the order of its updates (both before and after per-chat concurrency), so the
n-th reply to B answers B's n-th /help. Goal: under load, B's p95 <= 1 s.

Run: .venv/bin/python -m bench.bench_fairness [--clients N] [--interval S] [--alone K]
     [--database-url postgresql+asyncpg://...]   (your own database: it is emptied first)
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.common import median_ms, p95_ms
from tests.e2e.harness import BotProcess, Chat
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.support.spreadsheets import csv_bytes, inn10, russian_clients

USER_A = 930_001
USER_B = 930_002
GOAL_P95_MS = 1000.0
SETUP_TIMEOUT = 600.0
LOAD_TIMEOUT = 900.0
IMPORT_BUTTON = "Импортировать"
CSV_MIME = "text/csv"


def base_rows(count: int, *, prefix: str, region: int) -> list[list[str]]:
    """russian_clients with names, INNs and phones of their own, so a second file adds new
    clients instead of matching the first one's (import matches on name, INN and phone)."""
    rows = russian_clients(count)
    for i, row in enumerate(rows[1:]):
        row[0] = f"ООО «{prefix}-{i}»"
        row[1] = inn10(300_000 + i, region=region)
        row[2] = f"+7 {region:03d} {i // 10_000:03d} {(i // 100) % 100:02d} {i % 100:02d}"
    return rows


def to_chat(call: Call, chat_id: int) -> bool:
    try:
        return int(call.params.get("chat_id", 0)) == chat_id
    except (TypeError, ValueError):
        return False


def wait_until(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.01)


def replies_to(api: FakeTelegramAPI, chat_id: int, mark: int) -> list[Call]:
    return [
        c for c in api.calls()[mark:] if c.method == "sendMessage" and c.ok and to_chat(c, chat_id)
    ]


def import_file(
    api: FakeTelegramAPI, chat: Chat, content: bytes, name: str, timeout: float
) -> None:
    """A's import through the bot: the document, the preview with its button, the button."""
    mark = api.mark()
    api.push_document(chat.user_id, content, name, CSV_MIME)
    wait_until(
        lambda: any(
            "inline_keyboard" in str(c.params.get("reply_markup", ""))
            for c in replies_to(api, chat.user_id, mark)
        ),
        timeout,
        "no import preview",
    )
    message_id, data = chat.find_button(IMPORT_BUTTON)
    mark = api.mark()
    api.push_callback(chat.user_id, data, message_id)
    wait_until(
        lambda: (
            any(
                c.method == "editMessageText"
                and to_chat(c, chat.user_id)
                and "Новых клиентов" in str(c.params.get("text", ""))
                for c in api.calls()[mark:]
            )
            or any(
                "Новых клиентов" in str(c.params.get("text", ""))
                for c in replies_to(api, chat.user_id, mark)
            )
        ),
        timeout,
        "import did not finish",
    )


def measure_alone(api: FakeTelegramAPI, chat_b: Chat, count: int) -> list[float]:
    latencies = []
    for _ in range(count):
        mark = api.mark()
        at = time.monotonic()
        api.push_message(chat_b.user_id, "/help")
        wait_until(
            lambda mark=mark: replies_to(api, chat_b.user_id, mark), 60, "/help alone unanswered"
        )
        latencies.append(replies_to(api, chat_b.user_id, mark)[0].at - at)
    return latencies


def run_a(
    api: FakeTelegramAPI, chat_a: Chat, content: bytes, done: dict[str, float], errors: list[str]
) -> None:
    try:
        started = time.monotonic()
        import_file(api, chat_a, content, "more.csv", LOAD_TIMEOUT)
        done["import"] = time.monotonic() - started
        mark = api.mark()
        api.push_message(chat_a.user_id, "/export")
        api.push_message(chat_a.user_id, "/export")
        wait_until(
            lambda: (
                sum(
                    1
                    for c in api.calls()[mark:]
                    if c.method == "sendDocument" and to_chat(c, chat_a.user_id)
                )
                >= 4
            ),
            LOAD_TIMEOUT,
            "two exports did not arrive",
        )
        done["all"] = time.monotonic() - started
    except Exception as exc:  # noqa: BLE001 - reported by the main thread
        errors.append(repr(exc))


def measure_under_load(
    api: FakeTelegramAPI, chat_a: Chat, chat_b: Chat, content: bytes, interval: float
) -> tuple[list[float], dict[str, float], int, list[float], list[float]]:
    done: dict[str, float] = {}
    errors: list[str] = []
    mark = api.mark()
    started = time.monotonic()
    worker = threading.Thread(target=run_a, args=(api, chat_a, content, done, errors))
    worker.start()
    pushed: list[float] = []
    while worker.is_alive():
        pushed.append(time.monotonic())
        api.push_message(chat_b.user_id, "/help")
        time.sleep(interval)
    worker.join()
    if errors:
        raise RuntimeError(errors[0])
    wait_until(
        lambda: len(replies_to(api, chat_b.user_id, mark)) >= len(pushed),
        LOAD_TIMEOUT,
        "B's /help not all answered",
    )
    answers = replies_to(api, chat_b.user_id, mark)
    latencies = [call.at - at for at, call in zip(pushed, answers, strict=False)]
    import_end = started + done.get("import", 0.0)
    during_import = [lat for at, lat in zip(pushed, latencies, strict=False) if at < import_end]
    during_exports = [lat for at, lat in zip(pushed, latencies, strict=False) if at >= import_end]
    return latencies, done, len(pushed), during_import, during_exports


async def empty_database(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=20_000, help="rows in the base and import")
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between B's /help")
    parser.add_argument("--alone", type=int, default=20, help="B's /help measured alone")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database of your own, emptied first (default: a fresh SQLite file)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.monotonic()
    print(
        f"Fairness: A has {args.clients} clients, imports {args.clients} more and runs /export "
        f"twice; B sends /help every {args.interval:.2f} s meanwhile"
    )
    base = csv_bytes(base_rows(args.clients, prefix="Ромашка", region=77), delimiter=";")
    more = csv_bytes(base_rows(args.clients, prefix="Лютик", region=78), delimiter=";")
    with tempfile.TemporaryDirectory(prefix="kambot-bench-fair-") as tmp, FakeTelegramAPI() as api:
        env = {}
        if args.database_url:
            asyncio.run(empty_database(args.database_url))
            env["DATABASE_URL"] = args.database_url
        bot = BotProcess(api, Path(tmp) / "kambot", env=env)
        bot.start()
        try:
            chat_a, chat_b = Chat(api, USER_A, "ru"), Chat(api, USER_B, "ru")
            chat_a.send("/start", timeout=60)
            chat_b.send("/start", timeout=60)
            setup = time.monotonic()
            import_file(api, chat_a, base, "base.csv", SETUP_TIMEOUT)
            print(
                f"set-up: A's base of {args.clients} imported in {time.monotonic() - setup:.1f} s"
            )
            alone = measure_alone(api, chat_b, args.alone)
            loaded, done, pushed, in_import, in_exports = measure_under_load(
                api, chat_a, chat_b, more, args.interval
            )
        finally:
            code = bot.stop()
            if code != 0:
                print(f"warning: the bot exited with code {code}; log:\n{bot.log()[-2000:]}")
    print(f"{'B /help':<22} {'count':>6} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")
    for name, samples in (
        ("alone", alone),
        ("while A works", loaded),
        ("  during the import", in_import),
        ("  during the exports", in_exports),
    ):
        if not samples:
            continue
        print(
            f"{name:<22} {len(samples):>6} {median_ms(samples):>9.1f} {p95_ms(samples):>9.1f}"
            f" {max(samples) * 1000:>9.1f}"
        )
    print(
        f"A: import (preview + confirm) {done.get('import', 0):.1f} s, "
        f"import + two exports {done.get('all', 0):.1f} s; B pushed {pushed} /help"
    )
    p95 = p95_ms(loaded)
    verdict = "met" if p95 <= GOAL_P95_MS else "MISSED"
    print(
        f"B p95 under load {p95:.0f} ms (goal: <= {GOAL_P95_MS:.0f} ms {verdict}); "
        f"ratio to alone {p95 / max(p95_ms(alone), 1e-9):.1f}x"
    )
    print(f"total {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
