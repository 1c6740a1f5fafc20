-- silver.cost_events: every accepted cost event, validated, normalised and deduplicated.
--
-- grain:     one row per billable request (event_id), unique across all time.
-- written:   by `costlake ingest` (and the hourly job), appended once per ingest micro-batch with a
--            Delta idempotent write (txnAppId = the ingest stream's id, txnVersion = the batch id),
--            so a replayed batch is never appended twice.
-- partition: event_date (UTC), so rollups and restatements read only the days they touch.
-- invariants (sql/tests/silver_cost_events_*.sql return the rows breaking them):
--   event_id is unique; every token count >= 0; cached_input_tokens <= input_tokens;
--   cached_input_tokens + cache_write_tokens <= input_tokens; reasoning_tokens <= output_tokens;
--   event_date = date(event_time) and event_hour = date_trunc('hour', event_time), in UTC.
-- rollups:   gold.* are rebuilt from it, for the event hours its change data feed says changed.
-- pricing:   sql/intermediate/int_cost_events_priced.sql computes list_cost_usd_nanos at ingest;
--            `costlake reprice` recomputes it for a window after a catalog change (ops.price_restatements).
-- money:     reported_cost_usd_nanos is the caller's own cost in integer USD nanos (1e-9 USD), exact
--            to the nano, rounded half-up once at ingest; null when the event did not report one.
--            list_cost_usd_nanos is the exact catalog cost of the event, rounded half-up once to the nano.
--            Integer nanos sum 3.5-4x faster than DECIMAL in Spark (docs/benchmarks.md, money).

create table if not exists silver.cost_events (
    -- ids
    event_id                string    not null comment 'Unique id of the billable request (alias request_id).',
    -- time (UTC)
    event_time              timestamp not null comment 'When the request happened, UTC, microsecond precision.',
    event_date              date      not null comment 'UTC date of event_time; the partition column.',
    event_hour              timestamp not null comment 'event_time truncated to the UTC hour.',
    -- dimensions (defaults applied)
    tenant_id               string    not null comment 'Customer or business unit; default ''default''.',
    feature                 string    not null comment 'Product feature that made the call; default ''unknown''.',
    user_id                 string    not null comment 'End user; default ''anonymous''.',
    project                 string             comment 'Project, when reported.',
    region                  string             comment 'Cloud or serving region, when reported.',
    environment             string             comment 'production, staging, ..., when reported.',
    provider                string             comment 'Model provider (openai, anthropic, ...), when reported.',
    model                   string    not null comment 'Model name as reported.',
    operation               string    not null comment 'chat, completion, embedding, fine_tune, image, audio or rerank.',
    service_tier            string    not null comment 'standard, batch, flex or priority.',
    tags                    map<string, string> comment 'Free-form string tags, when reported.',
    -- measures
    input_tokens            bigint    not null comment 'All prompt tokens, cached ones included.',
    cached_input_tokens     bigint    not null comment 'Prompt tokens read from the provider cache.',
    cache_write_tokens      bigint    not null comment 'Prompt tokens written to the provider cache.',
    output_tokens           bigint    not null comment 'All completion tokens, reasoning included.',
    reasoning_tokens        bigint    not null comment 'Reasoning tokens (part of output_tokens).',
    reported_cost_usd_nanos bigint             comment 'Cost the caller reported, in USD nanos (1e-9 USD); null if none.',
    list_cost_usd_nanos     bigint             comment 'Cost at catalog prices, USD nanos; null when no price matched (never 0 for unknown).',
    cost_usd_nanos          bigint             comment 'The cost: the reported cost when there is one, else the list cost; USD nanos.',
    -- how it was priced
    pricing_status          string    not null comment 'priced (list cost known), reported_only (caller cost, no price) or unpriced.',
    price_id                string             comment 'Catalog row used: provider/model/operation/tier@valid_from.',
    price_match             string             comment 'How the model name matched the catalog: exact, alias, snapshot, provider_prefix.',
    price_catalog_version   string    not null comment 'Fingerprint of the catalog that priced the event (PriceCatalog.version()).',
    -- lineage
    content_hash            bigint    not null comment 'xxhash64 of the normalised content; tells a re-send from a conflict.',
    source_file             string    not null comment 'Raw file the event was read from.',
    ingest_run_id           string    not null comment 'ops.pipeline_runs.run_id of the run that accepted it.',
    ingest_batch_id         string    not null comment 'Ingest stream id and micro-batch id that wrote it.',
    ingested_at             timestamp not null comment 'When the batch that accepted it started.'
)
using delta
partitioned by (event_date)
location ${location}
-- Statistics only where a filter can use them (per-file min/max of event_id or of token counts
-- never prune anything, and collecting them costs every write).
-- The change data feed tells the rollups which event hours changed since they last ran (appends,
-- restatements, deletions alike), reading only the files of the new commits.
tblproperties (
    'delta.dataSkippingStatsColumns' = 'event_time,event_hour,tenant_id,feature,model,provider,pricing_status,ingest_batch_id',
    'delta.enableChangeDataFeed' = 'true'
)
