-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Investigate an anomaly
-- MAGIC
-- MAGIC From one row of `gold.cost_anomalies` down to what is behind it: the anomaly and the sentence the
-- MAGIC detector wrote, how its change splits into volume, model mix, tokens per request, cache hits and
-- MAGIC price, the contributors the detector ranked, then the period's own requests in `silver.cost_events`:
-- MAGIC spend by user and by model against the same period of the weeks before, and the largest requests.
-- MAGIC
-- MAGIC **Parameters** (Databricks widgets; `--param name=value` locally). Leave them empty to investigate
-- MAGIC the largest spike or drop of the latest day with one (a first spend, `new_spend`, only when there is
-- MAGIC no spike or drop); fill in any of them to narrow the choice:
-- MAGIC - `grain`: `hour` or `day`
-- MAGIC - `period_start`: the start of the UTC hour or day, e.g. `2026-09-24 14:00:00`
-- MAGIC - `scope_type`: `total`, `tenant`, `feature`, `model`, `user` or `tenant_feature`
-- MAGIC - `scope_value`: the tenant, feature, ... (`<tenant>/<feature>` for `tenant_feature`)
-- MAGIC
-- MAGIC Locally: `bin/costlake notebook run notebooks/investigate_anomaly.sql --set lake.path=costlake-demo/lakehouse --param scope_type=feature`

-- COMMAND ----------

-- DBTITLE 1,The anomaly investigated
-- Session variables hold the choice, so the cells below read it without repeating the parameters.
declare or replace variable anomaly_grain string;
declare or replace variable anomaly_period_start timestamp;
declare or replace variable anomaly_scope_type string;
declare or replace variable anomaly_scope_value string;
-- a scope can be flagged on its cost and on its requests or cached share in the same period
declare or replace variable anomaly_metric string;
set var (anomaly_grain, anomaly_period_start, anomaly_scope_type, anomaly_scope_value, anomaly_metric) = (
    select grain, period_start, scope_type, scope_value, coalesce(metric, 'cost_usd')
    from gold.cost_anomalies
    where (:grain = '' or grain = :grain)
      and (:period_start = '' or period_start = try_cast(:period_start as timestamp))
      and (:scope_type = '' or scope_type = :scope_type)
      and (:scope_value = '' or scope_value = :scope_value)
    -- spikes and drops before first spends (nothing to decompose), cost before the requests and cached
    -- share series (a scope that went silent has no requests to show); the latest day; the largest change
    order by direction = 'new_spend', coalesce(metric, 'cost_usd') <> 'cost_usd', to_date(period_start) desc,
             abs(impact_usd) desc, grain, scope_type, scope_value, metric
    limit 1
);
select anomaly_grain as grain, anomaly_period_start as period_start, anomaly_scope_type as scope_type,
       anomaly_scope_value as scope_value

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## What the detector saw
-- MAGIC `actual_cost_usd` is what the scope spent in the period; `expected_cost_usd` its usual over
-- MAGIC `baseline_periods` comparable periods (`baseline_method`); `z` how unusual the change is.

-- COMMAND ----------

-- DBTITLE 1,The anomaly
select grain, period_start, scope_type, scope_value, direction, severity,
       actual_cost_usd, expected_cost_usd, impact_usd, round(pct_change, 1) as pct_change,
       round(z_score, 1) as z, actual_requests, round(expected_requests, 1) as expected_requests,
       baseline_method, baseline_periods, top_driver, top_factor, explanation
from gold.cost_anomalies
where grain = anomaly_grain
  and period_start = anomaly_period_start
  and scope_type = anomaly_scope_type
  and scope_value = anomaly_scope_value
  and coalesce(metric, 'cost_usd') = anomaly_metric

-- COMMAND ----------

