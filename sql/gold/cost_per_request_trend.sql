-- gold.cost_per_request_trend: is a feature or a model getting dearer per request, or per token?
--
-- grain:     one row per UTC event_date x dimension ('feature' or 'model') x value, for the days from
--            from_date to to_date (the last 90 closed days by default) on which the value had requests.
-- source:    gold.cost_daily_by_feature and gold.cost_daily_by_model (six more days before from_date
--            feed the first moving averages).
-- written:   overwritten whole by every hourly, nightly, backfill and reprice run (a few thousand rows:
--            its cost does not grow with history).
-- params:    from_date, to_date (date literals).
-- ratios:    per priced request and per 1,000 input + output tokens of priced requests. The 7-day
--            figures are ratios of 7-day sums (days without requests add nothing), not averages of
--            daily ratios, so a quiet day does not weigh as much as a busy one.

create table if not exists gold.cost_per_request_trend (
    event_date                date           not null comment 'UTC date.',
    dimension                 string         not null comment 'feature or model.',
    value                     string         not null comment 'The feature or model name.',
    requests                  bigint         not null comment 'Requests that day.',
    cost_usd                  decimal(38, 9)          comment 'Cost that day; exact USD.',
    cost_per_request_usd      decimal(38, 9)          comment 'cost_usd / priced requests that day.',
    cost_per_1k_tokens_usd    decimal(38, 9)          comment 'cost_usd per 1,000 tokens of priced requests that day.',
    cost_per_request_7d_usd   decimal(38, 9)          comment 'The same over the 7 days ending that day.',
    cost_per_1k_tokens_7d_usd decimal(38, 9)          comment 'The same over the 7 days ending that day.'
)
using delta
location ${location};

with

daily_values as (
    select 'feature' as dimension, event_date, feature as value,
        requests, unpriced_requests, input_tokens + output_tokens - unpriced_tokens as priced_tokens, cost_usd
    from gold.cost_daily_by_feature
    where event_date between date_sub(${from_date}, 6) and ${to_date}
    union all
    select 'model', event_date, model,
        requests, unpriced_requests, input_tokens + output_tokens - unpriced_tokens, cost_usd
    from gold.cost_daily_by_model
    where event_date between date_sub(${from_date}, 6) and ${to_date}
),

by_value as (
    select
        event_date,
        dimension,
        value,
        sum(requests)                     as requests,
        sum(requests - unpriced_requests) as priced_requests,
        sum(priced_tokens)                as priced_tokens,
        sum(cost_usd)                     as cost_usd
    from daily_values
    group by event_date, dimension, value
),

moving as (
    select
        *,
        sum(cost_usd) over last_7_days        as cost_usd_7d,
        sum(priced_requests) over last_7_days as priced_requests_7d,
        sum(priced_tokens) over last_7_days   as priced_tokens_7d
    from by_value
    window last_7_days as (
        partition by dimension, value
        order by unix_date(event_date)
        range between 6 preceding and current row
    )
),

final as (
    select
        event_date,
        dimension,
        value,
        requests,
        cost_usd,
        cast(cast(cost_usd as decimal(28, 9)) / nullif(priced_requests, 0) as decimal(38, 9))
            as cost_per_request_usd,
        cast(cast(cost_usd as decimal(28, 9)) * 1000 / nullif(priced_tokens, 0) as decimal(38, 9))
            as cost_per_1k_tokens_usd,
        cast(cast(cost_usd_7d as decimal(28, 9)) / nullif(priced_requests_7d, 0) as decimal(38, 9))
            as cost_per_request_7d_usd,
        cast(cast(cost_usd_7d as decimal(28, 9)) * 1000 / nullif(priced_tokens_7d, 0) as decimal(38, 9))
            as cost_per_1k_tokens_7d_usd
    from moving
    where event_date between ${from_date} and ${to_date}
)

select * from final
