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

help =
    <b>kambot</b> — your pocket account-manager assistant.

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
