# Tile "data freshness": per serving table, when it was last published and the last hour whose data is final.
view: data_freshness {
  sql_table_name: costlake.data_freshness ;;

  dimension: table_name {
    type: string
    sql: ${TABLE}.table_name ;;
    description: "Serving table, e.g. cost_daily."
  }

  dimension_group: last_published_at {
    type: time
    timeframes: [raw, hour, date]
    sql: ${TABLE}.last_published_at ;;
    description: "When its latest publish committed (UTC instant)."
  }

  dimension_group: complete_through {
    type: time
    timeframes: [raw, hour, date]
    sql: ${TABLE}.complete_through ;;
    description: "Start of the last UTC hour whose data is final (latest of its publishes)."
  }

  dimension: hours_behind {
    type: number
    sql: ${TABLE}.hours_behind ;;
    description: "Hours from complete_through to now (hours, one decimal)."
  }
}
