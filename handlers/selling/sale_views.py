"""How sales and plans are shown: what was understood, with buttons to fix or undo."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup

from bot.i18n import Translator
from bot.services.crm.clients import ClientRef
from bot.services.crm.plans import PlanLine, PlansOverview, attainment
from bot.services.kpi.periods import Period
from bot.services.kpi.text import period_label as kpi_period_label
from bot.services.money import format_money, format_percent
from handlers.callbacks import PlanAction, PlanCb, SaleAction, SaleCb
from handlers.touches.touch_views import when_label
from storage.models import Client, Manager, Sale


def money(manager: Manager, minor: int) -> str:
    return format_money(minor, manager.currency, manager.language)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def period_label(t: Translator, period: Period, lang: str) -> str:
    # One name per period in every reply: /kpi's (Babel, per locale).
    return kpi_period_label(period, lang)


def sale_text(
    t: Translator,
    sale: Sale,
    client: Client,
    manager: Manager,
    now: datetime,
    month: PlanLine,
    *,
    restored: bool = False,
) -> str:
    lines = [t("sale-saved", client=client.name)]
    lines.append(t("sale-amount-line", amount=money(manager, sale.amount_minor)))
    if sale.product_line:
        lines.append(t("sale-line-line", line=sale.product_line))
    zone = ZoneInfo(manager.timezone)
    with_time = sale.sold_at.astimezone(zone).date() == now.astimezone(zone).date()
    lines.append(
        t("sale-date-line", when=when_label(t, sale.sold_at, manager, now, with_time=with_time))
    )
    if restored:
        lines.append(t("sale-restored"))
    label = _upper_first(period_label(t, month.period, manager.language))
    pct = attainment(month.sold_minor, month.plan_minor)
    if month.plan_minor and pct is not None:
        lines.append(
            t(
                "sale-month-progress",
                period=label,
                sold=money(manager, month.sold_minor),
                plan=money(manager, month.plan_minor),
                pct=format_percent(pct, manager.language),
            )
        )
    else:
        lines.append(t("sale-month-total", period=label, sold=money(manager, month.sold_minor)))
    return "\n".join(lines)


def sale_kb(t: Translator, sale_id: int) -> Markup:
    def b(key: str, action: SaleAction) -> Button:
        return Button(text=t(key), callback_data=SaleCb(action=action, id=sale_id).pack())

    return Markup(
        inline_keyboard=[
            [b("sale-btn-amount", SaleAction.ASK_AMOUNT), b("sale-btn-line", SaleAction.ASK_LINE)],
            [b("sale-btn-date", SaleAction.ASK_DATE), b("sale-btn-client", SaleAction.ASK_CLIENT)],
            [b("btn-undo", SaleAction.UNDO)],
        ]
    )


def date_kb(t: Translator, sale_id: int) -> Markup:
    keys = ("sale-date-today", "sale-date-yesterday", "sale-date-2days")
    return Markup(
        inline_keyboard=[
            [
                Button(
                    text=t(key),
                    callback_data=SaleCb(
                        action=SaleAction.DAYS_AGO, id=sale_id, value=str(days)
                    ).pack(),
                )
                for days, key in enumerate(keys)
            ]
        ]
    )


def _label(ref: ClientRef) -> str:
    label = ref.name if ref.via_contact is None else f"{ref.name} ({ref.via_contact})"
    return ("📦 " + label if ref.archived else label)[:60]


def draft_clients_kb(t: Translator, matches: list[ClientRef], *, offer_create: bool) -> Markup:
    rows = [
        [Button(text=_label(r), callback_data=SaleCb(action=SaleAction.PICK, id=r.id).pack())]
        for r in matches
    ]
    if offer_create:
        rows.append(
            [
                Button(
                    text=t("sale-btn-create"),
                    callback_data=SaleCb(action=SaleAction.CREATE_CLIENT).pack(),
                )
            ]
        )
    rows.append(
        [Button(text=t("sale-btn-cancel"), callback_data=SaleCb(action=SaleAction.CANCEL).pack())]
    )
    return Markup(inline_keyboard=rows)


def restore_kb(t: Translator, client_id: int) -> Markup:
    return Markup(
        inline_keyboard=[
            [
                Button(
                    text=t("sale-btn-restore"),
                    callback_data=SaleCb(action=SaleAction.RESTORE, id=client_id).pack(),
                )
            ],
            [
                Button(
                    text=t("sale-btn-cancel"), callback_data=SaleCb(action=SaleAction.CANCEL).pack()
                )
            ],
        ]
    )


def move_kb(sale_id: int, matches: list[ClientRef]) -> Markup:
    return Markup(
        inline_keyboard=[
            [
                Button(
                    text=_label(r),
                    callback_data=SaleCb(
                        action=SaleAction.MOVE, id=sale_id, value=str(r.id)
                    ).pack(),
                )
            ]
            for r in matches
        ]
    )


# --- plans ---------------------------------------------------------------------------------
def plan_clients_kb(matches: list[ClientRef]) -> Markup:
    return Markup(
        inline_keyboard=[
            [Button(text=_label(r), callback_data=PlanCb(action=PlanAction.PICK, id=r.id).pack())]
            for r in matches
        ]
    )


def make_key_kb(t: Translator, client_id: int) -> Markup:
    return Markup(
        inline_keyboard=[
            [
                Button(
                    text=t("plan-btn-key"),
                    callback_data=PlanCb(action=PlanAction.KEY, id=client_id).pack(),
                )
            ]
        ]
    )


def overview_text(t: Translator, data: PlansOverview, manager: Manager) -> str:
    lang = manager.language
    lines = [t("plan-overview-title"), ""]
    for line in data.own:
        label = _upper_first(period_label(t, line.period, lang))
        sold = money(manager, line.sold_minor)
        pct = attainment(line.sold_minor, line.plan_minor)
        if line.plan_minor and pct is not None:
            lines.append(
                t(
                    "plan-overview-line",
                    period=label,
                    plan=money(manager, line.plan_minor),
                    sold=sold,
                    pct=format_percent(pct, lang),
                )
            )
        else:
            lines.append(t("plan-overview-line-none", period=label, sold=sold))
    if data.clients:
        lines += ["", t("plan-overview-clients")]
        for line in data.clients:
            made = attainment(line.sold_minor, line.plan_minor) or Fraction(0)
            lines.append(
                t(
                    "plan-overview-client",
                    client=line.client_name or "",
                    period=period_label(t, line.period, lang),
                    plan=money(manager, line.plan_minor or 0),
                    sold=money(manager, line.sold_minor),
                    pct=format_percent(made, lang),
                )
            )
    lines += ["", t("plan-overview-hint")]
    return "\n".join(lines)
