-- gold.alerts: every alert the rules raised, from its first run to its resolution, and what each
-- channel was told of it.
--
-- grain:     one row per dedupe_key (rule:scope_type:scope_value): a condition that persists over
--            many runs stays one row; it opens again in the same row after it was resolved.
-- written:   by `costlake hourly` and `costlake nightly` after their other work
--            (dev.costlake.alert.AlertJob): the rules' signals are folded into the alerts
--            (dev.costlake.alert.AlertBook), owed notifications are delivered, and the table is
--            replaced whole in one Delta commit (it holds one row per condition ever seen, so it
--            stays small). Only DDL here: the rows are built in Java.
-- lifecycle: opened (notification 1) -> quiet while it persists at the same or a lower severity ->
--            escalated (a higher severity) or reminder (alerts.cooldown after the last notification)
--            -> resolved (a run that evaluated its rule no longer sees it), each a notification.
-- delivery:  per channel, delivered_seq is the last notification it got; a channel behind
--            notification_seq is retried on every run until it gets it. Errors are stored without
--            secrets (URLs and passwords are replaced by ***).

create table if not exists gold.alerts (
    -- ids
    dedupe_key          string         not null comment 'rule:scope_type:scope_value; stable across runs.',
    rule                string         not null comment 'The rule that raised it (docs/alerts.md), e.g. budget, anomaly_day, request_cost.',
    scope_type          string         not null comment 'all, tenant, feature, user, model, project, tag, job, rollup_table, ...',
    scope_value         string         not null comment 'The tenant_id, feature, ...; all for the whole.',
    -- state
    severity            string         not null comment 'info, warning or critical, as last seen.',
    status              string         not null comment 'open or resolved.',
    title               string         not null comment 'One line: what is wrong, where.',
    message             string         not null comment 'The numbers and, for anomalies, the explanation.',
    period              string         not null comment 'What the last run judged: a date, an hour (2026-03-10T13:00Z) or a month.',
    measured_value      decimal(38, 9)          comment 'The number that crossed the threshold, in unit.',
    threshold_value     decimal(38, 9)          comment 'The threshold it crossed, in unit.',
    unit                string         not null comment 'usd, requests, pct or count.',
    first_seen_at       timestamp      not null comment 'The run that opened it (reopened: the run that reopened it).',
    last_seen_at        timestamp      not null comment 'The last run whose rules saw the condition.',
    resolved_at         timestamp               comment 'The run that no longer saw it; null while open.',
    last_notified_at    timestamp      not null comment 'When the latest notification was decided.',
    notification_seq    int            not null comment 'Notifications so far (opened, escalated, reminder, resolved).',
    notification_event  string         not null comment 'The latest: opened, escalated, reminder or resolved.',
    -- delivery
    deliveries          array<struct<
                            channel: string,
                            delivered_seq: int,
                            attempts: int,
                            outcome: string,
                            last_attempt_at: timestamp,
                            last_error: string>>
                                       not null comment 'Per channel: the last notification delivered, attempts at the latest one, delivered or failed, and why (no secrets).'
)
using delta
location ${location};
