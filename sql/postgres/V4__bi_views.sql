-- The BI model: one view per tile of the classic cost dashboard, with plain names.
--
-- security:  every view is security_invoker, so the caller's row-level security applies: a
--            tenant's role gets its own figures, a ${schema}_reader_all role the company's.
--            They read the tenant-scoped tables (cost_daily, cost_daily_by_tenant, ...), never the
--            company-wide ones, so they give a tenant's role answers, not empty tiles.
-- time:      "today", "this week" and "this month" are UTC (the gold tables' dates are UTC days);
--            weeks start on Monday (ISO), like gold.top_cost_drivers.
-- names:     the per-request trend tile is cost_per_request_by_day (cost_per_request_trend is the
--            company-wide serving table of that name).
-- budgets:   forecast_vs_budget.budget_usd is null until budgets exist (a later issue).

create view ${schema}.spend_this_month with (security_invoker = true) as
with
month_bounds as (
    select
        date_trunc('month', now() at time zone 'utc')::date                      as month_start,
        (date_trunc('month', now() at time zone 'utc') + interval '1 month')::date as next_month_start
),
final as (
    select
        month_bounds.month_start                                       as month,
        coalesce(sum(daily.cost_usd), 0)::numeric(38, 9)               as spend_usd,
        coalesce(sum(daily.requests), 0)::bigint                       as requests,
        max(daily.event_date)                                          as last_event_date
    from month_bounds
    left join ${schema}.cost_daily_by_tenant as daily
        on daily.event_date >= month_bounds.month_start
        and daily.event_date < month_bounds.next_month_start
    group by month_bounds.month_start
)
select * from final;
comment on view ${schema}.spend_this_month is 'Tile "spend so far this month": one row, the calendar month (UTC) to date, today included.';
comment on column ${schema}.spend_this_month.month is 'First day of the current UTC month.';
comment on column ${schema}.spend_this_month.spend_usd is 'Cost of the month so far (today''s hours published so far included); exact USD.';
comment on column ${schema}.spend_this_month.requests is 'Billable requests of the month so far (count).';
comment on column ${schema}.spend_this_month.last_event_date is 'Latest UTC date of the month with spend; null when none yet.';

create view ${schema}.daily_burn_rate with (security_invoker = true) as
with
days as (
    select
        event_date,
        sum(cost_usd) as cost_usd
    from ${schema}.cost_daily_by_tenant
    where event_date >= (now() at time zone 'utc')::date - 30
        and event_date < (now() at time zone 'utc')::date
    group by event_date
),
final as (
    select
        days.event_date,
        days.cost_usd::numeric(38, 9)                                                       as cost_usd,
        (avg(days.cost_usd) over (order by days.event_date
            range between interval '6 days' preceding and current row))::numeric(38, 9)   as burn_rate_7d_usd
    from days
)
select * from final;
comment on view ${schema}.daily_burn_rate is 'Tile "daily burn rate": spend per closed UTC day of the last 30 (today excluded: it is not over), with its 7-day mean.';
comment on column ${schema}.daily_burn_rate.event_date is 'UTC date (a closed day).';
comment on column ${schema}.daily_burn_rate.cost_usd is 'Cost of the day; exact USD.';
comment on column ${schema}.daily_burn_rate.burn_rate_7d_usd is 'Mean daily cost over the days with spend among the 7 ending on event_date; USD per day.';

create view ${schema}.forecast_vs_budget with (security_invoker = true) as
with
latest as (
    select max(as_of_date) as as_of_date
    from ${schema}.spend_forecast
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
        cast(null as numeric(38, 9))                          as budget_usd,
        cast(null as numeric(38, 9))                          as p50_over_budget_usd,
        forecast.method
    from ${schema}.spend_forecast as forecast
    join latest on latest.as_of_date = forecast.as_of_date
)
select * from final;
comment on view ${schema}.forecast_vs_budget is 'Tile "forecasted month-end vs budget": the latest run''s month-end forecast per scope; budgets are null until they exist.';
comment on column ${schema}.forecast_vs_budget.as_of_date is 'Run date of the forecast (the latest visible).';
comment on column ${schema}.forecast_vs_budget.month is 'First day of the month forecast (forecast.time-zone).';
comment on column ${schema}.forecast_vs_budget.scope_type is 'total, tenant, feature or model (a tenant role sees its tenant scope only).';
comment on column ${schema}.forecast_vs_budget.scope_value is 'The tenant_id, feature or model; all for the total.';
comment on column ${schema}.forecast_vs_budget.spend_to_date_usd is 'Spend of the month before as_of_date; exact USD.';
comment on column ${schema}.forecast_vs_budget.forecast_p10_usd is 'Month total: 10% chance of less; USD.';
comment on column ${schema}.forecast_vs_budget.forecast_p50_usd is 'Month total: the median forecast; USD.';
comment on column ${schema}.forecast_vs_budget.forecast_p90_usd is 'Month total: 10% chance of more; USD.';
comment on column ${schema}.forecast_vs_budget.budget_usd is 'The month''s budget for the scope; USD. Null: no budgets yet.';
comment on column ${schema}.forecast_vs_budget.p50_over_budget_usd is 'forecast_p50_usd - budget_usd; USD. Null while budget_usd is.';
comment on column ${schema}.forecast_vs_budget.method is 'weekday_trend, weekday_level or run_rate.';

create view ${schema}.anomalies_today with (security_invoker = true) as
select
    grain,
    period_start,
    scope_type,
    scope_value,
    direction,
    severity,
    actual_cost_usd,
    expected_cost_usd,
    impact_usd,
    z_score,
    top_driver,
    explanation
from ${schema}.cost_anomalies
where period_start >= date_trunc('day', now() at time zone 'utc') at time zone 'utc';
comment on view ${schema}.anomalies_today is 'Tile "anomalies today": the periods flagged since UTC midnight.';
comment on column ${schema}.anomalies_today.grain is 'hour or day.';
comment on column ${schema}.anomalies_today.period_start is 'Start of the UTC hour or day judged.';
comment on column ${schema}.anomalies_today.scope_type is 'total, tenant, feature, model, user or tenant_feature.';
comment on column ${schema}.anomalies_today.scope_value is 'The tenant_id, feature, ...; <tenant>/<feature> for tenant_feature.';
comment on column ${schema}.anomalies_today.direction is 'spike, drop or new_spend.';
comment on column ${schema}.anomalies_today.severity is 'critical, warning or info.';
comment on column ${schema}.anomalies_today.actual_cost_usd is 'What the scope spent in the period; exact USD.';
comment on column ${schema}.anomalies_today.expected_cost_usd is 'Its usual (the baseline); USD.';
comment on column ${schema}.anomalies_today.impact_usd is 'actual_cost_usd - expected_cost_usd; USD.';
comment on column ${schema}.anomalies_today.z_score is 'impact / the baseline spread (unitless); null for new_spend.';
comment on column ${schema}.anomalies_today.top_driver is 'The child that explains it best, as dimension:value.';
comment on column ${schema}.anomalies_today.explanation is 'One sentence a person can act on.';

create view ${schema}.cost_by_feature_last_30_days with (security_invoker = true) as
select
    feature,
    sum(requests)::bigint                                                          as requests,
    sum(cost_usd)::numeric(38, 9)                                                  as cost_usd,
    round(sum(cost_usd) / nullif(sum(requests - unpriced_requests), 0), 9)::numeric(38, 9)
                                                                                   as cost_per_request_usd
from ${schema}.cost_daily
where event_date > (now() at time zone 'utc')::date - 30
group by feature;
comment on view ${schema}.cost_by_feature_last_30_days is 'Tile "cost by feature, last 30 days": the 30 UTC days ending today (today so far included).';
comment on column ${schema}.cost_by_feature_last_30_days.feature is 'Product feature that made the calls.';
comment on column ${schema}.cost_by_feature_last_30_days.requests is 'Billable requests (count).';
comment on column ${schema}.cost_by_feature_last_30_days.cost_usd is 'Cost; exact USD.';
comment on column ${schema}.cost_by_feature_last_30_days.cost_per_request_usd is 'cost_usd / priced requests, half-up to 1e-9 USD; null when none was priced.';

create view ${schema}.cost_by_model_by_day with (security_invoker = true) as
select
    event_date,
    model,
    provider,
    sum(requests)::bigint                 as requests,
    sum(input_tokens)::bigint             as input_tokens,
    sum(output_tokens)::bigint            as output_tokens,
    sum(cost_usd)::numeric(38, 9)         as cost_usd
from ${schema}.cost_daily
group by event_date, model, provider;
comment on view ${schema}.cost_by_model_by_day is 'Tile "cost by model by day": one row per UTC date x model x provider; filter the dates in the question.';
comment on column ${schema}.cost_by_model_by_day.event_date is 'UTC date.';
comment on column ${schema}.cost_by_model_by_day.model is 'Model name as reported.';
comment on column ${schema}.cost_by_model_by_day.provider is 'Model provider, when reported.';
comment on column ${schema}.cost_by_model_by_day.requests is 'Billable requests (count).';
comment on column ${schema}.cost_by_model_by_day.input_tokens is 'Prompt tokens, cached ones included (count).';
comment on column ${schema}.cost_by_model_by_day.output_tokens is 'Completion tokens, reasoning included (count).';
comment on column ${schema}.cost_by_model_by_day.cost_usd is 'Cost; exact USD.';

create view ${schema}.top_20_users_by_cost with (security_invoker = true) as
with
users as (
    select
        tenant_id,
        user_id,
        sum(requests)::bigint             as requests,
        sum(cost_usd)::numeric(38, 9)     as cost_usd
    from ${schema}.cost_daily_by_user
    where event_date > (now() at time zone 'utc')::date - 30
    group by tenant_id, user_id
),
final as (
    select
        rank() over (order by cost_usd desc nulls last, tenant_id, user_id)::integer as rank,
        tenant_id,
        user_id,
        requests,
        cost_usd
    from users
)
select * from final
where rank <= 20;
comment on view ${schema}.top_20_users_by_cost is 'Tile "top 20 users by cost": the costliest users of the 30 UTC days ending today (a tenant role: its own users).';
comment on column ${schema}.top_20_users_by_cost.rank is '1 = the costliest user.';
comment on column ${schema}.top_20_users_by_cost.tenant_id is 'Tenant of the user (user ids are the tenant''s own).';
comment on column ${schema}.top_20_users_by_cost.user_id is 'End user.';
comment on column ${schema}.top_20_users_by_cost.requests is 'Billable requests (count).';
comment on column ${schema}.top_20_users_by_cost.cost_usd is 'Cost; exact USD.';

create view ${schema}.cost_per_request_by_day with (security_invoker = true) as
select
    event_date,
    feature,
    sum(requests)::bigint                                                           as requests,
    sum(cost_usd)::numeric(38, 9)                                                   as cost_usd,
    round(sum(cost_usd) / nullif(sum(requests - unpriced_requests), 0), 9)::numeric(38, 9)
                                                                                    as cost_per_request_usd
from ${schema}.cost_daily
group by event_date, feature;
comment on view ${schema}.cost_per_request_by_day is 'Tile "cost per request trend": cost per priced request per UTC day and feature.';
comment on column ${schema}.cost_per_request_by_day.event_date is 'UTC date.';
comment on column ${schema}.cost_per_request_by_day.feature is 'Product feature that made the calls.';
comment on column ${schema}.cost_per_request_by_day.requests is 'Billable requests (count).';
comment on column ${schema}.cost_per_request_by_day.cost_usd is 'Cost; exact USD.';
comment on column ${schema}.cost_per_request_by_day.cost_per_request_usd is 'cost_usd / priced requests, half-up to 1e-9 USD; null when none was priced.';

create view ${schema}.top_drivers_this_week with (security_invoker = true) as
with
week as (
    select
        event_date,
        feature,
        model,
        tenant_id || '/' || user_id as tenant_user,
        cost_usd
    from ${schema}.cost_daily
    where event_date >= date_trunc('week', now() at time zone 'utc')::date
),
by_dimension as (
    select 'feature' as dimension, feature as value, sum(cost_usd) as cost_usd from week group by feature
    union all
    select 'model' as dimension, model as value, sum(cost_usd) as cost_usd from week group by model
    union all
    select 'user' as dimension, tenant_user as value, sum(cost_usd) as cost_usd from week group by tenant_user
),
final as (
    select
        date_trunc('week', now() at time zone 'utc')::date                                       as week_start,
        dimension,
        (rank() over (partition by dimension order by cost_usd desc nulls last, value))::integer as rank,
        value,
        cost_usd::numeric(38, 9)                                                                 as cost_usd,
        round(100 * cost_usd / nullif(sum(cost_usd) over (partition by dimension), 0), 3)::numeric(7, 3)
                                                                                                 as share_of_week_pct
    from by_dimension
)
select * from final
where rank <= 5;
comment on view ${schema}.top_drivers_this_week is 'Tile "top drivers this week": the 5 costliest features, models and users of the current ISO week (UTC, Monday on).';
comment on column ${schema}.top_drivers_this_week.week_start is 'Monday of the current ISO week (UTC).';
comment on column ${schema}.top_drivers_this_week.dimension is 'feature, model or user.';
comment on column ${schema}.top_drivers_this_week.rank is '1 = the costliest value of the dimension this week.';
comment on column ${schema}.top_drivers_this_week.value is 'The feature, the model, or <tenant_id>/<user_id>.';
comment on column ${schema}.top_drivers_this_week.cost_usd is 'Cost of the week so far; exact USD.';
comment on column ${schema}.top_drivers_this_week.share_of_week_pct is 'cost_usd as a percentage of the week''s cost so far (%).';

create view ${schema}.data_freshness with (security_invoker = true) as
with
latest as (
    select
        table_name,
        max(published_at)      as last_published_at,
        max(complete_through)  as complete_through
    from ${schema}.publish_log
    group by table_name
),
final as (
    select
        table_name,
        last_published_at,
        complete_through,
        round((extract(epoch from now() - complete_through) / 3600)::numeric, 1) as hours_behind
    from latest
)
select * from final;
comment on view ${schema}.data_freshness is 'Tile "data freshness": per serving table, when it was last published and the last hour whose data is final.';
comment on column ${schema}.data_freshness.table_name is 'Serving table, e.g. cost_daily.';
comment on column ${schema}.data_freshness.last_published_at is 'When its latest publish committed (UTC instant).';
comment on column ${schema}.data_freshness.complete_through is 'Start of the last UTC hour whose data is final (latest of its publishes).';
comment on column ${schema}.data_freshness.hours_behind is 'Hours from complete_through to now (hours, one decimal).';

grant select on
    ${schema}.spend_this_month,
    ${schema}.daily_burn_rate,
    ${schema}.forecast_vs_budget,
    ${schema}.anomalies_today,
    ${schema}.cost_by_feature_last_30_days,
    ${schema}.cost_by_model_by_day,
    ${schema}.top_20_users_by_cost,
    ${schema}.cost_per_request_by_day,
    ${schema}.top_drivers_this_week,
    ${schema}.data_freshness
to ${schema}_reader;
