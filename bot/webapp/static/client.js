// A client's page: card, contacts, timeline, sales, notes (private ones only their author's).
import { addWords, api, backButton, day, el, lang, money, register, render, section, t, word } from "./core.js";
import { touchForm } from "./touch_form.js";

addWords({
  en: {
    contacts: "Contacts", timeline: "Timeline", notes: "Notes", sales: "Sales",
    private: "private", readOnly: "Team client: read only", birthday: "birthday in %d d",
    active: "active", paused: "paused", lost: "lost", call: "call", message: "message",
    email: "email", visit: "visit", meeting: "meeting", positive: "positive",
    neutral: "neutral", negative: "negative",
    promises: "Open promises", noDue: "no date",
  },
  ru: {
    contacts: "Контакты", timeline: "История", notes: "Заметки", sales: "Продажи",
    private: "личная", readOnly: "Клиент команды: только просмотр",
    birthday: "день рождения через %d дн.",
    active: "активный", paused: "на паузе", lost: "потерян", call: "звонок",
    message: "сообщение", email: "письмо", visit: "визит", meeting: "встреча",
    positive: "позитивно", neutral: "нейтрально", negative: "негативно",
    promises: "Открытые обещания", noDue: "без срока",
  },
});

async function openClient(id) {
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
  // The chat's open promises (next steps not yet done), the soonest due first, due as the chat
  // words it: the manager's local day, a time only when one was agreed.
  const promises = page.promises.map((p) => el("li", {}, el("div", { text: p.text }),
    el("div", { class: "sub", text: p.on ? [localDay(p.on), p.at].filter(Boolean).join(" ")
      : t("noDue") })));
  const sales = page.sales.map((s) => el("li", { class: "row" },
    el("span", { text: [day(s.sold_at), s.product_line].filter(Boolean).join(" · ") }),
    el("span", { text: money(s.amount_minor, s.currency) })));
  const notes = card.notes.map((n) => el("li", {}, el("div", { text: n.text }),
    el("div", { class: "sub", text: [day(n.created_at), n.private ? t("private") : null]
      .filter(Boolean).join(" · ") })));
  render(backButton(), el("h1", { id: "client-name", "data-client": String(card.id), text: card.name }),
    el("p", { class: "hint", text: [word(card.status), card.owner_name, card.phone].filter(Boolean)
      .join(" · ") }),
    page.read_only ? el("p", { class: "hint", text: t("readOnly") }) : null,
    touchForm(page),
    section(t("promises"), promises, "promises"),
    section(t("contacts"), contacts), section(t("timeline"), history, "timeline"),
    section(t("sales"), sales), section(t("notes"), notes));
}

// "2026-11-30" as that calendar day wherever the phone is (Date("2026-11-30") is UTC midnight).
function localDay(isoDate) {
  const [y, m, d] = isoDate.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(lang === "ru" ? "ru-RU" : "en-GB",
    { day: "numeric", month: "short", year: "numeric" });
}

register("client", openClient);
