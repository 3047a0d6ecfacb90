"""Exports being built right now, and the one archive /privacy sends.

An account is not deleted while its export is being built: the job reads the rows the delete
would take, and the person would get either a half archive or an error instead of the copy they
asked for. The set lives in this process (one chat's updates already run one at a time; this
guards the same account reached by another path, such as a second device's tap in webhook
mode, for as long as the build runs).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.privacy.errors import PrivacyRefused
from storage import teams as team_store
from storage.models import Manager

_building: set[int] = set()


@contextmanager
def building(manager_id: int) -> Iterator[None]:
    """Marks the account's export as in progress; a second one at once is refused."""
    if manager_id in _building:
        raise PrivacyRefused("privacy-export-running")
    _building.add(manager_id)
    try:
        yield
    finally:
        _building.discard(manager_id)


def is_building(manager_id: int) -> bool:
    return manager_id in _building


async def account_record(session: AsyncSession, manager: Manager) -> dict[str, Any]:
    """Who the account is: the part of "all my data" that kambot.json (the base) lacks."""
    team = await team_store.team(session, manager.team_id) if manager.team_id else None
    team_name = team.name if team is not None else None
    return {
        "telegram_id": manager.telegram_id,
        "full_name": manager.full_name,
        "username": manager.username,
        "language": manager.language,
        "timezone": manager.timezone,
        "team": team_name,
        "role": manager.role.value if team_name else None,
        "registered_at": manager.created_at.isoformat() if manager.created_at else None,
        "onboarded_at": manager.onboarded_at.isoformat() if manager.onboarded_at else None,
    }


def data_archive(
    base_archive: bytes, workbook: bytes, account: dict[str, Any], stamp: str, now: datetime
) -> bytes:
    """One zip: kambot.json and the CSVs of /export, the XLSX, and account.json."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base_archive)) as base,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf,
    ):
        for name in base.namelist():
            zf.writestr(name, base.read(name))
        zf.writestr(f"kambot-{stamp}.xlsx", workbook)
        record = {"exported_at": now.isoformat(), "account": account}
        zf.writestr("account.json", json.dumps(record, ensure_ascii=False, indent=2))
    return out.getvalue()
