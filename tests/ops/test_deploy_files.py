"""The deployment samples in bot/deploy/ stay in step with the code: the units parse, start
real roles with settings that exist, and nginx forwards the webhook path the bot listens on."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

import pytest

from bot.__main__ import _parse_args, _usage_problem
from bot.config import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "bot" / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))


def _unit(path: Path) -> configparser.RawConfigParser:
    # systemd repeats keys (Environment=): keep every value instead of refusing duplicates.
    parser = configparser.RawConfigParser(strict=False, dict_type=_MultiDict)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text())
    return parser


class _MultiDict(dict[str, str]):
    def __setitem__(self, key: str, value: str) -> None:
        if key in self and isinstance(value, list) and isinstance(self[key], list):
            self[key].extend(value)  # type: ignore[attr-defined]
        else:
            super().__setitem__(key, value)


def test_there_is_a_unit_for_each_role_and_for_the_release_step() -> None:
    roles = {_command(_unit(p))[0] for p in UNITS}
    assert roles == {"serve", "worker", "migrate"}


def _command(unit: configparser.RawConfigParser) -> list[str]:
    program, *args = shlex.split(unit.get("Service", "ExecStart"))
    assert program.endswith("/kambot"), program
    return args


@pytest.mark.parametrize("path", UNITS, ids=lambda p: p.name)
def test_each_unit_starts_a_real_command_with_settings_that_exist(path: Path) -> None:
    unit = _unit(path)
    assert {"Unit", "Service"} <= set(unit.sections())
    args = _command(unit)
    assert _usage_problem(_parse_args(args)) is None
    assert unit.get("Service", "EnvironmentFile").startswith("/etc/kambot/")
    fields = {name.upper() for name in Settings.model_fields}
    for line in unit.get("Service", "Environment", fallback="").splitlines():
        name = line.split("=", 1)[0].strip()
        assert name in fields, f"{path.name}: {name} is not a setting"
    if args[0] != "migrate":
        assert unit.get("Service", "Restart") == "always"
        assert "%i" in unit.get("Service", "Environment")  # one instance per port


def test_nginx_forwards_the_webhook_path_to_every_serve_port() -> None:
    conf = (DEPLOY / "kambot.nginx.conf").read_text()
    body = re.sub(r"#[^\n]*", "", conf)
    assert body.count("{") == body.count("}")
    default_path = Settings.model_fields["webhook_path"].default
    assert f"location = {default_path}" in body
    ports = {int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+)", body)}
    assert len(ports) >= 2
    assert Settings.model_fields["health_port"].default not in ports
