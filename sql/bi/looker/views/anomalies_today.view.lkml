# Tile "anomalies today": the periods flagged since UTC midnight.
view: anomalies_today {
  sql_table_name: costlake.anomalies_today ;;

  dimension: grain {
    type: string
    sql: ${TABLE}.grain ;;
    description: "hour or day."
  }

  dimension_group: period_start {
    type: time
    timeframes: [raw, hour, date]
    sql: ${TABLE}.period_start ;;
    description: "Start of the UTC hour or day judged."
  }

  dimension: scope_type {
    type: string
    sql: ${TABLE}.scope_type ;;
    description: "total, tenant, feature, model, user or tenant_feature."
  }

  dimension: scope_value {
    type: string
    sql: ${TABLE}.scope_value ;;
    description: "The tenant_id, feature, ...; <tenant>/<feature> for tenant_feature."
  }

  dimension: direction {
    type: string
    sql: ${TABLE}.direction ;;
    description: "spike, drop or new_spend."
  }

  dimension: severity {
    type: string
    sql: ${TABLE}.severity ;;
    description: "critical, warning or info."
  }

  dimension: actual_cost_usd {
    type: number
    sql: ${TABLE}.actual_cost_usd ;;
    description: "What the scope spent in the period; exact USD."
  }

  measure: total_actual_cost_usd {
    type: sum
    sql: ${TABLE}.actual_cost_usd ;;
    description: "Sum of actual_cost_usd. What the scope spent in the period; exact USD."
  }

  dimension: expected_cost_usd {
    type: number
    sql: ${TABLE}.expected_cost_usd ;;
    description: "Its usual (the baseline); USD."
  }

  measure: total_expected_cost_usd {
    type: sum
    sql: ${TABLE}.expected_cost_usd ;;
    description: "Sum of expected_cost_usd. Its usual (the baseline); USD."
  }

  dimension: impact_usd {
    type: number
    sql: ${TABLE}.impact_usd ;;
    description: "actual_cost_usd - expected_cost_usd; USD."
  }

  measure: total_impact_usd {
    type: sum
    sql: ${TABLE}.impact_usd ;;
    description: "Sum of impact_usd. actual_cost_usd - expected_cost_usd; USD."
  }

  dimension: z_score {
    type: number
    sql: ${TABLE}.z_score ;;
    description: "impact / the baseline spread (unitless); null for new_spend."
  }

  dimension: top_driver {
    type: string
    sql: ${TABLE}.top_driver ;;
    description: "The child that explains it best, as dimension:value."
  }

  dimension: explanation {
    type: string
    sql: ${TABLE}.explanation ;;
    description: "One sentence a person can act on."
  }
}
