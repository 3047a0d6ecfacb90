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
