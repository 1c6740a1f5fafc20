-- Metabase tile "Anomalies today" (Table). View: anomalies_today.
select period_start, grain, scope_type, scope_value, direction, severity, impact_usd, explanation
from anomalies_today
order by abs(impact_usd) desc, scope_type, scope_value
