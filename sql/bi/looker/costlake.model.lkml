# The costlake cost dashboard in Looker: one explore per BI view (sql/postgres/V4__bi_views.sql).
# Connect Looker as a role made by `costlake db grant-tenant` (docs/metabase.md, section 2): row-level
# security decides which tenant's rows each connection sees. Schema: costlake (postgres.schema).
connection: "costlake"

include: "/views/*.view.lkml"

explore: spend_this_month {
  label: "Spend this month"
  description: "Tile 'spend so far this month': one row, the calendar month (UTC) to date, today included."
}

explore: daily_burn_rate {
  label: "Daily burn rate"
  description: "Tile 'daily burn rate': spend per closed UTC day of the last 30 (today excluded: it is not over), with its 7-day mean."
}

explore: forecast_vs_budget {
  label: "Forecast vs budget"
  description: "Tile 'forecasted month-end vs budget': the latest run's month-end forecast per scope; budgets are null until they exist."
}

explore: anomalies_today {
  label: "Anomalies today"
  description: "Tile 'anomalies today': the periods flagged since UTC midnight."
}

explore: cost_by_feature_last_30_days {
  label: "Cost by feature last 30 days"
  description: "Tile 'cost by feature, last 30 days': the 30 UTC days ending today (today so far included)."
}

explore: cost_by_model_by_day {
  label: "Cost by model by day"
  description: "Tile 'cost by model by day': one row per UTC date x model x provider; filter the dates in the question."
}

explore: top_20_users_by_cost {
  label: "Top 20 users by cost"
  description: "Tile 'top 20 users by cost': the costliest users of the 30 UTC days ending today (a tenant role: its own users)."
}

explore: cost_per_request_by_day {
  label: "Cost per request by day"
  description: "Tile 'cost per request trend': cost per priced request per UTC day and feature."
}

explore: top_drivers_this_week {
  label: "Top drivers this week"
  description: "Tile 'top drivers this week': the 5 costliest features, models and users of the current ISO week (UTC, Monday on)."
}

explore: data_freshness {
  label: "Data freshness"
  description: "Tile 'data freshness': per serving table, when it was last published and the last hour whose data is final."
}
