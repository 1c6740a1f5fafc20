-- int_budget_status_intraday: every budget and quota as of the end of the last complete hour, for
-- the hourly job's budget and quota rules (a runaway user should not wait for the nightly).
--
-- grain:     one row per budget_name x scope_value, as gold.budget_status: a budget on one value,
--            with or without spend; a budget on each value of a dimension (*) a row per value with
--            spend in the month. Not a table: the hourly judges it and keeps only the alerts.
-- month:     the calendar month (forecast.time-zone) of the hour's local date, as_of_date.
-- spend:     the latest nightly's spent_usd (gold.budget_status of base_date: the month's days
--            before it) plus budget_spend (int_budget_spend.sql: local days from base_date to the
--            hour's end). So an hourly run reads a day or two of silver, not the month. Without a
--            nightly this month, or when a budget was added or changed since it, base_date is the
--            month's first day and budget_spend covers it all.
-- forecast:  gold.spend_forecast of forecast_date, the month's latest nightly forecasts (scopes all,
--            tenant, feature and model, as gold.budget_status).
-- status:    as gold.budget_status: exceeded, else forecast_exceeds, else warning, else ok.
-- exhausted: projected_exhaustion_date is the local day the budget was used up; null while it is
--            not (the hourly does not project); last_day_spent_usd is null (a day's pace is nightly).
-- money:     spent_usd exact; pct_used rounded half-up to 0.01.
-- params:    as_of_date, base_date, forecast_date, month_start, month_end, time_zone.

with

budgets as (
    select * from alert_budgets
),

nightly as (
    select
        budget_name,
        scope_value,
        spent_usd,
        projected_exhaustion_date
    from gold.budget_status
    where as_of_date = ${base_date}
),

forecasts as (
    select
        case scope_type when 'total' then 'all' else scope_type end as scope_type,
        scope_value,
        forecast_p50_usd,
        forecast_p90_usd
    from gold.spend_forecast
    where as_of_date = ${forecast_date}
),

since as (
    select * from budget_spend
),

since_total as (
    select
        budget_name,
        scope_value,
        sum(spent_usd) as spent_usd
    from since
    group by budget_name, scope_value
),

-- A budget's one value; each value of a budget on * with spend in the nightly's days or since.
scopes as (
    select
        budget_name,
        scope_value
    from budgets
    where scope_value <> '*'

    union

    select
        x.budget_name,
        x.scope_value
    from (
        select budget_name, scope_value from nightly
        union
        select budget_name, scope_value from since_total
    ) as x
    inner join budgets as b on b.budget_name = x.budget_name
    where b.scope_value = '*'
),

-- The first local day since base_date on which the month's spend reached the budget.
used_up_since as (
    select
        c.budget_name,
        c.scope_value,
        min(c.local_date) as used_up_on
    from (
        select
            budget_name,
            scope_value,
            local_date,
            sum(spent_usd) over (partition by budget_name, scope_value order by local_date) as since_usd
        from since
    ) as c
    inner join budgets as b on b.budget_name = c.budget_name
    left join nightly as n on n.budget_name = c.budget_name and n.scope_value = c.scope_value
    where coalesce(n.spent_usd, 0) + c.since_usd >= b.budget_usd
    group by c.budget_name, c.scope_value
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
        cast(coalesce(n.spent_usd, 0) + coalesce(s.spent_usd, 0) as decimal(38, 9)) as spent_usd,
        f.forecast_p50_usd,
        f.forecast_p90_usd,
        case
            when n.spent_usd >= b.budget_usd then n.projected_exhaustion_date
            else u.used_up_on
        end                                                                    as used_up_on
    from scopes as sc
    inner join budgets as b on b.budget_name = sc.budget_name
    left join nightly as n on n.budget_name = sc.budget_name and n.scope_value = sc.scope_value
    left join since_total as s on s.budget_name = sc.budget_name and s.scope_value = sc.scope_value
    left join used_up_since as u on u.budget_name = sc.budget_name and u.scope_value = sc.scope_value
    left join forecasts as f on f.scope_type = b.scope_type and f.scope_value = sc.scope_value
),

final as (
    select
        ${as_of_date}                                                          as as_of_date,
        budget_name,
        kind,
        scope_type,
        scope_value,
        tag_key,
        ${month_start}                                                         as month,
        ${time_zone}                                                           as time_zone,
        day(${month_end})                                                      as days_in_month,
        budget_usd,
        spent_usd,
        cast(null as decimal(38, 9))                                           as last_day_spent_usd,
        cast(round(spent_usd * 100 / budget_usd, 2) as decimal(38, 2))         as pct_used,
        forecast_p50_usd,
        forecast_p90_usd,
        used_up_on                                                             as projected_exhaustion_date,
        forecast_basis,
        case
            when spent_usd * 100 >= budget_usd * exceed_pct then 'exceeded'
            when case forecast_basis
                     when 'p50' then forecast_p50_usd
                     when 'p90' then forecast_p90_usd
                 end * 100 > budget_usd * (100 + forecast_margin_pct) then 'forecast_exceeds'
            when spent_usd * 100 >= budget_usd * warn_pct then 'warning'
            else 'ok'
        end                                                                    as status
    from measured
)

select * from final
