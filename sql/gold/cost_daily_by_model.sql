-- gold.cost_daily_by_model: gold.cost_daily by model, compact, for fast dashboards.
--
-- grain:     one row per UTC event_date x model x provider (a model name reported
--            under two providers is two rows).
-- source:    gold.cost_daily (compact: no user in its grain) for the window's dates.
-- written:   after gold.cost_daily in the same run; the window's dates are replaced in one Delta commit
--            (replaceWhere on event_date).
-- params:    event_dates (date literals).
-- ratios:    per priced request and per 1,000 tokens of priced requests (unpriced requests have no
--            cost, so counting them would understate the unit cost); null when nothing was priced.

create table if not exists gold.cost_daily_by_model (
    event_date             date not null          comment 'UTC date.',
    model                  string not null        comment 'Model name as reported.',
    provider               string                 comment 'Model provider, when reported.',
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
    cost_per_1k_tokens_usd decimal(38, 9)         comment 'cost_usd per 1,000 input + output tokens of priced requests, half-up to 1e-9 USD.'
)
using delta
location ${location};

with

daily as (
    select
        event_date,
        model,
        provider,
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
    group by event_date, model, provider
)

select
    *,
    cast(cast(cost_usd as decimal(28, 9)) / nullif(requests - unpriced_requests, 0) as decimal(38, 9))
        as cost_per_request_usd,
    cast(cast(cost_usd as decimal(28, 9)) * 1000 / nullif(input_tokens + output_tokens - unpriced_tokens, 0)
        as decimal(38, 9)) as cost_per_1k_tokens_usd
from daily
