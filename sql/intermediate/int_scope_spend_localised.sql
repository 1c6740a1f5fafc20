-- int_scope_spend_localised: each forecast scope's spend per local day of a reporting time zone.
--
-- grain:    one row per local spend_date (in time_zone) x scope_type (total, tenant, feature, model)
--           x scope_value, for the local dates from_date .. to_date on which the scope had an hour.
-- source:   gold.cost_hourly: each UTC event_hour counts on the local date its start falls on. Exact
--           for zones whose offset is whole hours (DST included); in a half-hour zone (Asia/Kolkata)
--           the half of an hour after local midnight counts on the day before.
-- cadence:  read by `costlake forecast` and `costlake forecast backtest` (ForecastJob,
--           ForecastBacktest) when forecast.time-zone is not UTC; int_scope_spend_unioned.sql otherwise.
-- params:   from_date, to_date (date literals), time_zone (a string literal, an IANA zone).
-- scopes:   the total's scope_value is 'all'; models are summed over providers, as in
--           int_scope_spend_unioned.sql.
-- money:    cost_usd is exact DECIMAL(38,9); an hour whose requests were all unpriced adds 0.

with

hours as (
    select
        -- The session time zone is UTC: from_utc_timestamp gives the zone's wall-clock time.
        to_date(from_utc_timestamp(event_hour, ${time_zone})) as spend_date,
        tenant_id,
        feature,
        model,
        coalesce(cost_usd, 0) as cost_usd
    from gold.cost_hourly
    -- Offsets are within a day, so the local dates lie within these UTC dates (partition pruning).
    where event_date between date_sub(${from_date}, 1) and date_add(${to_date}, 1)
),

in_window as (
    select * from hours where spend_date between ${from_date} and ${to_date}
),

unioned as (
    select 'total' as scope_type, 'all' as scope_value, spend_date, cost_usd from in_window
    union all
    select 'tenant', tenant_id, spend_date, cost_usd from in_window
    union all
    select 'feature', feature, spend_date, cost_usd from in_window
    union all
    select 'model', model, spend_date, cost_usd from in_window
),

final as (
    select
        -- dimensions
        scope_type,
        scope_value,
        spend_date,
        -- measures
        cast(sum(cost_usd) as decimal(38, 9)) as cost_usd
    from unioned
    group by scope_type, scope_value, spend_date
)

select * from final
