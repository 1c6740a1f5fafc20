-- gold.forecast_accuracy: how good the month-end forecasts were, replayed over history, by day of month.
--
-- grain:     one row per scope_type (total, tenant, feature, model, or all: every scope pooled) x
--            day_of_month (of the run date, 1 .. 31) x method (ours: forecast_p50_usd of
--            gold.spend_forecast; baseline: its baseline_forecast_usd).
-- cadence:   on demand: `costlake forecast backtest [--from DATE --to DATE]`.
-- written:   by ForecastBacktest, in Java: the daily series are loaded once and every run date of
--            the range is forecast again as ForecastJob would have that night, then compared with the
--            month's actual total; this file holds only the DDL. Each backtest overwrites the table
--            whole (from_month and to_month say which range it replayed).
-- range:     run dates whose whole month lies in the data, so its actual total is known; by default
--            every such month. A forecast whose month's actual total is under one cent is left out
--            (no meaningful percentage error).
-- errors:    percentage error = (forecast - actual) / actual x 100.

create table if not exists gold.forecast_accuracy (
    scope_type           string         not null comment 'total, tenant, feature, model, or all (every scope pooled).',
    day_of_month         int            not null comment 'Day of the month of the run dates (1 = forecast from no day of the month).',
    method               string         not null comment 'ours (the median forecast) or baseline (the naive burn rate).',
    n_forecasts          bigint         not null comment 'Forecasts scored: run dates x scopes.',
    mape_pct             decimal(18, 3) not null comment 'Mean absolute percentage error of the month total.',
    mean_error_pct       decimal(18, 3) not null comment 'Mean signed percentage error: below 0, forecasts ran low.',
    p10_p90_coverage_pct decimal(7, 3)           comment 'Share of the actual totals within P10 .. P90, in %; null for the baseline (no interval).',
    from_month           date           not null comment 'First month replayed (its first day).',
    to_month             date           not null comment 'Last month replayed (its first day).'
)
using delta
location ${location};
