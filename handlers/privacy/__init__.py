"""Data rights (issue 10 item 5): /privacy (what is kept, export everything, delete the
account) and /forget (erase one person on their request)."""

from __future__ import annotations

from aiogram import Router

from handlers.privacy import account, forget


def build_router() -> Router:
    router = Router(name=__name__)
    account.register(router)
    forget.register(router)
    return router
