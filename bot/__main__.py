"""`python -m bot` / `kambot`: settings → database → bot, dispatcher, scheduler → run."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from contextlib import suppress

from pydantic import ValidationError

from bot.config import TOKEN_SHAPE, Settings, token_problem

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
        return f"cannot reach the database at DATABASE_URL ({type(exc).__name__}: {exc})"
    finally:
        await engine.dispose()
    return None


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


async def run(settings: Settings) -> None:
    from bot.runner import run_bot

    await run_bot(settings, started=STARTED)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="kambot", description="kambot, the account manager's bot")
    parser.add_argument("command", nargs="?", default="run", choices=["run", "migrate", "demo"])
    parser.add_argument("telegram_id", nargs="?", type=int, help="demo: the user's Telegram id")
    demo_action = parser.add_mutually_exclusive_group()
    demo_action.add_argument("--reset", action="store_true", help="demo: make the sample again")
    demo_action.add_argument("--remove", action="store_true", help="demo: delete the sandbox")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    if args.command == "demo" and (args.telegram_id is None or args.telegram_id <= 0):
        return fail("usage: python -m bot demo <telegram_id> [--reset | --remove]")

    settings = load_settings()
    if isinstance(settings, str):
        return fail(settings)
    from bot.logs import setup_logging

    setup_logging(settings.log_level, [settings.token_value])

    if args.command == "run":
        problem = token_problem(settings.bot_token)
        if problem is not None:
            return fail(f"{TOKEN_HELP[problem]}\n{HOW_TO_GET_TOKEN}")
    db_problem = asyncio.run(_check_database(settings))
    if db_problem:
        return fail(db_problem)
    if args.command == "migrate":
        asyncio.run(migrate(settings))
        print("kambot: database is up to date")
        return 0
    if args.command == "demo":
        print(asyncio.run(demo(settings, args.telegram_id, reset=args.reset, remove=args.remove)))
        return 0
    return _run_until_stopped(settings)


def _run_until_stopped(settings: Settings) -> int:
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
            asyncio.run(run(settings))
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
