-- gold.cost_daily: gold.cost_hourly at the UTC day.
--
-- grain:     one row per UTC event_date x tenant_id x feature x project x model x provider x region
--            x environment x operation x service_tier (no user: see gold.cost_daily_by_user).
-- source:    gold.cost_hourly, every hour of the window's dates (so the day is whole). The hourly
--            table is compact (a few hundred rows an hour), so summing its exact decimals is far
--            cheaper than reading the day's events again. The books check (ops/rollup_checks.sql)
--            holds both tables to silver.
-- written:   after gold.cost_hourly in the same run; the window's dates are replaced in one Delta
--            commit (replaceWhere on event_date).
-- params:    event_dates (date literals).
-- money:     exact DECIMAL(38,9) USD sums; null when no request of the row has such a cost.

create table if not exists gold.cost_daily (
    event_date          date           not null comment 'UTC date; the partition column.',
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

window_hours as (
    select *
    from gold.cost_hourly
    where event_date in (${event_dates})
),

final as (
    select
        event_date,
        tenant_id,
        feature,
        project,
        model,
        provider,
        region,
        environment,
        operation,
        service_tier,
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
    from window_hours
    group by
        event_date, tenant_id, feature, project, model, provider, region, environment, operation,
        service_tier
)

select /*+ REPARTITION(event_date) */ * from final
