# Issue 15: what is due when — quiet hours, next steps on weekends, B2C agenda.
quiet-held-suffix = { $day ->
    [same] {" "}· 🌙 придёт в { $time } — тихие часы
   *[next] {" "}· 🌙 придёт на следующее утро в { $time } — тихие часы
}
quiet-released = { $count ->
    [0] {""}
    [one] 🔔 { $count } напоминание, ждавшее конца тихих часов, придёт сейчас.
    [few] 🔔 { $count } напоминания, ждавшие конца тихих часов, придут сейчас.
   *[many] 🔔 { $count } напоминаний, ждавших конца тихих часов, придут сейчас.
}
