# Tile "spend so far this month": one row, the calendar month (UTC) to date, today included.
view: spend_this_month {
  sql_table_name: costlake.spend_this_month ;;

  dimension_group: month {
    type: time
    timeframes: [date, week, month]
    convert_tz: no
    datatype: date
    sql: ${TABLE}.month ;;
    description: "First day of the current UTC month."
  }

  dimension: spend_usd {
    type: number
    sql: ${TABLE}.spend_usd ;;
    description: "Cost of the month so far (today's hours published so far included); exact USD."
  }

  measure: total_spend_usd {
    type: sum
    sql: ${TABLE}.spend_usd ;;
    description: "Sum of spend_usd. Cost of the month so far (today's hours published so far included); exact USD."
  }

  dimension: requests {
    type: number
    sql: ${TABLE}.requests ;;
    description: "Billable requests of the month so far (count)."
  }

  measure: total_requests {
    type: sum
    sql: ${TABLE}.requests ;;
    description: "Sum of requests. Billable requests of the month so far (count)."
  }

  dimension_group: last_event_date {
    type: time
    timeframes: [date, week, month]
    convert_tz: no
    datatype: date
    sql: ${TABLE}.last_event_date ;;
    description: "Latest UTC date of the month with spend; null when none yet."
  }
}
