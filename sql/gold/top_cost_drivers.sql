-- gold.top_cost_drivers: "the top 5 cost drivers this week", per dimension, with the change vs last week.
--
-- grain:     one row per ISO week (week_start, its Monday, UTC) x dimension x rank (1 .. top_n).
--            dimension is tenant, feature, model, user or region; value is the tenant_id, feature,
--            model, user_id or region ('(none)' when not reported). A model reported under two
--            providers, or a user id used by two tenants, is one value here.
-- source:    the per-dimension daily tables and gold.cost_daily_total, for the weeks and the weeks
--            before them.
-- written:   the weeks of the window and the week after each (whose change vs the previous week
--            depends on it) are replaced in one Delta commit (replaceWhere on week_start).
-- params:    week_starts (date literals, Mondays), from_date and to_date (date literals: the first day
--            of the week before the first week, the last day of the last week), top_n.
-- order:     by cost, then by value, so ties rank the same way on every run.
-- week:      a week in progress covers the days so far; its change compares it with the whole week before.

create table if not exists gold.top_cost_drivers (
    week_start             date           not null comment 'Monday of the ISO week (UTC).',
    iso_week               string         not null comment 'ISO year and week, e.g. 2026-W47.',
    dimension              string         not null comment 'tenant, feature, model, user or region.',
    rank                   int            not null comment '1 = the largest cost of the week in this dimension.',
    value                  string         not null comment 'The tenant_id, feature, model, user_id or region.',
    requests               bigint         not null comment 'Requests of the week with this value.',
    cost_usd               decimal(38, 9)          comment 'Cost of the week with this value; exact USD.',
    share_of_week_pct      decimal(7, 3)           comment 'cost_usd as a percentage of the whole week''s cost.',
    previous_week_cost_usd decimal(38, 9)          comment 'Cost of the same value the week before; null if none.',
    change_usd             decimal(38, 9)          comment 'cost_usd minus previous_week_cost_usd (a missing cost counts as 0).',
    change_pct             decimal(12, 3)          comment 'change_usd as a percentage of previous_week_cost_usd; null if that is null or 0.'
)
using delta
location ${location};

with

daily_values as (
    select 'tenant' as dimension, event_date, tenant_id as value, requests, cost_usd
    from gold.cost_daily_by_tenant where event_date between ${from_date} and ${to_date}
    union all
    select 'feature', event_date, feature, requests, cost_usd
    from gold.cost_daily_by_feature where event_date between ${from_date} and ${to_date}
    union all
    select 'model', event_date, model, requests, cost_usd
    from gold.cost_daily_by_model where event_date between ${from_date} and ${to_date}
    union all
    select 'user', event_date, user_id, requests, cost_usd
    from gold.cost_daily_by_user where event_date between ${from_date} and ${to_date}
    union all
    select 'region', event_date, coalesce(region, '(none)'), requests, cost_usd
    from gold.cost_daily_by_region where event_date between ${from_date} and ${to_date}
),

weekly as (
    select
        dimension,
        cast(date_trunc('week', event_date) as date) as week_start,
        value,
        sum(requests) as requests,
        sum(cost_usd) as cost_usd
    from daily_values
    group by dimension, cast(date_trunc('week', event_date) as date), value
),

week_totals as (
    select
        cast(date_trunc('week', event_date) as date) as week_start,
        sum(cost_usd) as cost_usd
    from gold.cost_daily_total
    where event_date between ${from_date} and ${to_date}
    group by cast(date_trunc('week', event_date) as date)
),

ranked as (
    select
        this_week.week_start,
        this_week.dimension,
        this_week.value,
        this_week.requests,
        this_week.cost_usd,
        previous_week.cost_usd as previous_week_cost_usd,
        row_number() over (
            partition by this_week.week_start, this_week.dimension
            order by this_week.cost_usd desc nulls last, this_week.value
        ) as rank
    from weekly as this_week
    left join weekly as previous_week
        on previous_week.dimension = this_week.dimension
        and previous_week.value = this_week.value
        and previous_week.week_start = date_sub(this_week.week_start, 7)
    where this_week.week_start in (${week_starts})
),

final as (
    select
        ranked.week_start,
        concat(extract(yearofweek from ranked.week_start), '-W', lpad(cast(weekofyear(ranked.week_start) as string), 2, '0'))
            as iso_week,
        ranked.dimension,
        cast(ranked.rank as int) as rank,
        ranked.value,
        ranked.requests,
        ranked.cost_usd,
        cast(ranked.cost_usd * 100 / nullif(week_totals.cost_usd, 0) as decimal(7, 3)) as share_of_week_pct,
        ranked.previous_week_cost_usd,
        coalesce(ranked.cost_usd, 0) - coalesce(ranked.previous_week_cost_usd, 0) as change_usd,
        cast((coalesce(ranked.cost_usd, 0) - ranked.previous_week_cost_usd) * 100
            / nullif(ranked.previous_week_cost_usd, 0) as decimal(12, 3)) as change_pct
    from ranked
    left join week_totals
        on week_totals.week_start = ranked.week_start
    where ranked.rank <= ${top_n}
)

select * from final
