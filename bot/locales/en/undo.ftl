# /undo: a stack of what was done in the last ten minutes.
undone-nothing = Nothing to undo from the last 10 minutes.
undone-touch = ↩️ Undid a touch · client <b>{ $client }</b>
undone-note = ↩️ Undid a note · client <b>{ $client }</b>
undone-contact = ↩️ Undid contact { $name } · client <b>{ $client }</b>
undone-sale = ↩️ Undid a sale · client <b>{ $client }</b>, { $amount }
undone-request = ↩️ Undid a request · client <b>{ $client }</b>
undone-review = ↩️ Undid a { $sign ->
    [good] 👍 good
   *[other] 👎 bad
} review · client <b>{ $client }</b>
undone-plan = ↩️ Undid the plan: { $amount }
undone-plan_edit = ↩️ Put the previous plan back: { $amount }
undone-plan_removed = ↩️ Put the removed plan back: { $amount }
undone-edit = ↩️ Put the card back as it was · client <b>{ $client }</b>: { $fields }
undone-contact_edit = ↩️ Put contact { $name } back as it was · client <b>{ $client }</b>
undone-import = ↩️ Undid the whole import: removed { $clients ->
    [one] { $clients } client
   *[other] { $clients } clients
} and { $contacts ->
    [one] { $contacts } contact
   *[other] { $contacts } contacts
}.
undone-for-client = client <b>{ $client }</b>
undone-text = 💬 { $text }
undone-more = /undo again takes back the one before.
undone-field-name = name
undone-field-segment = segment
undone-field-tier = tier
undone-field-status = status
undone-field-cadence_days = contact cadence
undone-field-preferred_channel = channel
undone-field-tax_id = tax ID
undone-field-phone = phone
undone-field-archived_at = archive
undone-field-tags = tags
