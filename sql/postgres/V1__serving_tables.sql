-- The serving tables: the gold tables' names and columns in PostgreSQL, for Metabase, Looker and SQL.
--
-- owner:     these migrations (Flyway, `costlake db migrate`); Spark never creates, drops or
--            truncates them. `costlake publish` (dev.costlake.serve.Publisher) replaces a window of
--            rows per table in one transaction (delete the window, insert from staging).
-- types:     Delta decimal(p, s) -> numeric(p, s) (exact USD, same scale); bigint stays bigint;
--            string -> text; timestamp (an instant) -> timestamptz; date stays date;
--            gold.cost_anomalies.contributors (array of structs) -> jsonb (an array of objects).
--            dev.costlake.serve.ServingSchemaTest fails when a table drifts from its gold table.
-- grain:     each table's grain is its gold table's: see sql/gold/<table>.sql and docs/tables.md.
-- schema:    ${schema} is postgres.schema (default costlake).

create table ${schema}.cost_hourly (
    event_date          date not null,
    event_hour          timestamptz not null,
    tenant_id           text not null,
    feature             text not null,
    user_id             text not null,
    model               text not null,
    provider            text,
    region              text,
    environment         text,
    operation           text not null,
    requests            bigint not null,
    unpriced_requests   bigint not null,
    input_tokens        bigint not null,
    cached_input_tokens bigint not null,
    cache_write_tokens  bigint not null,
    output_tokens       bigint not null,
    reasoning_tokens    bigint not null,
    unpriced_tokens     bigint not null,
    cost_usd            numeric(38, 9),
    list_cost_usd       numeric(38, 9)
);
comment on table ${schema}.cost_hourly is 'What was spent, hour by hour, at the finest grain dashboards slice by. Grain: one row per UTC event_hour x tenant_id x feature x user_id x model x provider x region x environment x operation (null region, environment or provider is a value of its own). Published from gold.cost_hourly by costlake publish.';
comment on column ${schema}.cost_hourly.event_date is 'UTC date of event_hour; the partition column.';
comment on column ${schema}.cost_hourly.event_hour is 'UTC hour the requests happened in.';
comment on column ${schema}.cost_hourly.tenant_id is 'Customer or business unit.';
comment on column ${schema}.cost_hourly.feature is 'Product feature that made the calls.';
comment on column ${schema}.cost_hourly.user_id is 'End user.';
comment on column ${schema}.cost_hourly.model is 'Model name as reported.';
comment on column ${schema}.cost_hourly.provider is 'Model provider, when reported.';
comment on column ${schema}.cost_hourly.region is 'Serving region, when reported.';
comment on column ${schema}.cost_hourly.environment is 'production, staging, ..., when reported.';
comment on column ${schema}.cost_hourly.operation is 'chat, completion, embedding, ...';
comment on column ${schema}.cost_hourly.requests is 'Billable requests.';
comment on column ${schema}.cost_hourly.unpriced_requests is 'Requests with no cost at all (no reported cost, no catalog price).';
comment on column ${schema}.cost_hourly.input_tokens is 'Prompt tokens, cached ones included.';
comment on column ${schema}.cost_hourly.cached_input_tokens is 'Prompt tokens read from the provider cache.';
comment on column ${schema}.cost_hourly.cache_write_tokens is 'Prompt tokens written to the provider cache.';
comment on column ${schema}.cost_hourly.output_tokens is 'Completion tokens, reasoning included.';
comment on column ${schema}.cost_hourly.reasoning_tokens is 'Reasoning tokens (part of output_tokens).';
comment on column ${schema}.cost_hourly.unpriced_tokens is 'Input + output tokens of the unpriced requests.';
comment on column ${schema}.cost_hourly.cost_usd is 'The cost: reported where the caller reported one, else list; exact USD.';
comment on column ${schema}.cost_hourly.list_cost_usd is 'Cost at catalog prices, for the requests a price matched; exact USD.';
create index cost_hourly_event_date_tenant_id_idx on ${schema}.cost_hourly (event_date, tenant_id);
create index cost_hourly_tenant_id_event_hour_idx on ${schema}.cost_hourly (tenant_id, event_hour);

