// The dashboard: /kpi's figures for the chosen period, its chart (plan vs fact, touches per week),
// who is at risk and today's agenda. Every figure comes from the server (the KPI engine and the
// chat's services via api/dashboard, api/dashboard/chart, api/agenda): nothing is computed here.
import { addWords, api, clientLink, day, el, go, lang, money, percent, register, screen, send, t, tg } from "./core.js";
import { barChart, paceChart } from "./chart.js";

addWords({
  en: {
    week: "Week", month: "Month", quarter: "Quarter", year: "Year", sales: "Sales", plan: "Plan",
    attainment: "Attainment", needed: "Needed per day", risk: "At risk", top: "Top clients",
    dPace: "Plan vs fact", dFact: "Sold", dTap: "Tap a day to see its sales.",
    dNoSales: "No sales that day.", dCut: "More clients bought that day than are listed.",
    dTouches: "Touches per week", dNoRisk: "Nobody is at risk.", dMore: "and %d more",
    dOverdueSince: "due since %s", dCheckDown: "average check down", dToday: "Today",
    dNothingToday: "Nothing due today.", dFollowups: "Next steps", dOverdue: "Due for a touch",
    dBirthdays: "Birthdays", dRequests: "Requests near or past the SLA", dDone: "Done",
    dMarkDone: "Mark as done", dDueToday: "due today", dLate: "%d d overdue",
    dInDays: "in %d d",
  },
  ru: {
    week: "Неделя", month: "Месяц", quarter: "Квартал", year: "Год", sales: "Продажи",
    plan: "План", attainment: "Выполнение", needed: "Нужно в день", risk: "В зоне риска",
    top: "Лучшие клиенты",
    dPace: "План и факт", dFact: "Продано",
    dTap: "Нажмите на день, чтобы увидеть его продажи.", dNoSales: "В этот день продаж нет.",
    dCut: "В этот день покупали и другие клиенты.", dTouches: "Касания по неделям",
    dNoRisk: "В зоне риска никого.", dMore: "и ещё %d", dOverdueSince: "просрочен с %s",
    dCheckDown: "средний чек упал", dToday: "Сегодня", dNothingToday: "На сегодня дел нет.",
    dFollowups: "Следующие шаги", dOverdue: "Пора связаться", dBirthdays: "Дни рождения",
    dRequests: "Заявки у границы SLA", dDone: "Сделано", dMarkDone: "Отметить сделанным",
    dDueToday: "сегодня", dLate: "просрочено на %d дн.", dInDays: "через %d дн.",
  },
});

let period = "month";
// A deep link's period (?period=quarter, from /kpi's button): app.js calls this before showing.
export function startOn(value) { if (["week", "month", "quarter", "year"].includes(value)) period = value; }
let asked = 0; // the latest load: an answer to an earlier period arriving late is dropped
const AGENDA_SHOWN = 10; // per section, as the chat's /today
const RISK_SHOWN = 10;

const locale = lang === "ru" ? "ru-RU" : "en-GB";
// A date the server gives on the manager's clock ("2026-11-28", or the start of an ISO time):
// read as that calendar day, never shifted by the phone's time zone.
function calendarDay(iso, opts) {
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(locale, opts);
}
const shortDay = (iso) => calendarDay(iso, { day: "numeric", month: "short" });

function figure(name, label, value) {
  return el("div", { class: "figure", "data-figure": name },
    el("div", { class: "label", text: label }), el("div", { class: "value", text: value }));
}

function more(count) {
  return count > 0 ? el("p", { class: "hint more", text: t("dMore", count) }) : null;
}

async function showDay(box, chart, index) {
  const iso = chart.days[index];
  box.dataset.want = iso;
  box.replaceChildren(el("p", { class: "hint", text: t("loading") }));
  const body = await api(`api/dashboard/day?date=${encodeURIComponent(iso)}`);
  if (box.dataset.want !== iso) return; // another day was tapped meanwhile
  const cur = body.currency;
  const rows = body.clients.map((c) => clientLink(c.client_id, c.name,
    el("span", { text: c.count > 1 ? `${money(c.total_minor, cur)} (×${c.count})` : money(c.total_minor, cur) })));
  box.replaceChildren(...[
    el("h3", { text: `${calendarDay(iso, { day: "numeric", month: "long", weekday: "short" })} · ${money(body.total_minor, cur)}` }),
    rows.length ? el("ul", {}, ...rows) : el("p", { class: "hint", text: t("dNoSales") }),
    body.cut ? el("p", { class: "hint", text: t("dCut") }) : null,
  ].filter(Boolean)); // replaceChildren(null) would print "null"
  box.dataset.day = iso;
}

function paceSection(chart) {
  const cur = chart.currency;
  const box = el("div", { id: "day-sales" }, el("p", { class: "hint", text: t("dTap") }));
  const legend = el("div", { class: "legend" },
    el("span", { class: "key fact", text: `${t("dFact")}: ${money(chart.sold_minor, cur)}` }),
    chart.plan_minor ? el("span", { class: "key plan", text: `${t("plan")}: ${money(chart.plan_minor, cur)}` }) : null);
  const drawing = paceChart({
    days: chart.days, fact: chart.cumulative, plan: chart.plan_cumulative, today: chart.today_index,
    labels: (i) => shortDay(chart.days[i]), title: t("dPace"),
    onPick: (i) => { showDay(box, chart, i).catch(() => {}); },
  });
  return el("section", { id: "pace" }, el("h2", { text: t("dPace") }), legend, drawing, box);
}

