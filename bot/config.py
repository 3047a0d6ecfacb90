"""Typed settings: every environment variable the bot reads, in one place."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Telegram tokens are "<bot id>:<35 url-safe chars>"; we accept 30+ to stay tolerant of changes.
TOKEN_RE = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")
TOKEN_SHAPE = (
    "digits (the bot id), a colon, then 35 characters of A-Za-z0-9_-, "
    "like 123456789:AAH_paste-your-token-from-BotFather"
)
# What Telegram accepts as setWebhook(secret_token=...) and echoes in the request header.
WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/kambot.db"

Language = Literal["ru", "en"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    telegram_api_url: str | None = None

    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_path: str = "/telegram/webhook"

    redis_url: str | None = None
    allowed_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()

    default_language: Language = "ru"
    default_timezone: str = "Europe/Moscow"
    default_digest_time: time = time(9, 0)
    log_level: str = "INFO"

    # Throttling: a burst of updates per user, refilled at this rate per second.
    throttle_burst: int = Field(default=12, ge=1)
    throttle_rate: float = Field(default=2.0, gt=0)
    shutdown_timeout: float = Field(default=10.0, ge=0)
    polling_timeout: int = Field(default=25, ge=0, le=50)
    # How long each start-up call (getMe, setMyCommands, deleteWebhook, setWebhook) keeps
    # retrying Telegram's passing errors (5xx, 429, network) before the bot gives up.
    startup_retry_seconds: float = Field(default=60.0, ge=0)

    # /healthz, /readyz and /metrics of `run` and `worker` (`serve` answers them on the webhook
    # port). 0 turns the port off. Not 8081: a local Bot API server usually listens there.
    health_host: str = "127.0.0.1"
    health_port: int = Field(default=8082, ge=0, le=65535)
    # /readyz fails when the scheduler's last tick is older than this (seconds).
    scheduler_lag_limit: float = Field(default=180.0, gt=0)
    # The Mini App (issue 14): its public HTTPS address turns it on; unset, nothing changes.
    # Its API lives on the health port (`run`, `worker`) or the webhook port (`serve`).
    webapp_url: str | None = None
    # initData older than this many seconds gets 401: a leaked one is not replayable for ever.
    webapp_max_age: int = Field(default=86_400, gt=0)

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _blank_secret_is_unset(cls, value: object) -> object:
        # `WEBHOOK_SECRET=` copied from .env.example means "not set", not "the empty secret".
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram refuses any other secret at setWebhook; say so before anything starts.
        if value is not None and not WEBHOOK_SECRET_RE.match(value.get_secret_value()):
            raise ValueError(
                "Telegram allows 1-256 characters of A-Za-z0-9_- "
                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'), "
                "or leave it unset to use one derived from BOT_TOKEN"
            )
        return value

    @field_validator("allowed_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in re.split(r"[,\s;]+", value.strip()) if p]
            return frozenset(int(p) for p in parts)
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("default_timezone")
    @classmethod
    def _check_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA timezone {value!r}") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError("not a database URL") from exc
        if url.drivername not in {"sqlite+aiosqlite", "postgresql+asyncpg"}:
            raise ValueError("use sqlite+aiosqlite:///path.db or postgresql+asyncpg://user@host/db")
        return value

    @field_validator("log_level")
    @classmethod
    def _check_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @property
    def token_value(self) -> str:
        return self.bot_token.get_secret_value() if self.bot_token else ""

    @property
    def webhook_secret_is_derived(self) -> bool:
        return self.webhook_secret is None

    def effective_webhook_secret(self) -> str:
        """WEBHOOK_SECRET, or one derived from the token when it is unset.

        A webhook must never run without a secret: anyone reaching the port could post an
        update "from" any user. Derived rather than random so every instance behind one
        webhook URL, and a restarted one, registers the same secret instead of locking the
        others out; it is as strong as the token, and whoever has the token can call
        setWebhook anyway.
        """
        if self.webhook_secret is not None:
            return self.webhook_secret.get_secret_value()
        digest = hmac.new(
            self.token_value.encode(), b"kambot webhook secret v1", hashlib.sha256
        ).digest()
        # URL-safe base64 without padding: 43 characters of A-Za-z0-9_-, as Telegram requires.
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    # LOG_FORMAT=json: one JSON object a line, with the update's context (bot/logs.py).
    log_format: Literal["text", "json"] = "text"


def token_problem(token: SecretStr | None) -> Literal["missing", "malformed"] | None:
    if token is None or not token.get_secret_value().strip():
        return "missing"
    if not TOKEN_RE.match(token.get_secret_value().strip()):
        return "malformed"
    return None