create table ${schema}.cost_daily (
    event_date          date not null,
    tenant_id           text not null,
    feature             text not null,
    user_id             text not null,
    model               text not null,
    provider            text,
    region              text,
    environment         text,
    operation           text not null,
    requests            bigint not null,
    unpriced_requests   bigint not null,
    input_tokens        bigint not null,
    cached_input_tokens bigint not null,
    cache_write_tokens  bigint not null,
    output_tokens       bigint not null,
    reasoning_tokens    bigint not null,
    unpriced_tokens     bigint not null,
    cost_usd            numeric(38, 9),
    list_cost_usd       numeric(38, 9)
);
comment on table ${schema}.cost_daily is 'gold.cost_hourly at the UTC day. Grain: one row per UTC event_date x tenant_id x feature x user_id x model x provider x region x environment x operation. Published from gold.cost_daily by costlake publish.';
comment on column ${schema}.cost_daily.event_date is 'UTC date; the partition column.';
comment on column ${schema}.cost_daily.tenant_id is 'Customer or business unit.';
comment on column ${schema}.cost_daily.feature is 'Product feature that made the calls.';
comment on column ${schema}.cost_daily.user_id is 'End user.';
comment on column ${schema}.cost_daily.model is 'Model name as reported.';
comment on column ${schema}.cost_daily.provider is 'Model provider, when reported.';
comment on column ${schema}.cost_daily.region is 'Serving region, when reported.';
comment on column ${schema}.cost_daily.environment is 'production, staging, ..., when reported.';
comment on column ${schema}.cost_daily.operation is 'chat, completion, embedding, ...';
comment on column ${schema}.cost_daily.requests is 'Billable requests.';
comment on column ${schema}.cost_daily.unpriced_requests is 'Requests with no cost at all.';
comment on column ${schema}.cost_daily.input_tokens is 'Prompt tokens, cached ones included.';
comment on column ${schema}.cost_daily.cached_input_tokens is 'Prompt tokens read from the provider cache.';
comment on column ${schema}.cost_daily.cache_write_tokens is 'Prompt tokens written to the provider cache.';
comment on column ${schema}.cost_daily.output_tokens is 'Completion tokens, reasoning included.';
comment on column ${schema}.cost_daily.reasoning_tokens is 'Reasoning tokens (part of output_tokens).';
comment on column ${schema}.cost_daily.unpriced_tokens is 'Input + output tokens of the unpriced requests.';
comment on column ${schema}.cost_daily.cost_usd is 'Reported cost where there is one, else list cost; exact USD.';
comment on column ${schema}.cost_daily.list_cost_usd is 'Cost at catalog prices where a price matched; exact USD.';
create index cost_daily_event_date_tenant_id_idx on ${schema}.cost_daily (event_date, tenant_id);
create index cost_daily_tenant_id_event_date_feature_idx on ${schema}.cost_daily (tenant_id, event_date, feature);
create index cost_daily_tenant_id_event_date_model_idx on ${schema}.cost_daily (tenant_id, event_date, model);

create table ${schema}.cost_daily_by_tenant (
    event_date             date not null,
    tenant_id              text not null,
    requests               bigint not null,
    unpriced_requests      bigint not null,
    input_tokens           bigint not null,
    cached_input_tokens    bigint not null,
    cache_write_tokens     bigint not null,
    output_tokens          bigint not null,
    reasoning_tokens       bigint not null,
    unpriced_tokens        bigint not null,
    cost_usd               numeric(38, 9),
    list_cost_usd          numeric(38, 9),
    cost_per_request_usd   numeric(38, 9),
    cost_per_1k_tokens_usd numeric(38, 9)
);
comment on table ${schema}.cost_daily_by_tenant is 'gold.cost_daily by tenant, compact, for fast dashboards. Grain: one row per UTC event_date x tenant_id. Published from gold.cost_daily_by_tenant by costlake publish.';
comment on column ${schema}.cost_daily_by_tenant.event_date is 'UTC date.';
comment on column ${schema}.cost_daily_by_tenant.tenant_id is 'Customer or business unit.';
comment on column ${schema}.cost_daily_by_tenant.requests is 'Billable requests.';
comment on column ${schema}.cost_daily_by_tenant.unpriced_requests is 'Requests with no cost at all (not in cost_usd).';
comment on column ${schema}.cost_daily_by_tenant.input_tokens is 'Prompt tokens, cached ones included.';
comment on column ${schema}.cost_daily_by_tenant.cached_input_tokens is 'Prompt tokens read from the provider cache.';
comment on column ${schema}.cost_daily_by_tenant.cache_write_tokens is 'Prompt tokens written to the provider cache.';
comment on column ${schema}.cost_daily_by_tenant.output_tokens is 'Completion tokens, reasoning included.';
comment on column ${schema}.cost_daily_by_tenant.reasoning_tokens is 'Reasoning tokens (part of output_tokens).';
comment on column ${schema}.cost_daily_by_tenant.unpriced_tokens is 'Input + output tokens of the unpriced requests.';
comment on column ${schema}.cost_daily_by_tenant.cost_usd is 'Reported cost where there is one, else list cost; exact USD.';
comment on column ${schema}.cost_daily_by_tenant.list_cost_usd is 'Cost at catalog prices where a price matched; exact USD.';
comment on column ${schema}.cost_daily_by_tenant.cost_per_request_usd is 'cost_usd / priced requests, rounded half-up to 1e-9 USD.';
comment on column ${schema}.cost_daily_by_tenant.cost_per_1k_tokens_usd is 'cost_usd per 1,000 input + output tokens of priced requests, half-up to 1e-9 USD.';
create index cost_daily_by_tenant_tenant_id_event_date_idx on ${schema}.cost_daily_by_tenant (tenant_id, event_date);

