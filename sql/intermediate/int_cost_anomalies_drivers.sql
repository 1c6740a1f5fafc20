-- int_cost_anomalies_drivers: what moved inside each anomalous scope, child value by child value.
--
-- grain:     one row per anomaly (period_start x scope_type x scope_value) x child dimension x child
--            value, for the children that explain it best plus every model (the decomposition of the
--            change into volume, mix, tokens, cache and price needs them all).
--            Children of a scope: the dimensions it does not fix among tenant, feature, model, user
--            (tenant_feature: model and user).
-- inputs:    temp view anomalies_flagged (period_start, scope_type, scope_value, baseline_periods,
--            baseline_period_starts, direction: from int_cost_anomalies_detected.sql); silver.cost_events
--            for the listed periods (the anomaly and its baseline periods only).
-- cadence:   every anomaly run that flagged something.
-- params:    grain, period_dates, period_hours (as int_scope_costs.sql), top_children.
-- measures:  actual_* in the anomalous period; baseline_* the mean over the anomaly's baseline periods
--            (a period without the child counts as 0), so the children's changes add up to the scope's
--            change against its mean.
-- ranking:   a child explains the change when its share of the change exceeds its usual share of the
--            cost (a user who makes 2% of the spend but 80% of the jump), so children rank by
--            share_of_change - baseline_share (share_of_change is positive for a child that moved the
--            way the scope did, for drops as for spikes).

with

flagged as (
    select * from anomalies_flagged
),

-- The anomalies' periods at the finest grain a driver can be, summed from the events: the rollups
-- no longer carry the user with the feature and model (that grain had a row per ~1.1 events), and
-- this runs only for the periods of flagged anomalies (a few hours or days, partition-pruned).
rollup_rows as (
    select
        event_hour as period_start,
        tenant_id, feature, user_id, model, provider,
        count(*)                                 as requests,
        sum(input_tokens)                        as input_tokens,
        sum(cached_input_tokens)                 as cached_input_tokens,
        sum(output_tokens)                       as output_tokens,
        usd_from_nanos(sum(cost_usd_nanos))      as cost_usd
    from silver.cost_events
    where ${grain} = 'hour'
      and event_date in (${period_dates})
      and event_hour in (${period_hours})
    group by event_hour, tenant_id, feature, user_id, model, provider
    union all
    select
        cast(event_date as timestamp) as period_start,
        tenant_id, feature, user_id, model, provider,
        count(*)                                 as requests,
        sum(input_tokens)                        as input_tokens,
        sum(cached_input_tokens)                 as cached_input_tokens,
        sum(output_tokens)                       as output_tokens,
        usd_from_nanos(sum(cost_usd_nanos))      as cost_usd
    from silver.cost_events
    where ${grain} = 'day'
      and event_date in (${period_dates})
    group by event_date, tenant_id, feature, user_id, model, provider
),

-- each anomaly's own period (actual) and its baseline periods
anomaly_periods as (
    select period_start, scope_type, scope_value, baseline_periods, direction,
           period_start as source_period, true as is_actual
    from flagged
    union all
    select period_start, scope_type, scope_value, baseline_periods, direction,
           explode(baseline_period_starts) as source_period, false as is_actual
    from flagged
),

scoped as (
    select
        rollup_rows.*,
        scopes.scope_type,
        scopes.scope_value
    from rollup_rows
    lateral view stack(6,
        'total', 'all',
        'tenant', tenant_id,
        'feature', feature,
        'model', model,
        'user', user_id,
        'tenant_feature', concat(tenant_id, '/', feature)) scopes as scope_type, scope_value
),

children as (
    select
        anomaly_periods.period_start,
        anomaly_periods.scope_type,
        anomaly_periods.scope_value,
        anomaly_periods.baseline_periods,
        anomaly_periods.direction,
        anomaly_periods.is_actual,
        child.child_dimension,
        child.child_value,
        scoped.provider,
        scoped.requests,
        scoped.input_tokens,
        scoped.cached_input_tokens,
        scoped.output_tokens,
        coalesce(scoped.cost_usd, 0) as cost_usd
    from anomaly_periods
    join scoped
        on  scoped.period_start = anomaly_periods.source_period
        and scoped.scope_type = anomaly_periods.scope_type
        and scoped.scope_value = anomaly_periods.scope_value
    lateral view stack(4,
        'tenant', case when scoped.scope_type in ('total', 'feature', 'model', 'user') then scoped.tenant_id end,
        'feature', case when scoped.scope_type in ('total', 'tenant', 'model', 'user') then scoped.feature end,
        'model', scoped.model,
        'user', case when scoped.scope_type in ('total', 'tenant', 'feature', 'model', 'tenant_feature')
                     then scoped.user_id end) child as child_dimension, child_value
    where child.child_value is not null
),

by_child as (
    select
        period_start,
        scope_type,
        scope_value,
        direction,
        child_dimension,
        child_value,
        max(provider)                                                          as provider,
        sum(case when is_actual then requests else 0 end)                      as actual_requests,
        sum(case when is_actual then input_tokens else 0 end)                  as actual_input_tokens,
        sum(case when is_actual then cached_input_tokens else 0 end)           as actual_cached_input_tokens,
        sum(case when is_actual then output_tokens else 0 end)                 as actual_output_tokens,
        cast(sum(case when is_actual then cost_usd else 0 end) as decimal(38, 9)) as actual_cost_usd,
        sum(case when is_actual then 0 else requests end) / greatest(max(baseline_periods), 1)            as baseline_requests,
        sum(case when is_actual then 0 else input_tokens end) / greatest(max(baseline_periods), 1)        as baseline_input_tokens,
        sum(case when is_actual then 0 else cached_input_tokens end) / greatest(max(baseline_periods), 1) as baseline_cached_input_tokens,
        sum(case when is_actual then 0 else output_tokens end) / greatest(max(baseline_periods), 1)       as baseline_output_tokens,
        cast(sum(case when is_actual then 0 else cost_usd end) / greatest(max(baseline_periods), 1) as decimal(38, 9))
                                                                               as baseline_cost_usd
    from children
    group by period_start, scope_type, scope_value, direction, child_dimension, child_value
),

shared as (
    select
        by_child.*,
        cast(actual_cost_usd - baseline_cost_usd as decimal(38, 9)) as change_usd,
        cast(actual_cost_usd - baseline_cost_usd as double)
            / nullif(sum(cast(actual_cost_usd - baseline_cost_usd as double))
                     over (partition by period_start, scope_type, scope_value, child_dimension), 0)
                                                                     as share_of_change,
        coalesce(cast(baseline_cost_usd as double)
            / nullif(sum(cast(baseline_cost_usd as double))
                     over (partition by period_start, scope_type, scope_value, child_dimension), 0), 0)
                                                                     as baseline_share
    from by_child
),

ranked as (
    select
        shared.*,
        row_number() over (
            partition by period_start, scope_type, scope_value
            order by
                -- the scope's own value (a model scope's model) explains nothing
                case when child_dimension = scope_type then 1 else 0 end,
                -- a child's share of the change is positive when it moved with the scope, for drops too
                coalesce(share_of_change, 0) - baseline_share desc,
                abs(change_usd) desc, child_dimension, child_value) as explain_rank
    from shared
),

final as (
    select * from ranked
    where explain_rank <= ${top_children} or child_dimension = 'model'
)

select * from final
