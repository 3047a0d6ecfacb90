## Demo mode: /demo
demo-mark = 🧪 DEMO · /demo off to leave

demo-tour-new =
    🧪 <b>Demo mode</b>: I made you a sandbox with a sample of a living client base. Your real data isn't visible here and never mixes with the sample.

    <b>Inside:</b> { $clients } clients ({ $key } key accounts), { $contacts } decision-makers with birthdays and personal notes, { $touches } touches over six months, { $sales } sales over a year, a plan for the month, quarter and year, { $requests } B2C requests and { $reviews } reviews.

    <b>Try:</b>
    /kpi — where you stand against the plan and what it takes per day
    /clients — the base; ⚠️ who is due for a call
    /today — today's agenda: promises, calls, birthdays
    /brief { $example } — the pre-call brief
    /birthdays — decision-makers' birthdays this month

    Anything goes: log calls, sales, notes — it's a sandbox. The demo sends no reminders. Settings (/settings) are yours in both: what you change here stays after you leave.
    Leave: /demo off · start over: /demo reset · delete the sample: /demo delete
demo-tour-back =
    🧪 <b>You are in demo mode.</b> The sample is here: { $clients } clients ({ $key } key accounts), { $contacts } decision-makers, { $touches } touches, { $sales } sales, { $requests } requests, { $reviews } reviews.

    Try: /kpi · /clients · /today · /brief { $example } · /birthdays
    Leave: /demo off · start over: /demo reset · delete the sample: /demo delete

demo-btn-leave = 🚪 Leave demo
demo-btn-delete = 🗑 Delete demo data
demo-btn-purge = 🗑 Yes, delete
demo-btn-keep = Keep it

demo-left = ✅ You left the demo — back to your real data. The sample is kept: /demo to return, /demo delete to remove it.
demo-not-in = You are already working with your real data. To see the sample: /demo
demo-delete-confirm = 🗑 Delete the demo data entirely — all the sample's clients, touches, sales and plans? Your real data is not affected.
demo-deleted = 🗑 Demo data deleted, you're back in your own base. Make the sample again: /demo
demo-kept = OK, the sample stays. Leave the demo: /demo off
demo-nothing-to-delete = There is no demo data to delete. Make the sample: /demo
demo-button-outdated = This button is outdated: that demo no longer exists. Open it again: /demo
demo-usage =
    🧪 <b>Demo mode</b> — a sandbox with a sample base:
    /demo — enter (the sample is made if missing)
    /demo off — leave, the sample stays
    /demo reset — make the sample again
    /demo delete — delete the sample
demo-no-import = 🧪 You are in demo mode: I don't load real data into the sandbox. Leave it (/demo off) and send /import again.
demo-no-import-short = 🧪 Import is off in the demo. Leave it: /demo off
demo-real-reminder = 🧪 This reminder is about your real base. Leave the demo (/demo off) and tap the button again.
