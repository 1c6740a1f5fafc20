-- int_cost_anomalies_detected: the scopes whose spend in a period is far from its usual, with the statistics.
--
-- grain:     one row per period_start x scope_type x scope_value that is anomalous in cost (metric cost_usd) (|z| >= z_threshold,
--            enough baseline, |impact| >= min_impact_usd) or is new spend (nothing in any period looked
--            back on, and the lakehouse is old enough to say so).
-- inputs:    temp view anomaly_scope_costs (int_scope_costs.sql over every period below), and the temp views
--            anomaly_targets (period_start, baseline_method, comparable_periods: the periods to judge)
--            and anomaly_baselines (period_start, baseline_start, comparable), both from
--            dev.costlake.anomaly.BaselinePlan.
-- cadence:   every anomaly run; dev.costlake.anomaly.AnomalyJob explains the rows (contributors, the
--            decomposition, the sentence) and writes gold.cost_anomalies.
-- params:    z_threshold, min_baseline_periods, min_impact_usd, min_stddev_fraction, min_stddev_usd,
--            robust (true: median and 1.4826 x MAD; false: mean and sample standard deviation).
-- baseline:  a scope's comparable periods from its first spend among them: a feature launched last
--            Wednesday is not compared with the silent weeks before it. A comparable period in which it
--            spent nothing counts as 0 (a drop to zero is news). A scope that spent in no comparable
--            period is new only if it spent in no recent one either (anomaly_baselines, not comparable).
-- spread:    at least min_stddev_fraction x |expected| and min_stddev_usd: four quiet Tuesdays would
--            otherwise make a cent's change a 10-sigma event.

with

targets as (
    select * from anomaly_targets
),

baselines as (
    select * from anomaly_baselines
),

scope_costs as (
    select * from anomaly_scope_costs
),

-- every scope that spent in a target period or in any period it is compared with
pairs as (
    select targets.period_start, scope_costs.scope_type, scope_costs.scope_value
    from targets
    join scope_costs
        on scope_costs.period_start = targets.period_start
    union
    select baselines.period_start, scope_costs.scope_type, scope_costs.scope_value
    from baselines
    join scope_costs
        on scope_costs.period_start = baselines.baseline_start
    where baselines.comparable
),

compared as (
    select
        pairs.period_start,
        pairs.scope_type,
        pairs.scope_value,
        baselines.baseline_start,
        scope_costs.requests,
        coalesce(scope_costs.cost_usd, 0) as cost_usd
    from pairs
    join baselines
        on  baselines.period_start = pairs.period_start
        and baselines.comparable
    left join scope_costs
        on  scope_costs.scope_type = pairs.scope_type
        and scope_costs.scope_value = pairs.scope_value
        and scope_costs.period_start = baselines.baseline_start
),

first_spend as (
    -- the scope's first comparable period with requests; null: it spent in none of them
    select period_start, scope_type, scope_value, min(case when requests is not null then baseline_start end) as first_spend_start
    from compared
    group by period_start, scope_type, scope_value
),

-- of the scopes that spent in no comparable period, those that spent in a recent one (not new)
recently_seen as (
    select distinct first_spend.period_start, first_spend.scope_type, first_spend.scope_value
    from first_spend
    join baselines
        on  baselines.period_start = first_spend.period_start
        and not baselines.comparable
    join scope_costs
        on  scope_costs.scope_type = first_spend.scope_type
        and scope_costs.scope_value = first_spend.scope_value
        and scope_costs.period_start = baselines.baseline_start
    where first_spend.first_spend_start is null
),

baseline_values as (
    select
        compared.period_start,
        compared.scope_type,
        compared.scope_value,
        compared.baseline_start,
        compared.cost_usd,
        coalesce(compared.requests, 0) as requests
    from compared
    join first_spend
        on  first_spend.period_start = compared.period_start
        and first_spend.scope_type = compared.scope_type
        and first_spend.scope_value = compared.scope_value
    where compared.baseline_start >= first_spend.first_spend_start
),

centre as (
    select
        period_start,
        scope_type,
        scope_value,
        cast(count(*) as int)                              as baseline_periods,
        cast(sum(cost_usd) / count(*) as decimal(38, 9))   as mean_cost_usd,
        percentile(cast(cost_usd as double), 0.5)          as median_usd,
        sum(requests) / count(*)                           as mean_requests,
        sort_array(collect_list(baseline_start))           as baseline_period_starts
    from baseline_values
    group by period_start, scope_type, scope_value
),

