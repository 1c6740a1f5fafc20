-- Metabase tile "Forecasted month-end vs budget" (Table or Progress). View: forecast_vs_budget.
select scope_type, scope_value, spend_to_date_usd, forecast_p10_usd, forecast_p50_usd, forecast_p90_usd, budget_usd
from forecast_vs_budget
order by scope_type, scope_value
