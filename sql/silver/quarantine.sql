-- silver.quarantine: every raw record that could not be used, with the reason and the raw text.
--
-- grain:    one row per rejected raw record (a JSON line, a Parquet row, or an unsupported file).
-- written:  by `costlake ingest`, appended once per micro-batch with a Delta idempotent write.
-- reasons:  docs/event-schema.md lists every reason code; `detail` names the field and value.
-- invariant: per run, records_read = accepted + quarantined + duplicate (ops.pipeline_runs).

create table if not exists silver.quarantine (
    reason          string    not null comment 'Reason code, e.g. malformed_json, negative_tokens, conflicting_duplicate.',
    detail          string             comment 'Which field was wrong and its value, for a person.',
    event_id        string             comment 'The record''s event_id, when it had one.',
    raw             string             comment 'The raw record: the JSON line, or a Parquet row as JSON.',
    source_file     string    not null comment 'Raw file the record was read from.',
    ingest_run_id   string    not null comment 'ops.pipeline_runs.run_id of the run that read it.',
    ingest_batch_id string    not null comment 'Ingest stream id and micro-batch id that wrote it.',
    ingested_at     timestamp not null comment 'When the batch that read it started.'
)
using delta
location ${location}
