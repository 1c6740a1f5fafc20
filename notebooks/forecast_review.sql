-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Forecast review
-- MAGIC
-- MAGIC How the month-end forecasts (`gold.spend_forecast`, and the day-by-day `gold.spend_forecast_daily`)
-- MAGIC compare with what was then spent (`gold.cost_daily_total` and the per-tenant, feature and model daily
-- MAGIC tables), and how accurate the method has been by day of the month over every month replayed
-- MAGIC (`gold.forecast_accuracy`, written by `costlake forecast backtest`).
-- MAGIC
-- MAGIC Dates are UTC days; a forecast's days are those of `forecast.time-zone`, UTC unless set, and only
-- MAGIC then do forecast and actual days line up.
-- MAGIC
-- MAGIC **Parameters** (Databricks widgets; `--param name=value` locally), all optional:
-- MAGIC - `as_of_date`: the run date of the forecast to review (default: the latest run whose forecast days
-- MAGIC   have actuals)
-- MAGIC - `scope_type`: `total` (default), `tenant`, `feature` or `model`
-- MAGIC - `scope_value`: the tenant, feature or model (default: `all` for the total, else the costliest)
-- MAGIC
-- MAGIC Locally: `bin/costlake notebook run notebooks/forecast_review.sql --set lake.path=costlake-demo/lakehouse`

-- COMMAND ----------

-- DBTITLE 1,The forecast reviewed
declare or replace variable review_as_of date;
declare or replace variable review_scope_type string;
declare or replace variable review_scope_value string;
set var review_scope_type = coalesce(nullif(:scope_type, ''), 'total');
set var review_as_of = coalesce(try_cast(nullif(:as_of_date, '') as date), (
    select max(as_of_date)
    from gold.spend_forecast_daily
    where scope_type = review_scope_type
      and forecast_date <= (select max(event_date) from gold.cost_daily_total)));
set var review_scope_value = coalesce(nullif(:scope_value, ''), (
    select scope_value
    from gold.spend_forecast
    where as_of_date = review_as_of and scope_type = review_scope_type
    order by forecast_p50_usd desc, scope_value
    limit 1));
select review_as_of as as_of_date, review_scope_type as scope_type, review_scope_value as scope_value

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Forecast vs actual
-- MAGIC Each forecast day's P10, P50 and P90 against what was spent that day; a good forecast has its
-- MAGIC actuals inside P10..P90 about 80% of the days, and errors of both signs.

-- COMMAND ----------

-- DBTITLE 1,Forecast vs actual, day by day
with

actuals as (
    select 'total' as scope_type, 'all' as scope_value, event_date, cost_usd from gold.cost_daily_total
    union all
    select 'tenant', tenant_id, event_date, cost_usd from gold.cost_daily_by_tenant
    union all
    select 'feature', feature, event_date, cost_usd from gold.cost_daily_by_feature
    union all
    select 'model', model, event_date, cost_usd from gold.cost_daily_by_model
),

final as (
    select
        forecast.forecast_date,
        forecast.day_of_week,
        forecast.forecast_p10_usd,
        forecast.forecast_p50_usd,
        forecast.forecast_p90_usd,
        actuals.cost_usd as actual_usd,
        actuals.cost_usd - forecast.forecast_p50_usd as error_usd,
        round(100 * try_divide(actuals.cost_usd - forecast.forecast_p50_usd, actuals.cost_usd), 1) as error_pct,
        actuals.cost_usd between forecast.forecast_p10_usd and forecast.forecast_p90_usd as within_p10_p90
    from gold.spend_forecast_daily as forecast
    left join actuals
        on actuals.scope_type = forecast.scope_type and actuals.scope_value = forecast.scope_value
        and actuals.event_date = forecast.forecast_date
    where forecast.as_of_date = review_as_of
      and forecast.scope_type = review_scope_type
      and forecast.scope_value = review_scope_value
      and forecast.forecast_date <= (select max(event_date) from gold.cost_daily_total)
)

