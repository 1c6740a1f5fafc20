-- gold.budget_status: how much of each monthly budget and quota is used, and where it is heading.
--
-- grain:     one row per as_of_date x budget_name x scope_value (budgets.<name> in the config):
--            every budget on one scope, with or without spend; a budget on each value of a
--            dimension (scope user:*, project:*, tag:team=*, ...: a quota per user, say) has a row
--            for each value with spend in the month.
-- cadence:   nightly, after the month-end forecasts (dev.costlake.alert.BudgetJob); a run replaces
--            its as_of_date's rows in one Delta commit (replaceWhere on as_of_date), so a re-run
--            gives the same rows.
-- month:     the calendar month of as_of_date in forecast.time-zone (the reporting time zone);
--            spent_usd covers its days before as_of_date, like gold.spend_forecast.spend_to_date_usd.
-- source:    the budgets (a temporary view the job registers, alert_budgets), their spend per day
--            (budget_spend: intermediate/int_budget_spend.sql over silver.cost_events, every scope,
--            project and tags included), gold.spend_forecast of as_of_date for the forecasts
--            (scopes all, tenant, feature and model; null for the others).
-- status:    exceeded (spent >= exceed_pct of the budget), else forecast_exceeds (the forecast of
--            forecast_basis above the budget by more than forecast_margin_pct), else warning
--            (spent >= warn_pct), else ok.
-- money:     spent_usd and last_day_spent_usd are exact sums; pct_used is rounded half-up to 0.01.
-- params:    as_of_date, month_start, month_end, time_zone.

create table if not exists gold.budget_status (
    -- ids
    as_of_date                date           not null comment 'Run date: spent_usd runs through the day before it.',
    budget_name               string         not null comment 'budgets.<name> in the config.',
    -- dimensions
    kind                      string         not null comment 'budget, or quota (a budget on a user or a project).',
    scope_type                string         not null comment 'all, tenant, feature, user, model, project or tag.',
    scope_value               string         not null comment 'The tenant_id, feature, ...; all for all; the value of the tag. For a budget on each value (*), the value of this row.',
    tag_key                   string                  comment 'The tag''s key for a tag scope; null otherwise.',
    month                     date           not null comment 'First day of the month of as_of_date (forecast.time-zone).',
    time_zone                 string         not null comment 'forecast.time-zone: the zone of the dates.',
    days_in_month             int            not null comment 'Calendar days of the month.',
    days_elapsed              int            not null comment 'Days of the month before as_of_date (0 on the 1st).',
    -- measures
    budget_usd                decimal(38, 9) not null comment 'The monthly amount; USD.',
    spent_usd                 decimal(38, 9) not null comment 'Spend of the scope in the month before as_of_date; exact USD.',
    last_day_spent_usd        decimal(38, 9) not null comment 'Spend of the scope on the day before as_of_date (0 on the 1st); exact USD.',
    pct_used                  decimal(38, 2) not null comment '100 x spent_usd / budget_usd, rounded half-up.',
    forecast_p50_usd          decimal(38, 9)          comment 'Month-end forecast P50 of the scope (gold.spend_forecast); null without one.',
    forecast_p90_usd          decimal(38, 9)          comment 'Month-end forecast P90; null without one.',
    projected_exhaustion_date date                    comment 'The day the budget was used up, or will be at the month''s mean daily spend so far; null if it lasts the month.',
    -- thresholds
    warn_pct                  decimal(38, 9) not null comment 'warning at spent_usd >= this % of the budget (default 80).',
    exceed_pct                decimal(38, 9) not null comment 'exceeded at spent_usd >= this % of the budget (default 100).',
    forecast_basis            string         not null comment 'p50, p90 or none: the forecast compared with the budget.',
    forecast_margin_pct       decimal(38, 9) not null comment 'forecast_exceeds when that forecast is above the budget by more than this % (default 10).',
    -- verdict
    status                    string         not null comment 'ok, warning, exceeded or forecast_exceeds.'
)
using delta
location ${location};

with

budgets as (
    select * from alert_budgets
),

-- The scopes' spend per local day of the month before as_of_date (int_budget_spend.sql).
daily as (
    select * from budget_spend
),

