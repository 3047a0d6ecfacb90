## KPI chart (PNG): the labels on the image are plain text, no HTML
chart-sales-title = Sales · { $period }
chart-sold-of-plan = { $sold } of { $plan } · { $percent } of plan
chart-sold-no-plan = Sold: { $sold }
chart-legend-sales = Sales
chart-legend-plan = Plan
chart-legend-forecast = Forecast at this pace
chart-today = today
chart-no-plan = No plan for this period — /plan 3,000,000
chart-touches-title = Touches per week
