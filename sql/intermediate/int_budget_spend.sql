-- int_budget_spend: what each budget's scope spent on each local day of a stretch of time.
--
-- grain:     one row per budget_name x scope_value x local_date with priced spend: a budget on one
--            value has that value's rows; a budget on each value of a dimension (scope value *:
--            user:*, tag:team=*) a row per value with spend.
-- source:    silver.cost_events (every scope, project and tags included) and the budgets (the
--            temporary view alert_budgets that dev.costlake.alert.BudgetJob registers).
-- cadence:   read by gold/budget_status.sql in the nightly (the month's days before the run date)
--            and by int_budget_status_intraday.sql in the hourly (the days since the latest
--            nightly's run date, up to the end of the last complete hour).
-- params:    time_zone (forecast.time-zone: local_date is the event's date there), from_time and
--            until_time (UTC timestamps: events with from_time <= event_time < until_time count),
--            utc_from and utc_to (the UTC event_date partitions that can hold them).
-- money:     spent_usd is the exact sum of cost_usd_nanos in USD; unpriced events spend nothing.

with

budgets as (
    select * from alert_budgets
),

events as (
    select
        to_date(from_utc_timestamp(event_time, ${time_zone})) as local_date,
        tenant_id,
        feature,
        user_id,
        model,
        project,
        tags,
        cost_usd_nanos
    from silver.cost_events
    where event_date between ${utc_from} and ${utc_to}
      and event_time >= ${from_time}
      and event_time < ${until_time}
      and cost_usd_nanos is not null
),

-- Each event's value of each budget's dimension; a budget takes the events of its value, or
-- (scope value *) every event with a value, each value a scope of its own.
scoped as (
    select
        b.budget_name,
        b.scope_value as wanted,
        case b.scope_type
            when 'all' then 'all'
            when 'tenant' then e.tenant_id
            when 'feature' then e.feature
            when 'user' then e.user_id
            when 'model' then e.model
            when 'project' then e.project
            when 'tag' then e.tags[b.tag_key]
        end as scope_value,
        e.local_date,
        e.cost_usd_nanos
    from events as e
    cross join budgets as b
),

final as (
    select
        budget_name,
        scope_value,
        local_date,
        cast(sum(cast(cost_usd_nanos as decimal(38, 0))) / 1000000000 as decimal(38, 9)) as spent_usd
    from scoped
    where scope_value is not null
      and (wanted = '*' or scope_value = wanted)
    group by budget_name, scope_value, local_date
)

select * from final