function touchesSection(chart) {
  // The recent weeks up to this one: at most 12 bars, as /kpi's chart shows for a month.
  const last = chart.current_week;
  const first = Math.max(0, last - 11);
  const weeks = chart.weeks.slice(first, last + 1);
  const drawing = barChart({
    values: chart.touches.slice(first, last + 1).map((v) => v || 0), current: weeks.length - 1,
    labels: (i) => calendarDay(weeks[i], { day: "numeric", month: "numeric" }), title: t("dTouches"),
  });
  return el("section", { id: "touches" }, el("h2", { text: t("dTouches") }), drawing);
}

function riskSection(risk, count) {
  if (!risk) return null; // not a B2B report: /kpi has no at-risk list either
  const rows = risk.rows.map((r) => clientLink(r.client_id, r.name, el("span", { class: "sub",
    text: r.reason === "overdue" ? t("dOverdueSince").replace("%s", shortDay(r.since)) : t("dCheckDown") })));
  // The first few in sight, the rest one tap away: the dashboard stays a dashboard.
  const rest = rows.length > RISK_SHOWN ? el("details", {},
    el("summary", { text: t("dMore", rows.length - RISK_SHOWN) }), el("ul", {}, ...rows.slice(RISK_SHOWN))) : null;
  return el("section", { id: "risk" }, el("h2", { text: `${t("risk")}: ${count}` }),
    rows.length ? el("ul", {}, ...rows.slice(0, RISK_SHOWN)) : el("p", { class: "hint", text: t("dNoRisk") }),
    rest, more(risk.more));
}

function clientAnchor(id, name) {
  return el("a", { href: "#", "data-client": String(id), onclick: (e) => { e.preventDefault(); go("client", id); } },
    el("span", { text: name }));
}

function followup(f) {
  const due = calendarDay(f.due_at, { day: "numeric", month: "short" }) + (f.has_time ? ` ${f.due_at.slice(11, 16)}` : "");
  const button = el("button", { type: "button", class: "done", "aria-label": t("dMarkDone"), text: "✅" });
  const item = el("li", { class: "todo", "data-touch": String(f.touch_id) },
    el("div", { class: "row" },
      el("div", {}, clientAnchor(f.client_id, f.client_name), el("div", { class: "sub step", text: `${f.step} · ${due}` })),
      button));
  button.addEventListener("click", async () => {
    button.disabled = true;
    let answer;
    try { answer = await send(`api/agenda/${encodeURIComponent(String(f.touch_id))}/done`, {}); } catch { button.disabled = false; return; }  // the message says why; try again
    if (!answer.ok) { button.disabled = false; return; }
    if (tg && tg.HapticFeedback) tg.HapticFeedback.notificationOccurred("success");
    item.classList.add("is-done");
    item.setAttribute("data-done", "true");
    button.replaceWith(el("span", { class: "sub", text: `✅ ${t("dDone")}` }));
  });
  return item;
}

function agendaSection(agenda) {
  const part = (title, items, total) => (items.length
    ? [el("h3", { text: title }), el("ul", {}, ...items), more(total - items.length)] : []);
  const late = (days) => (days === 0 ? t("dDueToday") : t("dLate", days));
  const parts = [
    ...part(t("dRequests"), agenda.requests.slice(0, AGENDA_SHOWN).map((r) => el("li", {},
      el("div", { text: r.client_name }), el("div", { class: "sub", text: r.text }))), agenda.requests.length),
    ...part(t("dFollowups"), agenda.followups.map(followup), agenda.followups.length),
    ...part(t("dOverdue"), agenda.overdue.slice(0, AGENDA_SHOWN).map((o) => clientLink(o.client_id, o.client_name,
      el("span", { class: "sub", text: late(o.days) }))), agenda.overdue.length),
    ...part(t("dBirthdays"), agenda.birthdays.slice(0, AGENDA_SHOWN).map((b) => el("li", {},
      el("div", { text: `${b.contact_name} · ${b.client_name}` }),
      el("div", { class: "sub", text: `${shortDay(b.on)} · ${b.days === 0 ? t("dDueToday") : t("dInDays", b.days)}` }))),
    agenda.birthdays.length),
  ];
  return el("section", { id: "agenda" }, el("h2", { text: t("dToday") }),
    ...(parts.length ? parts : [el("p", { class: "hint", text: t("dNothingToday") })]));
}

async function showDashboard() {
  const mine = ++asked;
  const picker = el("select", { id: "period", "aria-label": "period" });
  for (const p of ["week", "month", "quarter", "year"]) {
    const option = el("option", { value: p, text: t(p) });
    if (p === period) option.selected = true;
    picker.append(option);
  }
  picker.addEventListener("change", () => { period = picker.value; showDashboard(); });
  screen.replaceChildren(picker, el("p", { class: "hint", text: t("loading") }));
  const chosen = encodeURIComponent(period);
  const [body, drawn, agenda] = await Promise.all([api(`api/dashboard?period=${chosen}`),
    api(`api/dashboard/chart?period=${chosen}`), api("api/agenda")]);
  if (mine !== asked) return;
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
    paceSection(drawn.chart), agendaSection(agenda), riskSection(body.at_risk, b2b ? b2b.risk.count : 0),
    touchesSection(drawn.chart), el("h2", { text: t("top") }), top);
}

register("dashboard", showDashboard);
