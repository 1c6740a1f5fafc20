-- The total's scope_value is 'all' in every table that has scopes: gold.cost_anomalies said 'total'
-- while gold.spend_forecast said 'all'. Rows published before this change are renamed in place, so
-- a BI filter on scope_value = 'all' finds the total's anomalies of every date.

update ${schema}.cost_anomalies set scope_value = 'all' where scope_type = 'total' and scope_value = 'total';

comment on table ${schema}.cost_anomalies is 'Spend that jumped or fell far from its usual, and what drove it. Grain: one row per grain (hour, day) x period_start x scope_type x scope_value that was flagged: |z| >= anomalies.z-threshold against a baseline of comparable periods, with enough baseline and a dollar impact of at least anomalies.min-impact-usd; or, once, a scope spending for the first time (direction new_spend). scope_type: total (''all''), tenant, feature, model, user, tenant_feature (''<tenant>/<feature>''). Published from gold.cost_anomalies by costlake publish.';
comment on column ${schema}.cost_anomalies.scope_value is 'The tenant_id, feature, ...; all for the total; <tenant>/<feature> for tenant_feature.';
