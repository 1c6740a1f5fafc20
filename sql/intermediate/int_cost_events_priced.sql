-- int_cost_events_priced: events with their list cost from the effective-dated price catalog.
--
-- grain:     one row per input event, unchanged in number (a left join: no event is dropped and none
--            is duplicated, because a model/operation/tier has one catalog period at any instant,
--            which `costlake prices check` enforces before any pricing runs).
-- input:     ${events} (silver.cost_events columns without the pricing ones), and temp views
--            price_catalog (dev.costlake.pricing.PriceCatalog rows) and model_resolution (reported
--            model -> catalog model and the rule that matched, from dev.costlake.pricing.ModelMatcher).
-- cadence:   every ingest batch (new events) and `costlake reprice` (a window of silver).
-- params:    events (a view name), catalog_version (PriceCatalog.version()).
-- money:     list cost, exact, then rounded half-up once to integer USD nanos (1e-9 USD):
--              (input - cached - cache_write) x input price
--            + cached x cache-read price (default: input price)
--            + cache_write x cache-write price (default: input price)
--            + (output - reasoning) x output price (default: 0)
--            + reasoning x reasoning price (default: output price)
--            + the per-request fee.
--            Prices are USD per 1M tokens; the catalog relation carries them as BIGINT USD nanos per
--            1M tokens, so tokens x price / 1,000,000 is nanos, computed in exact integer arithmetic. The row in force is the
--            one whose [valid_from, valid_to) holds event_time, for the event's service tier, or the
--            standard tier when the catalog has no row for that tier. Above a row's
--            long_context_threshold_tokens of input, its long-context prices apply to input, cached
--            input and output.

with

events as (
    select * from ${events}
),

resolved as (
    select
        events.*,
        model_resolution.catalog_model,
        model_resolution.price_match,
        -- completions are priced as chat
        case when events.operation = 'completion' then 'chat' else events.operation end as price_operation
    from events
    left join model_resolution
        on events.model = model_resolution.model
),

chosen_rows as (
    -- the row in force: the event's tier, else the standard tier (only the id is carried here)
    select
        resolved.*,
        coalesce(tier_price.price_id, standard_price.price_id) as price_id
    from resolved
    left join price_catalog as tier_price
        on  tier_price.model = resolved.catalog_model
        and tier_price.operation = resolved.price_operation
        and tier_price.service_tier = resolved.service_tier
        and resolved.event_time >= tier_price.valid_from
        and (tier_price.valid_to is null or resolved.event_time < tier_price.valid_to)
    left join price_catalog as standard_price
        on  standard_price.model = resolved.catalog_model
        and standard_price.operation = resolved.price_operation
        and standard_price.service_tier = 'standard'
        and resolved.event_time >= standard_price.valid_from
        and (standard_price.valid_to is null or resolved.event_time < standard_price.valid_to)
),

unit_prices as (
    select
        chosen_rows.*,
        price.input_usd_nanos_per_1m,
        price.cached_input_usd_nanos_per_1m,
        price.cache_write_usd_nanos_per_1m,
        price.output_usd_nanos_per_1m,
        price.reasoning_usd_nanos_per_1m,
        price.long_context_input_usd_nanos_per_1m,
        price.long_context_cached_input_usd_nanos_per_1m,
        price.long_context_output_usd_nanos_per_1m,
        price.request_fee_usd_nanos,
        (price.long_context_threshold_tokens is not null
            and chosen_rows.input_tokens > price.long_context_threshold_tokens) as is_long_context
    from chosen_rows
    left join price_catalog as price
        on price.price_id = chosen_rows.price_id
),

effective_prices as (
    -- USD nanos per 1M tokens (BIGINT), with the documented fallbacks
    select
        *,
        case when is_long_context then coalesce(long_context_input_usd_nanos_per_1m, input_usd_nanos_per_1m)
             else input_usd_nanos_per_1m end as input_price,
        case when is_long_context
             then coalesce(long_context_cached_input_usd_nanos_per_1m, long_context_input_usd_nanos_per_1m,
                           cached_input_usd_nanos_per_1m, input_usd_nanos_per_1m)
             else coalesce(cached_input_usd_nanos_per_1m, input_usd_nanos_per_1m) end as cached_input_price,
        coalesce(cache_write_usd_nanos_per_1m, input_usd_nanos_per_1m) as cache_write_price,
        case when is_long_context then coalesce(long_context_output_usd_nanos_per_1m, output_usd_nanos_per_1m)
             else output_usd_nanos_per_1m end as output_price,
        reasoning_usd_nanos_per_1m as reasoning_price,
        request_fee_usd_nanos as request_fee_nanos
    from unit_prices
),

billed_units as (
    select
        *,
        input_tokens - cached_input_tokens - cache_write_tokens as uncached_input_tokens,
        output_tokens - reasoning_tokens as non_reasoning_output_tokens,
        coalesce(input_price, 0) as p_input,
        coalesce(cached_input_price, 0) as p_cached,
        coalesce(cache_write_price, 0) as p_cache_write,
        coalesce(output_price, 0) as p_output,
        coalesce(reasoning_price, output_price, 0) as p_reasoning
    from effective_prices
),

costed as (
    select
        *,
        -- tokens x (USD nanos per 1M tokens) is the cost in millionths of a nano, an exact integer;
        -- + 500,000 then div 1,000,000 rounds it half-up once to the nano. BIGINT arithmetic is
        -- several times faster than DECIMAL(38); try_* returns null on overflow (absurd token
        -- counts), and only then is the same sum taken in DECIMAL.
        case when price_id is not null then coalesce(
            try_add(try_add(try_add(try_add(try_add(
                try_multiply(uncached_input_tokens, p_input),
                try_multiply(cached_input_tokens, p_cached)),
                try_multiply(cache_write_tokens, p_cache_write)),
                try_multiply(non_reasoning_output_tokens, p_output)),
                try_multiply(reasoning_tokens, p_reasoning)),
                500000) div 1000000,
            cast((cast(uncached_input_tokens as decimal(38,0)) * p_input
                + cast(cached_input_tokens as decimal(38,0)) * p_cached
                + cast(cache_write_tokens as decimal(38,0)) * p_cache_write
                + cast(non_reasoning_output_tokens as decimal(38,0)) * p_output
                + cast(reasoning_tokens as decimal(38,0)) * p_reasoning
                + 500000) div 1000000 as bigint)
        ) + coalesce(request_fee_nanos, 0)
        end as list_cost_usd_nanos
    from billed_units
),

final as (
    select
        -- ids
        event_id,
        -- time
        event_time,
        event_date,
        event_hour,
        -- dimensions
        tenant_id,
        feature,
        user_id,
        project,
        region,
        environment,
        provider,
        model,
        operation,
        service_tier,
        tags,
        -- measures
        input_tokens,
        cached_input_tokens,
        cache_write_tokens,
        output_tokens,
        reasoning_tokens,
        reported_cost_usd_nanos,
        list_cost_usd_nanos,
        coalesce(reported_cost_usd_nanos, list_cost_usd_nanos) as cost_usd_nanos,
        -- how it was priced
        case when list_cost_usd_nanos is not null then 'priced'
             when reported_cost_usd_nanos is not null then 'reported_only'
             else 'unpriced' end as pricing_status,
        price_id,
        case when price_id is not null then price_match end as price_match,
        ${catalog_version} as price_catalog_version,
        -- lineage
        content_hash,
        source_file
    from costed
)

select * from final
