-- prices_missing: the models whose events no catalog price matched, with their volumes: the prices to add.
--
-- grain:    one row per reported model with at least one unpriced event in silver.cost_events.
-- cadence:  on demand, by `costlake prices missing` (and the demo).
-- why:      an unknown model is never priced at $0; its events wait here, with a null list cost, until
--           a price (prices.catalog) or an alias (prices.aliases) exists and `costlake reprice` runs.

with

unpriced as (
    select * from silver.cost_events where pricing_status = 'unpriced'
),

final as (
    select
        -- dimensions
        model,
        -- measures
        count(*) as requests,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        -- time
        min(event_date) as first_date,
        max(event_date) as last_date
    from unpriced
    group by model
)

select * from final order by requests desc, model
