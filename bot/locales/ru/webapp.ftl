# Buttons that open the Mini App (issue 14), shown only when WEBAPP_URL is set.
webapp-btn-kpi = 📊 Открыть в дашборде
webapp-btn-client = 📊 Открыть в дашборде
webapp-btn-digest = 📊 Открыть дашборд
