-- ops.pipeline_runs: one row per costlake job run, with its outcome and its books.
--
-- grain:    one row per job run (run_id).
-- written:  appended once, when a run ends ('succeeded' or 'failed'). A run still going has no row:
--           the lakehouse lock (lake.path/_costlake/lock) names it. A run that dies holding the lock
--           gets its row, 'failed' with the job and started_at the lock names, from the run that
--           takes the lock over (dev.costlake.ops.JobLock). Older lakehouses may hold 'running' rows.
-- rollups: hourly, nightly and reprice runs record silver_version: the rollups' watermark.
-- invariant: for a succeeded run, records_read = records_accepted + records_quarantined
--            + records_duplicate (a run whose books do not balance fails).

create table if not exists ops.pipeline_runs (
    run_id              string    not null comment 'Unique id of the run.',
    job                 string    not null comment 'ingest, hourly, nightly, backfill, ...',
    started_at          timestamp not null comment 'When the run started.',
    ended_at            timestamp          comment 'When the run ended (null only in rows of older versions, written at start).',
    status              string    not null comment 'succeeded or failed (running only in rows of older versions).',
    records_read        bigint             comment 'Raw records read (JSON lines that are not blank, Parquet rows, unsupported files).',
    records_accepted    bigint             comment 'Records added to silver.cost_events.',
    records_quarantined bigint             comment 'Records added to silver.quarantine.',
    records_duplicate   bigint             comment 'Identical re-sends of an event already accepted.',
    files_read          bigint             comment 'Raw files read.',
    batches             bigint             comment 'Ingest micro-batches processed.',
    records_unpriced    bigint             comment 'Accepted events no catalog price matched (kept, list cost null).',
    unpriced_models     map<string, bigint> comment 'records_unpriced by reported model: the prices to add.',
    records_late        bigint             comment 'Accepted events ingested more than rollups.lateness (default 2h) after their event_time, for hours already rolled up (a first ingest of history counts 0).',
    max_lateness_seconds bigint            comment 'How late the oldest of them arrived: ingest time minus event_time, in seconds.',
    earliest_late_event_time timestamp     comment 'The oldest event_time among the late events: how far back the run rebuilt.',
    rollup_hours        bigint             comment 'Event hours whose rollups the run rebuilt (hourly, nightly, backfill, reprice).',
    rollup_from         date               comment 'First event_date the run rebuilt rollups for.',
    rollup_to           date               comment 'Last event_date the run rebuilt rollups for.',
    silver_version      bigint             comment 'Version of silver.cost_events the gold tables reflect after the run (the rollup watermark).',
    error               string             comment 'Why the run failed; null otherwise.'
)
using delta
location ${location}
