-- int_cost_events_rejected: the records of one ingest batch that silver.quarantine gains.
--
-- grain:    one row per quarantined record: invalid (reason from staging) or a conflicting copy
--           of an event already accepted (reason conflicting_duplicate), each with its raw text.
-- input:    temp views stg_cost_events and int_cost_events_contested (this batch).
-- cadence:  every ingest micro-batch; appended to silver.quarantine by IngestJob (which adds the
--           batch's unsupported files, one record each).
-- params:   has_conflicts (bound as a literal true/false) — when the batch has no conflicting copy,
--           the branch that reads the raw text of valid records is pruned away before it runs.

with

invalid as (
    select
        reason,
        detail,
        event_id,
        raw,
        source_file
    from stg_cost_events
    where reason is not null
),

conflicting as (
    select
        'conflicting_duplicate' as reason,
        'event_id already accepted with different content; this copy was kept out' as detail,
        staged.event_id,
        staged.raw,
        staged.source_file
    from stg_cost_events as staged
    left semi join int_cost_events_contested as contested
        on staged.record_ordinal = contested.record_ordinal
       and contested.outcome = 'quarantined'
    where staged.reason is null
      and ${has_conflicts}
),

final as (
    select * from invalid
    union all
    select * from conflicting
)

select * from final
