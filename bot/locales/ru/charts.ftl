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
