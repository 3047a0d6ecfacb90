"""Sales, plans and /kpi."""
