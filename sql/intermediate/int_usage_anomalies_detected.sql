-- int_usage_anomalies_detected: the scopes whose requests dropped or whose prompt cache collapsed in a
-- period, judged as series of their own (a cost that barely moves can hide both).
--
-- grain:     one row per period_start x scope_type x scope_value x metric that is anomalous:
--            metric requests           -- requests far below their usual (a feature that broke);
--            metric cached_input_share -- cached_input_tokens / input_tokens far below its usual
--                                         (the prompt cache stopped hitting: same traffic, more money).
--            Only falls are judged: a rise in requests shows in cost (int_cost_anomalies_detected.sql),
--            and a rise in cache hits saves money.
-- inputs:    as int_cost_anomalies_detected.sql: temp views anomaly_scope_costs, anomaly_targets and
--            anomaly_baselines (the same seasonal baselines, from the scope's first spend on).
-- cadence:   every anomaly run; dev.costlake.anomaly.AnomalyJob explains the rows and writes them to
--            gold.cost_anomalies beside the cost rows.
-- params:    z_threshold, min_baseline_periods, min_stddev_fraction, robust (as the cost series),
--            min_fall_fraction (a fall smaller than this fraction of the usual value is never
--            flagged, however unusual), min_cached_input_share (a scope whose usual cached share is
--            below this has no cache to lose).
-- baseline:  requests: every comparable period from the scope's first spend, a silent one as 0.
--            cached_input_share: the comparable periods with input tokens (no input, no share).
-- spread:    at least min_stddev_fraction x expected (as cost), and the noise no baseline can be
--            quieter than: sqrt(expected) for a count of requests (Poisson), and for a share the
--            standard error of a proportion over the period's requests, sqrt(p (1 - p) / requests), and
--            1 request or 1 point of share: a scope with four requests an hour has a cached share that
--            jumps by itself, and a spread of 0 would divide by zero.
-- money:     actual_cost_usd, expected_cost_usd (the cost's mean, or median when robust) and
--            impact_usd are the scope's cost, as in the cost rows; the judged series is in
--            actual_value, expected_value and z_score.

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

-- every scope with requests in a target period or in a period it is compared with
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
        scope_costs.input_tokens,
        scope_costs.cached_input_tokens,
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
    select period_start, scope_type, scope_value,
           min(case when requests is not null then baseline_start end) as first_spend_start
    from compared
    group by period_start, scope_type, scope_value
),

baseline_rows as (
    select compared.*
    from compared
    join first_spend
        on  first_spend.period_start = compared.period_start
        and first_spend.scope_type = compared.scope_type
        and first_spend.scope_value = compared.scope_value
    where compared.baseline_start >= first_spend.first_spend_start
),

-- the scope's cost over the same baseline periods, for the dollar columns
cost_centre as (
    select
        period_start,
        scope_type,
        scope_value,
        cast(sum(cost_usd) / count(*) as decimal(38, 9))  as mean_cost_usd,
        percentile(cast(cost_usd as double), 0.5)         as median_cost_usd,
        sum(coalesce(requests, 0)) / count(*)             as mean_requests
    from baseline_rows
    group by period_start, scope_type, scope_value
),

-- values as DECIMAL: the spread below sums exact squares, so a z on the threshold never flips between runs
baseline_values as (
    select period_start, scope_type, scope_value, baseline_start,
           'requests' as metric,
           cast(coalesce(requests, 0) as decimal(38, 9)) as value
    from baseline_rows
    union all
    select period_start, scope_type, scope_value, baseline_start,
           'cached_input_share' as metric,
           cast(cast(cached_input_tokens as decimal(20, 0)) / input_tokens as decimal(38, 9)) as value
    from baseline_rows
    where input_tokens > 0
),

centre as (
    select
        period_start,
        scope_type,
        scope_value,
        metric,
        cast(count(*) as int)                            as baseline_periods,
        cast(sum(value) / count(*) as decimal(38, 9))    as mean_value,
        percentile(cast(value as double), 0.5)           as median_value,
        sort_array(collect_list(baseline_start))         as baseline_period_starts
    from baseline_values
    group by period_start, scope_type, scope_value, metric
),

spread as (
    select
        baseline_values.period_start,
        baseline_values.scope_type,
        baseline_values.scope_value,
        baseline_values.metric,
        percentile(abs(cast(baseline_values.value as double) - centre.median_value), 0.5) as mad,
        case when centre.baseline_periods > 1
             then sqrt(cast(sum(cast(baseline_values.value - centre.mean_value as decimal(24, 9))
                                * cast(baseline_values.value - centre.mean_value as decimal(24, 9)))
                            as double) / (centre.baseline_periods - 1))
             else 0 end                                                                  as stddev
    from baseline_values
    join centre
        on  centre.period_start = baseline_values.period_start
        and centre.scope_type = baseline_values.scope_type
        and centre.scope_value = baseline_values.scope_value
        and centre.metric = baseline_values.metric
    group by baseline_values.period_start, baseline_values.scope_type, baseline_values.scope_value,
             baseline_values.metric, centre.baseline_periods
),

judged as (
    select
        centre.period_start,
        centre.scope_type,
        centre.scope_value,
        centre.metric,
        targets.baseline_method,
        centre.baseline_periods,
        centre.baseline_period_starts,
        coalesce(actual.cost_usd, cast(0 as decimal(38, 9)))              as actual_cost_usd,
        coalesce(actual.requests, 0)                                      as actual_requests,
        case when ${robust} then cast(cost_centre.median_cost_usd as decimal(38, 9))
             else cost_centre.mean_cost_usd end                           as expected_cost_usd,
        cost_centre.mean_requests                                         as expected_requests,
        case when centre.metric = 'requests' then cast(coalesce(actual.requests, 0) as double)
             when actual.input_tokens > 0
             then cast(actual.cached_input_tokens as double) / actual.input_tokens end as actual_value,
        case when ${robust} then centre.median_value
             else cast(centre.mean_value as double) end                   as expected_value,
        case when ${robust} then 1.4826 * spread.mad
             else spread.stddev end                                       as baseline_stddev
    from centre
    join targets
        on targets.period_start = centre.period_start
    join spread
        on  spread.period_start = centre.period_start
        and spread.scope_type = centre.scope_type
        and spread.scope_value = centre.scope_value
        and spread.metric = centre.metric
    join cost_centre
        on  cost_centre.period_start = centre.period_start
        and cost_centre.scope_type = centre.scope_type
        and cost_centre.scope_value = centre.scope_value
    left join scope_costs as actual
        on  actual.period_start = centre.period_start
        and actual.scope_type = centre.scope_type
        and actual.scope_value = centre.scope_value
),

scored as (
    select
        judged.*,
        (actual_value - expected_value)
            / greatest(baseline_stddev,
                       ${min_stddev_fraction} * abs(expected_value),
                       case when metric = 'requests' then greatest(sqrt(expected_value), 1)
                            else greatest(sqrt(expected_value * (1 - expected_value) / greatest(actual_requests, 1)),
                                          0.01) end)
                                                                          as z_score
    from judged
    -- a share needs input tokens in the period to be judged; requests always can (0 is news)
    where actual_value is not null
),

final as (
    select
        period_start,
        scope_type,
        scope_value,
        metric,
        baseline_method,
        baseline_periods,
        actual_cost_usd,
        actual_requests,
        coalesce(expected_cost_usd, cast(0 as decimal(38, 9)))           as expected_cost_usd,
        expected_requests,
        actual_value,
        expected_value,
        cast(null as double)                                            as baseline_stddev_usd,
        z_score,
        cast(actual_cost_usd - coalesce(expected_cost_usd, 0) as decimal(38, 9)) as impact_usd,
        case when expected_cost_usd > 0
             then cast(actual_cost_usd - expected_cost_usd as double) * 100
                  / cast(expected_cost_usd as double) end               as pct_change,
        'drop'                                                          as direction,
        baseline_period_starts
    from scored
    where baseline_periods >= ${min_baseline_periods}
      and z_score <= -${z_threshold}
      and actual_value <= (1 - ${min_fall_fraction}) * expected_value
      and (metric = 'requests' or expected_value >= ${min_cached_input_share})
)

select * from final
