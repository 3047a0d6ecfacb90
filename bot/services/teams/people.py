"""How a member is named in team texts and in the audit log."""

from __future__ import annotations

from storage.models import Manager


def display_name(manager: Manager) -> str:
    if manager.full_name:
        return manager.full_name
    return f"@{manager.username}" if manager.username else f"#{manager.id}"
