"""The /kpi message: short sections with emoji headers, readable on a phone between two calls,
and the period buttons under it."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from aiogram.types import InlineKeyboardButton as Button
from aiogram.types import InlineKeyboardMarkup as Markup

from bot.i18n import Translator
from bot.services.kpi.report import B2B, KpiReport
from bot.services.kpi.text import money, pace_parts, percent, period_label, signed_percent
from bot.services.money import share
from bot.views.webapp_links import webapp_button
from handlers.b2c.request_views import format_duration
from handlers.callbacks import KpiAction, KpiCb
from storage.enums import PeriodKind

SHOWN = 5


def kpi_text(t: Translator, report: KpiReport) -> str:
    sections = [t("kpi-title", period=period_label(report.period, t.lang))]
    if report.b2c is not None:
        # Service first; a B2C manager rarely has a sales plan, so no nagging about one.
        sections.append(_b2c(t, report))
        if report.pace.has_plan:
            sections.append(_plan(t, report))
        if report.sales.count:
            sections.append(_sales(t, report))
    elif report.key_accounts is not None:
        sections += [_plan(t, report), _key_accounts(t, report), _sales(t, report)]
    else:
        sections += [_plan(t, report), _sales(t, report)]
        if report.b2b is not None:
            sections += _b2b(t, report.b2b, report.currency)
    return "\n\n".join(s for s in sections if s)


def kpi_kb(t: Translator, current: PeriodKind, webapp_url: str | None = None) -> Markup:
    periods = [
        Button(
            text=f"• {t(f'kpi-period-{kind.value}')} •"
            if kind is current
            else t(f"kpi-period-{kind.value}"),
            callback_data=KpiCb(action=KpiAction.PERIOD, period=kind).pack(),
        )
        for kind in PeriodKind
    ]
    chart = Button(
        text=t("kpi-btn-chart"), callback_data=KpiCb(action=KpiAction.CHART, period=current).pack()
    )
    rows = [periods, [chart]]
    if webapp_url:  # the dashboard opens on the period shown here
        rows.append([webapp_button(t, "webapp-btn-kpi", webapp_url, period=current.value)])
    return Markup(inline_keyboard=rows)


def _plan(t: Translator, report: KpiReport) -> str:
    lang, pace = t.lang, report.pace
    if pace.attainment is None:
        if report.period.kind is PeriodKind.WEEK:
            return t("kpi-no-plan-week")
        example = t(f"kpi-plan-example-{report.period.kind.value}")
        return t("kpi-no-plan", period=period_label(report.period, lang), example=example)
    assert pace.plan_minor is not None
    head = t(
        "kpi-plan",
        pct=percent(pace.attainment, lang),
        sold=money(pace.sold_minor, report.currency, lang),
        plan=money(pace.plan_minor, report.currency, lang),
    )
    parts = " · ".join(pace_parts(t, pace, report.currency))
    lines = [head, parts[:1].upper() + parts[1:]]
    if pace.forecast_minor is not None and pace.remaining_minor and not pace.out_of_days:
        amount = money(Fraction(pace.forecast_minor), report.currency, lang)  # derived: whole
        lines.append(t("kpi-forecast-money", amount=amount))
    return "\n".join(line for line in lines if line)


def _change(value: Fraction | None, lang: str) -> str:
    return "none" if value is None else signed_percent(value, lang)


def _sales(t: Translator, report: KpiReport) -> str:
    lang, cur = t.lang, report.sales
    if not cur.count:
        return t("kpi-no-sales")
    lines = [
        t(
            "kpi-sales",
            sum=money(cur.total_minor, report.currency, lang),
            count=cur.count,
            buyers=cur.buyers,
        )
    ]
    if report.b2b is not None:
        check, per_client = report.b2b.average_check, report.b2b.per_client
        if check.current is not None:
            lines.append(
                t(
                    "kpi-avg-check",
                    value=money(check.current, report.currency, lang),
                    change=_change(check.change, lang),
                )
            )
        if per_client.current is not None:
            lines.append(
                t(
                    "kpi-per-client",
                    value=money(per_client.current, report.currency, lang),
                    change=_change(per_client.change, lang),
                )
            )
    return "\n".join(lines)


def _b2b(t: Translator, b2b: B2B, currency: str) -> list[str]:
    lang = t.lang
    if not b2b.clients.total:
        return [t("kpi-no-clients")]
    clients = [
        t("kpi-clients"),
        t("kpi-active", active=b2b.clients.active, total=b2b.clients.total),
    ]
    if b2b.coverage is not None:
        clients.append(
            t(
                "kpi-coverage",
                pct=percent(b2b.coverage, lang),
                touched=b2b.clients.touched,
                base=b2b.clients.base,
            )
        )
    clients.append(t("kpi-touches", touches=b2b.touches, clients=b2b.touched_clients))
    sections = ["\n".join(clients)]
    if b2b.new_lines:
        lines = [t("kpi-new-lines", count=len(b2b.new_lines))]
        lines += [t("kpi-new-line", client=c, line=p) for c, p in b2b.new_lines[:SHOWN]]
        if len(b2b.new_lines) > SHOWN:
            lines.append(t("kpi-risk-more", count=len(b2b.new_lines) - SHOWN))
        sections.append("\n".join(lines))
    if b2b.top:
        lines = [t("kpi-top")]
        lines += [
            t("kpi-top-line", n=n, client=c.name, sum=money(c.total_minor, currency, lang))
            for n, c in enumerate(b2b.top, 1)
        ]
        sections.append("\n".join(lines))
    sections.append(_risk(t, b2b))
    return sections


def _risk(t: Translator, b2b: B2B) -> str:
    risk = b2b.risk
    if not risk.count:
        return t("kpi-no-risk")
    lines = [t("kpi-risk", count=risk.count)]
    for o in risk.overdue:
        lines.append(
            t("kpi-risk-overdue", client=o.name, days=_days_since(o.next_checkin_at, risk.now))
        )
    drops = [d for d in risk.drops if not risk.is_overdue(d)]
    room = max(SHOWN - len(risk.overdue), 0)
    for d in drops[:room]:
        change = Fraction(d.recent_minor * d.earlier_count, d.earlier_minor * d.recent_count) - 1
        lines.append(t("kpi-risk-drop", client=d.name, change=signed_percent(change, t.lang)))
    shown = len(risk.overdue) + min(len(drops), room)
    if risk.count > shown:
        lines.append(t("kpi-risk-more", count=risk.count - shown))
    return "\n".join(lines)


def _days_since(moment: datetime, now: datetime) -> int:
    """Calendar days on the manager's clock (`now` is local), the same count as /today's."""
    return max((now.date() - moment.astimezone(now.tzinfo).date()).days, 0)


def duration(t: Translator, seconds: int | None) -> str:
    # The request card's format: a median and the card never disagree on the same minutes.
    return "—" if seconds is None else format_duration(t, seconds)


def _b2c(t: Translator, report: KpiReport) -> str:
    m = report.b2c
    assert m is not None
    lines: list[str] = []
    if m.opened:
        lines.append(t("kpi-b2c", opened=m.opened, resolved=m.resolved))
        for key, stats in (
            ("kpi-b2c-response", m.first_response),
            ("kpi-b2c-resolution", m.resolution),
        ):
            if stats.count:
                lines.append(
                    t(
                        key,
                        median=duration(t, stats.median_s),
                        p90=duration(t, stats.p90_s),
                        ok=stats.within_sla,
                        count=stats.count,
                    )
                )
    else:
        lines.append(t("kpi-b2c-none"))
    if m.overdue_count:
        lines += ["", t("kpi-b2c-overdue", count=m.overdue_count)]
        lines += [
            t("kpi-b2c-overdue-line", client=o.client_name, text=_short(o.text), breach=o.breach)
            for o in m.overdue
        ]
        if m.overdue_count > len(m.overdue):
            lines.append(t("kpi-risk-more", count=m.overdue_count - len(m.overdue)))
    lines += ["", t("kpi-b2c-reviews", negative=m.reviews_negative, positive=m.reviews_positive)]
    return "\n".join(lines)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _key_accounts(t: Translator, report: KpiReport) -> str:
    ka = report.key_accounts
    assert ka is not None
    if not ka.accounts:
        return t("kpi-kam-none")
    lang, currency = t.lang, report.currency
    # Percents from the exact amounts, not the service's one-decimal figures: rounding twice
    # could turn 99.96 % into "100 %" while the plan is still short.
    key_share = share(ka.key_total_minor, ka.total_minor)
    lines = [
        t("kpi-kam", share=percent(key_share, lang))
        if key_share is not None
        else t("kpi-kam-no-sales")
    ]
    for a in ka.accounts[: SHOWN * 2]:
        sold = money(a.turnover_minor, currency, lang)
        made = share(a.turnover_minor, a.plan_minor)
        if a.plan_minor and made is not None:
            plan = money(a.plan_minor, currency, lang)
            pct = percent(made, lang)
            line = t("kpi-kam-line-plan", client=a.name, sold=sold, plan=plan, pct=pct)
        else:
            line = t("kpi-kam-line", client=a.name, sold=sold)
        part = share(a.turnover_minor, ka.total_minor)
        if part is not None:
            line += t("kpi-kam-share", share=percent(part, lang))
        lines.append(line)
    if len(ka.accounts) > SHOWN * 2:
        lines.append(t("kpi-risk-more", count=len(ka.accounts) - SHOWN * 2))
    return "\n".join(lines)
