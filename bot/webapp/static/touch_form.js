// "Log a touch" on a client's page: type, outcome and the text, read by the server as /call
// reads it (a next step with a date becomes a reminder). Saved through Telegram's MainButton, or
// an on-page button when the SDK is missing; the bot then confirms it in the chat.
import { addWords, el, go, send, t, tg } from "./core.js";

addWords({
  en: {
    tfOpen: "+ Log a touch", tfTitle: "New touch", tfType: "Type", tfOutcome: "Outcome",
    tfText: "What happened", tfPlaceholder: "e.g. agreed, call back on Friday",
    tfHint: "A next step with a date becomes a reminder, as in the chat.",
    tfSave: "Save", tfCancel: "Cancel", tfSaving: "Saving…",
    tfSaved: "Saved. The bot confirmed it in the chat.",
    tfSavedQuiet: "Saved, but the chat could not be told: Telegram did not answer.",
    tfRepeat: "Already saved.",
    tf_call: "📞 Call", tf_message: "💬 Message", tf_email: "✉️ Email", tf_visit: "🚗 Visit",
    tf_meeting: "🤝 Meeting", tf_positive: "👍 Positive", tf_neutral: "😐 Neutral",
    tf_negative: "👎 Negative",
    tf_empty_text: "Write what the touch was about.",
    tf_long_text: "The text is too long: 4000 characters at most.",
    tf_bad_type: "Pick the type of the touch.", tf_bad_outcome: "Pick an outcome from the list.",
    tf_bad_key: "The form is out of date: open it again.",
    tf_bad_body: "The form is out of date: open it again.",
  },
  ru: {
    tfOpen: "+ Записать касание", tfTitle: "Новое касание", tfType: "Тип", tfOutcome: "Итог",
    tfText: "Что было", tfPlaceholder: "например: договорились, перезвонить в пятницу",
    tfHint: "Следующий шаг с датой станет напоминанием, как в чате.",
    tfSave: "Сохранить", tfCancel: "Отмена", tfSaving: "Сохраняю…",
    tfSaved: "Сохранено. Бот подтвердил это в чате.",
    tfSavedQuiet: "Сохранено, но сообщить в чат не удалось: Telegram не ответил.",
    tfRepeat: "Уже сохранено.",
    tf_call: "📞 Звонок", tf_message: "💬 Сообщение", tf_email: "✉️ Письмо", tf_visit: "🚗 Визит",
    tf_meeting: "🤝 Встреча", tf_positive: "👍 Позитивно", tf_neutral: "😐 Нейтрально",
    tf_negative: "👎 Негативно",
    tf_empty_text: "Напишите, о чём было касание.",
    tf_long_text: "Слишком длинный текст: не больше 4000 знаков.",
    tf_bad_type: "Выберите тип касания.", tf_bad_outcome: "Выберите итог из списка.",
    tf_bad_key: "Форма устарела: откройте её заново.",
    tf_bad_body: "Форма устарела: откройте её заново.",
  },
});

const TYPES = ["call", "message", "email", "visit", "meeting"];
const OUTCOMES = ["positive", "neutral", "negative"];
const MAX_TEXT = 4000; // the server's limit (bot/webapp/touch_api.py)
const KNOWN_ERRORS = ["empty_text", "long_text", "bad_type", "bad_outcome", "bad_key", "bad_body"];
// After a save the page is drawn again (the timeline from the server); the result is shown then.
let notice = null; // { clientId, text }

// One key per opening of the form: a double tap, or a retry after a lost answer, logs once.
function newKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// Buttons that act as radio choices; `optional`: a second tap clears the choice.
function choices(name, values, chosen, optional) {
  let value = chosen;
  const buttons = values.map((v) => el("button", {
    type: "button", class: "touch-chip", "data-value": v, "aria-pressed": String(v === chosen),
    text: t(`tf_${v}`),
    onclick: () => {
      value = optional && value === v ? null : v;
      for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.value === value));
    },
  }));
  const group = el("div", { class: "touch-chips", role: "group", "data-name": name }, ...buttons);
  return { group, get: () => value };
}

