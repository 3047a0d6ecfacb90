// The client base: the whole list, and /client's typo-forgiving search as you type.
import { addWords, api, clientLink, el, register, screen, t } from "./core.js";

addWords({
  en: { search: "Search clients", nothing: "Nothing found", found: "%d clients" },
  ru: { search: "Поиск клиентов", nothing: "Ничего не найдено", found: "Клиентов: %d" },
});

let query = "";

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

register("clients", showClients);