create table ${schema}.cost_daily_by_feature (
    event_date             date not null,
    feature                text not null,
    requests               bigint not null,
    unpriced_requests      bigint not null,
    input_tokens           bigint not null,
    cached_input_tokens    bigint not null,
    cache_write_tokens     bigint not null,
    output_tokens          bigint not null,
    reasoning_tokens       bigint not null,
    unpriced_tokens        bigint not null,
    cost_usd               numeric(38, 9),
    list_cost_usd          numeric(38, 9),
    cost_per_request_usd   numeric(38, 9),
    cost_per_1k_tokens_usd numeric(38, 9)
);
comment on table ${schema}.cost_daily_by_feature is 'gold.cost_daily by feature, compact, for fast dashboards. Grain: one row per UTC event_date x feature. Published from gold.cost_daily_by_feature by costlake publish.';
comment on column ${schema}.cost_daily_by_feature.event_date is 'UTC date.';
comment on column ${schema}.cost_daily_by_feature.feature is 'Product feature that made the calls.';
comment on column ${schema}.cost_daily_by_feature.requests is 'Billable requests.';
comment on column ${schema}.cost_daily_by_feature.unpriced_requests is 'Requests with no cost at all (not in cost_usd).';
comment on column ${schema}.cost_daily_by_feature.input_tokens is 'Prompt tokens, cached ones included.';
comment on column ${schema}.cost_daily_by_feature.cached_input_tokens is 'Prompt tokens read from the provider cache.';
comment on column ${schema}.cost_daily_by_feature.cache_write_tokens is 'Prompt tokens written to the provider cache.';
comment on column ${schema}.cost_daily_by_feature.output_tokens is 'Completion tokens, reasoning included.';
comment on column ${schema}.cost_daily_by_feature.reasoning_tokens is 'Reasoning tokens (part of output_tokens).';
comment on column ${schema}.cost_daily_by_feature.unpriced_tokens is 'Input + output tokens of the unpriced requests.';
comment on column ${schema}.cost_daily_by_feature.cost_usd is 'Reported cost where there is one, else list cost; exact USD.';
comment on column ${schema}.cost_daily_by_feature.list_cost_usd is 'Cost at catalog prices where a price matched; exact USD.';
comment on column ${schema}.cost_daily_by_feature.cost_per_request_usd is 'cost_usd / priced requests, rounded half-up to 1e-9 USD.';
comment on column ${schema}.cost_daily_by_feature.cost_per_1k_tokens_usd is 'cost_usd per 1,000 input + output tokens of priced requests, half-up to 1e-9 USD.';
create index cost_daily_by_feature_event_date_feature_idx on ${schema}.cost_daily_by_feature (event_date, feature);

create table ${schema}.cost_daily_by_model (
    event_date             date not null,
    model                  text not null,
    provider               text,
    requests               bigint not null,
    unpriced_requests      bigint not null,
    input_tokens           bigint not null,
    cached_input_tokens    bigint not null,
    cache_write_tokens     bigint not null,
    output_tokens          bigint not null,
    reasoning_tokens       bigint not null,
    unpriced_tokens        bigint not null,
    cost_usd               numeric(38, 9),
    list_cost_usd          numeric(38, 9),
    cost_per_request_usd   numeric(38, 9),
    cost_per_1k_tokens_usd numeric(38, 9)
);
comment on table ${schema}.cost_daily_by_model is 'gold.cost_daily by model, compact, for fast dashboards. Grain: one row per UTC event_date x model x provider (a model name reported under two providers is two rows). Published from gold.cost_daily_by_model by costlake publish.';
comment on column ${schema}.cost_daily_by_model.event_date is 'UTC date.';
comment on column ${schema}.cost_daily_by_model.model is 'Model name as reported.';
comment on column ${schema}.cost_daily_by_model.provider is 'Model provider, when reported.';
comment on column ${schema}.cost_daily_by_model.requests is 'Billable requests.';
comment on column ${schema}.cost_daily_by_model.unpriced_requests is 'Requests with no cost at all (not in cost_usd).';
comment on column ${schema}.cost_daily_by_model.input_tokens is 'Prompt tokens, cached ones included.';
comment on column ${schema}.cost_daily_by_model.cached_input_tokens is 'Prompt tokens read from the provider cache.';
comment on column ${schema}.cost_daily_by_model.cache_write_tokens is 'Prompt tokens written to the provider cache.';
comment on column ${schema}.cost_daily_by_model.output_tokens is 'Completion tokens, reasoning included.';
comment on column ${schema}.cost_daily_by_model.reasoning_tokens is 'Reasoning tokens (part of output_tokens).';
comment on column ${schema}.cost_daily_by_model.unpriced_tokens is 'Input + output tokens of the unpriced requests.';
comment on column ${schema}.cost_daily_by_model.cost_usd is 'Reported cost where there is one, else list cost; exact USD.';
comment on column ${schema}.cost_daily_by_model.list_cost_usd is 'Cost at catalog prices where a price matched; exact USD.';
comment on column ${schema}.cost_daily_by_model.cost_per_request_usd is 'cost_usd / priced requests, rounded half-up to 1e-9 USD.';
comment on column ${schema}.cost_daily_by_model.cost_per_1k_tokens_usd is 'cost_usd per 1,000 input + output tokens of priced requests, half-up to 1e-9 USD.';
create index cost_daily_by_model_event_date_model_idx on ${schema}.cost_daily_by_model (event_date, model);