function openForm(clientId, box, opener) {
  const key = newKey();
  const kind = choices("type", TYPES, "call", false);
  const outcome = choices("outcome", OUTCOMES, null, true);
  const text = el("textarea", { id: "touch-text", rows: "3", maxlength: String(MAX_TEXT),
    placeholder: t("tfPlaceholder") });
  const error = el("p", { id: "touch-error", class: "touch-error", role: "alert" });
  error.hidden = true;
  const main = tg && tg.MainButton;
  const save = el("button", { type: "button", id: "touch-save", class: "touch-save", text: t("tfSave") });
  const cancel = el("button", { type: "button", class: "touch-cancel", text: t("tfCancel") });
  const form = el("form", { id: "touch-form", class: "touch-form" },
    el("h2", { text: t("tfTitle") }),
    el("div", { class: "touch-label", text: t("tfType") }), kind.group,
    el("div", { class: "touch-label", text: t("tfOutcome") }), outcome.group,
    el("label", { class: "touch-label", for: "touch-text", text: t("tfText") }), text,
    el("p", { class: "hint", text: t("tfHint") }), error,
    el("div", { class: "touch-actions" }, main ? null : save, cancel));
  let busy = false;
  let open = true;

  function close() {
    if (!open) return;
    open = false;
    if (main) { main.offClick(submit); main.hideProgress(); main.hide(); }
    observer.disconnect();
    form.remove();
    opener.hidden = false;
  }
  function fail(message) {
    error.textContent = message;
    error.hidden = false;
    if (tg && tg.HapticFeedback) tg.HapticFeedback.notificationOccurred("error");
  }
  async function submit() {
    if (busy) return; // the server's key stops a double tap too; this spares the request
    busy = true;
    save.disabled = true;
    save.textContent = t("tfSaving");
    if (main) main.showProgress();
    error.hidden = true;
    let answer;
    try {
      answer = await send(`api/clients/${encodeURIComponent(String(clientId))}/touches`,
        { type: kind.get(), outcome: outcome.get(), text: text.value, key });
    } catch {
      // A refused call (404, 500) has said so on the page already; a lost connection has not.
      answer = null;
    }
    busy = false;
    save.disabled = false;
    save.textContent = t("tfSave");
    if (main) main.hideProgress();
    if (!form.isConnected) return;
    if (answer === null) { fail(t("failed")); return; }
    if (!answer.ok) {
      fail(KNOWN_ERRORS.includes(answer.error) ? t(`tf_${answer.error}`) : t("failed"));
      return;
    }
    if (tg && tg.HapticFeedback) tg.HapticFeedback.notificationOccurred("success");
    const said = answer.repeat ? "tfRepeat" : answer.notified ? "tfSaved" : "tfSavedQuiet";
    notice = { clientId, text: t(said) };
    close();
    await go("client", clientId); // the timeline as the server has it now, this touch first
  }

  // Leaving the page (back, a tab) takes the form away: Telegram's button must go with it.
  const observer = new MutationObserver(() => { if (!form.isConnected) close(); });
  save.addEventListener("click", submit);
  cancel.addEventListener("click", close);
  form.addEventListener("submit", (e) => e.preventDefault());
  opener.hidden = true;
  box.append(form);
  observer.observe(document.getElementById("screen"), { childList: true, subtree: true });
  if (main) {
    main.setText(t("tfSave"));
    main.onClick(submit);
    main.show();
  }
  text.focus();
}

// The client page's "log a touch" block: null on a read-only team client (the head may look,
// not log), so client.js can put it straight into its render().
export function touchForm(page) {
  if (page.read_only) return null;
  const clientId = page.card.id;
  const box = el("div", { id: "touch-log", class: "touch-log" });
  if (notice && notice.clientId === clientId) {
    box.append(el("p", { id: "touch-status", class: "touch-status", role: "status", text: notice.text }));
  }
  notice = null;
  const opener = el("button", { type: "button", id: "touch-open", class: "touch-open", text: t("tfOpen") });
  opener.addEventListener("click", () => openForm(clientId, box, opener));
  box.append(opener);
  return box;
}
