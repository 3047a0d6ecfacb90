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
today-requests = 🚨 <b>Заявки по SLA ({ $count })</b>
today-request-line = • <b>{ $client }</b>: { $text } — { $state ->
    [response] нет ответа, SLA просрочен на { $time }
    [resolution] не решена, SLA просрочен на { $time }
    [soon-response] ответить в ближайшие { $time }
   *[soon-resolution] решить в ближайшие { $time }
}
