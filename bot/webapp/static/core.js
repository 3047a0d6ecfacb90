// kambot Mini App, shared parts: Telegram's data, words, formatting, the API, navigation.
// Vanilla ES modules, no build step. Every text from the API goes in through textContent (or a
// text node), never innerHTML: client names are the users' own words.

export const tg = window.Telegram && window.Telegram.WebApp;
export const hash = new URLSearchParams(location.hash.slice(1));
// The SDK may fail to load (blocked, offline): Telegram passes the same data in the hash.
export const initData = (tg && tg.initData) || hash.get("tgWebAppData") || "";
const user = (() => {
  try { return JSON.parse(new URLSearchParams(initData).get("user") || "{}"); } catch { return {}; }
})();
export const lang = String(user.language_code || "").toLowerCase().startsWith("ru") ? "ru" : "en";

// Each screen's module adds its own words; a key missing in a language falls back to English.
const WORDS = { en: {}, ru: {} };
export function addWords(words) {
  Object.assign(WORDS.en, words.en);
  Object.assign(WORDS.ru, words.ru);
}
addWords({
  en: {
    back: "‹ Back", loading: "Loading…", unauthorized: "Open this from the bot in Telegram.",
    forbidden: "Send /start to the bot first, then open this again.",
    failed: "Something went wrong. Try again later.",
    notFound: "Not found: it was deleted or is not yours to see.",
  },
  ru: {
    back: "‹ Назад", loading: "Загрузка…", unauthorized: "Откройте это из бота в Telegram.",
    forbidden: "Сначала отправьте боту /start, затем откройте снова.",
    failed: "Что-то пошло не так. Попробуйте позже.",
    notFound: "Не найдено: удалено или доступно не вам.",
  },
});
const has = (words, key) => Object.prototype.hasOwnProperty.call(words, key);
export const t = (key, n) => {
  const text = has(WORDS[lang], key) ? WORDS[lang][key] : WORDS.en[key];
  return String(text).replace("%d", String(n));
};
// An enum value from the API in words; an unknown one as it came (still as text).
export const word = (value) => (value && (has(WORDS[lang], value) || has(WORDS.en, value)) ? t(value) : value);

const SYMBOLS = { RUB: "₽", USD: "$", EUR: "€", KZT: "₸", BYN: "Br", GBP: "£", CNY: "¥" };
export const $ = (id) => document.getElementById(id);
export const screen = $("screen");

export function el(tag, attrs, ...children) {
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
export function money(minor, currency) {
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
export function percent(share) {
  if (share === null || share === undefined) return "—";
  const whole = Math.trunc(share * 100 + (share >= 0 ? 1e-9 : -1e-9));
  return lang === "ru" ? `${whole}\u00a0%` : `${whole}%`;
}
export function day(iso) {
  if (!iso) return "";
  const opts = { day: "numeric", month: "short", year: "numeric" };
  return new Date(iso).toLocaleDateString(lang === "ru" ? "ru-RU" : "en-GB", opts);
}

export function say(text) {
  const box = $("message");
  box.textContent = text;
  box.hidden = !text;
}

// A failed read leaves nothing worth showing: the screen is cleared. A failed write keeps the
// screen (the form, the agenda) so nothing typed is lost, and the message says why.
async function answered(response, keepScreen = false) {
  if (response.ok) { say(""); return response.json(); }
  if (!keepScreen || response.status === 401) screen.replaceChildren();
  if (response.status === 401) { $("tabs").hidden = true; say(t("unauthorized")); }
  else if (response.status === 403) say(t("forbidden"));
  else if (response.status === 404) say(t("notFound"));
  else say(t("failed"));
  throw new Error(`HTTP ${response.status}`);
}

// GET api/...: the answer's JSON, or the page says what went wrong and this throws.
export async function api(path) {
  return answered(await fetch(path, { headers: { Authorization: `tma ${initData}` } }));
}

// POST api/... with a JSON body; a 4xx that is the user's to fix (422) comes back as JSON
// with `ok: false` instead of blanking the screen.
export async function send(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { Authorization: `tma ${initData}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status === 422) return { ok: false, ...(await response.json()) };
  return { ok: true, ...(await answered(response, true)) };
}

// DOM's append("null") would print the word: absent parts are dropped here.
export const render = (...nodes) => screen.replaceChildren(...nodes.filter((n) => n !== null));

export function section(title, items, id) {
  if (!items.length) return null;
  return el("section", id ? { id } : {}, el("h2", { text: title }), el("ul", {}, ...items));
}

// Navigation: each screen registers itself; tabs are top-level screens, others go "back".
const screens = {};
let currentTab = "dashboard";
export function register(name, show) { screens[name] = show; }

export function go(name, ...args) {
  const tab = name === "dashboard" || name === "clients";
  if (tab) {
    currentTab = name;
    if (tg && tg.BackButton) tg.BackButton.hide();
    for (const button of document.querySelectorAll("#tabs button")) {
      if (button.dataset.screen === name) button.setAttribute("aria-current", "page");
      else button.removeAttribute("aria-current");
    }
  } else if (tg && tg.BackButton) {
    tg.BackButton.show();
  }
  return Promise.resolve(screens[name](...args))
    .then(() => { document.body.setAttribute("data-screen", name); if (!tab) window.scrollTo(0, 0); })
    .catch(() => {});
}

export const back = () => go(currentTab);
export const backButton = () => el("button", { type: "button", class: "back", text: t("back"), onclick: back });

export function clientLink(id, name, extra) {
  return el("li", {}, el("a", { href: "#", "data-client": String(id), onclick: (e) => {
    e.preventDefault(); go("client", id);
  } }, el("div", { class: "row" }, el("span", { text: name }), extra || null)));
}
