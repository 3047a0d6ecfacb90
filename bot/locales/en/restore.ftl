## Restoring a kambot export (/import of the /export archive) and tables of touches, notes, sales
import-file-zip-not-kambot =
    🗜 This ZIP is not a kambot export: it has no kambot.json.
    Send the archive from /export whole, as it came, or a single CSV/XLSX table.
restore-json-corrupt = 📦 kambot.json is damaged and I can't read it. Run /export again where the base comes from and send the new archive.
restore-json-newer = 📦 A newer kambot made this export (format { $version }; I read up to { $supported }). Update the bot and send it again — nothing was imported.
restore-json-invalid = 📦 kambot.json holds invalid data ({ $where }) — nothing was imported. Run /export again and send the archive as it is.
restore-json-too-large = 📦 kambot.json is larger than { $limit_mb } MB — I can't take it.
restore-json-too-many = 📦 The export holds more than { $limit } records of one kind — I can't take it.
restore-preview-title = { $source ->
        [json] 📦 This is a kambot export — I'll restore everything in it:
        [sheets] 📦 This is the Excel workbook of a kambot export — I'll restore all its sheets:
        [touches] 📞 This is a table of touches — I'll add them to the clients it names:
        [notes] 📝 This is a table of notes — I'll add them to the clients it names:
        [sales] 💰 This is a table of sales — I'll add them to the clients it names:
        [requests] 📨 This is a table of requests — I'll add them to the clients it names:
        [reviews] ⭐ This is a table of reviews — I'll add them to the clients it names:
        [plans] 🎯 This is a table of plans — I'll add them:
       *[other] 📦 I'll restore:
    }
restore-kind-line = • { $kind ->
        [clients] Clients
        [contacts] Contacts
        [touches] Touches
        [notes] Notes
        [sales] Sales
        [requests] Requests
        [reviews] Reviews
        [plans] Plans
       *[reminders] Reminders
    }: <b>{ $new }</b> new{ $present ->
        [0] {""}
       *[other] , already in your base: { $present }
    }
restore-preview-merged = 🤝 Matched your clients: { $names }{ $more ->
        [0] {""}
       *[other] and { $more } more
    }. Their cards stay as they are — I only add what they lack.
restore-preview-created = ➕ Clients not in your base, created with their records: { $count }.
restore-preview-reminders-past = ⏰ Reminders whose time has passed: { $count } — I won't send them; anything overdue shows in /today.
restore-preview-settings-restored = ⚙️ Your settings (time zone, digest, quiet hours, contact cadence) come back too.
restore-preview-settings-kept = ⚙️ Your settings stay as they are — I don't take them from the file.
restore-preview-skipped = ⏭ Columns I don't read: { $columns } — they are not kambot fields.
restore-preview-nothing = ✅ Everything in this file is already in your base — nothing to add.
restore-btn-go = ✅ Restore ({ $count })
restore-progress = ⏳ Restoring { $step }…
restore-done = ✅ Restored:
restore-done-undo = Changed your mind? /undo within 10 minutes removes everything this import added.
import-file-reminders-table = ⏰ This is the reminders table of a kambot export. Reminders come back only with the whole base — send the ZIP archive from /export as it came.
undone-restore = ↩️ Undid the whole restore: removed { $count } { $count ->
        [one] record
       *[other] records
    } it added.
