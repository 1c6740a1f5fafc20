-- data test: event_id is unique in silver.cost_events. Returns the offending ids; zero rows = holds.
select
    event_id,
    count(*) as copies
from silver.cost_events
group by event_id
having count(*) > 1
