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
## KPI chart in B2C mode: requests and reviews instead of sales
chart-b2c-title = Requests · { $period }
chart-b2c-response = First response: median { $median } · within SLA { $percent }
chart-b2c-response-none = First response: no answers in this period yet
chart-b2c-resolution = Resolution: median { $median } · within SLA { $percent }
chart-b2c-resolution-none = Resolution: no requests solved in this period yet
chart-b2c-reviews = Reviews: positive — { $positive }, negative — { $negative }
chart-b2c-sla = SLA { $sla }
chart-b2c-positive = Positive
chart-b2c-negative = Negative
chart-b2c-caption = 📈 { $period }: request response and resolution times against the SLA, reviews
