## Groups and channels: personal data in a private chat only
private-only-hint = 🔒 I work with clients and notes in a private chat only — everyone can read this one. Write to me in private.
private-only-button = Open the private chat
private-only-alert = 🔒 Buttons work only in a private chat with the bot.

## Repeated presses
tap-already-saved = ✅ Already saved — pressing again changes nothing.

## The confirmation failed, the data is saved
saved-undelivered = ✅ Your last action was saved, but I could not show the confirmation (code <code>{ $ref }</code>). No need to repeat it.
