"""A member's /kpi as their head sees it: the same figures, but only team clients by name.

A member who joined keeping their own clients keeps them to themselves: the head's table and
this report count the member's whole work (it is their KPI), while every line that names a
client — top clients, clients at risk, new product lines, key accounts, overdue requests —
shows team clients only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.kpi import build_kpi
from bot.services.kpi.report import KpiReport
from bot.services.teams.membership import member_of_my_team
from storage import kpi_team as store
from storage.enums import PeriodKind
from storage.models import Manager


def only_clients(report: KpiReport, allowed: set[int], names: set[str]) -> KpiReport:
    b2b, b2c, accounts = report.b2b, report.b2c, report.key_accounts
    if b2b is not None:
        risk = replace(
            b2b.risk,
            overdue=[o for o in b2b.risk.overdue if o.client_id in allowed],
            drops=[d for d in b2b.risk.drops if d.client_id in allowed],
        )
        b2b = replace(
            b2b,
            top=[c for c in b2b.top if c.client_id in allowed],
            new_lines=[line for line in b2b.new_lines if line[0] in names],
            risk=risk,
        )
    if b2c is not None:
        b2c = replace(b2c, overdue=[r for r in b2c.overdue if r.client_id in allowed])
    if accounts is not None:
        accounts = replace(
            accounts, accounts=[a for a in accounts.accounts if a.client_id in allowed]
        )
    return replace(report, b2b=b2b, b2c=b2c, key_accounts=accounts)


async def member_kpi(
    session: AsyncSession, head: Manager, member_id: int, kind: PeriodKind, now: datetime
) -> tuple[Manager, KpiReport]:
    member = await member_of_my_team(session, head, member_id)
    # The member's own /kpi, on their clock: the same figures they see.
    report = await build_kpi(session, member, kind, now)
    readable = await store.readable_clients_of(session, head.id, member.id)
    return member, only_clients(report, set(readable), set(readable.values()))
