# Issue 15: what is due when — quiet hours, next steps on weekends, B2C agenda.
quiet-held-suffix = { $day ->
    [same] {" "}· 🌙 comes at { $time } — quiet hours
   *[next] {" "}· 🌙 comes the next morning at { $time } — quiet hours
}
quiet-released = { $count ->
    [0] {""}
    [one] 🔔 { $count } reminder held for quiet hours comes now.
   *[other] 🔔 { $count } reminders held for quiet hours come now.
}
today-requests = 🚨 <b>Requests by SLA ({ $count })</b>
today-request-line = • <b>{ $client }</b>: { $text } — { $state ->
    [response] no answer, SLA missed by { $time }
    [resolution] not solved, SLA missed by { $time }
    [soon-response] answer within { $time }
   *[soon-resolution] solve within { $time }
}