create table ${schema}.cost_daily_by_user (
    event_date             date not null,
    tenant_id              text not null,
    user_id                text not null,
    requests               bigint not null,
    unpriced_requests      bigint not null,
    input_tokens           bigint not null,
    cached_input_tokens    bigint not null,
    cache_write_tokens     bigint not null,
    output_tokens          bigint not null,
    reasoning_tokens       bigint not null,
    unpriced_tokens        bigint not null,
    cost_usd               numeric(38, 9),
    list_cost_usd          numeric(38, 9),
    cost_per_request_usd   numeric(38, 9),
    cost_per_1k_tokens_usd numeric(38, 9)
);
comment on table ${schema}.cost_daily_by_user is 'gold.cost_daily by user, compact, for fast dashboards. Grain: one row per UTC event_date x tenant_id x user_id (user ids are the tenant''s own). Published from gold.cost_daily_by_user by costlake publish.';
comment on column ${schema}.cost_daily_by_user.event_date is 'UTC date.';
comment on column ${schema}.cost_daily_by_user.tenant_id is 'Customer or business unit.';
comment on column ${schema}.cost_daily_by_user.user_id is 'End user.';
comment on column ${schema}.cost_daily_by_user.requests is 'Billable requests.';
comment on column ${schema}.cost_daily_by_user.unpriced_requests is 'Requests with no cost at all (not in cost_usd).';
comment on column ${schema}.cost_daily_by_user.input_tokens is 'Prompt tokens, cached ones included.';
comment on column ${schema}.cost_daily_by_user.cached_input_tokens is 'Prompt tokens read from the provider cache.';
comment on column ${schema}.cost_daily_by_user.cache_write_tokens is 'Prompt tokens written to the provider cache.';
comment on column ${schema}.cost_daily_by_user.output_tokens is 'Completion tokens, reasoning included.';
comment on column ${schema}.cost_daily_by_user.reasoning_tokens is 'Reasoning tokens (part of output_tokens).';
comment on column ${schema}.cost_daily_by_user.unpriced_tokens is 'Input + output tokens of the unpriced requests.';
comment on column ${schema}.cost_daily_by_user.cost_usd is 'Reported cost where there is one, else list cost; exact USD.';
comment on column ${schema}.cost_daily_by_user.list_cost_usd is 'Cost at catalog prices where a price matched; exact USD.';
comment on column ${schema}.cost_daily_by_user.cost_per_request_usd is 'cost_usd / priced requests, rounded half-up to 1e-9 USD.';
comment on column ${schema}.cost_daily_by_user.cost_per_1k_tokens_usd is 'cost_usd per 1,000 input + output tokens of priced requests, half-up to 1e-9 USD.';
create index cost_daily_by_user_tenant_id_event_date_user_id_idx on ${schema}.cost_daily_by_user (tenant_id, event_date, user_id);
create index cost_daily_by_user_event_date_idx on ${schema}.cost_daily_by_user (event_date);

create table ${schema}.cost_daily_by_region (
    event_date             date not null,
    region                 text,
    requests               bigint not null,
    unpriced_requests      bigint not null,
    input_tokens           bigint not null,
    cached_input_tokens    bigint not null,
    cache_write_tokens     bigint not null,
    output_tokens          bigint not null,
    reasoning_tokens       bigint not null,
    unpriced_tokens        bigint not null,
    cost_usd               numeric(38, 9),
    list_cost_usd          numeric(38, 9),
    cost_per_request_usd   numeric(38, 9),
    cost_per_1k_tokens_usd numeric(38, 9)
);
comment on table ${schema}.cost_daily_by_region is 'gold.cost_daily by region, compact, for fast dashboards. Grain: one row per UTC event_date x region (null: region not reported). Published from gold.cost_daily_by_region by costlake publish.';
comment on column ${schema}.cost_daily_by_region.event_date is 'UTC date.';
comment on column ${schema}.cost_daily_by_region.region is 'Serving region, when reported.';
comment on column ${schema}.cost_daily_by_region.requests is 'Billable requests.';
comment on column ${schema}.cost_daily_by_region.unpriced_requests is 'Requests with no cost at all (not in cost_usd).';
comment on column ${schema}.cost_daily_by_region.input_tokens is 'Prompt tokens, cached ones included.';
comment on column ${schema}.cost_daily_by_region.cached_input_tokens is 'Prompt tokens read from the provider cache.';
comment on column ${schema}.cost_daily_by_region.cache_write_tokens is 'Prompt tokens written to the provider cache.';
comment on column ${schema}.cost_daily_by_region.output_tokens is 'Completion tokens, reasoning included.';
comment on column ${schema}.cost_daily_by_region.reasoning_tokens is 'Reasoning tokens (part of output_tokens).';
comment on column ${schema}.cost_daily_by_region.unpriced_tokens is 'Input + output tokens of the unpriced requests.';
comment on column ${schema}.cost_daily_by_region.cost_usd is 'Reported cost where there is one, else list cost; exact USD.';
comment on column ${schema}.cost_daily_by_region.list_cost_usd is 'Cost at catalog prices where a price matched; exact USD.';
comment on column ${schema}.cost_daily_by_region.cost_per_request_usd is 'cost_usd / priced requests, rounded half-up to 1e-9 USD.';
comment on column ${schema}.cost_daily_by_region.cost_per_1k_tokens_usd is 'cost_usd per 1,000 input + output tokens of priced requests, half-up to 1e-9 USD.';
create index cost_daily_by_region_event_date_region_idx on ${schema}.cost_daily_by_region (event_date, region);

