-- The rollups stop carrying the user (costlake's "light runs"): cost_hourly and cost_daily become one
-- row per hour (day) x tenant_id x feature x project x model x provider x region x environment x
-- operation x service_tier, and users live in cost_daily_by_user, which gains the feature and model
-- that cost each user the most that day.
--
-- data:      the two regrained tables are emptied: their old rows have a grain the new ones cannot be
--            mixed with. `costlake publish` (every row, the default) fills them again from the
--            lakehouse, which `costlake upgrade` rebuilt first. The other tables keep their rows.
-- staging:   the staging copies are made again from the serving tables, so they match column for column.
-- views:     top_drivers_this_week read users from cost_daily; it now reads them from cost_daily_by_user
--            (same columns, same values).

drop view ${schema}.top_drivers_this_week;

truncate ${schema}.cost_hourly, ${schema}.cost_daily;

alter table ${schema}.cost_hourly
    drop column user_id,
    add column project text,
    add column service_tier text not null;
comment on table ${schema}.cost_hourly is 'What was spent, hour by hour, at the grain dashboards slice by (no user). Grain: one row per UTC event_hour x tenant_id x feature x project x model x provider x region x environment x operation x service_tier (a null project, provider, region or environment is a value of its own). Published from gold.cost_hourly by costlake publish.';
comment on column ${schema}.cost_hourly.project is 'Project, when reported.';
comment on column ${schema}.cost_hourly.service_tier is 'standard, batch, flex or priority.';

alter table ${schema}.cost_daily
    drop column user_id,
    add column project text,
    add column service_tier text not null;
comment on table ${schema}.cost_daily is 'gold.cost_hourly at the UTC day. Grain: one row per UTC event_date x tenant_id x feature x project x model x provider x region x environment x operation x service_tier (no user: see cost_daily_by_user). Published from gold.cost_daily by costlake publish.';
comment on column ${schema}.cost_daily.project is 'Project, when reported.';
comment on column ${schema}.cost_daily.service_tier is 'standard, batch, flex or priority.';

alter table ${schema}.cost_daily_by_user
    add column top_feature text,
    add column top_model text;
comment on table ${schema}.cost_daily_by_user is 'What each user spent each day, with where most of it went. Grain: one row per UTC event_date x tenant_id x user_id (user ids are the tenant''s own). Published from gold.cost_daily_by_user by costlake publish.';
comment on column ${schema}.cost_daily_by_user.top_feature is 'The feature that cost the user the most that day (ties: the first by name); null if nothing was priced.';
comment on column ${schema}.cost_daily_by_user.top_model is 'The model that cost the user the most that day (ties: the first by name); null if nothing was priced.';

-- The staging copies, made again as V2 made them (its procedure was dropped after use).
do $$
declare
    serving_table text;
begin
    foreach serving_table in array array['cost_hourly', 'cost_daily', 'cost_daily_by_user'] loop
        execute format('drop table %I.%I', '${staging_schema}', serving_table);
        execute format('create table %I.%I (like %I.%I)', '${staging_schema}', serving_table, '${schema}', serving_table);
        execute format('alter table %I.%I add column publish_id text not null, '
                       'add column staged_at timestamptz not null default now()', '${staging_schema}', serving_table);
        execute format('create index on %I.%I (publish_id)', '${staging_schema}', serving_table);
        execute format('comment on table %I.%I is %L', '${staging_schema}', serving_table,
                       'Staging for ' || serving_table || ': rows of one publish (publish_id) before they replace its window.');
    end loop;
end
$$;

create view ${schema}.top_drivers_this_week with (security_invoker = true) as
with
week as (
    select event_date, feature, model, cost_usd
    from ${schema}.cost_daily
    where event_date >= date_trunc('week', now() at time zone 'utc')::date
),
week_users as (
    select tenant_id || '/' || user_id as tenant_user, cost_usd
    from ${schema}.cost_daily_by_user
    where event_date >= date_trunc('week', now() at time zone 'utc')::date
),
by_dimension as (
    select 'feature' as dimension, feature as value, sum(cost_usd) as cost_usd from week group by feature
    union all
    select 'model' as dimension, model as value, sum(cost_usd) as cost_usd from week group by model
    union all
    select 'user' as dimension, tenant_user as value, sum(cost_usd) as cost_usd from week_users group by tenant_user
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
grant select on ${schema}.top_drivers_this_week to ${schema}_reader;