cumulative as (
    select
        budget_name,
        scope_value,
        local_date,
        sum(spent_usd) over (partition by budget_name, scope_value order by local_date) as to_date_usd
    from daily
),

spent as (
    select
        budget_name,
        scope_value,
        sum(spent_usd)                                                               as spent_usd,
        sum(case when local_date = date_sub(${as_of_date}, 1) then spent_usd else 0 end) as last_day_spent_usd
    from daily
    group by budget_name, scope_value
),

used_up as (
    select
        c.budget_name,
        c.scope_value,
        min(c.local_date) as used_up_on
    from cumulative as c
    inner join budgets as b on b.budget_name = c.budget_name
    where c.to_date_usd >= b.budget_usd
    group by c.budget_name, c.scope_value
),

-- The scopes reported: a budget's one value, or each value of a budget on * that had spend.
scopes as (
    select
        budget_name,
        scope_value
    from budgets
    where scope_value <> '*'

    union all

    select
        s.budget_name,
        s.scope_value
    from spent as s
    inner join budgets as b on b.budget_name = s.budget_name
    where b.scope_value = '*'
),

forecasts as (
    select
        case scope_type when 'total' then 'all' else scope_type end as scope_type,
        scope_value,
        forecast_p50_usd,
        forecast_p90_usd
    from gold.spend_forecast
    where as_of_date = ${as_of_date}
),

measured as (
    select
        b.budget_name,
        b.kind,
        b.scope_type,
        sc.scope_value,
        b.tag_key,
        b.budget_usd,
        b.warn_pct,
        b.exceed_pct,
        b.forecast_basis,
        b.forecast_margin_pct,
        cast(coalesce(s.spent_usd, 0) as decimal(38, 9))          as spent_usd,
        cast(coalesce(s.last_day_spent_usd, 0) as decimal(38, 9)) as last_day_spent_usd,
        f.forecast_p50_usd,
        f.forecast_p90_usd,
        u.used_up_on,
        datediff(${as_of_date}, ${month_start})                   as days_elapsed
    from scopes as sc
    inner join budgets as b on b.budget_name = sc.budget_name
    left join spent as s on s.budget_name = sc.budget_name and s.scope_value = sc.scope_value
    left join used_up as u on u.budget_name = sc.budget_name and u.scope_value = sc.scope_value
    left join forecasts as f
        on f.scope_type = b.scope_type and f.scope_value = sc.scope_value
),

judged as (
    select
        *,
        case forecast_basis
            when 'p50' then forecast_p50_usd
            when 'p90' then forecast_p90_usd
        end as compared_forecast_usd,
        -- At the month's mean daily spend so far, the remaining budget lasts ceil(left / mean) days
        -- from as_of_date on: remaining x days_elapsed / spent, exactly.
        case
            when used_up_on is not null then used_up_on
            when days_elapsed > 0 and spent_usd > 0
                then date_add(${as_of_date},
                    cast(ceil((budget_usd - spent_usd) * days_elapsed / spent_usd) as int) - 1)
        end as exhaustion_date
    from measured
),

final as (
    select
        -- ids
        ${as_of_date}                                                          as as_of_date,
        budget_name,
        -- dimensions
        kind,
        scope_type,
        scope_value,
        tag_key,
        ${month_start}                                                         as month,
        ${time_zone}                                                           as time_zone,
        day(${month_end})                                                      as days_in_month,
        days_elapsed,
        -- measures
        budget_usd,
        spent_usd,
        last_day_spent_usd,
        cast(round(spent_usd * 100 / budget_usd, 2) as decimal(38, 2))         as pct_used,
        forecast_p50_usd,
        forecast_p90_usd,
        case when exhaustion_date <= ${month_end} then exhaustion_date end     as projected_exhaustion_date,
        -- thresholds
        warn_pct,
        exceed_pct,
        forecast_basis,
        forecast_margin_pct,
        -- verdict
        case
            when spent_usd * 100 >= budget_usd * exceed_pct then 'exceeded'
            when compared_forecast_usd * 100 > budget_usd * (100 + forecast_margin_pct) then 'forecast_exceeds'
            when spent_usd * 100 >= budget_usd * warn_pct then 'warning'
            else 'ok'
        end                                                                    as status
    from judged
)

select * from final