create table ${schema}.cost_daily_total (
    event_date             date not null,
    requests               bigint not null,
    unpriced_requests      bigint not null,
    input_tokens           bigint not null,
    cached_input_tokens    bigint not null,
    cache_write_tokens     bigint not null,
    output_tokens          bigint not null,
    reasoning_tokens       bigint not null,
    unpriced_tokens        bigint not null,
    cost_usd               numeric(38, 9),
    list_cost_usd          numeric(38, 9),
    cost_per_request_usd   numeric(38, 9),
    cost_per_1k_tokens_usd numeric(38, 9)
);
comment on table ${schema}.cost_daily_total is 'Every request of the day, compact, for fast dashboards. Grain: one row per UTC event_date: the all-up total. Published from gold.cost_daily_total by costlake publish.';
comment on column ${schema}.cost_daily_total.event_date is 'UTC date.';
comment on column ${schema}.cost_daily_total.requests is 'Billable requests.';
comment on column ${schema}.cost_daily_total.unpriced_requests is 'Requests with no cost at all (not in cost_usd).';
comment on column ${schema}.cost_daily_total.input_tokens is 'Prompt tokens, cached ones included.';
comment on column ${schema}.cost_daily_total.cached_input_tokens is 'Prompt tokens read from the provider cache.';
comment on column ${schema}.cost_daily_total.cache_write_tokens is 'Prompt tokens written to the provider cache.';
comment on column ${schema}.cost_daily_total.output_tokens is 'Completion tokens, reasoning included.';
comment on column ${schema}.cost_daily_total.reasoning_tokens is 'Reasoning tokens (part of output_tokens).';
comment on column ${schema}.cost_daily_total.unpriced_tokens is 'Input + output tokens of the unpriced requests.';
comment on column ${schema}.cost_daily_total.cost_usd is 'Reported cost where there is one, else list cost; exact USD.';
comment on column ${schema}.cost_daily_total.list_cost_usd is 'Cost at catalog prices where a price matched; exact USD.';
comment on column ${schema}.cost_daily_total.cost_per_request_usd is 'cost_usd / priced requests, rounded half-up to 1e-9 USD.';
comment on column ${schema}.cost_daily_total.cost_per_1k_tokens_usd is 'cost_usd per 1,000 input + output tokens of priced requests, half-up to 1e-9 USD.';
create index cost_daily_total_event_date_idx on ${schema}.cost_daily_total (event_date);

create table ${schema}.top_cost_drivers (
    week_start             date not null,
    iso_week               text not null,
    dimension              text not null,
    rank                   integer not null,
    value                  text not null,
    requests               bigint not null,
    cost_usd               numeric(38, 9),
    share_of_week_pct      numeric(7, 3),
    previous_week_cost_usd numeric(38, 9),
    change_usd             numeric(38, 9),
    change_pct             numeric(12, 3)
);
comment on table ${schema}.top_cost_drivers is '"The top 5 cost drivers this week", per dimension, with the change vs last week. Grain: one row per ISO week (week_start, its Monday, UTC) x dimension x rank (1 .. top_n). dimension is tenant, feature, model, user or region; value is the tenant_id, feature, model, user_id or region (''(none)'' when not reported). A model reported under two providers, or a user id used by two tenants, is one value here. Published from gold.top_cost_drivers by costlake publish.';
comment on column ${schema}.top_cost_drivers.week_start is 'Monday of the ISO week (UTC).';
comment on column ${schema}.top_cost_drivers.iso_week is 'ISO year and week, e.g. 2026-W47.';
comment on column ${schema}.top_cost_drivers.dimension is 'tenant, feature, model, user or region.';
comment on column ${schema}.top_cost_drivers.rank is '1 = the largest cost of the week in this dimension.';
comment on column ${schema}.top_cost_drivers.value is 'The tenant_id, feature, model, user_id or region.';
comment on column ${schema}.top_cost_drivers.requests is 'Requests of the week with this value.';
comment on column ${schema}.top_cost_drivers.cost_usd is 'Cost of the week with this value; exact USD.';
comment on column ${schema}.top_cost_drivers.share_of_week_pct is 'cost_usd as a percentage of the whole week''s cost.';
comment on column ${schema}.top_cost_drivers.previous_week_cost_usd is 'Cost of the same value the week before; null if none.';
comment on column ${schema}.top_cost_drivers.change_usd is 'cost_usd minus previous_week_cost_usd (a missing cost counts as 0).';
comment on column ${schema}.top_cost_drivers.change_pct is 'change_usd as a percentage of previous_week_cost_usd; null if that is null or 0.';
create index top_cost_drivers_week_start_dimension_rank_idx on ${schema}.top_cost_drivers (week_start, dimension, rank);

