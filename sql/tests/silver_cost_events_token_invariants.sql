-- data test: token counts are consistent. Returns the offending events; zero rows = holds.
select
    event_id,
    input_tokens,
    cached_input_tokens,
    cache_write_tokens,
    output_tokens,
    reasoning_tokens
from silver.cost_events
where input_tokens < 0
   or output_tokens < 0
   or cached_input_tokens < 0
   or cache_write_tokens < 0
   or reasoning_tokens < 0
   or cached_input_tokens > input_tokens
   or cached_input_tokens + cache_write_tokens > input_tokens
   or reasoning_tokens > output_tokens
   or event_date <> to_date(event_time)
   or event_hour <> date_trunc('HOUR', event_time)
