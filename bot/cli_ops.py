"""The operator's commands: `kambot check`, `kambot backup <file>`, `kambot restore <file>`,
and the SQLite lock every long-running role takes at start."""

from __future__ import annotations

import asyncio
import shlex
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import URL, make_url

from bot.config import Settings, token_problem
from storage.sqlite_files import DatabaseInUse, ProcessLock, sqlite_file

CHECK_TIMEOUT = 10.0
# Held for the life of the process: the OS drops the flock when it exits or is killed.
_held: list[ProcessLock] = []


def hold_sqlite_lock(settings: Settings, role: str) -> str | None:
    """Takes the SQLite database's process lock; the refusal as one line, or None."""
    path = sqlite_file(settings.database_url)
    if path is None:
        return None  # PostgreSQL: any number of processes; memory: this process only
    try:
        _held.append(ProcessLock.acquire(path, role))
    except DatabaseInUse as exc:
        return str(exc)
    return None


class Failed(Exception):
    """A check that failed; its message is the line shown."""


async def _database(settings: Settings) -> str:
    from storage.db import create_engine
    from storage.migrate import current_revision, head_revision

    path = sqlite_file(settings.database_url)
    if path is not None and not path.exists():
        return f"ok (sqlite {path}: no file yet, created at the first start)"
    engine = create_engine(settings.database_url)
    try:
        current = await current_revision(engine)
    except Exception as exc:  # any driver error is one line
        raise Failed(f"cannot reach it ({type(exc).__name__}: {exc})") from exc
    finally:
        await engine.dispose()
    head = head_revision()
    where = f"sqlite {path}" if path else engine.dialect.name
    if current == head:
        return f"ok ({where}, schema at {head})"
    return f"ok ({where}, schema at {current or 'nothing'}; `kambot migrate` brings it to {head})"


async def _redis(settings: Settings) -> str:
    if not settings.redis_url:
        return "not used (REDIS_URL unset)"
    from bot.health import redis_ping

    try:
        return await redis_ping(settings.redis_url)
    except Exception as exc:
        raise Failed(f"cannot reach REDIS_URL ({type(exc).__name__}: {exc})") from exc


async def _telegram(settings: Settings) -> str:
    from aiogram.exceptions import TelegramAPIError, TelegramUnauthorizedError

    from bot.app import create_bot
    from bot.startup import describe

    problem = token_problem(settings.bot_token)
    if problem is not None:
        raise Failed(f"BOT_TOKEN is {problem}")
    bot = create_bot(settings)
    try:
        me = await bot.get_me(request_timeout=int(CHECK_TIMEOUT))
    except TelegramUnauthorizedError as exc:
        raise Failed("Telegram rejected BOT_TOKEN (Unauthorized)") from exc
    except TelegramAPIError as exc:
        raise Failed(f"getMe failed: {describe(exc)}") from exc
    finally:
        await bot.session.close()
    return f"ok (getMe: @{me.username})"


async def _webhook(settings: Settings) -> str:
    if not settings.webhook_url:
        return "not used (WEBHOOK_URL unset: `run` long-polls; `serve` needs it)"
    url = urlsplit(settings.webhook_url)
    if url.scheme != "https" or not url.hostname:
        raise Failed(f"WEBHOOK_URL must be an https:// address Telegram can reach: {url.geturl()}")
    secret = "secret derived from BOT_TOKEN" if settings.webhook_secret_is_derived else "secret set"
    return (
        f"ok ({url.geturl()}, {secret}; listening on "
        f"{settings.webhook_host}:{settings.webhook_port}{settings.webhook_path})"
    )


async def _check_all(settings: Settings) -> list[tuple[str, bool, str]]:
    checks: dict[str, Callable[[Settings], Awaitable[str]]] = {
        "database": _database,
        "redis": _redis,
        "telegram": _telegram,
        "webhook": _webhook,
    }
    results = []
    for name, check in checks.items():
        try:
            results.append((name, True, await asyncio.wait_for(check(settings), CHECK_TIMEOUT)))
        except Failed as exc:
            results.append((name, False, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a check must report, not crash the others
            results.append((name, False, f"{type(exc).__name__}: {exc}"))
    return results


def check(settings: Settings) -> int:
    """One line per part; 0 only if every part is well or not used."""
    token = settings.token_value
    print("config: ok")
    results = asyncio.run(_check_all(settings))
    for name, ok, said in results:
        line = f"{name}: {said}" if ok else f"{name}: FAILED: {said}"
        print(line.replace(token, "<BOT_TOKEN>") if token else line)
    return 0 if all(ok for _, ok, _ in results) else 1


def _pg_url(settings: Settings) -> str:
    url = make_url(settings.database_url)
    # No password on a command line (ps and shell history show it): libpq takes it from
    # PGPASSWORD or ~/.pgpass.
    bare = URL.create("postgresql", url.username, None, url.host, url.port, url.database)
    return shlex.quote(bare.render_as_string(hide_password=False))


def backup(settings: Settings, file: str) -> int:
    path = sqlite_file(settings.database_url)
    if path is None:
        print(
            "kambot: backup copies SQLite bases only; for PostgreSQL run (password from "
            "PGPASSWORD or ~/.pgpass):\n"
            f"  pg_dump --format=custom --no-owner --file={shlex.quote(file)} {_pg_url(settings)}"
        )
        return 2
    from storage.sqlite_files import backup_to

    target = Path(file)
    try:
        backup_to(path, target)
    except (FileNotFoundError, FileExistsError, ValueError) as exc:
        print(f"kambot: backup failed: {exc}")
        return 2
    print(f"kambot: backed up {path} to {target.resolve()} ({target.stat().st_size} bytes)")
    return 0


def restore(settings: Settings, file: str) -> int:
    path = sqlite_file(settings.database_url)
    if path is None:
        print(
            "kambot: restore replaces SQLite bases only; for PostgreSQL stop every kambot "
            "process, then run:\n"
            f"  pg_restore --clean --if-exists --no-owner --dbname={_pg_url(settings)} "
            f"{shlex.quote(file)}"
        )
        return 2
    from storage.sqlite_files import restore_from

    source = Path(file)
    if not source.is_file():
        print(f"kambot: restore refused: no backup file at {source}")
        return 2
    refused = hold_sqlite_lock(settings, "restore")
    if refused:
        print(f"kambot: restore refused: {refused}")
        return 2
    try:
        kept = restore_from(source, path)
    except (ValueError, OSError) as exc:
        print(f"kambot: restore refused: {exc}")
        return 2
    print(f"kambot: restored {path} from {source.resolve()}")
    if kept is not None:
        print(f"kambot: the replaced database is kept as {kept}")
    return 0