-- DBTITLE 1,What moved it: the five effects add up to impact_usd
-- Each effect replaces one factor of cost (requests x model share x tokens per request x cache
-- factor x price per token) from its usual value to the period's, in that order.
select part, effect_usd, round(100 * try_divide(effect_usd, impact_usd), 1) as share_of_impact_pct
from gold.cost_anomalies
lateral view stack(5,
    'volume', volume_effect_usd,
    'mix', mix_effect_usd,
    'tokens_per_request', tokens_per_request_effect_usd,
    'cache_hit_rate', cache_hit_effect_usd,
    'price', price_effect_usd) effects as part, effect_usd
where grain = anomaly_grain
  and period_start = anomaly_period_start
  and scope_type = anomaly_scope_type
  and scope_value = anomaly_scope_value
  and coalesce(metric, 'cost_usd') = anomaly_metric
order by abs(effect_usd) desc

-- COMMAND ----------

-- DBTITLE 1,Contributors the detector ranked
-- A contributor's share of the change over its usual share of the cost: the one user behind a
-- runaway loop comes first even when a bigger user also grew.
select contributor.dimension, contributor.value, contributor.actual_cost_usd, contributor.expected_cost_usd,
       contributor.change_usd, round(contributor.share_of_change_pct, 1) as share_of_change_pct,
       round(contributor.usual_share_pct, 1) as usual_share_pct
from gold.cost_anomalies
lateral view explode(contributors) c as contributor
where grain = anomaly_grain
  and period_start = anomaly_period_start
  and scope_type = anomaly_scope_type
  and scope_value = anomaly_scope_value
  and coalesce(metric, 'cost_usd') = anomaly_metric

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Down to the requests
-- MAGIC The scope's requests in the period, from `silver.cost_events`, against the same period (the same
-- MAGIC hour of the same weekday, or the same weekday) of each of the 4 weeks before, averaged over the
-- MAGIC weeks the lakehouse has. That is a simpler usual than the detector's baseline (above), made to be
-- MAGIC read per user and per model; the period's figures add up to the anomaly's `actual_cost_usd`.

-- COMMAND ----------

-- DBTITLE 1,Spend by user: the period vs the same period of the weeks before
with

scoped as (
    select
        user_id,
        cost_usd_nanos,
        event_date = to_date(anomaly_period_start) as is_period
    from silver.cost_events
    where (anomaly_grain = 'day' or hour(event_hour) = hour(anomaly_period_start))
      and event_date in (to_date(anomaly_period_start), date_sub(to_date(anomaly_period_start), 7),
          date_sub(to_date(anomaly_period_start), 14), date_sub(to_date(anomaly_period_start), 21),
          date_sub(to_date(anomaly_period_start), 28))
      and case anomaly_scope_type
            when 'total' then true
            when 'tenant' then tenant_id = anomaly_scope_value
            when 'feature' then feature = anomaly_scope_value
            when 'model' then model = anomaly_scope_value
            when 'user' then user_id = anomaly_scope_value
            when 'tenant_feature' then concat(tenant_id, '/', feature) = anomaly_scope_value
          end
),

weeks as (
    -- the weeks before the period that the lakehouse holds
    select count(*) as baseline_weeks
    from (values (7), (14), (21), (28)) as w(days_before)
    where date_sub(to_date(anomaly_period_start), days_before) >= (select min(event_date) from silver.cost_events)
),

final as (
    select
        scoped.user_id,
        count_if(is_period) as period_requests,
        cast(cast(coalesce(sum(if(is_period, cost_usd_nanos, 0)), 0) as decimal(20, 0)) / 1000000000
            as decimal(38, 9)) as period_cost_usd,
        cast(try_divide(cast(coalesce(sum(if(is_period, 0, cost_usd_nanos)), 0) as decimal(20, 0)) / 1000000000,
            weeks.baseline_weeks) as decimal(38, 9)) as usual_cost_usd
    from scoped
    cross join weeks
    group by scoped.user_id, weeks.baseline_weeks
)

select
    user_id,
    period_requests,
    period_cost_usd,
    usual_cost_usd,
    period_cost_usd - coalesce(usual_cost_usd, 0) as change_usd
from final
order by abs(change_usd) desc, user_id

-- COMMAND ----------

