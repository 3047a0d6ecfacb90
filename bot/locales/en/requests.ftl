## B2C: requests and reviews
request-usage =
    Open a client request in one message:
    <code>/request Romashka the delivery did not arrive</code>
    You can say when the client asked: <code>/request Romashka yesterday at 14:30 the delivery did not arrive</code>
    Open requests: <code>/request</code> with no text.
request-need-text = What is the request from “{ $client }” about? Write it in one message, e.g. <code>/request { $client } the delivery did not arrive</code>
request-which-client = Which client did you mean by “{ $query }”? I will open the request as soon as you pick:
request-client-not-found = There is no client “{ $query }”. Create it and open the request?
request-card-title = 📋 Request #{ $id } · <b>{ $client }</b>
request-opened = 🕒 Opened: { $when } · waiting { $ago }
request-responded = 💬 Responded: { $when } — in { $took }
request-resolved = ✅ Resolved: { $when } — in { $took }
request-breach-response = ⚠️ No response for over { $sla } — SLA missed
request-breach-resolution = ⚠️ Not resolved for over { $sla } — SLA missed
request-btn-responded = 💬 Responded
request-btn-resolved = ✅ Resolved
request-btn-undo-request = ↩️ Undo the request
request-btn-undo-responded = ↩️ Undo “Responded”
request-btn-undo-resolved = ↩️ Undo “Resolved”
request-btn-client = 🏢 Client
request-btn-list = 📋 Open requests
request-toast-resp = 💬 Response stamped
request-toast-done = ✅ Request resolved
request-toast-undone = ↩️ Undone
request-toast-opened = 📋 Request opened
request-already-resp = The response is already stamped — the first response time stays.
request-already-done = The request is already resolved — the resolution time stays.
request-deleted = ↩️ Request deleted.
request-too-late-to-delete = A request older than 10 minutes stays — it already counts in the KPI. If it is solved, press ✅ Resolved.
request-not-found = Request not found — it may have been deleted. Open requests: /request
request-list-empty =
    🎉 No open requests.
    A new one: <code>/request Romashka the delivery did not arrive</code>
request-list-title = 📋 <b>Open requests: { $count }</b> (oldest first; ⚠️ past the SLA)
request-list-line = { $n }. { $flag }<b>{ $client }</b> — { $text } · { $age }{ $waiting }
request-no-answer = no response yet
request-list-page = Page { $page } of { $pages }
request-list-sla = SLA: first response within { $response }, resolution within { $resolution }

dur-days = { $n } d
dur-hours = { $n } h
dur-minutes = { $n } min
dur-under-minute = under a minute

review-usage =
    A client review: the name, a sign and, if you like, the text.
    <code>/review Romashka + thanks for the quick delivery</code>
    <code>/review Romashka - the courier was 2 hours late</code>
    Instead of +/- you can use 👍/👎 or “positive”/“negative”.
review-need-sign =
    Is the review from “{ $client }” good or bad? Add a sign:
    <code>/review { $client } + thanks</code> or <code>/review { $client } - we waited too long</code>
review-which-client = Which client did you mean by “{ $query }”? I will save the review as soon as you pick:
review-client-not-found = There is no client “{ $query }”. Create it and save the review?
review-saved-positive = 👍 Positive review saved · <b>{ $client }</b>
review-saved-negative = 👎 Negative review saved · <b>{ $client }</b>
review-negative-hint = A negative review counts in your KPI. Deal with it: open a request or call the client.
review-btn-request = 📋 Open a request
review-btn-call = 📞 Log a call
review-undone = ↩️ Review deleted.
review-not-found = Review not found — it may have been deleted.
review-request-text = Negative review
