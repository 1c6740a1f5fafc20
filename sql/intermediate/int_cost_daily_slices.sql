-- int_cost_daily_slices: gold.cost_daily without the user, for the per-dimension daily tables.
--
-- grain:     one row per UTC event_date x tenant_id x feature x model x provider x region
--            (user_id, environment and operation summed away).
-- source:    gold.cost_daily for the window's dates.
-- used by:   gold.cost_daily_by_tenant, _by_feature, _by_model, _by_region and gold.cost_daily_total,
--            which the rollup job rebuilds from this one result (computed once and kept in memory)
--            instead of each scanning gold.cost_daily: the user is most of that table's rows (12 M
--            rows for 30 days of 1 M events; a few hundred thousand here).
--            gold.cost_daily_by_user keeps reading gold.cost_daily.
-- params:    event_dates (date literals).
-- money:     sums of exact DECIMAL(38,9) USD; null when no request of the row has such a cost.

select
    event_date,
    tenant_id,
    feature,
    model,
    provider,
    region,
    sum(requests)            as requests,
    sum(unpriced_requests)   as unpriced_requests,
    sum(input_tokens)        as input_tokens,
    sum(cached_input_tokens) as cached_input_tokens,
    sum(cache_write_tokens)  as cache_write_tokens,
    sum(output_tokens)       as output_tokens,
    sum(reasoning_tokens)    as reasoning_tokens,
    sum(unpriced_tokens)     as unpriced_tokens,
    sum(cost_usd)            as cost_usd,
    sum(list_cost_usd)       as list_cost_usd
from gold.cost_daily
where event_date in (${event_dates})
group by event_date, tenant_id, feature, model, provider, region
