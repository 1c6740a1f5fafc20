-- gold.spend_forecast_daily: each scope's expected spend for the next 30 days, day by day, as of a run date.
--
-- grain:     one row per as_of_date x scope_type x scope_value x forecast_date, forecast_date from
--            as_of_date to as_of_date + 29 (past the month's end when it is near); the same scopes as
--            gold.spend_forecast.
-- cadence:   once per run date, after the nightly rollups: `costlake forecast --as-of DATE`.
-- written:   by ForecastJob, in Java, with gold.spend_forecast (the same projections); this file holds
--            only the DDL. A run replaces its as_of_date's rows in one Delta commit (replaceWhere on
--            as_of_date), so a re-run gives the same rows.
-- interval:  P10 and P90 of one day's spend, so wider relative to the day than the month's interval
--            (daily noise averages out over a month); never below zero.
-- money:     estimates rounded half-up to the cent, in DECIMAL(38,9) like every gold amount.
-- layout:    not partitioned, like gold.spend_forecast.

create table if not exists gold.spend_forecast_daily (
    as_of_date       date           not null comment 'Run date of the forecast.',
    scope_type       string         not null comment 'total, tenant, feature or model.',
    scope_value      string         not null comment 'The tenant_id, feature or model; all for the total.',
    forecast_date    date           not null comment 'The day forecast (forecast.time-zone).',
    day_of_week      string         not null comment 'Mon .. Sun.',
    is_weekend       boolean        not null comment 'Saturday or Sunday.',
    forecast_p10_usd decimal(38, 9) not null comment 'Spend of the day: 10% chance of less. Cents.',
    forecast_p50_usd decimal(38, 9) not null comment 'Spend of the day: the median forecast. Cents.',
    forecast_p90_usd decimal(38, 9) not null comment 'Spend of the day: 10% chance of more. Cents.',
    method           string         not null comment 'weekday_trend, weekday_level or run_rate (as in gold.spend_forecast).'
)
using delta
location ${location};
