-- Metabase tile "Data freshness" (Table, or Number of min(complete_through)). View: data_freshness.
select table_name, last_published_at, complete_through
from data_freshness
order by table_name