create table ${schema}.cost_per_request_trend (
    event_date                date not null,
    dimension                 text not null,
    value                     text not null,
    requests                  bigint not null,
    cost_usd                  numeric(38, 9),
    cost_per_request_usd      numeric(38, 9),
    cost_per_1k_tokens_usd    numeric(38, 9),
    cost_per_request_7d_usd   numeric(38, 9),
    cost_per_1k_tokens_7d_usd numeric(38, 9)
);
comment on table ${schema}.cost_per_request_trend is 'Is a feature or a model getting dearer per request, or per token? Grain: one row per UTC event_date x dimension (''feature'' or ''model'') x value, for the days from from_date to to_date (the last 90 closed days by default) on which the value had requests. Published from gold.cost_per_request_trend by costlake publish.';
comment on column ${schema}.cost_per_request_trend.event_date is 'UTC date.';
comment on column ${schema}.cost_per_request_trend.dimension is 'feature or model.';
comment on column ${schema}.cost_per_request_trend.value is 'The feature or model name.';
comment on column ${schema}.cost_per_request_trend.requests is 'Requests that day.';
comment on column ${schema}.cost_per_request_trend.cost_usd is 'Cost that day; exact USD.';
comment on column ${schema}.cost_per_request_trend.cost_per_request_usd is 'cost_usd / priced requests that day.';
comment on column ${schema}.cost_per_request_trend.cost_per_1k_tokens_usd is 'cost_usd per 1,000 tokens of priced requests that day.';
comment on column ${schema}.cost_per_request_trend.cost_per_request_7d_usd is 'The same over the 7 days ending that day.';
comment on column ${schema}.cost_per_request_trend.cost_per_1k_tokens_7d_usd is 'The same over the 7 days ending that day.';
create index cost_per_request_trend_dimension_value_event_date_idx on ${schema}.cost_per_request_trend (dimension, value, event_date);
create index cost_per_request_trend_event_date_idx on ${schema}.cost_per_request_trend (event_date);

create table ${schema}.cost_anomalies (
    grain                         text not null,
    period_start                  timestamptz not null,
    scope_type                    text not null,
    scope_value                   text not null,
    direction                     text not null,
    severity                      text not null,
    explanation                   text not null,
    actual_cost_usd               numeric(38, 9) not null,
    expected_cost_usd             numeric(38, 9) not null,
    impact_usd                    numeric(38, 9) not null,
    pct_change                    double precision,
    z_score                       double precision,
    baseline_stddev_usd           double precision,
    actual_requests               bigint not null,
    expected_requests             double precision,
    baseline_method               text not null,
    baseline_periods              integer not null,
    stat_method                   text not null,
    top_driver                    text,
    top_factor                    text,
    contributors                  jsonb,
    volume_effect_usd             numeric(38, 9) not null,
    mix_effect_usd                numeric(38, 9) not null,
    tokens_per_request_effect_usd numeric(38, 9) not null,
    cache_hit_effect_usd          numeric(38, 9) not null,
    price_effect_usd              numeric(38, 9) not null,
    detected_at                   timestamptz not null
);
comment on table ${schema}.cost_anomalies is 'Spend that jumped or fell far from its usual, and what drove it. Grain: one row per grain (hour, day) x period_start x scope_type x scope_value that was flagged: |z| >= anomalies.z-threshold against a baseline of comparable periods, with enough baseline and a dollar impact of at least anomalies.min-impact-usd; or, once, a scope spending for the first time (direction new_spend). scope_type: total (''total''), tenant, feature, model, user, tenant_feature (''<tenant>/<feature>''). Published from gold.cost_anomalies by costlake publish.';
comment on column ${schema}.cost_anomalies.grain is 'hour or day.';
comment on column ${schema}.cost_anomalies.period_start is 'Start of the UTC hour or day judged.';
comment on column ${schema}.cost_anomalies.scope_type is 'total, tenant, feature, model, user or tenant_feature.';
comment on column ${schema}.cost_anomalies.scope_value is 'The tenant_id, feature, ...; total for total; <tenant>/<feature> for tenant_feature.';
comment on column ${schema}.cost_anomalies.direction is 'spike, drop, or new_spend (a scope spending for the first time).';
comment on column ${schema}.cost_anomalies.severity is 'critical (|z| >= 2x threshold and impact >= 10x the minimum), warning, or info (new_spend).';
comment on column ${schema}.cost_anomalies.explanation is 'One sentence a person can act on.';
comment on column ${schema}.cost_anomalies.actual_cost_usd is 'What the scope spent in the period; exact USD.';
comment on column ${schema}.cost_anomalies.expected_cost_usd is 'Its usual: the baseline mean (or median with anomalies.method = robust).';
comment on column ${schema}.cost_anomalies.impact_usd is 'actual_cost_usd - expected_cost_usd.';
comment on column ${schema}.cost_anomalies.pct_change is 'impact_usd as a percentage of expected_cost_usd; null when that is 0.';
comment on column ${schema}.cost_anomalies.z_score is 'impact / the baseline spread (floored); null for new_spend.';
comment on column ${schema}.cost_anomalies.baseline_stddev_usd is 'Spread of the baseline: standard deviation, or 1.4826 x MAD when robust.';
comment on column ${schema}.cost_anomalies.actual_requests is 'Requests of the scope in the period.';
comment on column ${schema}.cost_anomalies.expected_requests is 'Mean requests over the baseline periods.';
comment on column ${schema}.cost_anomalies.baseline_method is 'same_hour_of_week, same_hour_of_day, trailing_hours or same_day_type.';
comment on column ${schema}.cost_anomalies.baseline_periods is 'Comparable periods in the baseline (from the scope''s first spend on).';
comment on column ${schema}.cost_anomalies.stat_method is 'mean_stddev or median_mad.';
comment on column ${schema}.cost_anomalies.top_driver is 'The child that explains it best, as dimension:value (e.g. user:u_1842).';
comment on column ${schema}.cost_anomalies.top_factor is 'The largest part of the decomposition: volume, mix, tokens_per_request, cache_hit_rate or price.';
comment on column ${schema}.cost_anomalies.contributors is 'Up to 5 child values that drove it, best first: their change and share of the change vs their usual share.';
comment on column ${schema}.cost_anomalies.volume_effect_usd is 'Part of impact_usd from the number of requests.';
comment on column ${schema}.cost_anomalies.mix_effect_usd is 'Part from the mix of models (a move to a pricier model).';
comment on column ${schema}.cost_anomalies.tokens_per_request_effect_usd is 'Part from tokens per request, per model.';
comment on column ${schema}.cost_anomalies.cache_hit_effect_usd is 'Part from the share of input tokens read from the prompt cache.';
comment on column ${schema}.cost_anomalies.price_effect_usd is 'The rest: cost per token at a given cache rate (price changes, discounts, input/output mix).';
comment on column ${schema}.cost_anomalies.detected_at is 'When this row was first flagged.';
create index cost_anomalies_period_start_scope_type_scope_value_idx on ${schema}.cost_anomalies (period_start, scope_type, scope_value);
create index cost_anomalies_scope_type_scope_value_period_start_idx on ${schema}.cost_anomalies (scope_type, scope_value, period_start);

