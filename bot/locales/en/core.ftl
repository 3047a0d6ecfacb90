## Common
error-apology = 😔 Something went wrong; your data is safe. Please try again in a minute. If it happens again, tell support the code <code>{ $ref }</code>.
throttled = ⏳ Too fast for me. Wait a couple of seconds: I skipped your last messages, please send them again.
not-allowed = 🔒 This is a private bot. Ask the administrator to add your Telegram ID to the access list.
callback-outdated = This button is outdated. Open the menu again: /help
unknown-command = 🤔 I don't know the command { $command }. All commands: /help
stray-text = I'm not sure what to do with that yet. 🙂 Commands: /help, settings: /settings.
unsupported-content = I can't handle this kind of message yet. Commands: /help
cancelled = ❎ Cancelled. Carry on.
nothing-to-cancel = Nothing to cancel — carry on.
btn-skip = Skip
btn-back = ← Back
btn-close = ✔️ Done
btn-share-location = 📍 Share location
step-skipped = ⏭ Skipped — left as it was.

## Commands (Telegram menu)
cmd-start = Get started
cmd-help = All commands
cmd-settings = Language, timezone, mode, digest
cmd-cancel = Leave the current dialog
cmd-client = A client's card: /client Acme
cmd-clients = The client list, with filters
cmd-contact = Add a decision-maker: /contact Acme: John, CFO, March 12
cmd-import = Upload clients from CSV or Excel
cmd-export = Download the whole base as Excel and CSV
cmd-sale = Log a sale: /sale Acme 150k
cmd-plan = Sales plan
cmd-kpi = My KPIs: plan, pace, clients
cmd-request = A client request (B2C)
cmd-review = Client feedback: + or -
cmd-team = Team: summary, invites, members
cmd-handover = Hand clients over to another manager
cmd-demo = Demo: a sample base to try things on

