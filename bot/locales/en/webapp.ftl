# Buttons that open the Mini App (issue 14), shown only when WEBAPP_URL is set.
webapp-btn-kpi = 📊 Open in dashboard
webapp-btn-client = 📊 Open in dashboard
webapp-btn-digest = 📊 Open the dashboard
