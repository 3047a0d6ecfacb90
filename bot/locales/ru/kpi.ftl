## KPI: /kpi, строка темпа в дайджесте, итогах недели и /today
kpi-title = 📊 <b>KPI · { $period }</b>
kpi-bad-period = 🤔 Не понял период «{ $word }». Можно так: /kpi неделя, /kpi месяц, /kpi квартал, /kpi год.

kpi-period-week = Неделя
kpi-period-month = Месяц
kpi-period-quarter = Квартал
kpi-period-year = Год
kpi-btn-chart = 📈 График
kpi-chart-caption = 📈 { $period }: продажи нарастающим итогом и план, касания по неделям

## План и темп
kpi-plan = 🎯 <b>План: { $pct }</b> — { $sold } из { $plan }
kpi-no-plan = 🎯 План на { $period } не задан. Задайте — и я посчитаю темп: <code>{ $example }</code>
kpi-no-plan-week = 🎯 План ставится на месяц, квартал или год — темп к плану месяца: /kpi месяц
kpi-plan-example-month = /plan 3 000 000
kpi-plan-example-quarter = /plan 9 млн квартал
kpi-plan-example-year = /plan 36 млн год
kpi-pace-day = рабочий день { $day } из { $total }
kpi-pace-need = нужно { $need } в день
kpi-pace-forecast = прогноз { $forecast }
kpi-pace-done = ✅ план выполнен
kpi-pace-no-days = рабочие дни закончились, до плана не хватило { $short }
kpi-pace-not-started = рабочие дни периода ещё не начались
kpi-forecast-money = При этом темпе к концу периода: { $amount }

## Продажи
kpi-sales = 💰 <b>Продажи:</b> { $sum } · { $count ->
        [one] { $count } сделка
        [few] { $count } сделки
       *[other] { $count } сделок
    } · { $buyers ->
        [one] { $buyers } клиент
        [few] { $buyers } клиента
       *[other] { $buyers } клиентов
    }
kpi-no-sales = 💰 Продаж за период пока нет. Запишите первую: <code>/sale Ромашка 150 000</code>
kpi-avg-check = Средний чек: <b>{ $value }</b>{ $change ->
        [none] {""}
       *[other] {" "}({ $change } к прошлому периоду)
    }
kpi-per-client = На клиента: <b>{ $value }</b>{ $change ->
        [none] {""}
       *[other] {" "}({ $change })
    }

## Клиенты
kpi-clients = 👥 <b>Клиенты</b>
kpi-active = Активных: <b>{ $active }</b> из { $total }
kpi-coverage = Охват: <b>{ $pct }</b> — { $touched } из { $base } в работе на связи в срок
kpi-touches = Касаний за период: { $touches }{ $clients ->
        [0] {""}
       *[other] {" "}(клиентов: { $clients })
    }
kpi-no-clients = 👥 Клиентов пока нет. Добавьте первого: <code>/client Ромашка</code> — или посмотрите пример на /demo
kpi-new-lines = 🆕 <b>Новые направления у клиентов: { $count }</b>
kpi-new-line = • { $client } — { $line }
kpi-top = 🏆 <b>Топ клиентов</b>
kpi-top-line = { $n }. { $client } — { $sum }
kpi-risk = ⚠️ <b>Под риском: { $count }</b>
kpi-risk-overdue = • { $client } — пора связаться{ $days ->
        [0] {""}
       *[other] , просрочено на { $days } дн.
    }
kpi-risk-drop = • { $client } — средний чек { $change } за 3 месяца
kpi-risk-more = …и ещё { $count }
kpi-no-risk = 🛡 Под риском никого: все на связи, чеки не падают.

## Строка для дайджеста и итогов недели
kpi-line-plan = 🎯 План на { $period }: <b>{ $pct }</b>
kpi-line-sales = 💰 Продажи за { $period }: <b>{ $sold }</b> (план не задан: /plan)

## B2C
kpi-b2c = 🎧 <b>Обращения:</b> { $opened } за период, решено { $resolved }
kpi-b2c-none = 🎧 Обращений за период нет. Новое: <code>/request Ромашка не пришёл счёт</code>
kpi-b2c-response = Первый ответ: медиана <b>{ $median }</b> · 90 % — { $p90 } (в SLA { $ok } из { $count })
kpi-b2c-resolution = Решение: медиана <b>{ $median }</b> · 90 % — { $p90 } (в SLA { $ok } из { $count })
kpi-b2c-overdue = ⏰ <b>Просрочено по SLA сейчас: { $count }</b>
kpi-b2c-overdue-line = • { $client } — { $text } ({ $breach ->
        [response] нет ответа
       *[other] не решено
    })
kpi-b2c-reviews = 👎 Негативных отзывов: <b>{ $negative }</b> · 👍 { $positive }

## Ключевые клиенты
kpi-kam = 🔑 <b>Ключевые клиенты</b> — { $share } ваших продаж
kpi-kam-no-sales = 🔑 <b>Ключевые клиенты</b>
kpi-kam-none = 🔑 Ключевых клиентов пока нет. Отметьте клиента ключевым в его карточке: <code>/client Ромашка</code>
kpi-kam-line-plan = • { $client }: <b>{ $sold }</b> из { $plan } ({ $pct })
kpi-kam-line = • { $client }: <b>{ $sold }</b>, план не задан
kpi-kam-share = {" "}· доля { $share }