help =
    <b>kambot</b> — your pocket account-manager assistant.

    <b>Touches and notes</b>
    /call Acme discussed the delivery, proposal on Friday — a call in one message
    /log Acme meeting at their office, all good — any touch; /log alone — by taps
    <code>Acme: sent the price list</code> — the same without a command
    /note John Smith: son takes exams in June #family — a personal note; /notes exams — search
    /brief Acme — pre-call brief
    /today — what's on today: promises, who is due a call, birthdays
    /birthdays — birthdays in the next 30 days
    /undo — undo the last entry (10 minutes)

    <b>Clients</b>
    /client Acme — a client's card (typos are fine); offers to create it when not found
    /clients — the list: all, ⚠️ due, 🔑 key, archive, by tag (/clients #vip)
    /contact Acme: John Smith, CFO, March 12 — add a decision-maker
    /import — upload clients from CSV or Excel
    /export — download the whole base as Excel and CSV
    /privacy — what kambot stores; export all my data; delete my account
    /forget John Smith — erase a person's data on their request

    <b>Sales and KPIs</b>
    /sale Acme 150k cable yesterday — log a sale
    /plan 3 000 000 — the sales plan for the month (/plan 9m quarter); /plan — show plans
    /kpi — where you stand on plan and KPIs, with the pace to the end of the month; /kpi quarter — for the quarter
    /request Acme the delivery did not arrive — open a request; /request — open requests
    /review Acme + thanks — client feedback (+ or -)
    /demo — demo mode with a sample base to try /kpi and everything else; /demo off to leave

    <b>Team</b>
    /team new Sales North — create a team; /team invite — an invite link
    /team — the team's summary (a head: a table by manager); /team members — members
    /handover — hand one manager's clients to another (heads); /team log — the log

    <b>Settings</b>
    /start — get started: language, timezone, work mode, digest time
    /settings — change language, timezone, mode, digest, quiet hours, reminders
    /cancel — leave any dialog
    /help — this help

## Onboarding
start-welcome =
    👋 Hi! I'm <b>kambot</b>: I remember all your clients, calls and personal details, remind you when it's time to call or congratulate someone, and show where you stand on your KPIs.

    Four quick questions — each one can be skipped.
start-again =
    👋 Welcome back{ $name ->
        [none] !
       *[other] , { $name }!
    }
    Commands: /help, settings: /settings.
onboarding-done =
    🎉 All set! You can change anything in /settings.
    Commands: /help.

ask-language = 🌐 Which language shall we speak?
ask-timezone =
    🕒 Your timezone? Now: <b>{ $current }</b>.
    Type a city ("London", "New York") or an offset ("+3", "UTC-5"), or share your location with the button below.
tz-placeholder = City or +3
ask-mode = 💼 How do you work? It decides which KPIs I show.
ask-digest = ☀️ When should the morning digest arrive? Now: <b>{ $current }</b>. Tap a button or type a time, e.g. 8:30.
ask-quiet = 🌙 Quiet hours: no reminders in this window. Choose or type, e.g. "22-7". "Off" for none.

tz-suggest = Not sure I got "{ $text }". One of these, perhaps? Or try again, e.g. "London" or "+3".
tz-not-understood = Couldn't find the timezone "{ $text }". Type a big city nearby ("London", "Moscow") or a UTC offset ("+5"), or share your location.
tz-location-unknown = Couldn't tell the timezone of that spot. Type a city or an offset, e.g. "+3".
digest-not-understood = I didn't get the time. Type e.g. "9", "8:30" or "10.15".
quiet-not-understood = I didn't get that. Type e.g. "22-7" or "21:30–08:00", or "off".

set-lang-done = ✅ Language: { $value }
set-tz-done = ✅ Timezone: { $value }
set-mode-done = ✅ Work mode: { $value }
set-digest-done = ✅ Morning digest at { $value }
set-quiet-done = ✅ Quiet hours: { $value }

language-name-ru = Русский
language-name-en = English
mode-b2b-button = 🌾 B2B: growing a client base
mode-b2c-button = 🎧 B2C: client service
mode-kam-button = 👑 Key accounts (KAM)
mode-b2b-name = B2B, growing the base
mode-b2c-name = B2C, client service
mode-kam-name = key accounts
quiet-none = none
quiet-off-button = No quiet hours

## Settings
settings-summary =
    ⚙️ <b>Settings</b>
    🌐 Language: { $language }
    🕒 Timezone: { $timezone }
    💼 Mode: { $mode }
    ☀️ Digest: { $digest }
    🌙 Quiet hours: { $quiet }
    🔔 Birthdays: { $lead ->
        [0] on the day
        [one] { $lead } day ahead
       *[other] { $lead } days ahead
    }; check in with key accounts every { $key_days } d, others every { $regular_days } d.
settings-btn-lang = 🌐 Language
settings-btn-tz = 🕒 Timezone
settings-btn-mode = 💼 Mode
settings-btn-digest = ☀️ Digest
settings-btn-quiet = 🌙 Quiet hours
settings-btn-reminders = 🔔 Reminders
settings-reminders =
    🔔 <b>Reminders</b>
    🎂 Birthdays: { $lead ->
        [0] on the day
        [one] { $lead } day ahead and on the day
       *[other] { $lead } days ahead and on the day
    }
    🔑 Check in with key accounts every { $key_days } d.
    👤 Others every { $regular_days } d.

    Button rows: birthdays, key accounts, others.
lead-button = { $days ->
    [0] 🎂 on the day
   *[other] 🎂 { $days } d
}
cadence-key-button = 🔑 { $days } d
cadence-regular-button = 👤 { $days } d
settings-invalid-value = No such value. Please pick one of the buttons.
settings-cadence-range = The interval must be 1 to 365 days.

## Clients
client-usage =
    Type the client's name: <code>/client Acme</code>. Typos are fine.
    The whole list: /clients
lookup-found-as = 🔎 Found: <b>{ $name }</b>
lookup-ambiguous = 🔎 No exact match for "{ $query }". Which one?
lookup-none = 🔎 No client "{ $query }" yet. Create it?
lookup-btn-create = ➕ Create a new client
duplicate-found = "{ $name }" is already in your base. Open it, or create another one with the same name?
duplicate-open = 📂 Open the existing one
duplicate-create = ➕ Create another
client-created-toast = ✅ Client created
client-created = ✅ Client <b>{ $name }</b> created.
saved-toast = ✅ Saved
saved = ✅ Saved.
archived-toast = 📦 Archived
restored-toast = ♻️ Restored
delete-confirm =
    🗑 Delete <b>{ $name }</b> for good — with its contacts, touches, notes and sales?
    This cannot be undone. If the client is simply no longer active, 📦 archive it instead.
delete-confirm-yes = 🗑 Yes, delete for good
delete-confirm-no = ← No, keep it
client-deleted = 🗑 Client "{ $name }" deleted.
client-not-found = Client not found — it may have been deleted. Search: /client name
try-again-or-cancel = Try again, or /cancel.
edit-what = ✏️ What to change for <b>{ $name }</b>?
ask-choice-segment = Segment of <b>{ $name }</b>:
ask-choice-tier = Tier of <b>{ $name }</b>:
ask-choice-status = Status of <b>{ $name }</b>:
ask-choice-cadence = How often to get in touch with <b>{ $name }</b>?
ask-choice-channel = How does <b>{ $name }</b> prefer to talk?
ask-field-name = New name for <b>{ $name }</b>:
ask-field-tags = Tags for <b>{ $name }</b>, space-separated, e.g. <code>#vip #wholesale</code>. "-" removes all.
ask-field-tax_id = Tax id (INN) of <b>{ $name }</b>, 10 or 12 digits. "-" removes it.
ask-field-phone = Phone of <b>{ $name }</b>, e.g. <code>+7 999 123-45-67</code>. "-" removes it.
client-invalid-value = No such value. Please pick one of the buttons.
client-tax-id-invalid = That doesn't look like an INN: it needs 10 or 12 digits with a valid checksum.
client-phone-invalid = I didn't get the number. Example: <code>+7 999 123-45-67</code> or <code>+44 20 7946 0958</code>.
name-empty = The name is empty. Try e.g. <code>/client Acme</code>
name-too-long = That name is too long — 200 characters at most.
name-no-letters = A name needs letters or digits; emoji alone won't do 🙂

card-title = 🏢 <b>{ $name }</b>{ $tier ->
        [key] {" "}🔑
       *[other] {""}
    } · { $segment } · { $status }{ $archived ->
        [yes] {" "}· 📦 archived
       *[other] {""}
    }
card-tax-id = INN { $value }
card-channel = prefers: { $channel }
card-contacts-title = 👥 Contacts ({ $count }):
card-contacts-more = …and { $count } more
card-no-contacts = 👥 No contacts yet — add one: 👥 Contacts → ➕
card-birthday = 🎂 { $date }{ $days ->
        [0] {" "}— <b>today!</b> 🎉
        [1] {" "}— tomorrow
       *[other] {" "}— in { $days } days
    }{ $turns ->
        [none] {""}
       *[other] {" "}(turns { $turns })
    }
card-last-touch = 📞 Last touch: { $date } ({ $days ->
        [0] today
        [1] yesterday
       *[other] { $days } days ago
    })
card-never-touched = 📞 No touches yet
card-checkin-overdue = ⏰ ⚠️ Time to get in touch: { $days } { $days ->
        [one] day
       *[other] days
    } overdue (every { $cadence } days)
card-checkin-due = ⏰ Next touch { $days ->
        [0] today
        [1] tomorrow
       *[other] in { $days } days
    } (every { $cadence } days)
card-checkin-off = ⏰ Check-in reminders are off (archived or paused)
card-notes-title = 📝 Latest notes:
card-sales-month = 💰 Sales this month: { $amount }
card-owner = 👤 Owner: { $name }
card-btn-edit = ✏️ Edit
card-btn-contacts = 👥 Contacts
card-btn-archive = 📦 Archive
card-btn-restore = ♻️ Restore
card-btn-delete = 🗑 Delete

field-name = Name
field-tags = Tags
field-tax_id = INN
field-phone = Phone
field-segment = Segment
field-tier = Tier
field-status = Status
field-cadence = Cadence
field-channel = Channel
tier-key = 🔑 Key account
tier-regular = Regular
status-active = active
status-paused = paused
status-lost = lost
channel-call = 📞 call
channel-message = 💬 message
channel-email = ✉️ e-mail
channel-visit = 🚗 visit
channel-meeting = 🤝 meeting
channel-none = no preference
cadence-default = default
cadence-days = every { $days } d
contacts-title = 👥 Contacts of <b>{ $name }</b>: { $count }
contacts-btn-add = ➕ Add a contact

## Client list
list-title = 📋 Clients: <b>{ $all }</b> · ⚠️ due: { $overdue } · 🔑 key: { $key } · 📦 archived: { $archived }
list-empty = { $filter ->
        [overdue] 🎉 Nobody is overdue — everyone is in touch.
        [key] No key accounts yet. Mark one: card → ✏️ → Tier.
        [archived] The archive is empty.
        [tag] No clients with this tag.
       *[other] No clients yet. Add the first: <code>/client Acme</code> — or upload a spreadsheet: /import
    }
list-filter-all = All
list-filter-overdue = ⚠️ Due for a touch
list-filter-key = 🔑 Key accounts
list-filter-archived = 📦 Archive
list-filter-tag = 🏷 #{ $tag }
list-page = page { $page } of { $pages } ({ $total })
list-btn-all = All
list-btn-overdue = ⚠️ Overdue
list-btn-key = 🔑 Key
list-btn-archived = 📦 Archive

## Contacts (decision-makers)
contact-usage =
    Add a decision-maker in one message:
    <code>/contact Acme: John Smith, CFO, March 12</code>
    Phone and e-mail too: <code>/contact Acme: Mary Jones, purchasing, 12.03.1985, +44 20 7946 0958, mary@acme.com</code>
contact-added = ✅ <b>{ $name }</b> added to <b>{ $client }</b>.
contact-problem-birthday-invalid = ⚠️ I didn't get the birthday "{ $part }" — saved the contact without it.
contact-problem-phone-invalid = ⚠️ "{ $part }" doesn't look like a phone — not saved. Fix it: 👤 Contact → Phone.
contact-problem-email-invalid = ⚠️ "{ $part }" doesn't look like an e-mail — not saved. Fix it: 👤 Contact → E-mail.
contact-ask-birthday = 🎂 When is { $name }'s birthday? E.g. <code>12.03</code>, <code>March 12</code>, <code>12.03.1980</code>. Or /cancel.
contact-birthday-invalid = I didn't get the date. Examples: <code>12.03</code>, <code>March 12</code>, <code>12/03/1980</code>, <code>12 марта</code>.
contact-email-invalid = That doesn't look like an e-mail. Example: <code>john@acme.com</code>
contact-which-client = Add <b>{ $name }</b> to whom? No exact match for "{ $query }":
contact-client-not-found = No client "{ $query }" yet. Create it and add <b>{ $name }</b>?
contact-not-found = Contact not found — it may have been deleted.
contact-btn-open = 👤 Contact
contact-btn-client = 🏢 Client card
btn-undo = ↩️ Undo
contact-field-name = Name
contact-field-role = Role
contact-field-phone = Phone
contact-field-email = E-mail
contact-field-birthday = 🎂 Birthday
contact-ask-name = New name for { $name }:
contact-ask-role = { $name }'s role (e.g. "CFO", "purchasing"). "-" removes it.
contact-ask-phone = { $name }'s phone. "-" removes it.
contact-ask-email = { $name }'s e-mail. "-" removes it.
contact-ask-details =
    Who should be added to <b>{ $name }</b>? In one message:
    <code>John Smith, CFO, March 12</code>
contact-delete-confirm = 🗑 Delete the contact <b>{ $name }</b>? Notes about them go too.
contact-deleted-toast = 🗑 Deleted
contact-deleted = 🗑 Contact "{ $name }" deleted.

## Import and export
import-intro =
    📥 Send a <b>CSV</b> or <b>Excel (XLSX)</b> file with your clients — as a document, not a photo.
    I recognise the columns: Client/Company, INN, Phone, Contact/Decision maker, Role, E-mail, Birthday, Tags, Segment, Tier, Status, Cadence, Channel. One row per contact; rows of one client are merged.
    I show what I understood first and import only after you confirm. If any row has an error, nothing is imported and you get the list of rows.
    📦 Moving or restoring your base? Send the ZIP (or the Excel workbook) from /export as it came: everything comes back — touches, notes, sales, plans, reminders. A touches, notes or sales table is added as such.
    Up to { $limit_mb } MB and { $max_rows } rows. Leave: /cancel.
import-photo = 📷 That's a photo; I need the file. Send the spreadsheet as a document: 📎 → File → CSV or XLSX.
import-waiting-file = Waiting for a CSV or XLSX file (📎 → File). Or /cancel.
import-file-too-large = 📦 The file is over { $limit_mb } MB — too big. Split it or drop unneeded columns.
import-file-empty = The file is empty — no rows with data.
import-file-no-header = No header row found. The first row must name the columns: Client, INN, Phone…
import-file-no-client-column =
    No column with the client's name. Call it "Client" or "Company".
    Columns in the file: { $headers }
import-file-too-many-rows = Too many rows: more than { $limit }. Split the file.
import-file-unsupported = I can't read this format. Send CSV or XLSX (save an old .xls as .xlsx in Excel).
import-file-encoding = I couldn't read the text: the file seems to mix encodings. Save it again as "CSV UTF-8" or XLSX.
import-file-macros = The file has macros — I don't open those. Save it as a plain .xlsx.
import-file-corrupt = The file is damaged or not a spreadsheet. Open it in Excel and save it again.
import-note-formulas = 🧮 The file has formulas — I take their calculated values.
import-note-sheet = 🗂 Sheet: "{ $sheet }"
import-note-macros = ⚠️ The workbook has macros — I never run them and read values only.
import-note-columns = ⚠️ Columns past the hundredth are not read.
import-error-name-empty = empty client name
import-error-name-no-letters = the name has no letters or digits
import-error-birthday = date not understood
import-error-tax-id = invalid INN
import-error-phone = phone not understood
import-error-email = invalid e-mail
import-error-too-long = value too long
import-error-formula = a formula instead of a value
import-error-value = value not understood
import-error-conflict = contradicts an earlier row of the same client
import-error-empty = this cell can't be empty
import-error-date = date or time not understood
import-error-amount = amount not understood
import-error-amount-not-positive = the amount must be above zero
import-error-amount-negative = the amount can't be below zero
import-error-amount-precision = too many decimals for this currency
import-error-currency = unknown currency — use a code like RUB or USD
import-error-period-start = not the first day of the period
import-error-line = Row { $row }, "{ $column }": { $reason } — "{ $value }"
import-rejected = ❌ Nothing imported: { $errors } { $errors ->
        [one] error
       *[other] errors
    } in { $rows } { $rows ->
        [one] row
       *[other] rows
    }. Fix them and send the file again.
import-more-errors = …and { $count } more. The full list is in the file below.
import-report-row = Row
import-report-column = Column
import-report-reason = Reason
import-report-value = Value
import-preview-title = 📄 { $rows } { $rows ->
        [one] row
       *[other] rows
    } in the file: <b>{ $clients }</b> { $clients ->
        [one] client
       *[other] clients
    } and { $contacts } { $contacts ->
        [one] contact
       *[other] contacts
    }.
import-preview-mapping = Columns:
import-preview-first = First clients:
import-field-client = client
import-field-tax_id = INN
import-field-phone = phone
import-field-segment = segment
import-field-tier = tier
import-field-status = status
import-field-cadence = cadence
import-field-channel = channel
import-field-tags = tags
import-field-contact_name = contact (decision-maker)
import-field-contact_role = role
import-field-contact_phone = contact's phone
import-field-contact_email = contact's e-mail
import-field-birthday = birthday
import-btn-go = ✅ Import ({ $clients })
import-btn-cancel = ✖️ Cancel
import-cancelled = Import cancelled — nothing changed.
import-progress = ⏳ Importing… { $done } of { $total }
import-done =
    ✅ Import finished.
    New clients: <b>{ $created }</b>; already in your base: { $existing }.
    Contacts added: { $contacts }; already there: { $contacts_existing }.
    The list: /clients
export-caption = 📤 Your whole base: clients { $clients }, touches { $touches }, notes { $notes }, sales { $sales }, plus requests, reviews, plans, reminders and settings. To move or restore it, send the ZIP archive (it holds kambot.json) or this Excel workbook to /import — everything comes back.

## Touches
call-usage =
    Log a call in one message:
    <code>/call Acme discussed the delivery, proposal on Friday</code>
    Other touches: <code>/log Acme meeting at their office, all good</code> — or just <code>Acme: sent the price list</code>.
log-usage =
    Type the client and what happened: <code>/log Acme meeting at their office, all good</code>
    Or /log alone — pick the client with buttons.
log-which-client = Which one did you mean by "{ $query }"? I'll log the touch as soon as you pick:
log-client-not-found = No client "{ $query }" yet. Create it and log the touch?
log-no-clients = No clients yet. Add the first: <code>/client Acme</code>
log-pick-client = 📞 Who was the touch with? (⚠️ — overdue)
log-pick-kind = What kind of touch with <b>{ $client }</b>?
log-pick-outcome = { $kind } with <b>{ $client }</b> — how did it end?
log-add-comment = ✍️ Add a comment in one message if you like — e.g. "discussed prices, proposal on Friday". Or just carry on.
touch-saved = ✅ Logged: { $icon } { $kind } · <b>{ $client }</b> · { $when }
touch-outcome = { $icon } { $outcome }
touch-next-step = ➡️ Next step: { $step } — <b>{ $due }</b>
touch-next-step-undated = ➡️ Next step: { $step } (no date)
touch-next-checkin = ⏰ Next touch { $days ->
        [0] today
        [1] tomorrow
       *[other] in { $days } days
    }
touch-btn-kind = 🔄 Type
touch-btn-due = 📅 Due
touch-btn-client = 🏢 Wrong client
touch-ask-kind = What kind of touch was it?
touch-ask-due = 📅 When is the next step? Pick or type: "Friday", "12.03", "in 2 weeks", "tomorrow at 3pm".
touch-ask-client = Which client was it really? Type the name.
touch-client-choose = No exact match. Pick the client:
touch-undone = ↩️ Touch deleted.
touch-not-found = Touch not found — it may have been deleted already.
touch-due-not-understood = I didn't get the date. Examples: "Friday", "12.03", "in 2 weeks", "tomorrow at 3pm".
touch-problem-next-step-past = ⚠️ The next step's date has already passed. Tap 📅 Due to set a new one.
touch-problem-date-invalid = ⚠️ The text has a date that doesn't exist (like 31 February) — no due date set. Tap 📅 Due.
touch-problem-empty = {""}
promise-done-toast = ✅ Promise kept
promise-btn-done = ✅ Done: { $step }
kind-call = call
kind-meeting = meeting
kind-message = message
kind-email = e-mail
kind-visit = visit
outcome-positive = agreed
outcome-neutral = neutral
outcome-negative = declined
day-relative = { $delta ->
        [-1] yesterday
        [0] today
       *[1] tomorrow
    }
due-tomorrow = Tomorrow
due-3d = In 3 days
due-week = In a week
due-2w = In 2 weeks
due-none = No date

## Notes
note-usage =
    A personal note on a person or a client:
    <code>/note John Smith: son takes his exams in June #family</code>
    Private: add 🔒 or #private. A reminder: "remind me on June 5 to ask how it went".
    Search your notes: <code>/notes exams</code> or <code>/notes #family</code>
note-saved = 📝 Note on <b>{ $about }</b> saved{ $private ->
        [yes] {" "}🔒 (private)
       *[other] .
    }
note-remind = ⏰ I'll remind you { $when }: { $what }
note-problem-date-invalid = ⚠️ The reminder date doesn't exist — no reminder set.
note-problem-remind-past = ⚠️ The reminder date has passed — no reminder set.
note-problem-remind-no-date = ⚠️ I didn't find when to remind you — no reminder set. Add a date, e.g. «remind on Friday at 10».
note-problem-empty = 🤔 The note has no text — nothing saved. Example: <code>/note Acme: son takes exams in June</code>
note-which = Whom did you mean by "{ $query }"?
note-target-not-found = Couldn't find "{ $query }" among clients or contacts. Add them: /client or /contact
note-not-found = Note not found — it may have been deleted.
note-undone = ↩️ Note deleted.
notes-usage = What to look for? E.g. <code>/notes exams</code> or <code>/notes #family</code>
notes-none = No notes match "{ $query }".
notes-found = 🔎 Notes found: { $count }

## Brief
brief-usage = A pre-call brief: <code>/brief Acme</code>
brief-not-found = No client "{ $query }". Search: /client
brief-title = 📋 <b>Brief: { $name }</b>
brief-touches = <b>Last touches</b>
brief-no-touches = none yet
brief-people = <b>People</b>
brief-no-people = no contacts yet — /contact
brief-promises = <b>Open promises</b>
brief-no-promises = No open promises.
card-btn-log = 📞 Log
card-btn-brief = 📋 Brief
card-btn-history = 🗂 History
card-promises-title = ➡️ Promises:
history-title = 🗂 <b>{ $name }</b> — history, page { $page }
history-empty = Nothing yet: log a touch — /log

## Command descriptions
cmd-call = Log a call: /call Acme text
cmd-log = Log a touch (or /log alone — by taps)
cmd-note = A personal note: /note John: …
cmd-notes = Search notes
cmd-brief = Pre-call brief
cmd-undo = Undo the last entry

## Reminders
rem-birthday = 🎂 { $days ->
        [0] <b>Today</b> is the birthday
        [1] <b>Tomorrow</b> is the birthday
       *[other] In { $days } days ({ $date }) is the birthday
    } of <b>{ $name }</b> ({ $client }){ $turns ->
        [none] .
       *[other] {""} — turns { $turns }.
    }
rem-checkin = ⏰ Time to get in touch with <b>{ $client }</b>: { $days ->
        [-1] no touches yet.
        [0] last touch today.
       *[other] last touch { $days } days ago.
    }
rem-followup = ➡️ You promised <b>{ $client }</b>: { $step }
rem-note = 📝 Reminder — <b>{ $about }</b>: { $text }
rem-btn-done = ✅ Done
rem-btn-log = 📞 Log a touch
rem-snooze-1h = ⏰ 1 h
rem-snooze-tomorrow = ⏰ Tomorrow
rem-snooze-3d = ⏰ 3 days
rem-snooze-week = ⏰ Next week
rem-done = ✅ Done.
rem-done-toast = ✅ Done
rem-snoozed = ⏰ Snoozed until { $when }.
rem-snoozed-toast = ⏰ Snoozed
rem-log-how = 📞 What kind of touch was it?
rem-not-found = Reminder not found.

## Today and birthdays
today-title = ☀️ <b>Today</b>
today-empty = ☀️ All clear today: no overdue check-ins, promises or birthdays. 🎉
today-followups = ➡️ <b>Promises ({ $count })</b>
today-overdue = ⚠️ <b>Time to get in touch ({ $count })</b>
today-overdue-line = • <b>{ $client }</b>{ $days ->
        [0] {" "}— today
       *[other] {" "}— { $days } days overdue
    }
today-birthdays = 🎂 <b>Birthdays</b>
birthday-line = • { $date }: <b>{ $name }</b> ({ $client }){ $days ->
        [0] {" "}— <b>today!</b>
        [1] {" "}— tomorrow
       *[other] {" "}— in { $days } days
    }{ $turns ->
        [none] {""}
       *[other] , turns { $turns }
    }
birthdays-title = 🎂 <b>Birthdays in the next 30 days: { $count }</b>
birthdays-empty = 🎂 No birthdays in the next 30 days. Add dates: /contact Acme: John, March 12
cmd-today = What's on today
cmd-birthdays = Birthdays in the next 30 days
rem-weekly =
    📊 <b>Last week</b>
    Touches: <b>{ $touches }</b>, clients: { $clients }.
    { $overdue ->
        [0] Nobody is overdue — well done!
       *[other] ⚠️ Due for a touch now: { $overdue } — the list is in /today.
    }

# The chat's menu button when WEBAPP_URL is set (the Mini App, issue 14).
webapp-menu-button = 📊 Dashboard
