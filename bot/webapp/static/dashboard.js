// The dashboard: /kpi's figures for the chosen period, from the KPI engine via api/dashboard.
import { addWords, api, clientLink, day, el, money, percent, register, screen, t } from "./core.js";

addWords({
  en: {
    week: "Week", month: "Month", quarter: "Quarter", year: "Year", sales: "Sales", plan: "Plan",
    attainment: "Attainment", needed: "Needed per day", risk: "At risk", top: "Top clients",
  },
  ru: {
    week: "Неделя", month: "Месяц", quarter: "Квартал", year: "Год", sales: "Продажи",
    plan: "План", attainment: "Выполнение", needed: "Нужно в день", risk: "В зоне риска",
    top: "Лучшие клиенты",
  },
});

let period = "month";

function figure(name, label, value) {
  return el("div", { class: "figure", "data-figure": name },
    el("div", { class: "label", text: label }), el("div", { class: "value", text: value }));
}

async function showDashboard() {
  const picker = el("select", { id: "period", "aria-label": "period" });
  for (const p of ["week", "month", "quarter", "year"]) {
    const option = el("option", { value: p, text: t(p) });
    if (p === period) option.selected = true;
    picker.append(option);
  }
  picker.addEventListener("change", () => { period = picker.value; showDashboard(); });
  screen.replaceChildren(picker, el("p", { class: "hint", text: t("loading") }));
  const body = await api(`api/dashboard?period=${encodeURIComponent(period)}`);
  const kpi = body.kpi;
  const pace = kpi.pace || {};
  const b2b = kpi.b2b;
  const cur = kpi.currency;
  const span = `${day(kpi.period.start)} – ${day(kpi.period.last_day)}`;
  const top = el("ul", { id: "top" });
  for (const row of (b2b && b2b.top) || []) {
    top.append(clientLink(row.client_id, row.name, el("span", { text: money(row.total_minor, cur) })));
  }
  screen.replaceChildren(picker, el("p", { class: "hint", id: "span", text: span }),
    el("div", { class: "figures", "data-period": body.period },
      figure("sales", t("sales"), money(kpi.sales.total_minor, cur)),
      figure("plan", t("plan"), pace.has_plan ? money(pace.plan_minor, cur) : "—"),
      figure("attainment", t("attainment"), percent(pace.attainment)),
      figure("needed", t("needed"), money(pace.needed_per_day_minor, cur)),
      figure("risk", t("risk"), b2b ? String(b2b.risk.count) : "—")),
    el("h2", { text: t("top") }), top);
}

register("dashboard", showDashboard);
