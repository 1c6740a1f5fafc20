# Tile "forecasted month-end vs budget": the latest run's month-end forecast per scope; budgets are null until they exist.
view: forecast_vs_budget {
  sql_table_name: costlake.forecast_vs_budget ;;

  dimension_group: as_of_date {
    type: time
    timeframes: [date, week, month]
    convert_tz: no
    datatype: date
    sql: ${TABLE}.as_of_date ;;
    description: "Run date of the forecast (the latest visible)."
  }

  dimension_group: month {
    type: time
    timeframes: [date, week, month]
    convert_tz: no
    datatype: date
    sql: ${TABLE}.month ;;
    description: "First day of the month forecast (forecast.time-zone)."
  }

  dimension: scope_type {
    type: string
    sql: ${TABLE}.scope_type ;;
    description: "total, tenant, feature or model (a tenant role sees its tenant scope only)."
  }

  dimension: scope_value {
    type: string
    sql: ${TABLE}.scope_value ;;
    description: "The tenant_id, feature or model; all for the total."
  }

  dimension: spend_to_date_usd {
    type: number
    sql: ${TABLE}.spend_to_date_usd ;;
    description: "Spend of the month before as_of_date; exact USD."
  }

  measure: total_spend_to_date_usd {
    type: sum
    sql: ${TABLE}.spend_to_date_usd ;;
    description: "Sum of spend_to_date_usd. Spend of the month before as_of_date; exact USD."
  }

  dimension: forecast_p10_usd {
    type: number
    sql: ${TABLE}.forecast_p10_usd ;;
    description: "Month total: 10% chance of less; USD."
  }

  dimension: forecast_p50_usd {
    type: number
    sql: ${TABLE}.forecast_p50_usd ;;
    description: "Month total: the median forecast; USD."
  }

  dimension: forecast_p90_usd {
    type: number
    sql: ${TABLE}.forecast_p90_usd ;;
    description: "Month total: 10% chance of more; USD."
  }

  dimension: budget_usd {
    type: number
    sql: ${TABLE}.budget_usd ;;
    description: "The month's budget for the scope; USD. Null: no budgets yet."
  }

  dimension: p50_over_budget_usd {
    type: number
    sql: ${TABLE}.p50_over_budget_usd ;;
    description: "forecast_p50_usd - budget_usd; USD. Null while budget_usd is."
  }

  measure: total_p50_over_budget_usd {
    type: sum
    sql: ${TABLE}.p50_over_budget_usd ;;
    description: "Sum of p50_over_budget_usd. forecast_p50_usd - budget_usd; USD. Null while budget_usd is."
  }

  dimension: method {
    type: string
    sql: ${TABLE}.method ;;
    description: "weekday_trend, weekday_trend_pooled, weekday_level or run_rate."
  }
}
