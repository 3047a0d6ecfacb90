// The client base: filters (overdue, key, tag, status, segment), a sort, and /client's
// typo-forgiving search as you type. The server filters, sorts and searches (api/clients); the
// values offered are the ones the manager's own base holds (the answer's facets).
import { addWords, api, clientLink, el, money, register, screen, t } from "./core.js";

addWords({
  en: {
    search: "Search clients", nothing: "Nothing found", found: "%d clients",
    clOverdue: "⚠️ Overdue", clKey: "🔑 Key", clAnyTag: "Any tag", clAnyStatus: "Any status",
    clAnySegment: "Any segment", clSortName: "By name", clSortOverdue: "Overdue first",
    clSortSales: "By sales", clAllTime: "sales of all time", clStatus_active: "Active",
    clStatus_paused: "Paused", clStatus_lost: "Lost", clStatus_archived: "Archived",
    clArchived: "archived", clFilters: "Filters", clSort: "Sort",
  },
  ru: {
    search: "Поиск клиентов", nothing: "Ничего не найдено", found: "Клиентов: %d",
    clOverdue: "⚠️ Просрочены", clKey: "🔑 Ключевые", clAnyTag: "Любой тег",
    clAnyStatus: "Любой статус", clAnySegment: "Любой сегмент", clSortName: "По имени",
    clSortOverdue: "Сначала просроченные", clSortSales: "По продажам",
    clAllTime: "продажи за всё время",
    clStatus_active: "Активные", clStatus_paused: "На паузе", clStatus_lost: "Потеряны",
    clStatus_archived: "В архиве", clArchived: "в архиве", clFilters: "Фильтры",
    clSort: "Сортировка",
  },
});

// Kept across visits to a client's page and back, as the search text is.
let query = "";
const chosen = { overdue: false, key: false, tag: "", status: "", segment: "", sort: "name" };

function params() {
  const p = new URLSearchParams();
  if (query) p.set("q", query);
  if (chosen.overdue) p.set("overdue", "1");
  if (chosen.key) p.set("key", "1");
  for (const name of ["tag", "status", "segment"]) if (chosen[name]) p.set(name, chosen[name]);
  // By name is the base's own order; while searching, no sort keeps the best match on top.
  if (chosen.sort !== "name") p.set("sort", chosen.sort);
  return p;
}

function chip(id, name, label, changed) {
  const button = el("button", { type: "button", class: "chip", id,
    "aria-pressed": String(chosen[name]), text: label });
  button.addEventListener("click", () => {
    chosen[name] = !chosen[name];
    button.setAttribute("aria-pressed", String(chosen[name]));
    changed();
  });
  return button;
}

function picker(id, name, label, options, changed) {
  const select = el("select", { id, "aria-label": label },
    ...options.map(([value, text]) => el("option", { value, text })));
  // A value the base no longer holds (a tag removed in the chat) still shows as chosen.
  if (chosen[name] && !options.some(([value]) => value === chosen[name])) {
    select.append(el("option", { value: chosen[name], text: chosen[name] }));
  }
  select.value = chosen[name];
  select.addEventListener("change", () => { chosen[name] = select.value; changed(); });
  return select;
}

function filterRow(facets, changed) {
  const parts = [chip("f-overdue", "overdue", t("clOverdue"), changed)];
  if (facets.key || chosen.key) parts.push(chip("f-key", "key", t("clKey"), changed));
  const chips = el("div", { class: "chips" }, ...parts);
  const selects = [];
  if (facets.tags.length || chosen.tag) {
    selects.push(picker("f-tag", "tag", t("clAnyTag"),
      [["", t("clAnyTag")], ...facets.tags.map((tag) => [tag, `#${tag}`])], changed));
  }
  if (facets.statuses.length > 1 || chosen.status) {
    selects.push(picker("f-status", "status", t("clAnyStatus"),
      [["", t("clAnyStatus")], ...facets.statuses.map((s) => [s, t(`clStatus_${s}`)])], changed));
  }
  if (facets.segments.length > 1 || chosen.segment) {
    selects.push(picker("f-segment", "segment", t("clAnySegment"),
      [["", t("clAnySegment")], ...facets.segments.map((s) => [s, s.toUpperCase()])], changed));
  }
  selects.push(picker("f-sort", "sort", t("clSort"),
    [["name", t("clSortName")], ["overdue", t("clSortOverdue")], ["sales", t("clSortSales")]],
    changed));
  return [chips, el("div", { class: "pickers" }, ...selects)];
}

function item(c, currency) {
  const marks = [c.overdue ? "⚠️" : null, c.key ? "🔑" : null].filter(Boolean).join(" ");
  const side = chosen.sort === "sales" ? money(c.sales_minor, currency) : marks;
  const link = clientLink(c.id, c.name, side ? el("span", { class: "mark", text: side }) : null);
  const sub = [c.via_contact, c.archived ? t("clArchived") : null].filter(Boolean).join(" · ");
  if (sub) link.querySelector("a").append(el("div", { class: "sub", text: sub }));
  return link;
}

async function showClients() {
  const box = el("input", { id: "search", type: "search", placeholder: t("search"),
    "aria-label": t("search"), autocomplete: "off" });
  box.value = query;
  const filters = el("div", { id: "filters", class: "filters", role: "group",
    "aria-label": t("clFilters") });
  const list = el("ul", { id: "clients" });
  const status = el("p", { class: "hint", id: "found" });
  screen.replaceChildren(box, filters, status, list);
  let timer = 0;
  let asked = 0;
  const load = async () => {
    const mine = ++asked;
    const p = params();
    const body = await api(`api/clients?${p}`);
    if (mine !== asked) return;  // a slower answer to an older query
    if (!filters.childElementCount) filters.append(...filterRow(body.facets, reload));
    list.replaceChildren(...body.clients.map((c) => item(c, body.currency)));
    status.textContent = body.clients.length
      ? [t("found", body.clients.length), chosen.sort === "sales" ? t("clAllTime") : null]
        .filter(Boolean).join(" · ")
      : t("nothing");
    list.setAttribute("data-query", query);
    list.setAttribute("data-params", p.toString());
  };
  const reload = () => { load().catch(() => {}); };
  box.addEventListener("input", () => {
    query = box.value.trim();
    clearTimeout(timer);
    timer = setTimeout(reload, 250);
  });
  await load();
}

register("clients", showClients);
