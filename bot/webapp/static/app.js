// kambot Mini App: boots the page. Each screen is its own module and registers itself.
import { $, back, go, hash, lang, addWords, t, tg } from "./core.js";
import { startOn } from "./dashboard.js";
import "./clients.js";
import "./client.js";

addWords({ en: { dashboard: "Dashboard", clients: "Clients" }, ru: { dashboard: "Дашборд", clients: "Клиенты" } });

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

document.documentElement.lang = lang;
if (tg) {
  tg.ready();
  tg.expand();
  if (tg.BackButton) tg.BackButton.onClick(back);
} else {
  applyHashTheme();
}
$("tab-dashboard").textContent = t("dashboard");
$("tab-clients").textContent = t("clients");
for (const button of document.querySelectorAll("#tabs button")) {
  button.addEventListener("click", () => go(button.dataset.screen));
}

// Where a chat button asked to open: ?client=<id> under a client card, ?period=<p> under /kpi.
// Telegram keeps the query string and puts its own data in the hash. Anything else is ignored;
// a client that is not the opener's gets the API's 404 like any other.
const opened = new URLSearchParams(location.search);
startOn(opened.get("period"));
const client = opened.get("client") || "";
if (/^[1-9]\d{0,8}$/.test(client)) { // database ids are 32-bit
  $("tab-dashboard").setAttribute("aria-current", "page"); // back leads to the dashboard
  go("client", Number(client));
} else {
  go("dashboard");
}
