## Which client: branches, similar names, text without a colon

resolution-log-branch = There is no client “{ $query }”, but there is a similar one. Log the touch for it, or create “{ $query }” as a new client?
resolution-client-branch = 🔎 There is no client “{ $query }”, but there is a similar one. Open it, or create “{ $query }” as a new client?
resolution-contact-branch = There is no client “{ $query }”, but there is a similar one. Add <b>{ $name }</b> to it, or create “{ $query }” as a new client?
resolution-offer-log = Looks like a touch with <b>{ $client }</b>. Log it?
resolution-btn-log = 📞 Log the touch: { $client }
resolution-bare-name = 🏢 Client <b>{ $client }</b>. What shall I do?
resolution-btn-open = 📂 Open the card
resolution-btn-tap = 📞 Log a touch
resolution-btn-other = ✍️ Another client…
resolution-type-name = Type the client's name — I'll offer to log a touch or open the card.
resolution-btn-wrong-client = 🏢 Wrong client
resolution-contact-move-ask = Which client should <b>{ $name }</b> move to? Type the name.
resolution-contact-moved = ✅ <b>{ $name }</b> is now a contact of <b>{ $client }</b>.
resolution-move-none = No client “{ $query }” found. Type the name again or /cancel.
