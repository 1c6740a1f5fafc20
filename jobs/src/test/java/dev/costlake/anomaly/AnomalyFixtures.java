package dev.costlake.anomaly;

import dev.costlake.lake.Lakehouse;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Hand-written rollup rows, appended straight to the gold tables the anomaly job reads. */
final class AnomalyFixtures {
  private AnomalyFixtures() {}

  /**
   * One gold.cost_hourly row of gpt-4o-mini chat: requests, 1,000 input tokens each (of which
   * cachedInputTokens were read from the prompt cache), the cost.
   */
  record HourRow(String hour, String tenant, String feature, String user, long requests, String costUsd,
      long cachedInputTokens) {}

  static HourRow row(String hour, String tenant, String feature, String user, long requests, String costUsd) {
    return new HourRow(hour, tenant, feature, user, requests, costUsd, 0);
  }

  static HourRow cachedRow(String hour, String tenant, String feature, String user, long requests, String costUsd,
      long cachedInputTokens) {
    return new HourRow(hour, tenant, feature, user, requests, costUsd, cachedInputTokens);
  }

  /**
   * Appends the rows to gold.cost_hourly (its slices) and gold.cost_hourly_by_user (its users: one
   * row of a user per hour, so tests give each user one row an hour), and each day's first row to
   * gold.cost_daily_total (the history start); and the same requests as events to silver.cost_events,
   * which the drivers of flagged anomalies are summed from (the cost split over the requests to the
   * nano, the remainder on the first).
   */
  static void append(Lakehouse lake, List<HourRow> rows) {
    List<Row> hourly = new ArrayList<>();
    List<Row> daily = new ArrayList<>();
    java.util.Set<LocalDate> days = new java.util.TreeSet<>();
    List<Row> users = new ArrayList<>();
    List<Row> events = new ArrayList<>();
    StructType silverSchema = lake.table(Lakehouse.COST_EVENTS).schema();
    StructType hourlySchema = lake.table(Lakehouse.COST_HOURLY).schema();
    StructType userSchema = lake.table(Lakehouse.COST_HOURLY_BY_USER).schema();
    StructType dailySchema = lake.table(Lakehouse.COST_DAILY_TOTAL).schema();
    for (HourRow r : rows) {
      Instant hour = Instant.parse(r.hour());
      LocalDate day = LocalDate.ofInstant(hour, ZoneOffset.UTC);
      Map<String, Object> values = new java.util.HashMap<>();
      values.put("event_date", Date.valueOf(day));
      values.put("event_hour", Timestamp.from(hour));
      values.put("tenant_id", r.tenant());
      values.put("feature", r.feature());
      values.put("user_id", r.user());
      values.put("model", "gpt-4o-mini");
      values.put("provider", "openai");
      values.put("operation", "chat");
      values.put("requests", r.requests());
      values.put("input_tokens", r.requests() * 1000);
      values.put("cached_input_tokens", r.cachedInputTokens());
      values.put("cost_usd", new BigDecimal(r.costUsd()));
      values.put("service_tier", "standard");
      hourly.add(build(hourlySchema, values));
      users.add(build(userSchema, values));
      long costNanos = new BigDecimal(r.costUsd()).movePointRight(9).longValueExact();
      for (long n = 0; n < r.requests(); n++) {
        Map<String, Object> event = new java.util.HashMap<>(values);
        long nanos = costNanos / r.requests() + (n == 0 ? costNanos % r.requests() : 0);
        event.put("event_id", r.hour() + "/" + r.tenant() + "/" + r.feature() + "/" + r.user() + "/" + n);
        event.put("event_time", Timestamp.from(hour));
        event.put("input_tokens", 1000L);
        event.put("cost_usd_nanos", nanos);
        event.put("list_cost_usd_nanos", nanos);
        event.put("pricing_status", "priced");
        event.put("ingested_at", Timestamp.from(hour));
        events.add(build(silverSchema, event));
      }
      if (days.add(day)) {
        daily.add(build(dailySchema, Map.of("event_date", Date.valueOf(day))));
      }
    }
    lake.spark().createDataFrame(hourly, hourlySchema).write().format("delta").mode("append")
        .save(lake.path(Lakehouse.COST_HOURLY));
    lake.spark().createDataFrame(events, silverSchema).write().format("delta").mode("append")
        .save(lake.path(Lakehouse.COST_EVENTS));
    lake.spark().createDataFrame(users, userSchema).write().format("delta").mode("append")
        .save(lake.path(Lakehouse.COST_HOURLY_BY_USER));
    lake.spark().createDataFrame(daily, dailySchema).write().format("delta").mode("append")
        .save(lake.path(Lakehouse.COST_DAILY_TOTAL));
  }

  /** A row of the schema: the given values, 0 for the other non-null numbers, null for the rest. */
  private static Row build(StructType schema, Map<String, Object> values) {
    Object[] cells = new Object[schema.size()];
    for (int i = 0; i < cells.length; i++) {
      StructField field = schema.fields()[i];
      Object value = values.get(field.name());
      if (value == null && !field.nullable()) {
        if (field.dataType() == DataTypes.LongType) {
          value = 0L;
        } else if (field.dataType() == DataTypes.IntegerType) {
          value = 0;
        } else if (field.dataType() instanceof DecimalType) {
          value = BigDecimal.ZERO;
        } else if (field.dataType() == DataTypes.StringType) {
          value = "";
        }
      }
      cells[i] = value;
    }
    return RowFactory.create(cells);
  }
}
