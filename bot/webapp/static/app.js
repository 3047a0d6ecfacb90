// kambot Mini App: vanilla JS, no build step. Every text from the API goes in through
// textContent (or a text node), never innerHTML: client names are the users' own words.
"use strict";
(() => {
  const tg = window.Telegram && window.Telegram.WebApp;
  const hash = new URLSearchParams(location.hash.slice(1));
  // The SDK may fail to load (blocked, offline): Telegram passes the same data in the hash.
  const initData = (tg && tg.initData) || hash.get("tgWebAppData") || "";
  const user = (() => {
    try { return JSON.parse(new URLSearchParams(initData).get("user") || "{}"); } catch { return {}; }
  })();
  const lang = String(user.language_code || "").toLowerCase().startsWith("ru") ? "ru" : "en";
  const WORDS = {
    en: {
      dashboard: "Dashboard", clients: "Clients", week: "Week", month: "Month",
      quarter: "Quarter", year: "Year", sales: "Sales", plan: "Plan", attainment: "Attainment",
      needed: "Needed per day", risk: "At risk", top: "Top clients", search: "Search clients",
      nothing: "Nothing found", contacts: "Contacts", timeline: "Timeline", notes: "Notes",
      back: "‹ Back", private: "private", readOnly: "Team client: read only", loading: "Loading…",
      unauthorized: "Open this from the bot in Telegram.",
      forbidden: "Send /start to the bot first, then open this again.",
      failed: "Something went wrong. Try again later.", birthday: "birthday in %d d",
      found: "%d clients",
      active: "active", paused: "paused", lost: "lost", call: "call", message: "message",
      email: "email", visit: "visit", meeting: "meeting", positive: "positive",
      neutral: "neutral", negative: "negative",
    },
    ru: {
      dashboard: "Дашборд", clients: "Клиенты", week: "Неделя", month: "Месяц",
      quarter: "Квартал", year: "Год", sales: "Продажи", plan: "План", attainment: "Выполнение",
      needed: "Нужно в день", risk: "В зоне риска", top: "Лучшие клиенты",
      search: "Поиск клиентов", nothing: "Ничего не найдено", contacts: "Контакты",
      timeline: "История", notes: "Заметки", back: "‹ Назад", private: "личная",
      readOnly: "Клиент команды: только просмотр", loading: "Загрузка…",
      unauthorized: "Откройте это из бота в Telegram.",
      forbidden: "Сначала отправьте боту /start, затем откройте снова.",
      failed: "Что-то пошло не так. Попробуйте позже.", birthday: "день рождения через %d дн.",
      found: "Клиентов: %d",
      active: "активный", paused: "на паузе", lost: "потерян", call: "звонок",
      message: "сообщение", email: "письмо", visit: "визит", meeting: "встреча",
      positive: "позитивно", neutral: "нейтрально", negative: "негативно",
    },
  };
  const t = (key, n) => WORDS[lang][key].replace("%d", String(n));
  // An enum value from the API in words; an unknown one as it came (still as text).
  const word = (value) => (value && Object.prototype.hasOwnProperty.call(WORDS[lang], value) ? t(value) : value);
  const SYMBOLS = { RUB: "₽", USD: "$", EUR: "€", KZT: "₸", BYN: "Br", GBP: "£", CNY: "¥" };
  const $ = (id) => document.getElementById(id);
  const screen = $("screen");

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") node.textContent = value;
      else if (key === "onclick") node.addEventListener("click", value);
      else node.setAttribute(key, value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  // As bot/services/money.py formats money in the chat: kopecks only when there are some,
  // a derived (non-integer) figure to the whole unit; "1 250 000 ₽" / "₽1,250,000".
  function money(minor, currency) {
    if (minor === null || minor === undefined) return "—";
    if (!Number.isInteger(minor)) minor = Math.round(minor / 100) * 100;
    const negative = minor < 0;
    const abs = Math.abs(minor);
    const whole = String(Math.floor(abs / 100));
    const cents = abs % 100;
    const group = lang === "ru" ? "\u00a0" : ",";
    let number = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
    if (cents) number += (lang === "ru" ? "," : ".") + String(cents).padStart(2, "0");
    const symbol = SYMBOLS[currency] || currency;
    const sign = negative ? "-" : "";
    return lang === "ru" ? `${sign}${number}\u00a0${symbol}` : `${sign}${symbol}${number}`;
  }
  // Whole percents truncated toward zero, the chat's one rule (99.9 % reads "99 %").
  function percent(share) {
    if (share === null || share === undefined) return "—";
    const whole = Math.trunc(share * 100 + (share >= 0 ? 1e-9 : -1e-9));
    return lang === "ru" ? `${whole}\u00a0%` : `${whole}%`;
  }
  function day(iso) {
    if (!iso) return "";
    const opts = { day: "numeric", month: "short", year: "numeric" };
    return new Date(iso).toLocaleDateString(lang === "ru" ? "ru-RU" : "en-GB", opts);
  }

  function applyHashTheme() {
    // Without the SDK nobody sets Telegram's CSS variables: read them as Telegram passes them.
    let params = {};
    try { params = JSON.parse(hash.get("tgWebAppThemeParams") || "{}"); } catch { return; }
    for (const [key, value] of Object.entries(params)) {
      if (/^[a-z_]+$/.test(key) && /^#[0-9a-fA-F]{3,8}$/.test(String(value))) {
        document.documentElement.style.setProperty(`--tg-theme-${key.replace(/_/g, "-")}`, value);
      }
    }
  }

  function say(text) {
    const box = $("message");
    box.textContent = text;
    box.hidden = !text;
  }

  async function api(path) {
    const response = await fetch(path, { headers: { Authorization: `tma ${initData}` } });
    if (response.ok) { say(""); return response.json(); }
    screen.replaceChildren();
    if (response.status === 401) { $("tabs").hidden = true; say(t("unauthorized")); }
    else if (response.status === 403) say(t("forbidden"));
    else say(t("failed"));
    throw new Error(`HTTP ${response.status}`);
  }

  // DOM's append("null") would print the word: absent parts are dropped here.
  const render = (...nodes) => screen.replaceChildren(...nodes.filter((n) => n !== null));

  function figure(name, label, value) {
    return el("div", { class: "figure", "data-figure": name },
      el("div", { class: "label", text: label }), el("div", { class: "value", text: value }));
  }

  function clientLink(id, name, extra) {
    return el("li", {}, el("a", { href: "#", "data-client": String(id), onclick: (e) => {
      e.preventDefault(); openClient(id);
    } }, el("div", { class: "row" }, el("span", { text: name }), extra || null)));
  }

  let period = "month";
  let current = "dashboard";
  let query = "";

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

  async function showClients() {
    const box = el("input", { id: "search", type: "search", placeholder: t("search"),
      "aria-label": t("search"), autocomplete: "off" });
    box.value = query;
    const list = el("ul", { id: "clients" });
    const status = el("p", { class: "hint", id: "found" });
    screen.replaceChildren(box, status, list);
    let timer = 0;
    let asked = 0;
    const load = async () => {
      const mine = ++asked;
      const body = await api(`api/clients?q=${encodeURIComponent(query)}`);
      if (mine !== asked) return;  // a slower answer to an older query
      list.replaceChildren(...body.clients.map((c) => clientLink(c.id, c.name,
        c.via_contact ? el("span", { class: "sub", text: c.via_contact }) : null)));
      status.textContent = body.clients.length ? t("found", body.clients.length) : t("nothing");
      list.setAttribute("data-query", query);
    };
    box.addEventListener("input", () => {
      query = box.value.trim();
      clearTimeout(timer);
      timer = setTimeout(() => load().catch(() => {}), 250);
    });
    await load();
  }

  function section(title, items) {
    if (!items.length) return null;
    return el("section", {}, el("h2", { text: title }), el("ul", {}, ...items));
  }

  async function openClient(id) {
    if (tg && tg.BackButton) tg.BackButton.show();
    const page = await api(`api/clients/${encodeURIComponent(String(id))}`);
    const card = page.card;
    const contacts = card.contacts.map((c) => el("li", {}, el("div", { text: c.name }),
      el("div", { class: "sub", text: [c.role, c.phone, c.email,
        c.days_to_birthday !== null ? t("birthday", c.days_to_birthday) : null]
        .filter(Boolean).join(" · ") })));
    const history = page.timeline.entries.map((e) => el("li", {},
      el("div", { class: "sub", text: [day(e.at), word(e.kind), word(e.outcome), e.private ? t("private") : null]
        .filter(Boolean).join(" · ") }),
      el("div", { text: e.text || "" }),
      e.next_step ? el("div", { class: "sub", text: `→ ${e.next_step}` }) : null));
    const sales = page.sales.map((s) => el("li", { class: "row" },
      el("span", { text: [day(s.sold_at), s.product_line].filter(Boolean).join(" · ") }),
      el("span", { text: money(s.amount_minor, s.currency) })));
    const notes = card.notes.map((n) => el("li", {}, el("div", { text: n.text }),
      el("div", { class: "sub", text: [day(n.created_at), n.private ? t("private") : null]
        .filter(Boolean).join(" · ") })));
    const back = el("button", { type: "button", class: "back", text: t("back"), onclick: goBack });
    render(back, el("h1", { id: "client-name", text: card.name }),
      el("p", { class: "hint", text: [word(card.status), card.owner_name, card.phone].filter(Boolean)
        .join(" · ") }),
      page.read_only ? el("p", { class: "hint", text: t("readOnly") }) : null,
      section(t("contacts"), contacts), section(t("timeline"), history),
      section(t("sales"), sales), section(t("notes"), notes));
    document.body.setAttribute("data-screen", "client");
    window.scrollTo(0, 0);
  }

  function goBack() {
    if (tg && tg.BackButton) tg.BackButton.hide();
    show(current);
  }

  function show(name) {
    current = name;
    for (const button of document.querySelectorAll("#tabs button")) {
      if (button.dataset.screen === name) button.setAttribute("aria-current", "page");
      else button.removeAttribute("aria-current");
    }
    const shown = name === "clients" ? showClients() : showDashboard();
    shown.then(() => document.body.setAttribute("data-screen", name)).catch(() => {});
  }

  document.documentElement.lang = lang;
  if (tg) {
    tg.ready();
    tg.expand();
    if (tg.BackButton) tg.BackButton.onClick(goBack);
  } else {
    applyHashTheme();
  }
  $("tab-dashboard").textContent = t("dashboard");
  $("tab-clients").textContent = t("clients");
  for (const button of document.querySelectorAll("#tabs button")) {
    button.addEventListener("click", () => show(button.dataset.screen));
  }
  show("dashboard");
})();