-- DBTITLE 1,Spend by model: requests, tokens per request and cache hit rate, the period vs before
with

scoped as (
    select
        model,
        input_tokens,
        cached_input_tokens,
        output_tokens,
        cost_usd_nanos,
        event_date = to_date(anomaly_period_start) as is_period
    from silver.cost_events
    where (anomaly_grain = 'day' or hour(event_hour) = hour(anomaly_period_start))
      and event_date in (to_date(anomaly_period_start), date_sub(to_date(anomaly_period_start), 7),
          date_sub(to_date(anomaly_period_start), 14), date_sub(to_date(anomaly_period_start), 21),
          date_sub(to_date(anomaly_period_start), 28))
      and case anomaly_scope_type
            when 'total' then true
            when 'tenant' then tenant_id = anomaly_scope_value
            when 'feature' then feature = anomaly_scope_value
            when 'model' then model = anomaly_scope_value
            when 'user' then user_id = anomaly_scope_value
            when 'tenant_feature' then concat(tenant_id, '/', feature) = anomaly_scope_value
          end
),

weeks as (
    select count(*) as baseline_weeks
    from (values (7), (14), (21), (28)) as w(days_before)
    where date_sub(to_date(anomaly_period_start), days_before) >= (select min(event_date) from silver.cost_events)
),

final as (
    select
        scoped.model,
        count_if(is_period) as period_requests,
        round(try_divide(count_if(not is_period), weeks.baseline_weeks), 1) as usual_requests,
        round(try_divide(sum(if(is_period, input_tokens + output_tokens, 0)), count_if(is_period)), 0)
            as period_tokens_per_request,
        round(try_divide(sum(if(is_period, 0, input_tokens + output_tokens)), count_if(not is_period)), 0)
            as usual_tokens_per_request,
        round(100 * try_divide(sum(if(is_period, cached_input_tokens, 0)), sum(if(is_period, input_tokens, 0))), 1)
            as period_cache_hit_pct,
        round(100 * try_divide(sum(if(is_period, 0, cached_input_tokens)), sum(if(is_period, 0, input_tokens))), 1)
            as usual_cache_hit_pct,
        cast(cast(coalesce(sum(if(is_period, cost_usd_nanos, 0)), 0) as decimal(20, 0)) / 1000000000
            as decimal(38, 9)) as period_cost_usd,
        cast(try_divide(cast(coalesce(sum(if(is_period, 0, cost_usd_nanos)), 0) as decimal(20, 0)) / 1000000000,
            weeks.baseline_weeks) as decimal(38, 9)) as usual_cost_usd
    from scoped
    cross join weeks
    group by scoped.model, weeks.baseline_weeks
)

select *
from final
order by abs(period_cost_usd - coalesce(usual_cost_usd, 0)) desc, model

-- COMMAND ----------

-- DBTITLE 1,The largest requests of the period
select event_id, event_time, tenant_id, feature, user_id, model, service_tier,
       input_tokens, cached_input_tokens, output_tokens,
       cast(cast(cost_usd_nanos as decimal(20, 0)) / 1000000000 as decimal(38, 9)) as cost_usd,
       pricing_status, price_id
from silver.cost_events
where event_date = to_date(anomaly_period_start)
  and (anomaly_grain = 'day' or event_hour = anomaly_period_start)
  and case anomaly_scope_type
        when 'total' then true
        when 'tenant' then tenant_id = anomaly_scope_value
        when 'feature' then feature = anomaly_scope_value
        when 'model' then model = anomaly_scope_value
        when 'user' then user_id = anomaly_scope_value
        when 'tenant_feature' then concat(tenant_id, '/', feature) = anomaly_scope_value
      end
order by cost_usd_nanos desc nulls last, event_id
limit 20

-- COMMAND ----------

-- DBTITLE 1,The other anomalies of that day, for context
select grain, period_start, scope_type, scope_value, direction, impact_usd, top_driver, explanation
from gold.cost_anomalies
where to_date(period_start) = to_date(anomaly_period_start)
order by abs(impact_usd) desc
limit 20
