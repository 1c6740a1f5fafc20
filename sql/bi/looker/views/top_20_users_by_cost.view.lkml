# Tile "top 20 users by cost": the costliest users of the 30 UTC days ending today (a tenant role: its own users).
view: top_20_users_by_cost {
  sql_table_name: costlake.top_20_users_by_cost ;;

  dimension: rank {
    type: number
    sql: ${TABLE}.rank ;;
    description: "1 = the costliest user."
  }

  dimension: tenant_id {
    type: string
    sql: ${TABLE}.tenant_id ;;
    description: "Tenant of the user (user ids are the tenant's own)."
  }

  dimension: user_id {
    type: string
    sql: ${TABLE}.user_id ;;
    description: "End user."
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
}
