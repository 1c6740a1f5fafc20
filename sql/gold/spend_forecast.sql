-- gold.spend_forecast: where each scope's spend is heading by the end of the month, as of a run date.
--
-- grain:     one row per as_of_date x scope_type (total, tenant, feature, model) x scope_value, for
--            every scope with spend in the run's history window (forecast.history-days before
--            as_of_date) or in its month to date. The total's scope_value is 'all'.
-- cadence:   once per run date, after the nightly rollups: `costlake forecast --as-of DATE`.
-- written:   by ForecastJob, in Java: the daily series (sql/intermediate/int_scope_spend_*.sql) are
--            small, so they are forecast on the driver (dev.costlake.forecast.SpendForecaster); this
--            file holds only the DDL. A run replaces its as_of_date's rows in one Delta commit
--            (replaceWhere on as_of_date), so a re-run gives the same rows.
-- month:     the calendar month of as_of_date in forecast.time-zone, with its real length. Spend to
--            date covers its days before as_of_date (none on the 1st); the forecast adds the days
--            as_of_date .. the month's last day.
-- method:    weekday_trend (28+ days of history, spend every day of the last 8 weeks),
--            weekday_trend_pooled (the same for a tenant, feature or model, its trend and weekday
--            factors pulled toward the total's), weekday_level (7-27 days, or days without spend),
--            run_rate (fewer than 7): see SpendForecaster. (The column comment below predates
--            weekday_trend_pooled and stays as it was: a lakehouse's existing table holds it, and
--            Delta refuses to register a table whose DDL differs from it, comments included.)
--            baseline_forecast_usd is the naive burn rate, whatever the method.
-- money:     spend_to_date_usd is exact. Forecasts, burn rate and baseline are estimates, rounded
--            half-up to the cent and kept in DECIMAL(38,9) like every gold amount.
-- invariant: spend_to_date_usd <= forecast_p10_usd (the to-date spend is rounded up to the cent for
--            this) <= forecast_p50_usd <= forecast_p90_usd.
-- layout:    not partitioned: each run writes files of its own as_of_date, whose Delta file
--            statistics let a query of one date skip all the others.

create table if not exists gold.spend_forecast (
    as_of_date            date           not null comment 'Run date: spend to date runs through the day before it.',
    month                 date           not null comment 'First day of the calendar month of as_of_date (forecast.time-zone).',
    scope_type            string         not null comment 'total, tenant, feature or model.',
    scope_value           string         not null comment 'The tenant_id, feature or model; all for the total.',
    time_zone             string         not null comment 'forecast.time-zone: the zone of the dates.',
    days_in_month         int            not null comment 'Calendar days of the month (28 to 31).',
    days_elapsed          int            not null comment 'Days of the month before as_of_date (0 on the 1st).',
    history_days          int            not null comment 'Days of history the method learnt from (first spend, at most forecast.history-days back, to as_of_date - 1).',
    spend_to_date_usd     decimal(38, 9) not null comment 'Spend of the month before as_of_date; exact USD.',
    forecast_p10_usd      decimal(38, 9) not null comment 'Month total: 10% chance of less. Cents.',
    forecast_p50_usd      decimal(38, 9) not null comment 'Month total: the median forecast. Cents.',
    forecast_p90_usd      decimal(38, 9) not null comment 'Month total: 10% chance of more. Cents.',
    daily_burn_rate_usd   decimal(38, 9) not null comment 'Mean daily spend of the days elapsed (on the 1st: of the last 7 days). Cents.',
    baseline_forecast_usd decimal(38, 9) not null comment 'Naive burn rate: daily_burn_rate x days_in_month, from the exact spend. Cents.',
    method                string         not null comment 'weekday_trend, weekday_level or run_rate.'
)
using delta
location ${location};
