-- gold.cost_daily: gold.cost_hourly at the UTC day.
--
-- grain:     one row per UTC event_date x tenant_id x feature x user_id x model x provider x region
--            x environment x operation.
-- source:    silver.cost_events for the window's dates (every hour of each, so the day is whole):
--            the same sums as gold.cost_hourly's at the day, taken from silver's integer nanos rather
--            than from the hourly rows' decimals (an hour has nearly a row per event, so reading it
--            saves little, and BIGINT sums are several times cheaper than DECIMAL(38,9) ones). The
--            books check (ops/rollup_checks.sql) holds both tables to silver.
-- written:   after gold.cost_hourly in the same run; the window's dates are replaced in one Delta
--            commit (replaceWhere on event_date).
-- params:    event_dates (date literals); write_buckets and write_tasks: files per date, as in
--            gold.cost_hourly (the same single shuffle, by event_date and a hash of user_id).
-- money:     exact DECIMAL(38,9) USD from BIGINT nano sums; null when no request of the row has such
--            a cost.

create table if not exists gold.cost_daily (
    event_date          date           not null comment 'UTC date; the partition column.',
    tenant_id           string         not null comment 'Customer or business unit.',
    feature             string         not null comment 'Product feature that made the calls.',
    user_id             string         not null comment 'End user.',
    model               string         not null comment 'Model name as reported.',
    provider            string                  comment 'Model provider, when reported.',
    region              string                  comment 'Serving region, when reported.',
    environment         string                  comment 'production, staging, ..., when reported.',
    operation           string         not null comment 'chat, completion, embedding, ...',
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
    select /*+ REPARTITION(${write_tasks}, event_date, write_bucket) */
        *,
        pmod(xxhash64(user_id), ${write_buckets}) as write_bucket
    from silver.cost_events
    where event_date in (${event_dates})
)

select
    event_date,
    tenant_id,
    feature,
    user_id,
    model,
    provider,
    region,
    environment,
    operation,
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
group by
    event_date, write_bucket, tenant_id, feature, user_id, model, provider, region, environment, operation
