-- gold.cost_hourly_by_user: what each user spent, hour by hour.
--
-- grain:     one row per UTC event_hour x tenant_id x user_id (user ids are the tenant's own).
--            The narrowest grain that serves runaway-user detection: the anomaly jobs judge each
--            user's hour against the same hour of earlier weeks, which needs a user series at the
--            hour; which feature or model the user spent on is not needed to flag a runaway (the
--            drivers say what moved). Top-N users and quotas read gold.cost_daily_by_user and
--            silver respectively, so nothing wider is kept.
-- source:    silver.cost_events, the hours of the window only.
-- written:   with gold.cost_hourly by `costlake hourly`, `nightly`, `backfill` and `reprice`: the
--            window's hours are replaced in one Delta commit (replaceWhere on the same predicate).
-- params:    event_dates (date literals), event_hours (timestamp literals).
-- money:     exact DECIMAL(38,9) USD from BIGINT nano sums; null when no request of the row has such
--            a cost.

create table if not exists gold.cost_hourly_by_user (
    event_date          date           not null comment 'UTC date of event_hour; the partition column.',
    event_hour          timestamp      not null comment 'UTC hour the requests happened in.',
    tenant_id           string         not null comment 'Customer or business unit.',
    user_id             string         not null comment 'End user.',
    requests            bigint         not null comment 'Billable requests.',
    unpriced_requests   bigint         not null comment 'Requests with no cost at all.',
    input_tokens        bigint         not null comment 'Prompt tokens, cached ones included.',
    cached_input_tokens bigint         not null comment 'Prompt tokens read from the provider cache.',
    cache_write_tokens  bigint         not null comment 'Prompt tokens written to the provider cache.',
    output_tokens       bigint         not null comment 'Completion tokens, reasoning included.',
    reasoning_tokens    bigint         not null comment 'Reasoning tokens (part of output_tokens).',
    unpriced_tokens     bigint         not null comment 'Input + output tokens of the unpriced requests.',
    cost_usd            decimal(38, 9)          comment 'Reported cost where there is one, else list cost; exact USD.',
    list_cost_usd       decimal(38, 9)          comment 'Cost at catalog prices where a price matched; exact USD.'
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
        user_id,
        count(*)                                       as requests,
        count_if(pricing_status = 'unpriced')          as unpriced_requests,
        sum(input_tokens)                              as input_tokens,
        sum(cached_input_tokens)                       as cached_input_tokens,
        sum(cache_write_tokens)                        as cache_write_tokens,
        sum(output_tokens)                             as output_tokens,
        sum(reasoning_tokens)                          as reasoning_tokens,
        coalesce(sum(case when pricing_status = 'unpriced' then input_tokens + output_tokens end), 0)
                                                       as unpriced_tokens,
        usd_from_nanos(sum(cost_usd_nanos))            as cost_usd,
        usd_from_nanos(sum(list_cost_usd_nanos))       as list_cost_usd
    from window_events
    group by event_date, event_hour, tenant_id, user_id
)

select /*+ REPARTITION(event_date) */ * from final
