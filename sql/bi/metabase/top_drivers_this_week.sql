-- Metabase tile "Top drivers this week" (Table). View: top_drivers_this_week.
select dimension, rank, value, cost_usd, share_of_week_pct
from top_drivers_this_week
order by dimension, rank
