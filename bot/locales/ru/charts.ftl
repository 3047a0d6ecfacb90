## График KPI (PNG): подписи на картинке — простой текст, без HTML
chart-sales-title = Продажи · { $period }
chart-sold-of-plan = { $sold } из { $plan } · { $percent } плана
chart-sold-no-plan = Продано: { $sold }
chart-legend-sales = Продажи
chart-legend-plan = План
chart-legend-forecast = Прогноз при текущем темпе
chart-today = сегодня
chart-no-plan = План на период не задан — /plan 3 000 000
chart-touches-title = Касания по неделям
## График KPI в режиме B2C: заявки и отзывы вместо продаж
chart-b2c-title = Заявки · { $period }
chart-b2c-response = Первый ответ: медиана { $median } · в SLA { $percent }
chart-b2c-response-none = Первый ответ: ответов за период пока нет
chart-b2c-resolution = Решение: медиана { $median } · в SLA { $percent }
chart-b2c-resolution-none = Решение: решённых заявок за период пока нет
chart-b2c-reviews = Отзывы: хорошие — { $positive }, негативные — { $negative }
chart-b2c-sla = SLA { $sla }
chart-b2c-positive = Хорошие
chart-b2c-negative = Негативные
chart-b2c-caption = 📈 { $period }: время ответа и решения заявок против SLA, отзывы
