## /sale, /plan and amounts typed by people

sale-usage =
    Log a sale in one message: <b>/sale client amount [product line] [date]</b>
    For example: <code>/sale Romashka 150,000 VVG cable yesterday</code>
    Amounts as you like: 150000, 150 000, 150k, 1.2m, 1,2 млн, with or without the currency sign.
sale-no-client = Whose sale is it? Example: <code>/sale Romashka 150000 cable</code>
sale-saved = ✅ Sale logged: <b>{ $client }</b>
sale-amount-line = 💰 { $amount }
sale-line-line = 📦 { $line }
sale-date-line = 📅 { $when }
sale-restored = ♻️ The client is back from the archive.
sale-month-progress = 📈 { $period }: { $sold } of { $plan } — { $pct }
sale-month-total = 📈 { $period }: { $sold } sold. No plan yet — /plan 3000000
sale-btn-amount = ✏️ Amount
sale-btn-line = ✏️ Product
sale-btn-date = ✏️ Date
sale-btn-client = ✏️ Client
sale-undone = ↩️ Sale removed: { $text }
sale-not-found = Sale not found — it may have been removed already.
sale-which-client = Which client did you mean by “{ $query }”? I'll log the { $amount } sale as soon as you pick:
sale-client-not-found = There is no client “{ $query }”. Create it and log the { $amount } sale?
sale-btn-create = ➕ Create the client and log
sale-archived = 📦 <b>{ $name }</b> is archived. Bring it back and log the { $amount } sale?
sale-btn-restore = ♻️ Restore and log
sale-btn-cancel = ✖️ Don't log
sale-cancelled = Sale not logged.
sale-draft-gone = That sale is already logged or cancelled. A new one: /sale client amount
sale-ask-amount = Type the right amount: 150000, 150k, 1.2m…
sale-ask-line = Type the product line (or “-” to clear it):
sale-ask-date = When was the sale? Type a date (“yesterday”, “12.03”, “last Friday”) or pick:
sale-date-today = Today
sale-date-yesterday = Yesterday
sale-date-2days = 2 days ago
sale-ask-client = Type the name of the client this sale belongs to:
sale-client-choose = Pick the client (or type the name more precisely):
sale-move-archived = <b>{ $name }</b> is archived — restore it from its card first.
sale-currency = The amount is in { $written }, but your sales and plans are in { $currency }. Type the amount in { $currency } — I don't convert. Nothing saved.
sale-date-future = That date hasn't come yet, and a future sale is a forecast. If the sale has happened, give its date: “yesterday”, “12.03”. Nothing saved.
sale-date-invalid = There is no such date as “{ $date }” — please check it. Nothing saved.
sale-date-not-understood = I didn't get the date. Examples: “yesterday”, “12.03”, “last Friday”, “3 days ago”.

amount-error-negative = An amount can't be negative (“{ $text }”). Nothing saved. { $what ->
        [plan] To remove the plan: <code>/plan 0</code>; to lower it, type the new amount.
       *[sale] To take a sale back, use ↩️ or /undo.
    }
amount-error-zero = “{ $text }” is zero. Nothing saved.
amount-error-scientific = “{ $text }” — please write the amount in plain digits: 150000 or 1.2m. Nothing saved.
amount-error-too-large = “{ $text }” — over a trillion in one entry? Looks like extra zeros. Nothing saved.
amount-error-fraction = “{ $text }” has more than two decimals — there's no such fraction of a rouble. Nothing saved.
amount-error-words = Please write the amount in digits: 100000, 100k or 1.2m — I don't read amounts in words. Nothing saved.
amount-error-garbage = I couldn't find an amount. Examples: 150000, 150 000, 150k, 1.2m. Nothing saved.

plan-usage =
    🎯 Sales plan: <b>/plan amount [month|quarter|year]</b>
    <code>/plan 3000000</code> — for this month
    <code>/plan 9m quarter</code> · <code>/plan 36m year</code> · <code>/plan 3m next month</code>
    <code>/plan Romashka 500000</code> — a plan for a key account
    <code>/plan 0</code> — remove the plan
plan-set = ✅ Plan for { $period }: <b>{ $amount }</b>
plan-set-client = ✅ Plan for <b>{ $client }</b>, { $period }: <b>{ $amount }</b>
plan-was = Was { $old }, now { $amount }.
plan-same = The plan is unchanged.
plan-removed = 🗑 Plan for { $period } removed (was { $old }).
plan-removed-client = 🗑 Plan for <b>{ $client }</b>, { $period } removed (was { $old }).
plan-nothing-to-remove = There is no plan for { $period } anyway.
plan-progress = Sold: { $sold } — { $pct } of the plan.
plan-not-key = 💡 { $client } isn't marked as a key account. { $mode ->
        [kam] Its plan shows in /kpi once the client is 🔑.
       *[other] Per-client plans are shown in /plan (in /kpi only in the key accounts mode, /settings).
    }
plan-btn-key = 🔑 Make it a key account
plan-key-done = 🔑 Now a key account
plan-overview-title = 🎯 <b>Sales plans</b>
plan-overview-line = { $period }: <b>{ $plan }</b> · sold { $sold } ({ $pct })
plan-overview-line-none = { $period }: not set · sold { $sold }
plan-overview-clients = 🔑 <b>Per-client plans</b>
plan-overview-client = • { $client }, { $period }: { $plan } · sold { $sold } ({ $pct })
plan-overview-hint = Set one: <code>/plan 3000000</code> · <code>/plan 9m quarter</code> · <code>/plan Romashka 500000</code>
plan-period-unknown = I didn't get the period “{ $word }”. Use month, quarter, year, “next month” or a month's name. Nothing saved.
plan-currency = The plan is in { $written }, but your sales are in { $currency }. Type the amount in { $currency }. Nothing saved.
plan-client-archived = <b>{ $name }</b> is archived — no plan for it. Restore it from its card first.
plan-which-client = No exact match for “{ $query }”. Whose plan is { $amount }?
plan-client-not-found = There is no client “{ $query }”. Check the name: /client { $query }
plan-draft-gone = That plan is already saved or outdated. Again: /plan
plan-period-year = { $year }
