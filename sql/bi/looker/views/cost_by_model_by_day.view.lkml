# Tile "cost by model by day": one row per UTC date x model x provider; filter the dates in the question.
view: cost_by_model_by_day {
  sql_table_name: costlake.cost_by_model_by_day ;;

  dimension_group: event_date {
    type: time
    timeframes: [date, week, month]
    convert_tz: no
    datatype: date
    sql: ${TABLE}.event_date ;;
    description: "UTC date."
  }

  dimension: model {
    type: string
    sql: ${TABLE}.model ;;
    description: "Model name as reported."
  }

  dimension: provider {
    type: string
    sql: ${TABLE}.provider ;;
    description: "Model provider, when reported."
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

  dimension: input_tokens {
    type: number
    sql: ${TABLE}.input_tokens ;;
    description: "Prompt tokens, cached ones included (count)."
  }

  measure: total_input_tokens {
    type: sum
    sql: ${TABLE}.input_tokens ;;
    description: "Sum of input_tokens. Prompt tokens, cached ones included (count)."
  }

  dimension: output_tokens {
    type: number
    sql: ${TABLE}.output_tokens ;;
    description: "Completion tokens, reasoning included (count)."
  }

  measure: total_output_tokens {
    type: sum
    sql: ${TABLE}.output_tokens ;;
    description: "Sum of output_tokens. Completion tokens, reasoning included (count)."
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
