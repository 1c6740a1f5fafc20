-- int_cost_events_accepted: the events of one ingest batch that silver.cost_events gains.
--
-- grain:    one row per accepted event (event_id unique, never seen in silver before).
-- input:    temp views stg_cost_events and int_cost_events_contested (this batch).
-- cadence:  every ingest micro-batch; appended to silver.cost_events by IngestJob.

with

staged as (
    select * from stg_cost_events where reason is null
),

not_accepted as (
    select record_ordinal from int_cost_events_contested where outcome <> 'accepted'
),

final as (
    select
        -- ids
        staged.event_id,
        -- time
        staged.event_time,
        staged.event_date,
        staged.event_hour,
        -- dimensions
        staged.tenant_id,
        staged.feature,
        staged.user_id,
        staged.project,
        staged.region,
        staged.environment,
        staged.provider,
        staged.model,
        staged.operation,
        staged.service_tier,
        staged.tags,
        -- measures
        staged.input_tokens,
        staged.cached_input_tokens,
        staged.cache_write_tokens,
        staged.output_tokens,
        staged.reasoning_tokens,
        staged.reported_cost_usd_nanos,
        -- lineage
        staged.content_hash,
        staged.source_file
    from staged
    left anti join not_accepted
        on staged.record_ordinal = not_accepted.record_ordinal
)

select * from final
