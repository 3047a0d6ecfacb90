"""The head's /team table and its buttons.

A monospace <pre> table, one line per member: on a phone (about 36 characters across in
portrait) the columns stay aligned and the eye reads a column down — "who is behind on plan" —
which compact prose lines cannot give. A big team is paged, 25 members a page, best first,
with the team's total on every page. Names are cut to 8 characters (the name button under the
table carries the full one) and sales are compact ("1,2 млн").
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup
from babel.numbers import format_compact_decimal

from bot.i18n import Translator
from bot.services.kpi.text import percent
from bot.services.teams.readonly import MemberClientList
from bot.services.teams.table import Row, TeamTable
from bot.views.formatting import esc
from handlers.callbacks import TeamTableAction, TeamTableCb
from storage.enums import PeriodKind

NAME = 8
WIDTHS = (NAME, 4, 4, 3, 4, 8)  # name, plan, coverage, overdue, touches, sales
PER_ROW = 2
# A page of the table: 25 lines of ~37 characters and 25 name buttons stay well inside
# Telegram's 4,096 characters and 100 buttons whatever the size of the team.
PAGE_ROWS = 25


def _cb(
    action: TeamTableAction, id_: int = 0, period: PeriodKind = PeriodKind.MONTH, page: int = 0
) -> str:
    return TeamTableCb(action=action, id=id_, period=period, page=page).pack()


def _cut(name: str, width: int = NAME) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def _pct(value: Fraction | None, lang: str) -> str:
    return "—" if value is None else percent(value, lang).replace("\xa0", "")


def _compact(minor: int, lang: str) -> str:
    text = format_compact_decimal(Decimal(minor) / 100, locale=lang, fraction_digits=1)
    return text.replace("\xa0", " ")


def _line(cells: list[str]) -> str:
    first, *rest = cells
    return first.ljust(WIDTHS[0]) + "".join(
        c.rjust(w + 1) for c, w in zip(rest, WIDTHS[1:], strict=True)
    )


def _cells(row: Row, name: str, lang: str) -> list[str]:
    return [
        _cut(name),
        _pct(row.plan_share, lang),
        _pct(row.coverage, lang),
        str(row.clients.overdue),
        str(row.touches),
        _compact(row.sold_minor, lang),
    ]


def pages(table: TeamTable) -> int:
    return max(1, -(-len(table.rows) // PAGE_ROWS))


def table_text(t: Translator, table: TeamTable, period_label: str, page: int = 0) -> str:
    lang = t.lang
    head = [t(f"tt-col-{c}") for c in ("name", "plan", "coverage", "overdue", "touches", "sales")]
    lines = [_line([_cut(h) for h in head])]
    shown = table.rows[page * PAGE_ROWS : (page + 1) * PAGE_ROWS]
    lines += [_line(_cells(r, r.name, lang)) for r in shown]
    lines.append("─" * sum(w + 1 for w in WIDTHS[1:]) + "─" * WIDTHS[0])
    lines.append(_line(_cells(table.total, t("tt-total"), lang)))
    body = esc("\n".join(lines))
    title = t("tt-title", team=table.team_name, period=period_label)
    if pages(table) > 1:
        title += "\n" + t("tt-page", page=page + 1, pages=pages(table), members=len(table.rows))
    return f"{title}\n<pre>{body}</pre>\n{t('tt-legend')}"


def periods_row(
    t: Translator, action: TeamTableAction, current: PeriodKind, id_: int = 0
) -> list[Button]:
    return [
        Button(
            text=f"• {t(f'kpi-period-{kind.value}')} •"
            if kind is current
            else t(f"kpi-period-{kind.value}"),
            callback_data=_cb(action, id_, kind),
        )
        for kind in PeriodKind
    ]


def table_kb(t: Translator, table: TeamTable, page: int = 0) -> Markup:
    kind = table.period.kind
    members = [
        Button(
            text=f"{_cut(r.name, 16)} · {_pct(r.plan_share, t.lang)}",
            callback_data=_cb(TeamTableAction.MEMBER, r.member_id, kind),
        )
        for r in table.rows[page * PAGE_ROWS : (page + 1) * PAGE_ROWS]
    ]
    rows = [members[i : i + PER_ROW] for i in range(0, len(members), PER_ROW)]
    nav = []
    if page > 0:
        nav.append(Button(text="◀️", callback_data=_cb(TeamTableAction.PERIOD, 0, kind, page - 1)))
    if page + 1 < pages(table):
        nav.append(Button(text="▶️", callback_data=_cb(TeamTableAction.PERIOD, 0, kind, page + 1)))
    if nav:
        rows.append(nav)
    rows.append(periods_row(t, TeamTableAction.PERIOD, kind))
    rows.append([Button(text=t("tt-btn-chart"), callback_data=_cb(TeamTableAction.CHART, 0, kind))])
    return Markup(inline_keyboard=rows)


def member_kb(t: Translator, member_id: int, kind: PeriodKind) -> Markup:
    return Markup(
        inline_keyboard=[
            periods_row(t, TeamTableAction.MEMBER, kind, member_id),
            [
                Button(
                    text=t("tt-btn-overdue"), callback_data=_cb(TeamTableAction.OVERDUE, member_id)
                ),
                Button(
                    text=t("tt-btn-clients"), callback_data=_cb(TeamTableAction.CLIENTS, member_id)
                ),
            ],
            [Button(text=t("tt-btn-table"), callback_data=_cb(TeamTableAction.PERIOD, 0, kind))],
        ]
    )


def list_text(t: Translator, page: MemberClientList) -> str:
    key = "tt-list-overdue" if page.overdue_only else "tt-list-clients"
    title = t(key, name=page.member_name, total=page.total)
    return title if page.items else f"{title}\n{t('tt-list-empty')}"


def list_kb(t: Translator, page: MemberClientList) -> Markup:
    action = TeamTableAction.OVERDUE if page.overdue_only else TeamTableAction.CLIENTS
    rows = [
        [Button(text=_cut(name, 40), callback_data=_cb(TeamTableAction.CARD, client_id))]
        for client_id, name in page.items
    ]
    nav = []
    if page.page > 0:
        nav.append(Button(text="◀️", callback_data=_cb(action, page.member_id, page=page.page - 1)))
    if page.page + 1 < page.pages:
        nav.append(Button(text="▶️", callback_data=_cb(action, page.member_id, page=page.page + 1)))
    if nav:
        rows.append(nav)
    back = t("tt-btn-member", name=_cut(page.member_name, 24))
    rows.append([Button(text=back, callback_data=_cb(TeamTableAction.MEMBER, page.member_id))])
    return Markup(inline_keyboard=rows)


def card_kb(t: Translator, client_id: int, owner_id: int, owner_name: str) -> Markup:
    """Read-only: history and the way back, no edit, log or delete buttons."""
    return Markup(
        inline_keyboard=[
            [
                Button(
                    text=t("tt-btn-history"), callback_data=_cb(TeamTableAction.HISTORY, client_id)
                )
            ],
            [
                Button(
                    text=t("tt-btn-member", name=_cut(owner_name, 24)),
                    callback_data=_cb(TeamTableAction.CLIENTS, owner_id),
                )
            ],
        ]
    )


def history_kb(t: Translator, client_id: int, page: int, has_more: bool) -> Markup:
    nav = []
    if page > 0:
        nav.append(
            Button(text="◀️", callback_data=_cb(TeamTableAction.HISTORY, client_id, page=page - 1))
        )
    if has_more:
        nav.append(
            Button(text="▶️", callback_data=_cb(TeamTableAction.HISTORY, client_id, page=page + 1))
        )
    rows = [nav] if nav else []
    rows.append([Button(text=t("tt-btn-card"), callback_data=_cb(TeamTableAction.CARD, client_id))])
    return Markup(inline_keyboard=rows)
