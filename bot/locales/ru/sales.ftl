## /sale, /plan and amounts typed by people

sale-usage =
    Запишите продажу одним сообщением: <b>/sale клиент сумма [товар] [дата]</b>
    Например: <code>/sale Ромашка 150 000 кабель ВВГ вчера</code>
    Сумма как удобно: 150000, 150 000, 150к, 150 тыс, 1,2 млн, 150k, 1.2m, с ₽/руб или без.
sale-no-client = Не понял, кому продажа. Пример: <code>/sale Ромашка 150 000 кабель</code>
sale-saved = ✅ Записал продажу: <b>{ $client }</b>
sale-amount-line = 💰 { $amount }
sale-line-line = 📦 { $line }
sale-date-line = 📅 { $when }
sale-restored = ♻️ Клиент возвращён из архива.
sale-month-progress = 📈 { $period }: { $sold } из { $plan } — { $pct }
sale-month-total = 📈 { $period }: продано { $sold }. План не задан — /plan 3 000 000
sale-btn-amount = ✏️ Сумма
sale-btn-line = ✏️ Товар
sale-btn-date = ✏️ Дата
sale-btn-client = ✏️ Клиент
sale-undone = ↩️ Продажа удалена: { $text }
sale-not-found = Продажа не найдена — возможно, она уже удалена.
sale-which-client = Кого вы имели в виду под «{ $query }»? Запишу продажу { $amount }, как только выберете:
sale-client-not-found = Клиента «{ $query }» нет. Создать его и записать продажу { $amount }?
sale-btn-create = ➕ Создать клиента и записать
sale-archived = 📦 Клиент <b>{ $name }</b> в архиве. Вернуть его из архива и записать продажу { $amount }?
sale-btn-restore = ♻️ Вернуть и записать
sale-btn-cancel = ✖️ Не записывать
sale-cancelled = Продажу не записал.
sale-draft-gone = Эта продажа уже записана или отменена. Новая: /sale клиент сумма
sale-ask-amount = Напишите правильную сумму: 150 000, 150к, 1,2 млн…
sale-ask-line = Напишите товарную линейку (или «-», чтобы убрать её):
sale-ask-date = Когда была продажа? Напишите дату («вчера», «12.03», «в пятницу») или выберите:
sale-date-today = Сегодня
sale-date-yesterday = Вчера
sale-date-2days = Позавчера
sale-ask-client = Напишите название клиента, которому была эта продажа:
sale-client-choose = Выберите клиента (или напишите название точнее):
sale-move-archived = Клиент <b>{ $name }</b> в архиве — сначала верните его из архива в карточке.
sale-currency = Сумма в { $written }, а продажи и планы у вас в { $currency }. Напишите сумму в { $currency } — курс я не пересчитываю. Ничего не сохранил.
sale-date-future = Эта дата ещё не наступила, а продажа в будущем — это прогноз. Если продажа уже была, укажите её дату: «вчера», «12.03». Ничего не сохранил.
sale-date-invalid = Даты «{ $date }» не бывает — проверьте её. Ничего не сохранил.
sale-date-not-understood = Не понял дату. Примеры: «вчера», «12.03», «в пятницу», «3 дня назад».

amount-error-negative = Сумма не может быть отрицательной («{ $text }»). Ничего не сохранил. { $what ->
        [plan] Снять план — <code>/plan 0</code>, уменьшить — напишите новую сумму.
       *[sale] Отменить продажу — кнопка ↩️ или /undo.
    }
amount-error-zero = Сумма «{ $text }» — это ноль. Ничего не сохранил.
amount-error-scientific = «{ $text }» — напишите сумму обычными цифрами: 150 000 или 1,2 млн. Ничего не сохранил.
amount-error-too-large = «{ $text }» — больше триллиона за раз? Похоже на лишние нули. Ничего не сохранил.
amount-error-fraction = В «{ $text }» больше двух знаков после запятой — копеек столько не бывает. Ничего не сохранил.
amount-error-words = Напишите сумму цифрами: 100 000, 100к или 1,2 млн — суммы словами я не считаю. Ничего не сохранил.
amount-error-garbage = Не нашёл сумму. Примеры: 150000, 150 000, 150к, 1,2 млн, 150k. Ничего не сохранил.

plan-usage =
    🎯 План продаж: <b>/plan сумма [месяц|квартал|год]</b>
    <code>/plan 3 000 000</code> — на этот месяц
    <code>/plan 9 млн квартал</code> · <code>/plan 36 млн год</code> · <code>/plan 3 млн следующий месяц</code>
    <code>/plan Ромашка 500 000</code> — план по ключевому клиенту
    <code>/plan 0</code> — снять план
plan-set = ✅ План на { $period }: <b>{ $amount }</b>
plan-set-client = ✅ План на { $period } · клиент <b>{ $client }</b>: <b>{ $amount }</b>
plan-was = Было { $old }, стало { $amount }.
plan-same = План не изменился.
plan-removed = 🗑 План на { $period } снят (был { $old }).
plan-removed-client = 🗑 План на { $period } снят · клиент <b>{ $client }</b> (был { $old }).
plan-nothing-to-remove = План на { $period } и так не задан.
plan-progress = Продано: { $sold } — { $pct } плана.
plan-not-key = 💡 Клиент { $client } не отмечен как ключевой. { $mode ->
        [kam] В /kpi его план появится, когда клиент станет 🔑.
       *[other] Планы по клиентам видны в /plan (в /kpi — только в режиме «ключевые клиенты», /settings).
    }
plan-btn-key = 🔑 Сделать ключевым
plan-key-done = 🔑 Теперь ключевой
plan-overview-title = 🎯 <b>Планы продаж</b>
plan-overview-line = { $period }: <b>{ $plan }</b> · продано { $sold } ({ $pct })
plan-overview-line-none = { $period }: не задан · продано { $sold }
plan-overview-clients = 🔑 <b>Планы по клиентам</b>
plan-overview-client = • { $client }, { $period }: { $plan } · продано { $sold } ({ $pct })
plan-overview-hint = Задать: <code>/plan 3 000 000</code> · <code>/plan 9 млн квартал</code> · <code>/plan Ромашка 500 000</code>
plan-period-unknown = Не понял период «{ $word }». Можно: месяц, квартал, год, «следующий месяц» или название месяца. Ничего не сохранил.
plan-currency = План в { $written }, а продажи у вас в { $currency }. Напишите сумму в { $currency }. Ничего не сохранил.
plan-client-archived = Клиент <b>{ $name }</b> в архиве — план по нему не ставлю. Верните его из архива в карточке.
plan-which-client = Точного совпадения с «{ $query }» нет. Для кого план { $amount }?
plan-client-not-found = Клиента «{ $query }» нет. Проверьте название: /client { $query }
plan-draft-gone = Этот план уже сохранён или устарел. Снова: /plan
plan-period-year = { $year } год
