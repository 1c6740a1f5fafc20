-- ops.price_restatements: what each `costlake reprice` changed, per model.
--
-- grain:    one row per restatement (restatement_id = its ops.pipeline_runs.run_id) x reported model.
-- written:  by `costlake reprice`, as 'pending' just before its one atomic MERGE into
--           silver.cost_events, then 'committed'. The MERGE commit carries the restatement_id as
--           Delta user metadata, so a reprice that died between the two is settled by the next one:
--           'committed' if silver's history has that commit, else 'abandoned' (silver unchanged).
--           A re-run that changes nothing writes nothing.
-- money:    integer USD nanos, like silver.cost_events.

create table if not exists ops.price_restatements (
    restatement_id              string    not null comment 'The reprice run (ops.pipeline_runs.run_id).',
    status                      string    not null comment 'pending, committed or abandoned.',
    restated_at                 timestamp not null comment 'When the reprice started.',
    window_from                 date      not null comment 'First event_date re-priced.',
    window_to                   date      not null comment 'Last event_date re-priced (earlier unpriced events are included too).',
    model                       string    not null comment 'Reported model name.',
    events_repriced             bigint    not null comment 'Events of this model whose price changed.',
    events_newly_priced         bigint    not null comment 'Of those, events that were unpriced before.',
    old_list_cost_usd_nanos     bigint             comment 'Their list cost before (a missing list cost counts as 0 in these sums).',
    new_list_cost_usd_nanos     bigint             comment 'Their list cost after.',
    old_cost_usd_nanos          bigint             comment 'Their cost before.',
    new_cost_usd_nanos          bigint             comment 'Their cost after.',
    old_catalog_versions        array<string>      comment 'Catalog versions that had priced them.',
    new_catalog_version         string    not null comment 'Catalog version that re-priced them.'
)
using delta
location ${location}
