-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Where could we save
-- MAGIC
-- MAGIC Three places money usually hides: a model whose cheaper sibling would do, a prompt cache that
-- MAGIC is rarely hit, and traffic that does not need an answer now but pays for one (the batch tier
-- MAGIC costs about half). Every figure prices the window's own tokens with the price catalog's rows in
-- MAGIC force today (the view `price_list`: one row per catalog row, USD per 1M tokens), so the
-- MAGIC comparisons are like for like; what was actually paid is `cost_usd`.
-- MAGIC
-- MAGIC **Parameters** (Databricks widgets; `--param name=value` locally), all optional:
-- MAGIC - `end_date`: the last day of the window (default: the latest day with events)
-- MAGIC - `days`: days in the window (default 30)
-- MAGIC - `batch_features`: comma-separated features that need no immediate answer, to total their
-- MAGIC   batch-tier saving (default: every feature, each listed with its own saving)
-- MAGIC
-- MAGIC Locally: `bin/costlake notebook run notebooks/where_could_we_save.sql --set lake.path=costlake-demo/lakehouse --param days=7`

-- COMMAND ----------

-- DBTITLE 1,The window
declare or replace variable window_to date;
declare or replace variable window_from date;
set var window_to = coalesce(try_cast(nullif(:end_date, '') as date), (select max(event_date) from silver.cost_events));
set var window_from = date_sub(window_to, coalesce(try_cast(nullif(:days, '') as int), 30) - 1);
select window_from, window_to, datediff(window_to, window_from) + 1 as days

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Spend by model vs a cheaper model of the same family
-- MAGIC A model's family is its name without its size or tier word (`gpt-4o` and `gpt-4o-mini`,
-- MAGIC `claude-3-5-sonnet` and `claude-3-5-haiku`, `text-embedding-3-large` and `-small`), from the same
-- MAGIC provider and for the same operation. Both costs price the model's own tokens at today's standard
-- MAGIC rows; `saving_usd` is what moving all of it would save. Whether the cheaper model is good enough
-- MAGIC is for an evaluation on a sample of the feature's traffic to say. A model with no cheaper sibling
-- MAGIC in the catalog is listed with none.

-- COMMAND ----------

-- DBTITLE 1,Spend by model vs a cheaper model of the same family
with

usage as (
    select
        -- the catalog row that priced the event: price_id is provider/model/operation/tier@valid_from
        split(price_id, '/')[0] as provider,
        split(price_id, '/')[1] as catalog_model,
        split(price_id, '/')[2] as catalog_operation,
        count(*) as requests,
        sum(input_tokens - cached_input_tokens) as uncached_input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(output_tokens) as output_tokens,
        cast(cast(sum(cost_usd_nanos) as decimal(20, 0)) / 1000000000 as decimal(38, 9)) as cost_usd
    from silver.cost_events
    where event_date between window_from and window_to
      and price_id is not null
    group by all
),

prices_now as (
    select
        provider,
        model,
        operation,
        regexp_replace(model, '-(mini|nano|small|medium|large|lite|flash|pro|haiku|sonnet|opus)(?=-|$)', '') as family,
        cast(input_usd_per_1m as decimal(20, 9)) as input_usd_per_1m,
        coalesce(cast(cached_input_usd_per_1m as decimal(20, 9)), cast(input_usd_per_1m as decimal(20, 9)))
            as cached_input_usd_per_1m,
        coalesce(cast(output_usd_per_1m as decimal(20, 9)), 0) as output_usd_per_1m
    from price_list
    where service_tier = 'standard'
      and cast(valid_from as timestamp) <= current_timestamp()
      and (valid_to is null or cast(valid_to as timestamp) > current_timestamp())
),

priced as (
    -- the same tokens at each model of the family, the model's own price included
    select
        usage.provider,
        usage.catalog_model,
        usage.catalog_operation,
        usage.requests,
        usage.cost_usd,
        here.family,
        there.model as other_model,
        cast((usage.uncached_input_tokens * here.input_usd_per_1m + usage.cached_input_tokens * here.cached_input_usd_per_1m
            + usage.output_tokens * here.output_usd_per_1m) / 1000000 as decimal(38, 9)) as at_list_usd,
        cast((usage.uncached_input_tokens * there.input_usd_per_1m + usage.cached_input_tokens * there.cached_input_usd_per_1m
            + usage.output_tokens * there.output_usd_per_1m) / 1000000 as decimal(38, 9)) as at_other_usd
    from usage
    left join prices_now as here
        on here.provider = usage.provider and here.model = usage.catalog_model
        and here.operation = usage.catalog_operation
    left join prices_now as there
        on there.provider = here.provider and there.operation = here.operation and there.family = here.family
        and there.model <> here.model
),

