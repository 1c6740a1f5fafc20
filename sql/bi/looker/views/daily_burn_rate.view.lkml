# Tile "daily burn rate": spend per closed UTC day of the last 30 (today excluded: it is not over), with its 7-day mean.
view: daily_burn_rate {
  sql_table_name: costlake.daily_burn_rate ;;

  dimension_group: event_date {
    type: time
    timeframes: [date, week, month]
    convert_tz: no
    datatype: date
    sql: ${TABLE}.event_date ;;
    description: "UTC date (a closed day)."
  }

  dimension: cost_usd {
    type: number
    sql: ${TABLE}.cost_usd ;;
    description: "Cost of the day; exact USD."
  }

  measure: total_cost_usd {
    type: sum
    sql: ${TABLE}.cost_usd ;;
    description: "Sum of cost_usd. Cost of the day; exact USD."
  }

  dimension: burn_rate_7d_usd {
    type: number
    sql: ${TABLE}.burn_rate_7d_usd ;;
    description: "Mean daily cost over the days with spend among the 7 ending on event_date; USD per day."
  }
}
