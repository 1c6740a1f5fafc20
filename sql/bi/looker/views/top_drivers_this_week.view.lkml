# Tile "top drivers this week": the 5 costliest features, models and users of the current ISO week (UTC, Monday on).
view: top_drivers_this_week {
  sql_table_name: costlake.top_drivers_this_week ;;

  dimension_group: week_start {
    type: time
    timeframes: [date, week, month]
    convert_tz: no
    datatype: date
    sql: ${TABLE}.week_start ;;
    description: "Monday of the current ISO week (UTC)."
  }

  dimension: dimension {
    type: string
    sql: ${TABLE}.dimension ;;
    description: "feature, model or user."
  }

  dimension: rank {
    type: number
    sql: ${TABLE}.rank ;;
    description: "1 = the costliest value of the dimension this week."
  }

  dimension: value {
    type: string
    sql: ${TABLE}.value ;;
    description: "The feature, the model, or <tenant_id>/<user_id>."
  }

  dimension: cost_usd {
    type: number
    sql: ${TABLE}.cost_usd ;;
    description: "Cost of the week so far; exact USD."
  }

  measure: total_cost_usd {
    type: sum
    sql: ${TABLE}.cost_usd ;;
    description: "Sum of cost_usd. Cost of the week so far; exact USD."
  }

  dimension: share_of_week_pct {
    type: number
    sql: ${TABLE}.share_of_week_pct ;;
    description: "cost_usd as a percentage of the week's cost so far (%)."
  }
}
