-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Pricing review
-- MAGIC
-- MAGIC How each event was priced, what is unpriced, and what restatements changed (`silver.cost_events`, `ops.price_restatements`). Spend is exact integer USD nanos, rounded to the cent for reading.
-- MAGIC
-- MAGIC Locally: `bin/costlake notebook run notebooks/pricing_review.sql --set lake.path=costlake-demo/lakehouse`.
-- MAGIC On Databricks: import this file as a notebook (see notebooks/README.md).

-- COMMAND ----------

-- Spend by model and how it was priced (USD, exact nanos rounded to the cent for reading).
select model, pricing_status, price_match, count(*) as requests,
       cast(round(cast(sum(cost_usd_nanos) as decimal(38,0)) / 1000000000, 2) as decimal(20,2)) as cost_usd,
       cast(round(cast(sum(list_cost_usd_nanos) as decimal(38,0)) / 1000000000, 2) as decimal(20,2)) as list_cost_usd
from silver.cost_events
group by model, pricing_status, price_match
order by cost_usd desc nulls last

-- COMMAND ----------

-- Which catalog rows priced the most spend (a price_id names provider/model/operation/tier@valid_from).
select price_id, count(*) as requests,
       cast(round(cast(sum(list_cost_usd_nanos) as decimal(38,0)) / 1000000000, 2) as decimal(20,2)) as list_cost_usd
from silver.cost_events
where price_id is not null
group by price_id
order by list_cost_usd desc
limit 15

-- COMMAND ----------

-- Events sent on a discounted tier but priced at the standard row: the catalog has no row for their
-- tier, so their list cost is the undiscounted price. Add the tier's row and reprice if that is wrong.
select model, service_tier, count(*) as requests, min(price_id) as priced_with
from silver.cost_events
where service_tier <> 'standard' and price_id like '%/standard@%'
group by model, service_tier
order by requests desc

-- COMMAND ----------

-- Where a tenant reports its own cost: how far the list price is from it, by model.
select tenant_id, model, count(*) as requests,
       cast(round(cast(sum(reported_cost_usd_nanos) as decimal(38,0)) / 1000000000, 2) as decimal(20,2)) as reported_usd,
       cast(round(cast(sum(list_cost_usd_nanos) as decimal(38,0)) / 1000000000, 2) as decimal(20,2)) as list_usd
from silver.cost_events
where reported_cost_usd_nanos is not null and list_cost_usd_nanos is not null
group by tenant_id, model
order by reported_usd desc
limit 15

-- COMMAND ----------

-- Unpriced models (the same as `costlake prices missing`).
select model, count(*) as requests, sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
       min(event_date) as first_date, max(event_date) as last_date
from silver.cost_events
where pricing_status = 'unpriced'
group by model
order by requests desc

-- COMMAND ----------

-- Restatements: what each reprice changed, per model.
select restatement_id, status, restated_at, window_from, window_to, model, events_repriced, events_newly_priced,
       old_list_cost_usd_nanos, new_list_cost_usd_nanos, new_catalog_version
from ops.price_restatements
order by restated_at, model
