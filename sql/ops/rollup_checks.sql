-- ops.rollup_checks: the rollups' books. For the days a run rebuilt, every measure summed over each
-- rollup table equals the same sum over silver.cost_events; a run whose books do not balance fails.
--
-- grain:     one row per run (run_id) x rollup table x measure.
-- source:    silver.cost_events and every additive gold table, for the window's dates (whole days:
--            a stale or tampered hour of a rebuilt day is caught too).
-- written:   appended by every run that rebuilds rollups (hourly, nightly, backfill, reprice), after
--            they are written; the run then fails if any row has balanced = false.
-- params:    run_id, checked_at (literals), event_dates (date literals).
-- not here:  gold.top_cost_drivers (a top N) and gold.cost_per_request_trend (ratios) do not add up
--            to silver by design; they are derived from tables that are checked here.

create table if not exists ops.rollup_checks (
    run_id        string         not null comment 'ops.pipeline_runs.run_id of the run that checked.',
    checked_at    timestamp      not null comment 'When the check ran.',
    rollup_table  string         not null comment 'The gold table summed.',
    measure       string         not null comment 'requests, unpriced_requests, a token count, cost_usd or list_cost_usd.',
    window_from   date           not null comment 'First event_date checked.',
    window_to     date           not null comment 'Last event_date checked.',
    window_days   int            not null comment 'Event dates checked (they need not be contiguous).',
    silver_value  decimal(38, 9) not null comment 'The measure summed over silver.cost_events for those dates (exact).',
    rollup_value  decimal(38, 9) not null comment 'The measure summed over rollup_table for those dates.',
    balanced      boolean        not null comment 'silver_value = rollup_value.'
)
using delta
location ${location};

with

silver_sums as (
    select
        count(*)                                                              as requests,
        count_if(pricing_status = 'unpriced')                                 as unpriced_requests,
        coalesce(sum(input_tokens), 0)                                        as input_tokens,
        coalesce(sum(cached_input_tokens), 0)                                 as cached_input_tokens,
        coalesce(sum(cache_write_tokens), 0)                                  as cache_write_tokens,
        coalesce(sum(output_tokens), 0)                                       as output_tokens,
        coalesce(sum(reasoning_tokens), 0)                                    as reasoning_tokens,
        usd_from_nanos(coalesce(sum(cost_usd_nanos), 0))                      as cost_usd,
        usd_from_nanos(coalesce(sum(list_cost_usd_nanos), 0))                 as list_cost_usd
    from silver.cost_events
    where event_date in (${event_dates})
),