ranked as (
    select
        *,
        row_number() over (partition by provider, catalog_model, catalog_operation
            order by if(at_other_usd < at_list_usd, at_other_usd, null) asc nulls last, other_model) as choice
    from priced
),

final as (
    select
        provider,
        catalog_model as model,
        catalog_operation as operation,
        requests,
        cost_usd,
        at_list_usd,
        if(at_other_usd < at_list_usd, other_model, null) as cheaper_model,
        if(at_other_usd < at_list_usd, at_other_usd, null) as at_cheaper_usd,
        if(at_other_usd < at_list_usd, at_list_usd - at_other_usd, null) as saving_usd
    from ranked
    where choice = 1
)

select *
from final
order by saving_usd desc nulls last, cost_usd desc, model

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Cache hit rates
-- MAGIC The share of prompt tokens read from the provider's prompt cache, by feature and model, with the
-- MAGIC discount a cache read gets on that model today. A low hit rate on a model with a deep discount is
-- MAGIC worth a look: a stable prefix (system prompt, tools, documents) first in the prompt is what caches.
-- MAGIC `uncached_input_usd` is what the prompt tokens not read from the cache cost at today's input price.

-- COMMAND ----------

-- DBTITLE 1,Cache hit rate by feature and model
with

usage as (
    select
        feature,
        split(price_id, '/')[0] as provider,
        split(price_id, '/')[1] as catalog_model,
        split(price_id, '/')[2] as catalog_operation,
        count(*) as requests,
        sum(input_tokens) as input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        cast(cast(sum(cost_usd_nanos) as decimal(20, 0)) / 1000000000 as decimal(38, 9)) as cost_usd
    from silver.cost_events
    where event_date between window_from and window_to
      and price_id is not null
    group by all
),

prices_now as (
    select
        provider,
        model,
        operation,
        cast(input_usd_per_1m as decimal(20, 9)) as input_usd_per_1m,
        cast(cached_input_usd_per_1m as decimal(20, 9)) as cached_input_usd_per_1m
    from price_list
    where service_tier = 'standard'
      and cast(valid_from as timestamp) <= current_timestamp()
      and (valid_to is null or cast(valid_to as timestamp) > current_timestamp())
)

select
    usage.feature,
    usage.catalog_model as model,
    usage.requests,
    usage.input_tokens,
    usage.cached_input_tokens,
    round(100 * try_divide(usage.cached_input_tokens, usage.input_tokens), 1) as cache_hit_pct,
    round(100 * (1 - try_divide(prices_now.cached_input_usd_per_1m, prices_now.input_usd_per_1m)), 1)
        as cache_read_discount_pct,
    cast((usage.input_tokens - usage.cached_input_tokens) * prices_now.input_usd_per_1m / 1000000 as decimal(38, 9))
        as uncached_input_usd,
    usage.cost_usd
from usage
left join prices_now
    on prices_now.provider = usage.provider and prices_now.model = usage.catalog_model
    and prices_now.operation = usage.catalog_operation
where usage.input_tokens > 0
order by uncached_input_usd desc nulls last, usage.feature, model

-- COMMAND ----------

-- MAGIC %md
-- MAGIC ## Traffic that could go to the batch tier
-- MAGIC Standard-tier requests of models with a batch row in the catalog, priced at today's standard and
-- MAGIC batch rows. The batch tier answers within hours, not seconds, so only features nobody waits on
-- MAGIC (indexing, summaries, classification, reports) can move; name them in `batch_features`. The
-- MAGIC second table shows each feature's share already sent on the batch or flex tiers.

-- COMMAND ----------

-- DBTITLE 1,Standard-tier traffic the batch tier would price lower
with

usage as (
    select
        feature,
        split(price_id, '/')[0] as provider,
        split(price_id, '/')[1] as catalog_model,
        split(price_id, '/')[2] as catalog_operation,
        count(*) as requests,
        sum(input_tokens - cached_input_tokens) as uncached_input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(output_tokens) as output_tokens,
        cast(cast(sum(cost_usd_nanos) as decimal(20, 0)) / 1000000000 as decimal(38, 9)) as cost_usd
    from silver.cost_events
    where event_date between window_from and window_to
      and price_id is not null
      and service_tier = 'standard'
      and (:batch_features = '' or array_contains(transform(split(:batch_features, ','), f -> trim(f)), feature))
    group by all
),

