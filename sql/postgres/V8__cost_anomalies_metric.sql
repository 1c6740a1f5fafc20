-- gold.cost_anomalies judges requests (drops) and the cached share of input (a prompt-cache collapse)
-- as series of their own, beside cost: the series a row was flagged on, and its value and usual.
-- Rows published before keep null (they were all cost_usd). Grain: one row per grain x period_start
-- x scope_type x scope_value x metric.

alter table ${schema}.cost_anomalies
    add column metric         text,
    add column actual_value   double precision,
    add column expected_value double precision;
alter table ${staging_schema}.cost_anomalies
    add column metric         text,
    add column actual_value   double precision,
    add column expected_value double precision;

comment on column ${schema}.cost_anomalies.metric is 'The series judged: cost_usd, requests (drops only) or cached_input_share (falls only: a prompt-cache collapse); null on rows published before it existed (cost_usd).';
comment on column ${schema}.cost_anomalies.actual_value is 'The series in the period: USD, requests, or cached_input_tokens / input_tokens.';
comment on column ${schema}.cost_anomalies.expected_value is 'Its usual, as expected_cost_usd is for cost; z_score is (actual_value - expected_value) / the floored spread.';
comment on table ${schema}.cost_anomalies is 'Spend that jumped or fell far from its usual, requests that dropped and prompt caches that collapsed, and what drove them. Grain: one row per grain (hour, day) x period_start x scope_type x scope_value x metric that was flagged: metric cost_usd when |z| >= anomalies.z-threshold against a baseline of comparable periods, with enough baseline and a dollar impact of at least anomalies.min-impact-usd, or once for a scope spending for the first time (direction new_spend); metric requests or cached_input_share for a drop on the same baselines. scope_type: total (''all''), tenant, feature, model, user, tenant_feature (''<tenant>/<feature>''). Published from gold.cost_anomalies by costlake publish.';
