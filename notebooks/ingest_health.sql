-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Ingest health
-- MAGIC
-- MAGIC Is data arriving, is it clean, and do the books balance? Runs and their books, quarantine by reason and by file, freshness per tenant.
-- MAGIC
-- MAGIC Locally: `bin/costlake notebook run notebooks/ingest_health.sql --set lake.path=costlake-demo/lakehouse`.
-- MAGIC On Databricks: import this file as a notebook (see notebooks/README.md).

-- COMMAND ----------

-- Runs, newest first: status, books, duration.
select run_id, job, status, started_at, records_read, records_accepted, records_quarantined,
       records_duplicate, files_read,
       round((unix_millis(ended_at) - unix_millis(started_at)) / 1000.0, 1) as seconds, error
from ops.pipeline_runs
order by started_at desc
limit 20

-- COMMAND ----------

-- Quarantine by reason and day of ingest, with one example each.
select to_date(ingested_at) as ingest_date, reason, count(*) as records, min(detail) as example
from silver.quarantine
group by to_date(ingested_at), reason
order by ingest_date desc, records desc

-- COMMAND ----------

-- Files that produced the most quarantined records.
select source_file, count(*) as records, collect_set(reason) as reasons
from silver.quarantine
group by source_file
order by records desc
limit 10

-- COMMAND ----------

-- Freshness: the latest event per tenant, and how late events arrive (ingest time - event time).
select tenant_id, max(event_time) as latest_event,
       percentile_approx((unix_seconds(ingested_at) - unix_seconds(event_time)) / 60.0, 0.5) as p50_delay_minutes,
       percentile_approx((unix_seconds(ingested_at) - unix_seconds(event_time)) / 60.0, 0.99) as p99_delay_minutes
from silver.cost_events
group by tenant_id
order by tenant_id