create table ${schema}.spend_forecast (
    as_of_date            date not null,
    month                 date not null,
    scope_type            text not null,
    scope_value           text not null,
    time_zone             text not null,
    days_in_month         integer not null,
    days_elapsed          integer not null,
    history_days          integer not null,
    spend_to_date_usd     numeric(38, 9) not null,
    forecast_p10_usd      numeric(38, 9) not null,
    forecast_p50_usd      numeric(38, 9) not null,
    forecast_p90_usd      numeric(38, 9) not null,
    daily_burn_rate_usd   numeric(38, 9) not null,
    baseline_forecast_usd numeric(38, 9) not null,
    method                text not null
);
comment on table ${schema}.spend_forecast is 'Where each scope''s spend is heading by the end of the month, as of a run date. Grain: one row per as_of_date x scope_type (total, tenant, feature, model) x scope_value, for every scope with spend in the run''s history window (forecast.history-days before as_of_date) or in its month to date. The total''s scope_value is ''all''. Published from gold.spend_forecast by costlake publish.';
comment on column ${schema}.spend_forecast.as_of_date is 'Run date: spend to date runs through the day before it.';
comment on column ${schema}.spend_forecast.month is 'First day of the calendar month of as_of_date (forecast.time-zone).';
comment on column ${schema}.spend_forecast.scope_type is 'total, tenant, feature or model.';
comment on column ${schema}.spend_forecast.scope_value is 'The tenant_id, feature or model; all for the total.';
comment on column ${schema}.spend_forecast.time_zone is 'forecast.time-zone: the zone of the dates.';
comment on column ${schema}.spend_forecast.days_in_month is 'Calendar days of the month (28 to 31).';
comment on column ${schema}.spend_forecast.days_elapsed is 'Days of the month before as_of_date (0 on the 1st).';
comment on column ${schema}.spend_forecast.history_days is 'Days of history the method learnt from (first spend, at most forecast.history-days back, to as_of_date - 1).';
comment on column ${schema}.spend_forecast.spend_to_date_usd is 'Spend of the month before as_of_date; exact USD.';
comment on column ${schema}.spend_forecast.forecast_p10_usd is 'Month total: 10% chance of less. Cents.';
comment on column ${schema}.spend_forecast.forecast_p50_usd is 'Month total: the median forecast. Cents.';
comment on column ${schema}.spend_forecast.forecast_p90_usd is 'Month total: 10% chance of more. Cents.';
comment on column ${schema}.spend_forecast.daily_burn_rate_usd is 'Mean daily spend of the days elapsed (on the 1st: of the last 7 days). Cents.';
comment on column ${schema}.spend_forecast.baseline_forecast_usd is 'Naive burn rate: daily_burn_rate x days_in_month, from the exact spend. Cents.';
comment on column ${schema}.spend_forecast.method is 'weekday_trend, weekday_level or run_rate.';
create index spend_forecast_as_of_date_scope_type_scope_value_idx on ${schema}.spend_forecast (as_of_date, scope_type, scope_value);

