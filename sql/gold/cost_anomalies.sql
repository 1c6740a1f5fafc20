-- gold.cost_anomalies: spend that jumped or fell far from its usual, and what drove it.
--
-- grain:     one row per grain (hour, day) x period_start x scope_type x scope_value x metric that was
--            flagged. metric cost_usd: |z| >= anomalies.z-threshold against a baseline of comparable
--            periods, with enough baseline and a dollar impact of at least anomalies.min-impact-usd; or,
--            once, a scope spending for the first time (direction new_spend). metric requests (a drop:
--            a feature that broke) and cached_input_share (a drop: the prompt cache stopped hitting),
--            judged on the same baselines and floors but with no dollar minimum: a broken feature or cache
--            matters before it costs much (int_usage_anomalies_detected.sql).
--            scope_type: total ('all'), tenant, feature, model, user, tenant_feature ('<tenant>/<feature>').
-- written:   `costlake hourly` (grain hour, the last complete hour), `costlake nightly` (grain day,
--            the last closed day) and `costlake anomalies detect` (any range). The periods judged are
--            replaced in one Delta commit (replaceWhere on grain and period_start), so recomputing a
--            period gives the same rows; detected_at keeps the time the row was first flagged.
-- computed:  sql/intermediate/int_scope_costs.sql (spend per scope and period),
--            int_cost_anomalies_detected.sql (baselines, z, the flags on cost),
--            int_usage_anomalies_detected.sql (the same on requests and cached share), int_cost_anomalies_drivers.sql
--            (children), then dev.costlake.anomaly.CostChange (the decomposition) and
--            dev.costlake.anomaly.Explanations (the sentence).
-- baselines: dev.costlake.anomaly.BaselinePlan: an hour against the same hour of the week over the
--            previous weeks (the trailing hours while the lakehouse is younger than that); a day
--            against the trailing days of its kind (weekday, weekend).
-- decomposition: impact_usd = volume + mix + tokens_per_request + cache_hit + price effects, exactly
--            (each replaces one factor of cost = requests x model share x tokens per request x cache
--            factor x price per token, from the baseline's value to the period's, in that order; the
--            price effect is what is left, so the parts add up to the cent and beyond).

create table if not exists gold.cost_anomalies (
    -- ids
    grain                         string         not null comment 'hour or day.',
    period_start                  timestamp      not null comment 'Start of the UTC hour or day judged.',
    scope_type                    string         not null comment 'total, tenant, feature, model, user or tenant_feature.',
    scope_value                   string         not null comment 'The tenant_id, feature, ...; all for the total; <tenant>/<feature> for tenant_feature.',
    -- verdict
    direction                     string         not null comment 'spike, drop, or new_spend (a scope spending for the first time).',
    severity                      string         not null comment 'critical (|z| >= 2x threshold and impact >= 10x the minimum), warning, or info (new_spend).',
    explanation                   string         not null comment 'One sentence a person can act on.',
    -- measures
    actual_cost_usd               decimal(38, 9) not null comment 'What the scope spent in the period; exact USD.',
    expected_cost_usd             decimal(38, 9) not null comment 'Its usual: the baseline mean (or median with anomalies.method = robust).',
    impact_usd                    decimal(38, 9) not null comment 'actual_cost_usd - expected_cost_usd.',
    pct_change                    double                  comment 'impact_usd as a percentage of expected_cost_usd; null when that is 0.',
    z_score                       double                  comment 'impact / the baseline spread (floored); null for new_spend.',
    baseline_stddev_usd           double                  comment 'Spread of the baseline: standard deviation, or 1.4826 x MAD when robust.',
    actual_requests               bigint         not null comment 'Requests of the scope in the period.',
    expected_requests             double                  comment 'Mean requests over the baseline periods.',
    -- how it was judged
    baseline_method               string         not null comment 'same_hour_of_week, same_hour_of_day, trailing_hours or same_day_type.',
    baseline_periods              int            not null comment 'Comparable periods in the baseline (from the scope''s first spend on).',
    stat_method                   string         not null comment 'mean_stddev or median_mad.',
    -- why
    top_driver                    string                  comment 'The child that explains it best, as dimension:value (e.g. user:u_1842).',
    top_factor                    string                  comment 'The largest part of the decomposition: volume, mix, tokens_per_request, cache_hit_rate or price.',
    contributors                  array<struct<
                                      dimension: string,
                                      value: string,
                                      actual_cost_usd: decimal(38, 9),
                                      expected_cost_usd: decimal(38, 9),
                                      change_usd: decimal(38, 9),
                                      share_of_change_pct: double,
                                      usual_share_pct: double>>
                                                          comment 'Up to 5 child values that drove it, best first: their change and share of the change vs their usual share.',
    volume_effect_usd             decimal(38, 9) not null comment 'Part of impact_usd from the number of requests.',
    mix_effect_usd                decimal(38, 9) not null comment 'Part from the mix of models (a move to a pricier model).',
    tokens_per_request_effect_usd decimal(38, 9) not null comment 'Part from tokens per request, per model.',
    cache_hit_effect_usd          decimal(38, 9) not null comment 'Part from the share of input tokens read from the prompt cache.',
    price_effect_usd              decimal(38, 9) not null comment 'The rest: cost per token at a given cache rate (price changes, discounts, input/output mix).',
    detected_at                   timestamp      not null comment 'When this row was first flagged.',
    -- the series judged (added after the columns above, so lakehouses from before keep their layout)
    metric                        string                  comment 'The series judged: cost_usd, requests (drops only) or cached_input_share (falls only: a prompt-cache collapse); null on rows written before it existed (cost_usd).',
    actual_value                  double                  comment 'The series in the period: USD, requests, or cached_input_tokens / input_tokens.',
    expected_value                double                  comment 'Its usual, as expected_cost_usd is for cost; z_score is (actual_value - expected_value) / the floored spread.'
)
using delta
location ${location};
