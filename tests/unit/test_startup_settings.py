"""Settings that decide whether the bot may start: the token's shape and the webhook secret."""

from __future__ import annotations

import re

import pytest
from pydantic import SecretStr, ValidationError

from bot.config import Settings, token_problem
from tests.support.mocked_bot import BOT_TOKEN

SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")


def _settings(**values: object) -> Settings:
    # _env_file=None: a developer's .env must not change what these tests see.
    return Settings(_env_file=None, bot_token=BOT_TOKEN, **values)  # type: ignore[call-arg, arg-type]


@pytest.mark.parametrize(
    ("token", "problem"),
    [
        ("123456789:AAH_paste-your-token-from-BotFather", None),
        (BOT_TOKEN, None),
        ("123456789:AAH-your-token", "malformed"),
        ("hello", "malformed"),
        ("   ", "missing"),
    ],
)
def test_token_shape(token: str, problem: str | None) -> None:
    assert token_problem(SecretStr(token)) == problem


def test_a_configured_webhook_secret_is_used_as_is() -> None:
    settings = _settings(webhook_secret="my-own_secret")
    assert settings.effective_webhook_secret() == "my-own_secret"
    assert not settings.webhook_secret_is_derived


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_webhook_secret_means_unset(blank: str) -> None:
    settings = _settings(webhook_secret=blank)
    assert settings.webhook_secret is None
    assert settings.webhook_secret_is_derived


def test_the_derived_secret_is_strong_stable_and_per_token() -> None:
    first = _settings().effective_webhook_secret()
    assert SECRET_SHAPE.fullmatch(first)
    assert len(first) >= 40
    assert first == _settings().effective_webhook_secret()
    other = Settings(_env_file=None, bot_token="987654321:" + "B" * 35)  # type: ignore[call-arg, arg-type]
    assert other.effective_webhook_secret() != first
    assert BOT_TOKEN.split(":")[1] not in first


@pytest.mark.parametrize("secret", ["has space", "x" * 257, "точка", "a:b"])
def test_a_secret_telegram_would_refuse_is_refused_at_start(secret: str) -> None:
    with pytest.raises(ValidationError, match="A-Za-z0-9_-"):
        _settings(webhook_secret=secret)
