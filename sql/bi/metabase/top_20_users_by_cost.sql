-- Metabase tile "Top 20 users by cost" (Table). View: top_20_users_by_cost.
select rank, tenant_id, user_id, cost_usd, requests
from top_20_users_by_cost
order by rank
