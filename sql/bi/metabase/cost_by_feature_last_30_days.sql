-- Metabase tile "Cost by feature, last 30 days" (Bar). View: cost_by_feature_last_30_days.
select feature, cost_usd, requests
from cost_by_feature_last_30_days
order by cost_usd desc, feature
