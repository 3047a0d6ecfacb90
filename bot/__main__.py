"""`python -m bot` / `kambot`: settings → database → one role (run, serve, worker) or an
operator's command (migrate, check, backup, restore, demo). `python -m bot` is `kambot run`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from contextlib import suppress
from typing import TYPE_CHECKING

from pydantic import ValidationError

from bot.config import TOKEN_SHAPE, Settings, token_problem

if TYPE_CHECKING:
    from bot.runner import Role

log = logging.getLogger("kambot")
STARTED = time.monotonic()

TOKEN_HELP = {
    "missing": "BOT_TOKEN is not set.",
    "malformed": f"BOT_TOKEN does not look like a Telegram bot token: it should be {TOKEN_SHAPE}.",
}
# One line, and the last: a placeholder or revoked token passes the format check and fails here.
TOKEN_REJECTED = (
    "Telegram rejected BOT_TOKEN (Unauthorized): it is a placeholder, mistyped or revoked; "
    "get one from @BotFather (https://t.me/BotFather) with /newbot, or /token for an existing bot"
)
HOW_TO_GET_TOKEN = """\
How to get a token:
  1. Open Telegram and talk to @BotFather (https://t.me/BotFather).
  2. Send /newbot, choose a name and a username ending in "bot".
  3. BotFather replies with a token like 123456789:AAH...; put it in .env as
       BOT_TOKEN=123456789:AAH...
     or run:  BOT_TOKEN=123456789:AAH... python -m bot"""


def fail(message: str) -> int:
    print(f"kambot: {message}", file=sys.stderr)
    return 2


def load_settings() -> Settings | str:
    try:
        return Settings()
    except ValidationError as exc:
        lines = [
            f"  {'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        ]
        return "invalid configuration:\n" + "\n".join(lines) + "\nSee .env.example and README.md."


async def _check_database(settings: Settings) -> str | None:
    from sqlalchemy import text

    from storage.db import create_engine

    try:
        engine = create_engine(settings.database_url)
    except Exception as exc:  # noqa: BLE001 - any driver error becomes one clear line
        return f"DATABASE_URL is not usable: {exc}"
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001
        return f"cannot reach the database at DATABASE_URL ({_driver_error(exc)})"
    finally:
        await engine.dispose()
    return None


def _driver_error(exc: BaseException) -> str:
    """The driver's own error on one line: SQLAlchemy's wrapper adds its class path and, on a
    second line, a link (a PostgreSQL still starting up printed the link as the last line)."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig.__cause__ or exc.orig  # asyncpg's error under SQLAlchemy's adapter
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"


async def migrate(settings: Settings) -> None:
    from storage.db import create_engine
    from storage.migrate import upgrade

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def demo(settings: Settings, telegram_id: int, *, reset: bool, remove: bool) -> str:
    """Creates (or --reset, --remove) the demo sandbox of a manager, registering them if new."""
    from bot.services.clock import SystemClock
    from bot.services.crm.managers import Defaults
    from bot.services.sample import demo as demo_service
    from storage.db import create_engine, create_session_pool
    from storage.migrate import upgrade

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with create_session_pool(engine)() as session:
            result = await demo_service.seed_account(
                session,
                telegram_id,
                "reset" if reset else "remove" if remove else "enter",
                defaults=Defaults(
                    settings.default_language,
                    settings.default_timezone,
                    settings.default_digest_time,
                ),
                now=SystemClock().now(),
            )
    finally:
        await engine.dispose()
    return demo_service.describe(result, telegram_id)


async def run(settings: Settings, role: Role) -> None:
    from bot.runner import run_bot

    await run_bot(settings, started=STARTED, role=role)


COMMANDS = ["run", "serve", "worker", "migrate", "check", "backup", "restore", "demo"]
# The roles and `migrate` hold the SQLite base's process lock (bot/cli_ops.py).
LOCKING = {"run", "serve", "worker", "migrate"}


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="kambot",
        description="kambot, the account manager's bot. Roles: run (intake + scheduler, one "
        "box; the default), serve (webhook intake only), worker (reminders only, no intake).",
    )
    parser.add_argument("command", nargs="?", default="run", choices=COMMANDS)
    parser.add_argument(
        "target", nargs="?", help="demo: the user's Telegram id; backup, restore: the file"
    )
    parser.add_argument(
        "--no-scheduler", action="store_true", help="run: intake only, no reminders sent"
    )
    demo_action = parser.add_mutually_exclusive_group()
    demo_action.add_argument("--reset", action="store_true", help="demo: make the sample again")
    demo_action.add_argument("--remove", action="store_true", help="demo: delete the sandbox")
    return parser.parse_args(argv)


