"""One Router per feature, built fresh for each Dispatcher (a Router can have one parent only).

Order matters: commands that work mid-dialog first, the fallback last.
"""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from handlers import (
        client_list,
        clients,
        common,
        contacts,
        fallback,
        preferences,
        settings,
        start,
        transfer,
    )

    modules = (
        common,
        start,
        settings,
        contacts,
        clients,
        client_list,
        transfer,
        preferences,
        fallback,
    )
    return [m.build_router() for m in modules]
