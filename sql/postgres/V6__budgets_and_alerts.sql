-- Budgets and alerts in the serving database: gold.budget_status and gold.alerts are published
-- like the other gold tables (budget_status by as_of_date, nightly; alerts whole, after each hourly
-- and nightly run's rules), and the forecast_vs_budget BI view shows each scope's budget.
--
-- security:  row-level security as in V3: a tenant's role sees the budgets and alerts on its own
--            tenant (scope tenant); budgets and alerts on the whole company, a feature, a model, a
--            user, a project or a tag are for '*' roles only.
-- budgets:   forecast_vs_budget.budget_usd is the smallest monthly amount among the budgets on exactly
--            the forecast's scope (all, tenant, feature or model) for the same run date; null when
--            there is none.

create table ${schema}.budget_status (
    as_of_date                date not null,
    budget_name               text not null,
    kind                      text not null,
    scope_type                text not null,
    scope_value               text not null,
    tag_key                   text,
    month                     date not null,
    time_zone                 text not null,
    days_in_month             integer not null,
    days_elapsed              integer not null,
    budget_usd                numeric(38, 9) not null,
    spent_usd                 numeric(38, 9) not null,
    last_day_spent_usd        numeric(38, 9) not null,
    pct_used                  numeric(38, 2) not null,
    forecast_p50_usd          numeric(38, 9),
    forecast_p90_usd          numeric(38, 9),
    projected_exhaustion_date date,
    warn_pct                  numeric(38, 9) not null,
    exceed_pct                numeric(38, 9) not null,
    forecast_basis            text not null,
    forecast_margin_pct       numeric(38, 9) not null,
    status                    text not null
);
comment on table ${schema}.budget_status is 'How much of each monthly budget and quota is used, and where it is heading. Grain: one row per as_of_date x budget_name (budgets.<name>) x scope_value: every budget on one scope, with or without spend; a budget on each value of a dimension (user:*, a quota per user) has a row per value with spend in the month. Published from gold.budget_status by the nightly job and costlake publish.';
comment on column ${schema}.budget_status.as_of_date is 'Run date: spent_usd runs through the day before it.';
comment on column ${schema}.budget_status.budget_name is 'budgets.<name> in the config.';
comment on column ${schema}.budget_status.kind is 'budget, or quota (a budget on a user or a project).';
comment on column ${schema}.budget_status.scope_type is 'all, tenant, feature, user, model, project or tag.';
comment on column ${schema}.budget_status.scope_value is 'The tenant_id, feature, ...; all for all; the value of the tag. For a budget on each value (*), the value of this row.';
comment on column ${schema}.budget_status.tag_key is 'The tag''s key for a tag scope; null otherwise.';
comment on column ${schema}.budget_status.month is 'First day of the month of as_of_date (forecast.time-zone).';
comment on column ${schema}.budget_status.time_zone is 'forecast.time-zone: the zone of the dates.';
comment on column ${schema}.budget_status.days_in_month is 'Calendar days of the month.';
comment on column ${schema}.budget_status.days_elapsed is 'Days of the month before as_of_date (0 on the 1st).';
comment on column ${schema}.budget_status.budget_usd is 'The monthly amount; USD.';
comment on column ${schema}.budget_status.spent_usd is 'Spend of the scope in the month before as_of_date; exact USD.';
comment on column ${schema}.budget_status.last_day_spent_usd is 'Spend of the scope on the day before as_of_date (0 on the 1st); exact USD.';
comment on column ${schema}.budget_status.pct_used is '100 x spent_usd / budget_usd, rounded half-up.';
comment on column ${schema}.budget_status.forecast_p50_usd is 'Month-end forecast P50 of the scope (gold.spend_forecast); null without one.';
comment on column ${schema}.budget_status.forecast_p90_usd is 'Month-end forecast P90; null without one.';
comment on column ${schema}.budget_status.projected_exhaustion_date is 'The day the budget was used up, or will be at the month''s mean daily spend so far; null if it lasts the month.';
comment on column ${schema}.budget_status.warn_pct is 'warning at spent_usd >= this % of the budget (default 80).';
comment on column ${schema}.budget_status.exceed_pct is 'exceeded at spent_usd >= this % of the budget (default 100).';
comment on column ${schema}.budget_status.forecast_basis is 'p50, p90 or none: the forecast compared with the budget.';
comment on column ${schema}.budget_status.forecast_margin_pct is 'forecast_exceeds when that forecast is above the budget by more than this % (default 10).';
comment on column ${schema}.budget_status.status is 'ok, warning, exceeded or forecast_exceeds.';

create table ${schema}.alerts (
    dedupe_key         text not null,
    rule               text not null,
    scope_type         text not null,
    scope_value        text not null,
    severity           text not null,
    status             text not null,
    title              text not null,
    message            text not null,
    period             text not null,
    measured_value     numeric(38, 9),
    threshold_value    numeric(38, 9),
    unit               text not null,
    first_seen_at      timestamptz not null,
    last_seen_at       timestamptz not null,
    resolved_at        timestamptz,
    last_notified_at   timestamptz not null,
    notification_seq   integer not null,
    notification_event text not null,
    deliveries         jsonb not null
);
comment on table ${schema}.alerts is 'Every alert the rules raised, from its first run to its resolution, and what each channel was told of it. Grain: one row per dedupe_key (rule:scope_type:scope_value). Published whole from gold.alerts after the rules of every hourly and nightly run, and by costlake publish.';
comment on column ${schema}.alerts.dedupe_key is 'rule:scope_type:scope_value; stable across runs.';
comment on column ${schema}.alerts.rule is 'The rule that raised it (docs/alerts.md), e.g. budget, anomaly_day, request_cost.';
comment on column ${schema}.alerts.scope_type is 'all, tenant, feature, user, model, project, tag, job, rollup_table, ...';
comment on column ${schema}.alerts.scope_value is 'The tenant_id, feature, ...; all for the whole.';
comment on column ${schema}.alerts.severity is 'info, warning or critical, as last seen.';
comment on column ${schema}.alerts.status is 'open or resolved.';
comment on column ${schema}.alerts.title is 'One line: what is wrong, where.';
comment on column ${schema}.alerts.message is 'The numbers and, for anomalies, the explanation.';
comment on column ${schema}.alerts.period is 'What the last run judged: a date, an hour (2026-03-10T13:00Z) or a month.';
comment on column ${schema}.alerts.measured_value is 'The number that crossed the threshold, in unit.';
comment on column ${schema}.alerts.threshold_value is 'The threshold it crossed, in unit.';
comment on column ${schema}.alerts.unit is 'usd, requests, pct or count.';
comment on column ${schema}.alerts.first_seen_at is 'The run that opened it (reopened: the run that reopened it).';
comment on column ${schema}.alerts.last_seen_at is 'The last run whose rules saw the condition.';
comment on column ${schema}.alerts.resolved_at is 'The run that no longer saw it; null while open.';
comment on column ${schema}.alerts.last_notified_at is 'When the latest notification was decided.';
comment on column ${schema}.alerts.notification_seq is 'Notifications so far (opened, escalated, reminder, resolved).';
comment on column ${schema}.alerts.notification_event is 'The latest: opened, escalated, reminder or resolved.';
comment on column ${schema}.alerts.deliveries is 'Per channel (JSON array of {channel, delivered_seq, attempts, outcome, last_attempt_at, last_error}): the last notification delivered, attempts at the latest one, delivered or failed, and why (no secrets).';
create index budget_status_as_of_date_budget_name_idx on ${schema}.budget_status (as_of_date, budget_name, scope_value);
create index alerts_status_idx on ${schema}.alerts (status, severity);

-- Staging, as in V2: Spark's JDBC writer loads a publish's rows here, keyed by publish_id.
create table ${staging_schema}.budget_status (like ${schema}.budget_status);
alter table ${staging_schema}.budget_status add column publish_id text not null,
    add column staged_at timestamptz not null default now();
create index on ${staging_schema}.budget_status (publish_id);
comment on table ${staging_schema}.budget_status is 'Staging for budget_status: rows of one publish (publish_id) before they replace its window.';

create table ${staging_schema}.alerts (like ${schema}.alerts);
alter table ${staging_schema}.alerts add column publish_id text not null,
    add column staged_at timestamptz not null default now();
create index on ${staging_schema}.alerts (publish_id);
comment on table ${staging_schema}.alerts is 'Staging for alerts: rows of one publish (publish_id) before they replace its window.';

-- Row-level security, as V3's isolate(): the publisher writes; '*' roles read every row; a
-- tenant's role reads the rows on its tenants.
alter table ${schema}.budget_status enable row level security;
alter table ${schema}.budget_status force row level security;
create policy publisher_writes on ${schema}.budget_status for all to current_user using (true) with check (true);
create policy tenant_reads on ${schema}.budget_status for select using (
    exists (select 1 from ${schema}.my_tenants where my_tenants.tenant_id = '*')
    or (scope_type = 'tenant' and scope_value in (select tenant_id from ${schema}.my_tenants)));
grant select on ${schema}.budget_status to ${schema}_reader;

alter table ${schema}.alerts enable row level security;
alter table ${schema}.alerts force row level security;
create policy publisher_writes on ${schema}.alerts for all to current_user using (true) with check (true);
create policy tenant_reads on ${schema}.alerts for select using (
    exists (select 1 from ${schema}.my_tenants where my_tenants.tenant_id = '*')
    or (scope_type = 'tenant' and scope_value in (select tenant_id from ${schema}.my_tenants)));
grant select on ${schema}.alerts to ${schema}_reader;

-- The tile "forecasted month-end vs budget" gets its budgets (same columns, same order as V4).
create or replace view ${schema}.forecast_vs_budget with (security_invoker = true) as
with
latest as (
    select max(as_of_date) as as_of_date
    from ${schema}.spend_forecast
),
-- The latest run date's budgets only (the index on as_of_date finds them), not every date's.
budgets as (
    select
        case budget_status.scope_type when 'all' then 'total' else budget_status.scope_type end as scope_type,
        budget_status.scope_value,
        min(budget_status.budget_usd)                                                          as budget_usd
    from ${schema}.budget_status
    join latest on latest.as_of_date = budget_status.as_of_date
    where budget_status.scope_type in ('all', 'tenant', 'feature', 'model')
    group by 1, 2
),
final as (
    select
        forecast.as_of_date,
        forecast.month,
        forecast.scope_type,
        forecast.scope_value,
        forecast.spend_to_date_usd,
        forecast.forecast_p10_usd,
        forecast.forecast_p50_usd,
        forecast.forecast_p90_usd,
        budgets.budget_usd::numeric(38, 9)                                          as budget_usd,
        (forecast.forecast_p50_usd - budgets.budget_usd)::numeric(38, 9)            as p50_over_budget_usd,
        forecast.method
    from ${schema}.spend_forecast as forecast
    join latest on latest.as_of_date = forecast.as_of_date
    left join budgets
        on budgets.scope_type = forecast.scope_type
        and budgets.scope_value = forecast.scope_value
)
select * from final;
comment on view ${schema}.forecast_vs_budget is 'Tile "forecasted month-end vs budget": the latest run''s month-end forecast per scope, and the budget on that scope (budgets in the config, gold.budget_status of the same run date).';
comment on column ${schema}.forecast_vs_budget.budget_usd is 'The month''s budget on exactly this scope (the smallest, if several); USD. Null: no budget on it.';
comment on column ${schema}.forecast_vs_budget.p50_over_budget_usd is 'forecast_p50_usd - budget_usd (negative: under budget); USD. Null without a budget.';
