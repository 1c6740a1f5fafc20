-- Metabase tile "Cost per request trend" (Line: event_date, cost_per_request_usd by feature). View: cost_per_request_by_day.
select event_date, feature, cost_per_request_usd
from cost_per_request_by_day
order by event_date, feature
