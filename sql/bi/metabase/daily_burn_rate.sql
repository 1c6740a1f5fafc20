-- Metabase tile "Daily burn rate" (Line: event_date, cost_usd and burn_rate_7d_usd). View: daily_burn_rate.
select event_date, cost_usd, burn_rate_7d_usd
from daily_burn_rate
order by event_date
