-- int_scope_costs: what each anomaly scope spent in each period the anomaly jobs look at.
--
-- grain:     one row per period_start x scope_type x scope_value with at least one request.
--            scope_type is total (value 'all', as in gold.spend_forecast), tenant, feature, model, user or tenant_feature
--            (value '<tenant_id>/<feature>'); every rollup row counts once in each of the six.
-- shape:     the user scope comes from the user tables (gold.cost_hourly_by_user, _daily_by_user),
--            the other five from the compact rollups (no user in their grain) summed by tenant,
--            feature and model first.
-- source:    gold.cost_hourly and gold.cost_hourly_by_user (grain hour, period = event_hour) or
--            gold.cost_daily and gold.cost_daily_by_user (grain day, period = event_date at 00:00
--            UTC), the listed periods only.
-- cadence:   every anomaly run (hourly job: the last complete hour; nightly: the last closed day).
-- params:    grain ('hour' or 'day'), period_dates (date literals), period_hours (timestamp literals;
--            for grain day the day starts).
-- money:     cost_usd exact DECIMAL(38,9); 0 for a scope whose requests were all unpriced (it still
--            has requests, so it is not mistaken for a scope that was silent).

with

rollup_rows as (
    select
        event_hour as period_start,
        tenant_id, feature, model,
        requests, input_tokens, cached_input_tokens, output_tokens, cost_usd
    from gold.cost_hourly
    where ${grain} = 'hour'
      and event_date in (${period_dates})
      and event_hour in (${period_hours})
    union all
    select
        cast(event_date as timestamp) as period_start,
        tenant_id, feature, model,
        requests, input_tokens, cached_input_tokens, output_tokens, cost_usd
    from gold.cost_daily
    where ${grain} = 'day'
      and event_date in (${period_dates})
),

user_rows as (
    select
        event_hour as period_start,
        user_id,
        requests, input_tokens, cached_input_tokens, output_tokens, cost_usd
    from gold.cost_hourly_by_user
    where ${grain} = 'hour'
      and event_date in (${period_dates})
      and event_hour in (${period_hours})
    union all
    select
        cast(event_date as timestamp) as period_start,
        user_id,
        requests, input_tokens, cached_input_tokens, output_tokens, cost_usd
    from gold.cost_daily_by_user
    where ${grain} = 'day'
      and event_date in (${period_dates})
),

-- A user id used by two tenants is one user scope here, as it was when the rollups held the user.
measures_by_user as (
    select
        period_start,
        user_id,
        sum(requests)            as requests,
        sum(input_tokens)        as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(output_tokens)       as output_tokens,
        sum(cost_usd)            as cost_usd
    from user_rows
    group by period_start, user_id
),

measures_by_slice as (
    select
        period_start,
        tenant_id,
        feature,
        model,
        sum(requests)            as requests,
        sum(input_tokens)        as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(output_tokens)       as output_tokens,
        sum(cost_usd)            as cost_usd
    from rollup_rows
    group by period_start, tenant_id, feature, model
),

scoped as (
    select
        measures_by_slice.period_start,
        scopes.scope_type,
        scopes.scope_value,
        measures_by_slice.requests,
        measures_by_slice.input_tokens,
        measures_by_slice.cached_input_tokens,
        measures_by_slice.output_tokens,
        measures_by_slice.cost_usd
    from measures_by_slice
    lateral view stack(5,
        'total', 'all',
        'tenant', tenant_id,
        'feature', feature,
        'model', model,
        'tenant_feature', concat(tenant_id, '/', feature)) scopes as scope_type, scope_value
),

final as (
    select
        period_start,
        scope_type,
        scope_value,
        sum(requests)                                  as requests,
        sum(input_tokens)                              as input_tokens,
        sum(cached_input_tokens)                       as cached_input_tokens,
        sum(output_tokens)                             as output_tokens,
        cast(coalesce(sum(cost_usd), 0) as decimal(38, 9)) as cost_usd
    from scoped
    group by period_start, scope_type, scope_value
    union all
    select
        period_start,
        'user'                                         as scope_type,
        user_id                                        as scope_value,
        requests,
        input_tokens,
        cached_input_tokens,
        output_tokens,
        cast(coalesce(cost_usd, 0) as decimal(38, 9))  as cost_usd
    from measures_by_user
)

select * from final