create table ${schema}.spend_forecast_daily (
    as_of_date       date not null,
    scope_type       text not null,
    scope_value      text not null,
    forecast_date    date not null,
    day_of_week      text not null,
    is_weekend       boolean not null,
    forecast_p10_usd numeric(38, 9) not null,
    forecast_p50_usd numeric(38, 9) not null,
    forecast_p90_usd numeric(38, 9) not null,
    method           text not null
);
comment on table ${schema}.spend_forecast_daily is 'Each scope''s expected spend for the next 30 days, day by day, as of a run date. Grain: one row per as_of_date x scope_type x scope_value x forecast_date, forecast_date from as_of_date to as_of_date + 29 (past the month''s end when it is near); the same scopes as gold.spend_forecast. Published from gold.spend_forecast_daily by costlake publish.';
comment on column ${schema}.spend_forecast_daily.as_of_date is 'Run date of the forecast.';
comment on column ${schema}.spend_forecast_daily.scope_type is 'total, tenant, feature or model.';
comment on column ${schema}.spend_forecast_daily.scope_value is 'The tenant_id, feature or model; all for the total.';
comment on column ${schema}.spend_forecast_daily.forecast_date is 'The day forecast (forecast.time-zone).';
comment on column ${schema}.spend_forecast_daily.day_of_week is 'Mon .. Sun.';
comment on column ${schema}.spend_forecast_daily.is_weekend is 'Saturday or Sunday.';
comment on column ${schema}.spend_forecast_daily.forecast_p10_usd is 'Spend of the day: 10% chance of less. Cents.';
comment on column ${schema}.spend_forecast_daily.forecast_p50_usd is 'Spend of the day: the median forecast. Cents.';
comment on column ${schema}.spend_forecast_daily.forecast_p90_usd is 'Spend of the day: 10% chance of more. Cents.';
comment on column ${schema}.spend_forecast_daily.method is 'weekday_trend, weekday_level or run_rate (as in gold.spend_forecast).';
create index spend_forecast_daily_as_of_date_scope_idx on ${schema}.spend_forecast_daily (as_of_date, scope_type, scope_value, forecast_date);

create table ${schema}.forecast_accuracy (
    scope_type           text not null,
    day_of_month         integer not null,
    method               text not null,
    n_forecasts          bigint not null,
    mape_pct             numeric(18, 3) not null,
    mean_error_pct       numeric(18, 3) not null,
    p10_p90_coverage_pct numeric(7, 3),
    from_month           date not null,
    to_month             date not null
);
comment on table ${schema}.forecast_accuracy is 'How good the month-end forecasts were, replayed over history, by day of month. Grain: one row per scope_type (total, tenant, feature, model, or all: every scope pooled) x day_of_month (of the run date, 1 .. 31) x method (ours: forecast_p50_usd of gold.spend_forecast; baseline: its baseline_forecast_usd). Published from gold.forecast_accuracy by costlake publish.';
comment on column ${schema}.forecast_accuracy.scope_type is 'total, tenant, feature, model, or all (every scope pooled).';
comment on column ${schema}.forecast_accuracy.day_of_month is 'Day of the month of the run dates (1 = forecast from no day of the month).';
comment on column ${schema}.forecast_accuracy.method is 'ours (the median forecast) or baseline (the naive burn rate).';
comment on column ${schema}.forecast_accuracy.n_forecasts is 'Forecasts scored: run dates x scopes.';
comment on column ${schema}.forecast_accuracy.mape_pct is 'Mean absolute percentage error of the month total.';
comment on column ${schema}.forecast_accuracy.mean_error_pct is 'Mean signed percentage error: below 0, forecasts ran low.';
comment on column ${schema}.forecast_accuracy.p10_p90_coverage_pct is 'Share of the actual totals within P10 .. P90, in %; null for the baseline (no interval).';
comment on column ${schema}.forecast_accuracy.from_month is 'First month replayed (its first day).';
comment on column ${schema}.forecast_accuracy.to_month is 'Last month replayed (its first day).';
-- The publishes: which window of which table, when, and how fresh its data is.
create table ${schema}.publish_log (
    publish_id       text        not null,
    table_name       text        not null,
    window_from      date,
    window_to        date,
    rows_published   bigint      not null,
    published_at     timestamptz not null default now(),
    complete_through timestamptz,
    primary key (publish_id, table_name)
);
comment on table ${schema}.publish_log is 'One row per table per costlake publish: the window replaced, how many rows it now holds, and how fresh it is. Append-only.';
comment on column ${schema}.publish_log.publish_id is 'Id of the publish (a UUID); one publish replaces the windows of several tables.';
comment on column ${schema}.publish_log.table_name is 'Serving table published, e.g. cost_daily (unqualified).';
comment on column ${schema}.publish_log.window_from is 'First date of the window replaced (event_date, week_start, as_of_date or period_start date, per table); null: the whole table.';
comment on column ${schema}.publish_log.window_to is 'Last date of the window replaced (inclusive); null: the whole table.';
comment on column ${schema}.publish_log.rows_published is 'Rows of the window after the publish (count).';
comment on column ${schema}.publish_log.published_at is 'When the publish committed (UTC instant).';
comment on column ${schema}.publish_log.complete_through is 'Start of the last UTC hour whose data is final in this table as of the publish: the last complete hour the run saw; null when unknown.';
create index publish_log_table_name_published_at_idx on ${schema}.publish_log (table_name, published_at);
