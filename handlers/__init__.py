"""One Router per feature, built fresh for each Dispatcher (a Router can have one parent only).

Order matters: commands that work mid-dialog first; routers whose buttons reuse ClientCb with
their own action (contacts, logging, notes, brief) before the client card's catch-all; plain
"Client: text" logging and the fallback last.
"""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from handlers import (
        agenda,
        brief,
        client_list,
        clients,
        common,
        contacts,
        demo,
        entry_move,
        fallback,
        kpi,
        log_taps,
        logging,
        membership,
        notes,
        plans,
        preferences,
        reminders,
        requests,
        reviews,
        sales,
        settings,
        start,
        transfer,
        undo,
    )

    modules = (
        common,
        membership,
        demo,
        start,
        settings,
        reminders,
        agenda,
        kpi,
        contacts,
        entry_move,
        logging,
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
    )
    return [
        *(m.build_router() for m in modules),
        logging.build_plain_router(),
        fallback.build_router(),
    ]
