# /undo: a stack of what was done in the last ten minutes. Names stay in a form that needs no case.
undone-nothing = За последние 10 минут нечего отменять.
undone-touch = ↩️ Отменил касание · клиент <b>{ $client }</b>
undone-note = ↩️ Отменил заметку · клиент <b>{ $client }</b>
undone-contact = ↩️ Отменил контакт { $name } · клиент <b>{ $client }</b>
undone-sale = ↩️ Отменил продажу · клиент <b>{ $client }</b>, { $amount }
undone-request = ↩️ Отменил заявку · клиент <b>{ $client }</b>
undone-review = ↩️ Отменил { $sign ->
    [good] 👍 хороший
   *[other] 👎 плохой
} отзыв · клиент <b>{ $client }</b>
undone-plan = ↩️ Отменил план: { $amount }
undone-plan_edit = ↩️ Вернул прежний план: { $amount }
undone-plan_removed = ↩️ Вернул удалённый план: { $amount }
undone-edit = ↩️ Вернул карточку как было · клиент <b>{ $client }</b>: { $fields }
undone-contact_edit = ↩️ Вернул контакт { $name } как был · клиент <b>{ $client }</b>
undone-import = ↩️ Отменил импорт целиком: { $clients ->
    [one] удалён { $clients } клиент
    [few] удалены { $clients } клиента
   *[many] удалено { $clients } клиентов
}, { $contacts ->
    [one] { $contacts } контакт
    [few] { $contacts } контакта
   *[many] { $contacts } контактов
}.
undone-for-client = клиент <b>{ $client }</b>
undone-text = 💬 { $text }
undone-more = Ещё /undo — отменю предыдущее.
undone-field-name = название
undone-field-segment = сегмент
undone-field-tier = уровень
undone-field-status = статус
undone-field-cadence_days = частота контактов
undone-field-preferred_channel = канал связи
undone-field-tax_id = ИНН
undone-field-phone = телефон
undone-field-archived_at = архив
undone-field-tags = теги