rollup_sums as (
    select 'gold.cost_hourly' as rollup_table, sum(requests) as requests, sum(unpriced_requests) as unpriced_requests,
        sum(input_tokens) as input_tokens, sum(cached_input_tokens) as cached_input_tokens,
        sum(cache_write_tokens) as cache_write_tokens, sum(output_tokens) as output_tokens,
        sum(reasoning_tokens) as reasoning_tokens, sum(cost_usd) as cost_usd, sum(list_cost_usd) as list_cost_usd
    from gold.cost_hourly where event_date in (${event_dates})
    union all
    select 'gold.cost_hourly_by_user', sum(requests), sum(unpriced_requests), sum(input_tokens), sum(cached_input_tokens),
        sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens), sum(cost_usd), sum(list_cost_usd)
    from gold.cost_hourly_by_user where event_date in (${event_dates})
    union all
    select 'gold.cost_daily', sum(requests), sum(unpriced_requests), sum(input_tokens), sum(cached_input_tokens),
        sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens), sum(cost_usd), sum(list_cost_usd)
    from gold.cost_daily where event_date in (${event_dates})
    union all
    select 'gold.cost_daily_by_tenant', sum(requests), sum(unpriced_requests), sum(input_tokens), sum(cached_input_tokens),
        sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens), sum(cost_usd), sum(list_cost_usd)
    from gold.cost_daily_by_tenant where event_date in (${event_dates})
    union all
    select 'gold.cost_daily_by_feature', sum(requests), sum(unpriced_requests), sum(input_tokens), sum(cached_input_tokens),
        sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens), sum(cost_usd), sum(list_cost_usd)
    from gold.cost_daily_by_feature where event_date in (${event_dates})
    union all
    select 'gold.cost_daily_by_model', sum(requests), sum(unpriced_requests), sum(input_tokens), sum(cached_input_tokens),
        sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens), sum(cost_usd), sum(list_cost_usd)
    from gold.cost_daily_by_model where event_date in (${event_dates})
    union all
    select 'gold.cost_daily_by_user', sum(requests), sum(unpriced_requests), sum(input_tokens), sum(cached_input_tokens),
        sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens), sum(cost_usd), sum(list_cost_usd)
    from gold.cost_daily_by_user where event_date in (${event_dates})
    union all
    select 'gold.cost_daily_by_region', sum(requests), sum(unpriced_requests), sum(input_tokens), sum(cached_input_tokens),
        sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens), sum(cost_usd), sum(list_cost_usd)
    from gold.cost_daily_by_region where event_date in (${event_dates})
    union all
    select 'gold.cost_daily_total', sum(requests), sum(unpriced_requests), sum(input_tokens), sum(cached_input_tokens),
        sum(cache_write_tokens), sum(output_tokens), sum(reasoning_tokens), sum(cost_usd), sum(list_cost_usd)
    from gold.cost_daily_total where event_date in (${event_dates})
),

-- One row per measure: stack() turns the nine columns into (measure, value) pairs.
silver_measures as (
    select stack(9,
        'requests', cast(requests as decimal(38, 9)),
        'unpriced_requests', cast(unpriced_requests as decimal(38, 9)),
        'input_tokens', cast(input_tokens as decimal(38, 9)),
        'cached_input_tokens', cast(cached_input_tokens as decimal(38, 9)),
        'cache_write_tokens', cast(cache_write_tokens as decimal(38, 9)),
        'output_tokens', cast(output_tokens as decimal(38, 9)),
        'reasoning_tokens', cast(reasoning_tokens as decimal(38, 9)),
        'cost_usd', cost_usd,
        'list_cost_usd', list_cost_usd) as (measure, silver_value)
    from silver_sums
),

rollup_measures as (
    select rollup_table, stack(9,
        'requests', cast(coalesce(requests, 0) as decimal(38, 9)),
        'unpriced_requests', cast(coalesce(unpriced_requests, 0) as decimal(38, 9)),
        'input_tokens', cast(coalesce(input_tokens, 0) as decimal(38, 9)),
        'cached_input_tokens', cast(coalesce(cached_input_tokens, 0) as decimal(38, 9)),
        'cache_write_tokens', cast(coalesce(cache_write_tokens, 0) as decimal(38, 9)),
        'output_tokens', cast(coalesce(output_tokens, 0) as decimal(38, 9)),
        'reasoning_tokens', cast(coalesce(reasoning_tokens, 0) as decimal(38, 9)),
        'cost_usd', cast(coalesce(cost_usd, 0) as decimal(38, 9)),
        'list_cost_usd', cast(coalesce(list_cost_usd, 0) as decimal(38, 9))) as (measure, rollup_value)
    from rollup_sums
),

final as (
    select
        ${run_id} as run_id,
        ${checked_at} as checked_at,
        rollup_measures.rollup_table,
        rollup_measures.measure,
        ${window_from} as window_from,
        ${window_to} as window_to,
        ${window_days} as window_days,
        silver_measures.silver_value,
        rollup_measures.rollup_value,
        silver_measures.silver_value = rollup_measures.rollup_value as balanced
    from rollup_measures
    join silver_measures
        on silver_measures.measure = rollup_measures.measure
)

select * from final
