## KPI: /kpi, the pace line in the digest, the weekly summary and /today
kpi-title = 📊 <b>KPI · { $period }</b>
kpi-bad-period = 🤔 I didn't get the period “{ $word }”. Try: /kpi week, /kpi month, /kpi quarter, /kpi year.

kpi-period-week = Week
kpi-period-month = Month
kpi-period-quarter = Quarter
kpi-period-year = Year
kpi-btn-chart = 📈 Chart
kpi-chart-caption = 📈 { $period }: cumulative sales vs the plan, touches per week

## Plan and pace
kpi-plan = 🎯 <b>Plan: { $pct }</b> — { $sold } of { $plan }
kpi-no-plan = 🎯 No plan for { $period }. Set one and I'll track the pace: <code>{ $example }</code>
kpi-no-plan-week = 🎯 Plans are set per month, quarter or year — the pace to the month's plan: /kpi month
kpi-plan-example-month = /plan 3 000 000
kpi-plan-example-quarter = /plan 9m quarter
kpi-plan-example-year = /plan 36m year
kpi-pace-day = working day { $day } of { $total }
kpi-pace-need = { $need } needed per day
kpi-pace-forecast = forecast { $forecast }
kpi-pace-done = ✅ plan made
kpi-pace-no-days = no working days left, { $short } short of the plan
kpi-pace-not-started = the period's working days haven't started yet
kpi-forecast-money = At this pace by the end of the period: { $amount }

## Sales
kpi-sales = 💰 <b>Sales:</b> { $sum } · { $count ->
        [one] { $count } sale
       *[other] { $count } sales
    } · { $buyers ->
        [one] { $buyers } client
       *[other] { $buyers } clients
    }
kpi-no-sales = 💰 No sales in this period yet. Record the first one: <code>/sale Acme 150 000</code>
kpi-avg-check = Average check: <b>{ $value }</b>{ $change ->
        [none] {""}
       *[other] {" "}({ $change } vs previous period)
    }
kpi-per-client = Per client: <b>{ $value }</b>{ $change ->
        [none] {""}
       *[other] {" "}({ $change })
    }

## Clients
kpi-clients = 👥 <b>Clients</b>
kpi-active = Active: <b>{ $active }</b> of { $total }
kpi-coverage = Coverage: <b>{ $pct }</b> — { $touched } of { $base } in work touched on time
kpi-touches = Touches this period: { $touches }{ $clients ->
        [0] {""}
       *[other] {" "}(clients: { $clients })
    }
kpi-no-clients = 👥 No clients yet. Add the first one: <code>/client Acme</code> — or see a sample with /demo
kpi-new-lines = 🆕 <b>New product lines at existing clients: { $count }</b>
kpi-new-line = • { $client } — { $line }
kpi-top = 🏆 <b>Top clients</b>
kpi-top-line = { $n }. { $client } — { $sum }
kpi-risk = ⚠️ <b>At risk: { $count }</b>
kpi-risk-overdue = • { $client } — due for a touch{ $days ->
        [0] {""}
       *[other] , { $days } d overdue
    }
kpi-risk-drop = • { $client } — average check { $change } over 3 months
kpi-risk-more = …and { $count } more
kpi-no-risk = 🛡 Nobody at risk: everyone in touch, no checks falling.

## The line for the digest and the weekly summary
kpi-line-plan = 🎯 Plan for { $period }: <b>{ $pct }</b>
kpi-line-sales = 💰 Sales in { $period }: <b>{ $sold }</b> (no plan set: /plan)

## B2C
kpi-b2c = 🎧 <b>Requests:</b> { $opened } this period, { $resolved } resolved
kpi-b2c-none = 🎧 No requests this period. Open one: <code>/request Acme invoice missing</code>
kpi-b2c-response = First response: median <b>{ $median }</b> · 90% — { $p90 } (within SLA { $ok } of { $count })
kpi-b2c-resolution = Resolution: median <b>{ $median }</b> · 90% — { $p90 } (within SLA { $ok } of { $count })
kpi-b2c-overdue = ⏰ <b>Past the SLA now: { $count }</b>
kpi-b2c-overdue-line = • { $client } — { $text } ({ $breach ->
        [response] no answer
       *[other] not resolved
    })
kpi-b2c-reviews = 👎 Negative reviews: <b>{ $negative }</b> · 👍 { $positive }

## Key accounts
kpi-kam = 🔑 <b>Key accounts</b> — { $share } of your sales
kpi-kam-no-sales = 🔑 <b>Key accounts</b>
kpi-kam-none = 🔑 No key accounts yet. Mark a client as key on its card: <code>/client Acme</code>
kpi-kam-line-plan = • { $client }: <b>{ $sold }</b> of { $plan } ({ $pct })
kpi-kam-line = • { $client }: <b>{ $sold }</b>, no plan set
kpi-kam-share = {" "}· share { $share }
