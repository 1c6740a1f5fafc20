-- The forecasts' method gains weekday_trend_pooled: a tenant's, feature's or model's weekday_trend
-- with its trend and day-of-week factors pulled toward the total's (SpendForecaster.pool). Comments
-- only; the column stays free text.

comment on column ${schema}.spend_forecast.method is 'weekday_trend, weekday_trend_pooled, weekday_level or run_rate.';
comment on column ${schema}.spend_forecast_daily.method is 'weekday_trend, weekday_trend_pooled, weekday_level or run_rate (as in gold.spend_forecast).';
comment on column ${schema}.forecast_vs_budget.method is 'weekday_trend, weekday_trend_pooled, weekday_level or run_rate.';
