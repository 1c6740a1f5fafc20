-- int_cost_events_contested: the outcome of every valid record whose event_id is contested.
--
-- grain:    one row per valid record (reason is null) of the batch whose event_id has more than one
--           copy in the batch or is already in silver.cost_events. Usually a handful of rows: every
--           other valid record is simply accepted, so the wide rows are never shuffled.
-- input:    temp view stg_cost_events (this batch, materialised once) and silver.cost_events.
-- cadence:  every ingest micro-batch.
-- params:   ingest_batch_id (bound as a literal) — a replayed batch (crash after its silver write,
--           before its checkpoint commit) must not see its own rows as earlier copies of itself.
--           batch_dates (date literals): the event dates of the batch's valid records. Earlier copies
--           are looked up in those partitions of silver only, so an ingest reads what it dedupes
--           against, not all of history: a re-send has the same event_time, hence the same date. A
--           copy with another event_time on another date is not recognised as a copy (see
--           docs/event-schema.md, deduplication).
-- outcome:  'accepted'    first copy of an event_id never seen before;
--           'duplicate'   same content as the accepted copy (counted, dropped);
--           'quarantined' different content than the accepted copy (reason conflicting_duplicate).
-- order:    an event already in silver always wins; within the batch the first copy by file
--           modification time, file, position in the file.
-- key:      record_ordinal is unique within the batch; consumers join on it.

with

staged as (
    select
        event_id,
        content_hash,
        file_modified_at,
        source_file,
        file_block_start,
        record_ordinal
    from stg_cost_events
    where reason is null
),

copies_in_batch as (
    select
        event_id,
        count(*) as copies
    from staged
    group by event_id
),

prior_events as (
    select
        silver.event_id,
        silver.content_hash as prior_content_hash
    from silver.cost_events as silver
    left semi join copies_in_batch
        on silver.event_id = copies_in_batch.event_id
    where silver.event_date in (${batch_dates})
      and silver.ingest_batch_id <> ${ingest_batch_id}
),

contested_ids as (
    select event_id from copies_in_batch where copies > 1
    union
    select event_id from prior_events
),

contested as (
    select
        staged.*,
        row_number() over arrival as copy_number,
        first_value(content_hash) over arrival as first_content_hash
    from staged
    left semi join contested_ids
        on staged.event_id = contested_ids.event_id
    window arrival as (
        partition by event_id
        order by file_modified_at, source_file, file_block_start, record_ordinal
    )
),

final as (
    select
        contested.record_ordinal,
        contested.event_id,
        case
            when prior_events.prior_content_hash = contested.content_hash then 'duplicate'
            when prior_events.prior_content_hash is not null then 'quarantined'
            when contested.copy_number = 1 then 'accepted'
            when contested.content_hash = contested.first_content_hash then 'duplicate'
            else 'quarantined'
        end as outcome
    from contested
    left join prior_events
        on contested.event_id = prior_events.event_id
)

select * from final