def _usage_problem(args: argparse.Namespace) -> str | None:
    if args.command == "demo" and not (args.target or "").isdigit():
        return "usage: python -m bot demo <telegram_id> [--reset | --remove]"
    if args.command in {"backup", "restore"} and not args.target:
        return f"usage: kambot {args.command} <file>"
    if args.no_scheduler and args.command != "run":
        return "--no-scheduler goes with `run` only (serve never runs the scheduler)"
    return None


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    problem = _usage_problem(args)
    if problem:
        return fail(problem)
    settings = load_settings()
    if isinstance(settings, str):
        return fail(settings)
    from bot import cli_ops
    from bot.logs import setup_logging

    # The webhook secret is redacted too: with it anyone could post updates as Telegram.
    secrets = [settings.token_value]
    if settings.webhook_url:
        secrets.append(settings.effective_webhook_secret())
    setup_logging(settings.log_level, secrets, settings.log_format)
    if args.command == "check":
        return cli_ops.check(settings)
    if args.command == "backup":
        return cli_ops.backup(settings, args.target)
    if args.command == "restore":
        return cli_ops.restore(settings, args.target)
    if args.command in {"run", "serve", "worker"}:
        problem = token_problem(settings.bot_token)
        if problem is not None:
            return fail(f"{TOKEN_HELP[problem]}\n{HOW_TO_GET_TOKEN}")
    if args.command == "serve" and not settings.webhook_url:
        return fail("`serve` is the webhook intake: set WEBHOOK_URL (and WEBHOOK_SECRET)")
    if args.command in LOCKING:
        refused = cli_ops.hold_sqlite_lock(settings, args.command)
        if refused:
            return fail(refused)
    db_problem = asyncio.run(_check_database(settings))
    if db_problem:
        return fail(db_problem)
    return _dispatch(args, settings)


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "migrate":
        asyncio.run(migrate(settings))
        print("kambot: database is up to date")
        return 0
    if args.command == "demo":
        telegram_id = int(args.target)
        print(asyncio.run(demo(settings, telegram_id, reset=args.reset, remove=args.remove)))
        return 0
    from bot.runner import Role

    scheduler = args.command == "worker" or (args.command == "run" and not args.no_scheduler)
    return _run_until_stopped(settings, Role(args.command, scheduler))


def _run_until_stopped(settings: Settings, role: Role) -> int:
    from aiogram.exceptions import (
        TelegramAPIError,
        TelegramNetworkError,
        TelegramRetryAfter,
        TelegramServerError,
        TelegramUnauthorizedError,
    )

    from bot.startup import api_method_name, describe

    where = settings.telegram_api_url or "api.telegram.org"
    # Each of these ends the process with one line printed after every log line (the runner
    # has closed everything by then), so the reason is the last thing on the screen.
    try:
        with suppress(KeyboardInterrupt):
            asyncio.run(run(settings, role))
    except TelegramUnauthorizedError:
        return fail(TOKEN_REJECTED)
    except TelegramNetworkError as exc:
        return fail(f"cannot reach the Telegram Bot API at {where}: {describe(exc)}")
    except (TelegramServerError, TelegramRetryAfter) as exc:
        # Already retried for STARTUP_RETRY_SECONDS by bot.startup.StartupRetry.
        return fail(
            f"the Telegram Bot API at {where} kept failing {api_method_name(exc.method)} for "
            f"{settings.startup_retry_seconds:g} s ({describe(exc)}); try again later"
        )
    except TelegramAPIError as exc:
        return fail(f"Telegram refused {api_method_name(exc.method)} at start-up: {describe(exc)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