select *
from final
order by forecast_date

-- COMMAND ----------

-- DBTITLE 1,Month-end forecast vs the month's actual, every scope
-- actual_month_usd is final only when month_complete; before that it is the spend so far.
with

actuals as (
    select 'total' as scope_type, 'all' as scope_value, event_date, cost_usd from gold.cost_daily_total
    union all
    select 'tenant', tenant_id, event_date, cost_usd from gold.cost_daily_by_tenant
    union all
    select 'feature', feature, event_date, cost_usd from gold.cost_daily_by_feature
    union all
    select 'model', model, event_date, cost_usd from gold.cost_daily_by_model
),

month_actuals as (
    select
        forecast.scope_type,
        forecast.scope_value,
        coalesce(sum(actuals.cost_usd), 0) as actual_month_usd
    from gold.spend_forecast as forecast
    left join actuals
        on actuals.scope_type = forecast.scope_type and actuals.scope_value = forecast.scope_value
        and actuals.event_date between forecast.month and last_day(forecast.month)
    where forecast.as_of_date = review_as_of
    group by forecast.scope_type, forecast.scope_value
)

select
    forecast.scope_type,
    forecast.scope_value,
    forecast.month,
    forecast.days_elapsed,
    forecast.spend_to_date_usd,
    forecast.forecast_p10_usd,
    forecast.forecast_p50_usd,
    forecast.forecast_p90_usd,
    forecast.baseline_forecast_usd,
    month_actuals.actual_month_usd,
    (select max(event_date) from gold.cost_daily_total) >= last_day(forecast.month) as month_complete,
    round(100 * try_divide(forecast.forecast_p50_usd - month_actuals.actual_month_usd,
        month_actuals.actual_month_usd), 1) as p50_error_pct,
    round(100 * try_divide(forecast.baseline_forecast_usd - month_actuals.actual_month_usd,
        month_actuals.actual_month_usd), 1) as baseline_error_pct,
    forecast.method
from gold.spend_forecast as forecast
join month_actuals
    on month_actuals.scope_type = forecast.scope_type and month_actuals.scope_value = forecast.scope_value
where forecast.as_of_date = review_as_of
order by forecast.scope_type desc, forecast.forecast_p50_usd desc, forecast.scope_value

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Accuracy by day of month
-- MAGIC From the backtest: every past run date replayed, its month-end forecast scored against the month's
-- MAGIC actual total. Early in the month there is little to go on and errors are larger; the P50 should
-- MAGIC beat the naive burn rate (`baseline`) and its P10..P90 interval should hold about 80% of the months.

-- COMMAND ----------

-- DBTITLE 1,Forecast accuracy by day of month, every scope pooled
select
    day_of_month,
    max(if(method = 'ours', n_forecasts, null)) as forecasts,
    max(if(method = 'ours', mape_pct, null)) as p50_mape_pct,
    max(if(method = 'baseline', mape_pct, null)) as baseline_mape_pct,
    max(if(method = 'ours', mean_error_pct, null)) as p50_mean_error_pct,
    max(if(method = 'ours', p10_p90_coverage_pct, null)) as p10_p90_coverage_pct,
    min(from_month) as from_month,
    max(to_month) as to_month
from gold.forecast_accuracy
where scope_type = 'all'
group by day_of_month
order by day_of_month

-- COMMAND ----------

-- DBTITLE 1,Forecast accuracy by scope type
-- Weighted by the forecasts scored on each day of the month.
select
    scope_type,
    method,
    sum(n_forecasts) as forecasts,
    cast(try_divide(sum(mape_pct * n_forecasts), sum(n_forecasts)) as decimal(18, 3)) as mape_pct,
    cast(try_divide(sum(p10_p90_coverage_pct * n_forecasts), sum(n_forecasts)) as decimal(7, 3))
        as p10_p90_coverage_pct
from gold.forecast_accuracy
group by scope_type, method
order by scope_type, method
