"""One Router per feature, built fresh for each Dispatcher (a Router can have one parent only).

Order matters: commands that work mid-dialog first; routers whose buttons reuse ClientCb with
their own action (contacts, logging, notes, brief) before the client card's catch-all; plain
"Client: text" logging and the fallback last.
"""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from handlers import common, demo, fallback, membership, privacy, undo
    from handlers.b2c import requests, reviews
    from handlers.clientbase import brief, client_list, clients, contacts
    from handlers.daily import agenda, reminders
    from handlers.files import transfer
    from handlers.selling import kpi, plans, sales
    from handlers.setup import preferences, settings, start
    from handlers.team import handover as team_handover
    from handlers.team import log as team_log
    from handlers.team import membership as team_membership
    from handlers.team import readonly as team_readonly
    from handlers.team import table as team_table
    from handlers.touches import entry_move, log_taps, log_touch, notes

    modules = (
        common,
        membership,
        demo,
        team_membership,  # before start: /start join_… is a team link
        team_table,
        team_readonly,
        team_handover,
        team_log,
        start,
        settings,
        reminders,
        agenda,
        kpi,
        contacts,
        entry_move,
        log_touch,
        notes,
        brief,
        requests,
        reviews,
        sales,
        plans,
        log_taps,
        undo,
        clients,
        client_list,
        transfer,
        preferences,
        privacy,  # /privacy, /forget and the typed delete word: before the fallback
    )
    return [
        *(m.build_router() for m in modules),
        log_touch.build_plain_router(),
        fallback.build_router(),
    ]
