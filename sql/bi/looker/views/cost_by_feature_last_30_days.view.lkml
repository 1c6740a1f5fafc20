# Tile "cost by feature, last 30 days": the 30 UTC days ending today (today so far included).
view: cost_by_feature_last_30_days {
  sql_table_name: costlake.cost_by_feature_last_30_days ;;

  dimension: feature {
    type: string
    sql: ${TABLE}.feature ;;
    description: "Product feature that made the calls."
  }

  dimension: requests {
    type: number
    sql: ${TABLE}.requests ;;
    description: "Billable requests (count)."
  }

  measure: total_requests {
    type: sum
    sql: ${TABLE}.requests ;;
    description: "Sum of requests. Billable requests (count)."
  }

  dimension: cost_usd {
    type: number
    sql: ${TABLE}.cost_usd ;;
    description: "Cost; exact USD."
  }

  measure: total_cost_usd {
    type: sum
    sql: ${TABLE}.cost_usd ;;
    description: "Sum of cost_usd. Cost; exact USD."
  }

  dimension: cost_per_request_usd {
    type: number
    sql: ${TABLE}.cost_per_request_usd ;;
    description: "cost_usd / priced requests, half-up to 1e-9 USD; null when none was priced."
  }
}