prices_now as (
    select
        provider,
        model,
        operation,
        service_tier,
        cast(input_usd_per_1m as decimal(20, 9)) as input_usd_per_1m,
        coalesce(cast(cached_input_usd_per_1m as decimal(20, 9)), cast(input_usd_per_1m as decimal(20, 9)))
            as cached_input_usd_per_1m,
        coalesce(cast(output_usd_per_1m as decimal(20, 9)), 0) as output_usd_per_1m
    from price_list
    where service_tier in ('standard', 'batch')
      and cast(valid_from as timestamp) <= current_timestamp()
      and (valid_to is null or cast(valid_to as timestamp) > current_timestamp())
),

priced as (
    select
        usage.feature,
        usage.catalog_model as model,
        usage.requests,
        usage.cost_usd,
        cast((usage.uncached_input_tokens * standard.input_usd_per_1m
            + usage.cached_input_tokens * standard.cached_input_usd_per_1m
            + usage.output_tokens * standard.output_usd_per_1m) / 1000000 as decimal(38, 9)) as at_standard_usd,
        cast((usage.uncached_input_tokens * batch.input_usd_per_1m
            + usage.cached_input_tokens * batch.cached_input_usd_per_1m
            + usage.output_tokens * batch.output_usd_per_1m) / 1000000 as decimal(38, 9)) as at_batch_usd
    from usage
    join prices_now as standard
        on standard.service_tier = 'standard' and standard.provider = usage.provider
        and standard.model = usage.catalog_model and standard.operation = usage.catalog_operation
    join prices_now as batch
        on batch.service_tier = 'batch' and batch.provider = usage.provider
        and batch.model = usage.catalog_model and batch.operation = usage.catalog_operation
)

select
    feature,
    model,
    requests,
    cost_usd,
    at_standard_usd,
    at_batch_usd,
    at_standard_usd - at_batch_usd as saving_usd
from priced
order by saving_usd desc, feature, model

-- COMMAND ----------

-- DBTITLE 1,Batch-tier saving by feature
with

usage as (
    select
        feature,
        split(price_id, '/')[0] as provider,
        split(price_id, '/')[1] as catalog_model,
        split(price_id, '/')[2] as catalog_operation,
        sum(input_tokens - cached_input_tokens) as uncached_input_tokens,
        sum(cached_input_tokens) as cached_input_tokens,
        sum(output_tokens) as output_tokens
    from silver.cost_events
    where event_date between window_from and window_to
      and price_id is not null
      and service_tier = 'standard'
      and (:batch_features = '' or array_contains(transform(split(:batch_features, ','), f -> trim(f)), feature))
    group by all
),

prices_now as (
    select
        provider,
        model,
        operation,
        service_tier,
        cast(input_usd_per_1m as decimal(20, 9)) as input_usd_per_1m,
        coalesce(cast(cached_input_usd_per_1m as decimal(20, 9)), cast(input_usd_per_1m as decimal(20, 9)))
            as cached_input_usd_per_1m,
        coalesce(cast(output_usd_per_1m as decimal(20, 9)), 0) as output_usd_per_1m
    from price_list
    where service_tier in ('standard', 'batch')
      and cast(valid_from as timestamp) <= current_timestamp()
      and (valid_to is null or cast(valid_to as timestamp) > current_timestamp())
),

saving as (
    select
        usage.feature,
        (usage.uncached_input_tokens * (standard.input_usd_per_1m - batch.input_usd_per_1m)
            + usage.cached_input_tokens * (standard.cached_input_usd_per_1m - batch.cached_input_usd_per_1m)
            + usage.output_tokens * (standard.output_usd_per_1m - batch.output_usd_per_1m)) / 1000000 as saving_usd
    from usage
    join prices_now as standard
        on standard.service_tier = 'standard' and standard.provider = usage.provider
        and standard.model = usage.catalog_model and standard.operation = usage.catalog_operation
    join prices_now as batch
        on batch.service_tier = 'batch' and batch.provider = usage.provider
        and batch.model = usage.catalog_model and batch.operation = usage.catalog_operation
),

tiers as (
    select
        feature,
        count(*) as requests,
        round(100 * try_divide(count_if(service_tier in ('batch', 'flex')), count(*)), 1) as batch_or_flex_pct
    from silver.cost_events
    where event_date between window_from and window_to
    group by feature
)

select
    tiers.feature,
    tiers.requests,
    tiers.batch_or_flex_pct,
    cast(coalesce(sum(saving.saving_usd), 0) as decimal(38, 9)) as batch_saving_usd
from tiers
left join saving on saving.feature = tiers.feature
where :batch_features = '' or array_contains(transform(split(:batch_features, ','), f -> trim(f)), tiers.feature)
group by tiers.feature, tiers.requests, tiers.batch_or_flex_pct
order by batch_saving_usd desc, tiers.feature
