-- int_cost_events_classified: every raw record of one ingest micro-batch with its outcome.
--
-- grain:    one row per raw record of the batch (as stg_cost_events), so the books can balance.
-- input:    temp view stg_cost_events (this batch, materialised once) and silver.cost_events (every earlier batch).
-- cadence:  every ingest micro-batch.
-- params:   ingest_batch_id (bound as a literal) — a replayed batch (crash after its silver write, before its
--           checkpoint commit) must not see its own rows as earlier copies of itself.
-- outcome:  'accepted'    first copy of an event_id never seen before (goes to silver.cost_events);
--           'duplicate'   same event_id and same content as the accepted copy (counted, dropped);
--           'quarantined' invalid (reason from staging) or same event_id with different content
--                         than the accepted copy (reason 'conflicting_duplicate').
-- order:    within a batch the accepted copy is the first by file modification time, file, and
--           position in the file; an event already in silver always wins over the batch.

with

staged as (
    select * from stg_cost_events
),

batch_event_ids as (
    select distinct event_id
    from staged
    where reason is null
),

prior_events as (
    select
        silver.event_id,
        silver.content_hash as prior_content_hash
    from silver.cost_events as silver
    left semi join batch_event_ids
        on silver.event_id = batch_event_ids.event_id
    where silver.ingest_batch_id <> ${ingest_batch_id}
),

valid_ranked as (
    select
        *,
        row_number() over arrival as copy_number,
        first_value(content_hash) over arrival as first_content_hash
    from staged
    where reason is null
    window arrival as (
        partition by event_id
        order by file_modified_at, source_file, file_block_start, record_ordinal
    )
),

valid_classified as (
    select
        valid_ranked.*,
        case
            when prior_events.prior_content_hash = valid_ranked.content_hash then 'duplicate'
            when prior_events.prior_content_hash is not null then 'quarantined'
            when valid_ranked.copy_number = 1 then 'accepted'
            when valid_ranked.content_hash = valid_ranked.first_content_hash then 'duplicate'
            else 'quarantined'
        end as outcome
    from valid_ranked
    left join prior_events
        on valid_ranked.event_id = prior_events.event_id
),

final as (
    select
        outcome,
        case when outcome = 'quarantined' then 'conflicting_duplicate' end as reason,
        case when outcome = 'quarantined'
            then 'event_id already accepted with different content; this copy was kept out'
        end as detail,
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
        -- lineage; a conflicting copy's raw text is looked up by position only when one exists,
        -- so the common case never reads the raw text of valid records again
        content_hash,
        cast(null as string) as raw,
        source_file,
        file_block_start,
        record_ordinal
    from valid_classified

    union all

    select
        'quarantined' as outcome,
        reason,
        detail,
        event_id,
        null as event_time,
        null as event_date,
        null as event_hour,
        null as tenant_id,
        null as feature,
        null as user_id,
        null as project,
        null as region,
        null as environment,
        null as provider,
        null as model,
        null as operation,
        null as service_tier,
        null as tags,
        null as input_tokens,
        null as cached_input_tokens,
        null as cache_write_tokens,
        null as output_tokens,
        null as reasoning_tokens,
        null as reported_cost_usd_nanos,
        null as content_hash,
        raw,
        source_file,
        file_block_start,
        record_ordinal
    from staged
    where reason is not null
)

select * from final
