# Data rights (issue 10): /privacy, the export of everything, deleting the account, /forget.
cmd-privacy = My data: what is stored, export, delete
cmd-forget = Erase a person's data: /forget John Smith

privacy-about =
    🔐 <b>Your data in kambot</b>

    <b>What is stored and why</b>
    • Your Telegram profile (name, id) and settings — to answer you and remind you on time.
    • Clients, touches, notes, sales, plans, requests, reviews — your work, which the bot shows you.
    • Your clients' people (decision-makers): name, role, phone, e-mail, birthday. This is other people's personal data — keep it with their consent.
    • Reminders and the /undo journal (10 minutes) — for the bot to work.

    In a team, the team's clients belong to the team; 🔒 private notes are seen by you only.

    <b>Your rights</b>
    • Export everything as one archive (JSON and Excel).
    • Delete your account: everything personal is erased from the database; the team's clients stay with the team.
    • Erase one person's data on their request: <code>/forget John Smith</code>
privacy-btn-export = 📦 Export all my data
privacy-btn-delete = 🗑 Delete my account
privacy-btn-cancel = ✖️ Don't delete
privacy-export-caption = 📦 All your data: kambot.json (a full copy /import accepts), the Excel workbook and CSVs, account.json (your profile). Clients: { $clients }, touches: { $touches }, notes: { $notes }, sales: { $sales }.
privacy-export-running = ⏳ An export of your data is being prepared. Try again in a minute.
privacy-in-demo = The demo is on. Leave it (/demo off) and open /privacy again.
privacy-delete-ask =
    ⚠️ <b>Deleting the account cannot be undone.</b>
    Your clients, touches, notes (🔒 private ones too), sales, plans, reminders and settings will be erased from the database.{ $team ->
        [yes] {" "}The team's clients stay with the team and go to its head with their shared history.
       *[no] {""}
    }
    You can export everything first: /privacy → 📦.

    To delete, type the word <b>DELETE</b>. Any other answer cancels.
privacy-delete-kept = The account was not deleted; everything is in place.
privacy-deleted =
    ✅ Account deleted: your data is no longer in the database.{ $moved ->
        [0] {""}
        [one] {" "}{ $moved } team client went to { $heir }.
       *[other] {" "}{ $moved } team clients went to { $heir }.
    }
    If you write again, kambot starts from scratch.
privacy-delete-already = This account is already deleted. To delete the new one too, open /privacy.
privacy-delete-nothing-waiting = No deletion is waiting for confirmation. To delete the account: /privacy
privacy-heir-received = { $name } deleted their kambot account. { $clients ->
    [0] They had no team clients.
    [one] { $clients } team client is yours now, with its shared history: /clients
   *[other] { $clients } team clients are yours now, with their shared history: /clients
}{ $promoted ->
    [yes] {" "}You are the team's head now.
   *[no] {""}
}

forget-usage =
    Write whose data to erase: <code>/forget John Smith</code>
    Erased: phone, e-mail, birthday, notes about the person and their reminders; the client's touches and sales stay.
forget-nobody = There is no «{ $query }» among your contacts. Check the name: /contact and the client cards list everyone.
forget-pick = Several people match — whose data to erase?
forget-person-button = { $name } — { $client }
forget-confirm =
    🧹 Erase the data of <b>{ $name }</b> ({ $client })?
    Going: name and role, phone — { $phone ->
        [yes] stored
       *[no] none
    }, e-mail — { $email ->
        [yes] stored
       *[no] none
    }, birthday — { $birthday ->
        [yes] stored
       *[no] none
    }, notes about the person: { $notes }, birthday reminders: { $birthdays }.
    Staying: the client's touches ({ $touches }) and sales, no longer linked to the person.
    The erase cannot be undone, not even with /undo.
forget-btn-erase = 🧹 Erase
forget-btn-cancel = ✖️ Don't erase
forget-done = ✅ The data of «{ $name }» is erased. The client's history (touches, sales) stays.
forget-cancelled = Nothing was erased.
