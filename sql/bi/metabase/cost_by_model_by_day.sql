-- Metabase tile "Cost by model by day" (Stacked area: event_date, cost_usd by model). View: cost_by_model_by_day.
select event_date, model, sum(cost_usd) as cost_usd
from cost_by_model_by_day
where event_date > current_date - 30
group by event_date, model
order by event_date, model
