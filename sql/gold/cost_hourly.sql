-- gold.cost_hourly: what was spent, hour by hour, at the grain dashboards slice by (no user).
--
-- grain:     one row per UTC event_hour x tenant_id x feature x project x model x provider x region
--            x environment x operation x service_tier (a null project, provider, region or
--            environment is a value of its own). The user is not in the grain: with it, a row per
--            ~1.1 events (nothing rolled up, and everything downstream re-read near-event-sized
--            tables); without it, a few hundred rows an hour whatever the traffic. Users live in
--            gold.cost_hourly_by_user and gold.cost_daily_by_user, at the grain their questions need.
-- source:    silver.cost_events, the hours of the window only.
-- written:   by `costlake hourly`, `nightly`, `backfill` and `reprice`: the window's hours are
--            replaced in one Delta commit (replaceWhere on the same predicate), never appended to,
--            so a re-run of any window gives the same rows.
-- params:    event_dates (date literals), event_hours (timestamp literals): the hours rebuilt and
--            the dates they fall on (the date list lets Delta read only those partitions).
-- layout:    one file per date: the aggregate is small, so Spark's map-side partial aggregation does
--            nearly all the work and the final rows are coalesced by date before the write.
-- money:     cost_usd and list_cost_usd are exact DECIMAL(38,9) USD: the integer nano sums of silver,
--            shifted 9 places by usd_from_nanos (no rounding; dev.costlake.spark.CostlakeExtensions).
--            Null when no request of the row has such a cost.
-- unpriced:  unpriced_requests have neither a reported nor a list cost; they are in requests and the
--            token counts but not in cost_usd (never priced at $0). unpriced_tokens are their
--            input + output tokens, so per-token costs can leave them out.

create table if not exists gold.cost_hourly (
    event_date          date           not null comment 'UTC date of event_hour; the partition column.',
    event_hour          timestamp      not null comment 'UTC hour the requests happened in.',
    tenant_id           string         not null comment 'Customer or business unit.',
    feature             string         not null comment 'Product feature that made the calls.',
    project             string                  comment 'Project, when reported.',
    model               string         not null comment 'Model name as reported.',
    provider            string                  comment 'Model provider, when reported.',
    region              string                  comment 'Serving region, when reported.',
    environment         string                  comment 'production, staging, ..., when reported.',
    operation           string         not null comment 'chat, completion, embedding, ...',
    service_tier        string         not null comment 'standard, batch, flex or priority.',
    requests            bigint         not null comment 'Billable requests.',
    unpriced_requests   bigint         not null comment 'Requests with no cost at all (no reported cost, no catalog price).',
    input_tokens        bigint         not null comment 'Prompt tokens, cached ones included.',
    cached_input_tokens bigint         not null comment 'Prompt tokens read from the provider cache.',
    cache_write_tokens  bigint         not null comment 'Prompt tokens written to the provider cache.',
    output_tokens       bigint         not null comment 'Completion tokens, reasoning included.',
    reasoning_tokens    bigint         not null comment 'Reasoning tokens (part of output_tokens).',
    unpriced_tokens     bigint         not null comment 'Input + output tokens of the unpriced requests.',
    cost_usd            decimal(38, 9)          comment 'The cost: reported where the caller reported one, else list; exact USD.',
    list_cost_usd       decimal(38, 9)          comment 'Cost at catalog prices, for the requests a price matched; exact USD.'
)
using delta
partitioned by (event_date)
location ${location};

with

window_events as (
    select *
    from silver.cost_events
    where event_date in (${event_dates})
      and event_hour in (${event_hours})
),

final as (
    select
        event_date,
        event_hour,
        tenant_id,
        feature,
        project,
        model,
        provider,
        region,
        environment,
        operation,
        service_tier,
        count(*)                                       as requests,
        count_if(pricing_status = 'unpriced')          as unpriced_requests,
        sum(input_tokens)                              as input_tokens,
        sum(cached_input_tokens)                       as cached_input_tokens,
        sum(cache_write_tokens)                        as cache_write_tokens,
        sum(output_tokens)                             as output_tokens,
        sum(reasoning_tokens)                          as reasoning_tokens,
        coalesce(sum(case when pricing_status = 'unpriced' then input_tokens + output_tokens end), 0)
                                                       as unpriced_tokens,
        -- Nanos summed as BIGINT (exact; ANSI mode fails on overflow), then shifted 9 places: exact.
        usd_from_nanos(sum(cost_usd_nanos))            as cost_usd,
        usd_from_nanos(sum(list_cost_usd_nanos))       as list_cost_usd
    from window_events
    group by
        event_date, event_hour, tenant_id, feature, project, model, provider, region, environment,
        operation, service_tier
)

select /*+ REPARTITION(event_date) */ * from final
