-- int_scope_spend_unioned: each forecast scope's spend per UTC day, from the daily rollups.
--
-- grain:    one row per UTC spend_date x scope_type (total, tenant, feature, model) x scope_value,
--           for the dates from_date .. to_date on which the scope has a rollup row.
-- source:   gold.cost_daily_total, gold.cost_daily_by_tenant, gold.cost_daily_by_feature,
--           gold.cost_daily_by_model.
-- cadence:  read by `costlake forecast` and `costlake forecast backtest` (ForecastJob,
--           ForecastBacktest) when forecast.time-zone is UTC; int_scope_spend_localised.sql otherwise.
-- params:   from_date, to_date (date literals).
-- scopes:   the total's scope_value is 'all'. A model reported under two providers is one scope
--           (their costs summed), as in gold.top_cost_drivers.
-- money:    cost_usd is exact DECIMAL(38,9). A day whose requests were all unpriced has cost 0: the
--           scope was alive that day, at no known cost.

with

total as (
    select 'total' as scope_type, 'all' as scope_value, event_date as spend_date, cost_usd
    from gold.cost_daily_total
    where event_date between ${from_date} and ${to_date}
),

by_tenant as (
    select 'tenant' as scope_type, tenant_id as scope_value, event_date as spend_date, cost_usd
    from gold.cost_daily_by_tenant
    where event_date between ${from_date} and ${to_date}
),

by_feature as (
    select 'feature' as scope_type, feature as scope_value, event_date as spend_date, cost_usd
    from gold.cost_daily_by_feature
    where event_date between ${from_date} and ${to_date}
),

by_model as (
    select 'model' as scope_type, model as scope_value, event_date as spend_date, cost_usd
    from gold.cost_daily_by_model
    where event_date between ${from_date} and ${to_date}
),

unioned as (
    select * from total
    union all
    select * from by_tenant
    union all
    select * from by_feature
    union all
    select * from by_model
),

final as (
    select
        -- dimensions
        scope_type,
        scope_value,
        spend_date,
        -- measures
        cast(coalesce(sum(cost_usd), 0) as decimal(38, 9)) as cost_usd
    from unioned
    group by scope_type, scope_value, spend_date
)

select * from final
