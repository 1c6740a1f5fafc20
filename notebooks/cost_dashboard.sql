-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Cost dashboard
-- MAGIC
-- MAGIC The queries a Metabase or Looker cost board runs, from the gold tables: spend per day and per tenant, the week's top cost drivers, features getting dearer per request, today hour by hour, the rollups' books and late data.
-- MAGIC
-- MAGIC Locally: `bin/costlake notebook run notebooks/cost_dashboard.sql --set lake.path=costlake-demo/lakehouse`.
-- MAGIC On Databricks: import this file as a notebook (see notebooks/README.md).

-- COMMAND ----------

-- Spend per day, last 14 days, with cost per request (gold.cost_daily_total).
select event_date, requests, cast(round(cost_usd, 2) as decimal(20, 2)) as cost_usd,
       cast(round(cost_per_request_usd, 6) as decimal(20, 6)) as usd_per_request, unpriced_requests
from gold.cost_daily_total
order by event_date desc
limit 14

-- COMMAND ----------

-- Month to date by tenant (gold.cost_daily_by_tenant).
select tenant_id, sum(requests) as requests, cast(round(sum(cost_usd), 2) as decimal(20, 2)) as cost_usd
from gold.cost_daily_by_tenant
where event_date >= date_trunc('month', (select max(event_date) from gold.cost_daily_total))
group by tenant_id
order by cost_usd desc

-- COMMAND ----------

-- The top 5 cost drivers of the latest week, per dimension, and how they moved (gold.top_cost_drivers).
select dimension, rank, value, cast(round(cost_usd, 2) as decimal(20, 2)) as cost_usd, share_of_week_pct,
       cast(round(change_usd, 2) as decimal(20, 2)) as change_usd, change_pct
from gold.top_cost_drivers
where week_start = (select max(week_start) from gold.top_cost_drivers)
order by dimension, rank

-- COMMAND ----------

-- Features getting dearer per request: latest 7-day figure vs the one a week earlier (gold.cost_per_request_trend).
with latest as (select max(event_date) as d from gold.cost_per_request_trend)
select now.value as feature,
       cast(round(before.cost_per_request_7d_usd, 6) as decimal(20, 6)) as usd_per_request_week_before,
       cast(round(now.cost_per_request_7d_usd, 6) as decimal(20, 6)) as usd_per_request_now,
       cast(round((now.cost_per_request_7d_usd - before.cost_per_request_7d_usd) * 100
           / nullif(before.cost_per_request_7d_usd, 0), 1) as decimal(10, 1)) as change_pct
from gold.cost_per_request_trend as now
join gold.cost_per_request_trend as before
    on before.dimension = now.dimension and before.value = now.value
    and before.event_date = date_sub(now.event_date, 7)
where now.dimension = 'feature' and now.event_date = (select d from latest)
order by change_pct desc nulls last
limit 10

-- COMMAND ----------

-- Hour by hour today, per model (gold.cost_hourly).
select event_hour, model, sum(requests) as requests, cast(round(sum(cost_usd), 4) as decimal(20, 4)) as cost_usd
from gold.cost_hourly
where event_date = (select max(event_date) from gold.cost_hourly)
group by event_hour, model
order by event_hour desc, cost_usd desc
limit 24

-- COMMAND ----------

-- Did every recent run's rollups add up to silver? (ops.rollup_checks; any row here is a problem)
select run_id, rollup_table, measure, silver_value, rollup_value
from ops.rollup_checks
where not balanced
order by checked_at desc
limit 20

-- COMMAND ----------

-- Late data: runs that ingested events more than rollups.lateness behind (ops.pipeline_runs).
select job, started_at, records_accepted, records_late, max_lateness_seconds, earliest_late_event_time,
       rollup_hours, rollup_from, rollup_to
from ops.pipeline_runs
where records_late > 0
order by started_at desc
limit 10
