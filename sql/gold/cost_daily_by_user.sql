-- gold.cost_daily_by_user: what each user spent each day, with where most of it went.
--
-- grain:     one row per UTC event_date x tenant_id x user_id (user ids are the tenant's own), with
--            the feature and the model that cost the user the most that day. The narrowest grain
--            that serves top-N users (by day, week or month) and the day's runaway-user anomalies;
--            a user x feature x model breakdown would bring back a row per ~1.1 events, the very
--            weight gold.cost_daily dropped. Quotas read silver (int_budget_spend.sql).
-- source:    gold.cost_hourly_by_user for the measures (the day's hours, already summed), and
--            silver.cost_events for the day's top feature and model of each user.
-- written:   after gold.cost_daily in the same run; the window's dates are replaced in one Delta commit
--            (replaceWhere on event_date).
-- params:    event_dates (date literals).
-- ratios:    per priced request and per 1,000 tokens of priced requests (unpriced requests have no
--            cost, so counting them would understate the unit cost); null when nothing was priced.

create table if not exists gold.cost_daily_by_user (
    event_date             date not null          comment 'UTC date.',
    tenant_id              string not null        comment 'Customer or business unit.',
    user_id                string not null        comment 'End user.',
    requests               bigint not null        comment 'Billable requests.',
    unpriced_requests      bigint not null        comment 'Requests with no cost at all (not in cost_usd).',
    input_tokens           bigint not null        comment 'Prompt tokens, cached ones included.',
    cached_input_tokens    bigint not null        comment 'Prompt tokens read from the provider cache.',
    cache_write_tokens     bigint not null        comment 'Prompt tokens written to the provider cache.',
    output_tokens          bigint not null        comment 'Completion tokens, reasoning included.',
    reasoning_tokens       bigint not null        comment 'Reasoning tokens (part of output_tokens).',
    unpriced_tokens        bigint not null        comment 'Input + output tokens of the unpriced requests.',
    cost_usd               decimal(38, 9)         comment 'Reported cost where there is one, else list cost; exact USD.',
    list_cost_usd          decimal(38, 9)         comment 'Cost at catalog prices where a price matched; exact USD.',
    cost_per_request_usd   decimal(38, 9)         comment 'cost_usd / priced requests, rounded half-up to 1e-9 USD.',
    cost_per_1k_tokens_usd decimal(38, 9)         comment 'cost_usd per 1,000 input + output tokens of priced requests, half-up to 1e-9 USD.',
    top_feature            string                 comment 'The feature that cost the user the most that day (ties: the first by name); null if nothing was priced.',
    top_model              string                 comment 'The model that cost the user the most that day (ties: the first by name); null if nothing was priced.'
)
using delta
location ${location};

with

daily as (
    select
        event_date,
        tenant_id,
        user_id,
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
    from gold.cost_hourly_by_user
    where event_date in (${event_dates})
    group by event_date, tenant_id, user_id
),

-- Each user's priced spend by feature and by model; the largest of each names the top one.
user_slices as (
    select
        event_date,
        tenant_id,
        user_id,
        feature,
        model,
        sum(cost_usd_nanos) as cost_usd_nanos
    from silver.cost_events
    where event_date in (${event_dates})
      and cost_usd_nanos is not null
    group by event_date, tenant_id, user_id, feature, model
),

feature_ranked as (
    select
        event_date, tenant_id, user_id, feature,
        row_number() over (
            partition by event_date, tenant_id, user_id
            order by sum(cost_usd_nanos) desc, feature
        ) as rank
    from user_slices
    group by event_date, tenant_id, user_id, feature
),

model_ranked as (
    select
        event_date, tenant_id, user_id, model,
        row_number() over (
            partition by event_date, tenant_id, user_id
            order by sum(cost_usd_nanos) desc, model
        ) as rank
    from user_slices
    group by event_date, tenant_id, user_id, model
),

top_feature as (
    select event_date, tenant_id, user_id, feature as top_feature from feature_ranked where rank = 1
),

top_model as (
    select event_date, tenant_id, user_id, model as top_model from model_ranked where rank = 1
),

final as (
    select
        daily.*,
        cast(cast(daily.cost_usd as decimal(28, 9)) / nullif(daily.requests - daily.unpriced_requests, 0)
            as decimal(38, 9)) as cost_per_request_usd,
        cast(cast(daily.cost_usd as decimal(28, 9)) * 1000
            / nullif(daily.input_tokens + daily.output_tokens - daily.unpriced_tokens, 0) as decimal(38, 9))
            as cost_per_1k_tokens_usd,
        top_feature.top_feature,
        top_model.top_model
    from daily
    left join top_feature using (event_date, tenant_id, user_id)
    left join top_model using (event_date, tenant_id, user_id)
)

select * from final