spread as (
    select
        baseline_values.period_start,
        baseline_values.scope_type,
        baseline_values.scope_value,
        percentile(abs(cast(baseline_values.cost_usd as double) - centre.median_usd), 0.5) as mad_usd,
        -- The sample standard deviation from exact DECIMAL squared deviations (scale 15): a sum of
        -- doubles depends on the order Spark adds them in, and a z-score on the threshold must not
        -- flip between two runs over the same data.
        case when centre.baseline_periods > 1
             then sqrt(cast(sum(cast(baseline_values.cost_usd - centre.mean_cost_usd as decimal(20, 9))
                                * cast(baseline_values.cost_usd - centre.mean_cost_usd as decimal(20, 9)))
                            as double) / (centre.baseline_periods - 1))
             else 0 end                                                         as stddev_usd
    from baseline_values
    join centre
        on  centre.period_start = baseline_values.period_start
        and centre.scope_type = baseline_values.scope_type
        and centre.scope_value = baseline_values.scope_value
    group by baseline_values.period_start, baseline_values.scope_type, baseline_values.scope_value,
             centre.baseline_periods
),

judged as (
    select
        pairs.period_start,
        pairs.scope_type,
        pairs.scope_value,
        targets.baseline_method,
        targets.comparable_periods,
        first_spend.first_spend_start,
        first_spend.first_spend_start is null and recently_seen.scope_type is null as is_new,
        coalesce(centre.baseline_periods, 0)                           as baseline_periods,
        coalesce(actual.cost_usd, cast(0 as decimal(38, 9)))           as actual_cost_usd,
        coalesce(actual.requests, 0)                                   as actual_requests,
        case when ${robust} then cast(centre.median_usd as decimal(38, 9))
             else centre.mean_cost_usd end                             as expected_cost_usd,
        centre.mean_cost_usd,
        centre.mean_requests                                           as expected_requests,
        case when ${robust} then 1.4826 * spread.mad_usd
             else spread.stddev_usd end                                as baseline_stddev_usd,
        centre.baseline_period_starts
    from pairs
    join targets
        on targets.period_start = pairs.period_start
    left join first_spend
        on  first_spend.period_start = pairs.period_start
        and first_spend.scope_type = pairs.scope_type
        and first_spend.scope_value = pairs.scope_value
    left join recently_seen
        on  recently_seen.period_start = pairs.period_start
        and recently_seen.scope_type = pairs.scope_type
        and recently_seen.scope_value = pairs.scope_value
    left join centre
        on  centre.period_start = pairs.period_start
        and centre.scope_type = pairs.scope_type
        and centre.scope_value = pairs.scope_value
    left join spread
        on  spread.period_start = pairs.period_start
        and spread.scope_type = pairs.scope_type
        and spread.scope_value = pairs.scope_value
    left join scope_costs as actual
        on  actual.period_start = pairs.period_start
        and actual.scope_type = pairs.scope_type
        and actual.scope_value = pairs.scope_value
),

scored as (
    select
        judged.*,
        cast(actual_cost_usd - coalesce(expected_cost_usd, 0) as decimal(38, 9)) as impact_usd,
        (cast(actual_cost_usd as double) - cast(expected_cost_usd as double))
            / greatest(baseline_stddev_usd,
                       ${min_stddev_fraction} * abs(cast(expected_cost_usd as double)),
                       ${min_stddev_usd})                                    as z_score
    from judged
),

final as (
    select
        period_start,
        scope_type,
        scope_value,
        'cost_usd'                                              as metric,
        baseline_method,
        baseline_periods,
        actual_cost_usd,
        actual_requests,
        coalesce(expected_cost_usd, cast(0 as decimal(38, 9)))   as expected_cost_usd,
        mean_cost_usd,
        expected_requests,
        cast(actual_cost_usd as double)                         as actual_value,
        cast(coalesce(expected_cost_usd, 0) as double)          as expected_value,
        baseline_stddev_usd,
        z_score,
        impact_usd,
        case when expected_cost_usd > 0
             then cast(impact_usd as double) * 100 / cast(expected_cost_usd as double) end as pct_change,
        case when is_new then 'new_spend'
             when impact_usd > 0 then 'spike'
             else 'drop' end                                    as direction,
        baseline_period_starts
    from scored
    where (
            -- a scope with no spend before: news once, if the lakehouse is old enough to know
            is_new
            and comparable_periods >= ${min_baseline_periods}
            and actual_cost_usd >= ${min_impact_usd}
          )
       or (
            baseline_periods >= ${min_baseline_periods}
            and abs(z_score) >= ${z_threshold}
            and abs(impact_usd) >= ${min_impact_usd}
          )
)

select * from final
